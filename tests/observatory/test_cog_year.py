"""Every text that names the COG year names the one of the vendored referential.

Moving to next year's COG (docs/intendant.md) rebuilds the referential; this test then lists every
description, legend and doc still naming the former year.
"""

import re
from pathlib import Path

from observatory.referential import read_provenance

CHECKOUT = Path(__file__).resolve().parents[2]
SEARCHED = ("observatory", "assets", "docs", "README.md")
SUFFIXES = {".py", ".yaml", ".json", ".md"}
# The referential's own folder describes its inputs, former years included.
SKIPPED = CHECKOUT / "observatory" / "resources" / "referentiel"
# Inputs that do not move with the COG: the INSEE history stops at COG 2019 (decoupage-administratif
# 0.7.0), the département outlines of the report's maps are IGN Admin Express COG 2018.
FIXED_YEARS = {"2018", "2019"}
MENTION = re.compile(r"\bCOG (\d{4})\b")


def referential_year() -> str:
    current = read_provenance()["inputs"][0]["source"]
    return MENTION.search(current).group(1)


def _texts():
    for entry in SEARCHED:
        root = CHECKOUT / entry
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.suffix in SUFFIXES and path.is_file() and SKIPPED not in path.parents:
                yield path


def test_the_referential_states_its_year():
    assert re.fullmatch(r"20\d\d", referential_year())


def test_every_mention_of_the_cog_year_is_the_referential_year():
    year = referential_year()
    stale = sorted(
        f"{path.relative_to(CHECKOUT)} : COG {found}"
        for path in _texts()
        for found in set(MENTION.findall(path.read_text(encoding="utf-8")))
        if found not in FIXED_YEARS | {year}
    )
    assert not stale, f"millésime du référentiel : COG {year} ; à mettre à jour :\n" + "\n".join(stale)
