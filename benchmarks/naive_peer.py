"""The matcher an analyst would write in an afternoon: pandas + rapidfuzz (docs/performance.md).

Rules, exactly: a name is normalised by stripping accents, upper-casing and turning hyphens
and apostrophes into spaces; a row is matched to the commune of its declared département
with that exact normalised name, else to `process.extractOne(name, the département's
communes, scorer=fuzz.WRatio, score_cutoff=90)`. Without a département, nothing is matched.
It only knows communes: it is the yardstick for speed and accuracy, not a rival design.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from benchmarks.bench_process import timed_calls
from observatory.paths import REFERENTIAL_DIR


def normalize(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    for char in "-'’":
        text = text.replace(char, " ")
    return " ".join(text.split())


def prepare(communes: pd.DataFrame) -> tuple[dict, dict]:
    """The peer's lookups, built once from the referential (the project's are built once too)."""
    communes = communes.assign(cle=communes["nom"].map(normalize))
    exact = {
        (d, k): c
        for d, k, c in zip(communes["code_departement"], communes["cle"], communes["code_insee"], strict=False)
    }
    choices = {d: dict(zip(g["code_insee"], g["cle"], strict=False)) for d, g in communes.groupby("code_departement")}
    return exact, choices


def naive_match(
    members: pd.DataFrame, communes: pd.DataFrame, lookups: tuple[dict, dict] | None = None
) -> pd.DataFrame:
    """members: nom_adherent, code_departement; communes: code_insee, nom, code_departement.
    Returns members with `code_trouve` (None when unmatched)."""
    exact, choices = lookups or prepare(communes)
    found = []
    for name, dept in zip(members["nom_adherent"], members["code_departement"], strict=False):
        if not isinstance(name, str) or not isinstance(dept, str) or not dept:
            found.append(None)
            continue
        key = normalize(name)
        code = exact.get((dept, key))
        if code is None and dept in choices:
            best = process.extractOne(key, choices[dept], scorer=fuzz.WRatio, score_cutoff=90)
            code = best[2] if best else None
        found.append(code)
    return members.assign(code_trouve=found)


def run_peer(adherents_csv: Path, truth_csv: Path, referential: Path = REFERENTIAL_DIR, repetitions: int = 1) -> dict:
    """Accuracy of the peer against the generator's ground truth, and two times: matching alone
    (rows already in memory, lookups built: what `reconcile_members` is timed on, like for like),
    the median of `repetitions` runs, and that plus the reading of the file and the building of its lookups."""
    start, cpu = time.perf_counter(), time.process_time()
    members = pd.read_csv(adherents_csv, dtype=str, keep_default_na=False)
    communes = pd.read_parquet(referential / "communes.parquet", columns=["code_insee", "nom", "code_departement"])
    lookups = prepare(communes)
    setup, setup_cpu = time.perf_counter() - start, time.process_time() - cpu
    runs = timed_calls(lambda: naive_match(members, communes, lookups), repetitions)
    seconds, cpu_seconds, result = runs[len(runs) // 2]
    truth = pd.read_csv(truth_csv, dtype=str, keep_default_na=False)
    return {
        "secondes": setup + seconds,
        "cpu_secondes": setup_cpu + cpu_seconds,
        "appariement_secondes": seconds,
        "appariement_secondes_min": runs[0][0],
        "appariement_secondes_max": runs[-1][0],
        "appariement_cpu_secondes": cpu_seconds,
        "appels": len(runs),
        **accuracy(result["code_trouve"], "commune", truth),
    }


def accuracy(found_code: pd.Series, found_type, truth: pd.DataFrame) -> dict:
    """Precision on the rows matched, recall on the rows a perfect matcher matches (all kinds,
    and communes alone, since the peer only knows communes)."""
    matched = found_code.notna().to_numpy()
    types = found_type if isinstance(found_type, pd.Series) else pd.Series(found_type, index=found_code.index)
    correct = (
        matched
        & (types.to_numpy() == truth["type_attendu"].to_numpy())
        & (found_code.fillna("").to_numpy() == truth["code_attendu"].to_numpy())
    )
    matchable = truth["type_attendu"].isin(["commune", "epci", "departement", "region"]).to_numpy()
    communes = (truth["type_attendu"] == "commune").to_numpy()
    return {
        "lignes": len(truth),
        "precision": correct.sum() / max(matched.sum(), 1),
        "rappel": correct[matchable].sum() / max(matchable.sum(), 1),
        "rappel_communes": correct[communes].sum() / max(communes.sum(), 1),
    }
