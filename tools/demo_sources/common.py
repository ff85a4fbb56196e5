"""Helpers shared by the demo generators: seeded random streams, dates and SIREN tools.

Name keys and accent stripping are the library's (observatory/reconcile/normalize.py).
"""

from __future__ import annotations

import datetime as dt
import random

from stdnum import luhn
from stdnum.fr import siren as stdnum_siren

# Every generated date stays before this day, so that nothing depends on "today".
END_DATE = dt.date(2026, 3, 15)
RGPD_DATE = dt.date(2018, 5, 25)


def substream(seed: int, label: str) -> random.Random:
    """An independent, reproducible stream per concern.

    A string seed is hashed with SHA-512 by `random`, so streams do not depend on
    PYTHONHASHSEED, and changing how many draws one concern makes does not shift the others.
    """
    return random.Random(f"{seed}/{label}")


def luhn_siren(prefix: str, rng: random.Random, taken: set[str]) -> str:
    """A new SIREN starting with `prefix`, valid for the Luhn check, not in `taken`."""
    while True:
        body = prefix + "".join(rng.choice("0123456789") for _ in range(8 - len(prefix)))
        candidate = body + luhn.calc_check_digit(body)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def break_check_digit(siren: str, rng: random.Random) -> str:
    """Same SIREN with another last digit: exactly one last digit passes Luhn, so it fails."""
    digits = [d for d in "0123456789" if d != siren[-1]]
    broken = siren[:-1] + rng.choice(digits)
    assert not stdnum_siren.is_valid(broken)
    return broken


def random_date(rng: random.Random, start: dt.date, end: dt.date = END_DATE) -> dt.date:
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


def weighted_choice(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys], k=1)[0]
