"""Published values of the reconciliation: statuses, methods and anomalies, with what they mean.

Read from the Table Schemas, which are the one source of every vocabulary. The descriptions are
French because stewards and OPSN read them (mappings/README.md and the documentation quote them).
"""

from __future__ import annotations

from observatory.schemas import enum_values, value_labels

# Declared `type_adherent` vocabulary: the collectivités of the referential, then the others.
DECLARED_TYPES = tuple(enum_values("declaration/adherents", "type_adherent"))
COLLECTIVITE_TYPES = tuple(enum_values("adhesions", "type_collectivite"))
OUTSIDE_TYPES = tuple(t for t in DECLARED_TYPES if t not in COLLECTIVITE_TYPES)

MATCHED = "rapproche"
AMBIGUOUS = "ambigu"
NOT_FOUND = "non_trouve"
INVALID = "invalide"
OUTSIDE = "hors_referentiel"

# methode_rapprochement (in the order the paths are tried, engine.PATHS) and anomalies (in the
# order they are listed in a row): the vocabularies and their meanings are the `x-libelles` of
# schemas/adhesions.json, whose enum and pattern the publication checks. Edit them in
# schemas/src/adhesions.yaml, then `make schemas`.
METHODS = value_labels("adhesions", "methode_rapprochement")
ANOMALIES = value_labels("adhesions", "anomalies")
