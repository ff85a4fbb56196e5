"""The catalogue of indicators (catalogue.yaml): one definition shared by code, data and documentation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from observatory import table_catalog
from observatory.schemas import LIST_SEPARATOR, duckdb_columns, enum_values, field_names

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
# Order in which levels are listed and published.
LEVELS = ("france", "region", "departement", "opsn")


@dataclass(frozen=True)
class Indicator:
    code_indicateur: str
    libelle: str
    definition: str
    unite: str
    source: str
    niveaux: tuple[str, ...]


@dataclass(frozen=True)
class Recomputation:
    code_indicateur: str
    niveau: str
    explication: str
    sql: str


@dataclass(frozen=True)
class Catalogue:
    conventions: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    recomputations: tuple[Recomputation, ...]

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code_indicateur == code:
                return indicator
        raise KeyError(code)

    @property
    def codes(self) -> list[str]:
        return [indicator.code_indicateur for indicator in self.indicators]


def _validate(catalogue: Catalogue) -> None:
    # A malformed entry would only surface as a frictionless error at publication time;
    # failing on load points at the catalogue line instead.
    units = set(enum_values("definitions_indicateurs", "unite"))
    codes = catalogue.codes
    duplicated = {code for code in codes if codes.count(code) > 1}
    if duplicated:
        raise ValueError(f"catalogue.yaml : codes en double {sorted(duplicated)}")
    for indicator in catalogue.indicators:
        if indicator.unite not in units:
            raise ValueError(f"catalogue.yaml : {indicator.code_indicateur} a une unité inconnue {indicator.unite}")
        if not indicator.niveaux or set(indicator.niveaux) - set(LEVELS):
            raise ValueError(f"catalogue.yaml : {indicator.code_indicateur} a des niveaux invalides")
        if not all([indicator.libelle, indicator.definition, indicator.source]):
            raise ValueError(f"catalogue.yaml : {indicator.code_indicateur} incomplet")
    for recomputation in catalogue.recomputations:
        if recomputation.niveau not in catalogue.get(recomputation.code_indicateur).niveaux:
            raise ValueError(f"catalogue.yaml : recalcul de {recomputation.code_indicateur} à un niveau non publié")


@cache
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    with Path(path).open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    indicators = tuple(
        Indicator(**{**entry, "niveaux": tuple(sorted(entry["niveaux"], key=LEVELS.index))})
        for entry in raw["indicateurs"]
    )
    catalogue = Catalogue(
        conventions=tuple(raw.get("conventions", [])),
        indicators=indicators,
        recomputations=tuple(Recomputation(**entry) for entry in raw.get("recalculs", [])),
    )
    _validate(catalogue)
    return catalogue


def register_catalogue(con: duckdb.DuckDBPyConnection, table: str = "_ind_catalogue") -> None:
    """The catalogue as a temp table, with `rang` (catalogue order) and `niveaux` joined by `|`."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (rang INTEGER, {duckdb_columns('definitions_indicateurs')})")
    rows = [
        (
            rank,
            ind.code_indicateur,
            ind.libelle,
            ind.definition,
            ind.unite,
            ind.source,
            LIST_SEPARATOR.join(ind.niveaux),
        )
        for rank, ind in enumerate(load_catalogue().indicators)
    ]
    placeholders = ", ".join("?" for _ in range(len(field_names("definitions_indicateurs")) + 1))
    con.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)


def build_definitions(con: duckdb.DuckDBPyConnection, *, output: str = table_catalog.INDICATOR_DEFINITIONS) -> int:
    """The published `definitions_indicateurs` table, in catalogue order; returns its row count."""
    register_catalogue(con)
    columns = ", ".join(f'"{name}"' for name in field_names("definitions_indicateurs"))
    con.execute(f"CREATE OR REPLACE TABLE {output} AS SELECT {columns} FROM _ind_catalogue ORDER BY rang")
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]


def render_definitions_markdown() -> str:
    """Markdown of the conventions, every definition and three recomputations (headings from level 3)."""
    catalogue = load_catalogue()
    parts = ["### Conventions communes", ""]
    parts += [f"- {text}" for text in catalogue.conventions]
    parts += ["", "### Indicateurs", "", "| code | libellé | unité | niveaux |", "| --- | --- | --- | --- |"]
    parts += [
        f"| `{i.code_indicateur}` | {i.libelle} | {i.unite} | {', '.join(i.niveaux)} |" for i in catalogue.indicators
    ]
    for indicator in catalogue.indicators:
        parts += [
            "",
            f"#### `{indicator.code_indicateur}` — {indicator.libelle}",
            "",
            indicator.definition,
            "",
            f"Unité : {indicator.unite}. Niveaux : {', '.join(indicator.niveaux)}. Source : {indicator.source}.",
        ]
    parts += [
        "",
        "### Recalculer un indicateur à partir des tables publiées",
        "",
        "Chaque indicateur se recalcule à partir des tables publiées `collectivites`, `opsn`, "
        "`services_opsn` et `adhesions`. Trois exemples, en SQL DuckDB sur `observatoire.duckdb` "
        "(ou sur les fichiers Parquet) ; le résultat est la colonne `valeur` de `indicateurs` "
        "pour le même code, niveau et territoire (modalité `ensemble`) :",
    ]
    for recomputation in catalogue.recomputations:
        label = catalogue.get(recomputation.code_indicateur).libelle
        parts += [
            "",
            f"#### `{recomputation.code_indicateur}` (niveau {recomputation.niveau}) — {label}",
            "",
            recomputation.explication,
            "",
            "```sql",
            recomputation.sql,
            "```",
        ]
    return "\n".join(parts) + "\n"


def render_definitions_page() -> str:
    """docs/indicateurs.md: the same text, as a standalone page."""
    return (
        "# Indicateurs de l'observatoire des OPSN\n\n"
        "Ce texte est produit par `observatory.indicators.catalogue.render_definitions_markdown()` "
        "à partir de `observatory/indicators/catalogue.yaml`, source unique des définitions ; ne pas "
        "le modifier à la main.\n\n## Définitions\n\n" + render_definitions_markdown()
    )
