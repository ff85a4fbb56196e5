"""Comparison keys for declared and official names, identical in Python and in DuckDB.

Each key is a list of regular-expression rules, written once here and run by both engines:
`python_key(value)` for mappings, tests and the benchmark, and a `TEMP MACRO` of nested
`regexp_replace` calls for the engine, which keys every distinct declared name in one
vectorised pass. The rules stay inside the subset where Python `re` (ASCII mode) and RE2
agree, and `tests/observatory/reconcile/test_normalize.py` checks both engines on every
name of the referential and on the declared messes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import duckdb

_SEPARATOR_RUN = (r"[^a-z0-9]+", " ")
_SPACE_RUN = (r" +", " ")

# Name key: lower case, no accents, ligatures spelt out, punctuation as single spaces,
# articles in parentheses put back in front ("Rochelle (La)" -> "la rochelle"),
# abbreviations written out ("St" -> "saint", "s/" -> "sur", "N D" -> "notre dame", "Dt" ->
# "devant": those of postal address files) and "Cedex n" dropped. An arrondissement written
# by its number ("MARSEILLE 15EME", "PARIS 16", "LYON 3E") is given the key of the official
# arrondissement name ("Marseille 15e Arrondissement"), which leads to its commune.
# Full words rather than abbreviations, so that keys stay readable in `candidats` reviews.
_ARRONDISSEMENT_NUMBER = (
    r"^(paris|lyon|marseille) 0?([1-9]|1[0-9]|20) ?(e|er|eme|ere|em|ieme|nd)?( (arrondissement|arrdt|arr))?$",
    r"\1 \2e arrondissement",
)
NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"œ", "oe"),
    (r"æ", "ae"),
    (r"\bss/", " sous "),
    (r"\bs/", " sur "),
    (r"^(.*?)\s*\(\s*(les|la|le|l)[^a-z0-9)]*\)(.*)$", r"\2 \1\3"),
    _SEPARATOR_RUN,
    (r"\bcedex( [0-9]+)?\b", " "),
    (r"\bst\b", "saint"),
    (r"\bste\b", "sainte"),
    # Not "nd" alone: it is the placeholder "non disponible".
    (r"\bn ?d ([a-z])", r"notre dame \1"),
    (r"\bdt\b", "devant"),
    (r"\bmt\b", "mont"),
    (r"\bgd\b", "grand"),
    (r"\bgde\b", "grande"),
    _SPACE_RUN,
    (r"^ | $", ""),
    (r"([a-z]) n ?d$", r"\1 notre dame"),
    (r"\b1er\b", "1e"),
    _ARRONDISSEMENT_NUMBER,
)

# Second name key: the name key without its little words and articles, for the spellings
# that drop or add them ("JAU-DIGNAC-LOIRAC" for Jau-Dignac-et-Loirac, "LE LAUSSOU" for
# Laussou, "TRINITE" for La Trinité). Looser than the name key, so read only when the name
# key finds nothing; a name made only of little words keeps its name key.
LITTLE_WORDS = ("le", "la", "les", "l", "de", "du", "des", "d", "et", "en", "sur", "sous", "lez", "aux", "au", "a")
SHORT_RULES: tuple[tuple[str, str], ...] = (
    (r"\b(" + "|".join(LITTLE_WORDS) + r")\b", " "),
    _SPACE_RUN,
)

# "Mairie de Brest", "Commune du Havre": the body, not the place. Tried only when the whole
# key finds nothing, since real communes start with these words too (Ville-d'Avray).
# An article moved from the end ("Ville de Marolle-en-Sologne (La)") now precedes the prefix.
_BODY = "^(les |le |la |l )?(mairie|commune nouvelle|commune|ville|municipalite) "
CIVIC_PREFIX_RULES: tuple[tuple[str, str], ...] = (
    (_BODY + "du ", r"\1le "),
    (_BODY + "des ", r"\1les "),
    (_BODY + "(de |d )?", r"\1"),
)

# EPCI: the official names use the sigle ("CC du Cap Corse"); declarations often spell it out.
EPCI_RULES: tuple[tuple[str, str], ...] = (
    (r"^communaute de communes?\b", "cc"),
    (r"^communaute (de l |d )agglomeration\b", "ca"),
    (r"^communaute urbaine\b", "cu"),
    (r"^metropole\b", "metropole"),
)

# Départements and régions: "Conseil départemental du Nord", "Ain (Département)",
# "Région Bretagne" -> the bare name of the collectivité.
_OF = "(de la |de l |du |des |de |d )?"
COLLECTIVITE_RULES: tuple[tuple[str, str], ...] = (
    (rf"^(conseil departemental|conseil general|departement|dept) {_OF}", ""),
    (rf"^(conseil regional|collectivite territoriale|region) {_OF}", ""),
    (r" (departement|region)$", ""),
)

# Placeholders people type in a mandatory-looking column: there is no name to match.
PLACEHOLDER_KEYS = frozenset(
    {"", "nc", "n c", "na", "n a", "nd", "neant", "inconnu", "a completer", "a renseigner", "xxx", "x", "test"}
)


@dataclass(frozen=True)
class KeyRules:
    """One key, as ordered (pattern, replacement) rules, with its SQL macro name."""

    macro: str
    rules: tuple[tuple[str, str], ...]
    # The name key starts from raw text; the derived keys start from a name key.
    from_raw_text: bool = False
    # A key that only drops these whole words from a name key (see `_without_words`).
    drops_words: tuple[str, ...] = ()

    def python(self, value: str | None) -> str:
        text = "" if value is None else str(value)
        if self.from_raw_text:
            text = strip_accents(text.lower())
        for pattern, replacement in self.rules:
            text = re.sub(pattern, replacement, text, flags=re.ASCII)
        return text.strip()

    def sql(self, expression: str, *, skip_absent: bool = True) -> str:
        """The key of `expression` in DuckDB; `skip_absent=False` runs every rule on every value (the
        tests compare both forms)."""
        if self.drops_words and skip_absent:
            return _without_words(expression, self.drops_words)
        text = f"strip_accents(lower({expression}))" if self.from_raw_text else expression
        for run in _runs(self.rules) if skip_absent else [self.rules]:
            text = _replace_all(text, run) if len(run) == 1 or not skip_absent else _unless_absent(text, run)
        return f"trim({text})"


# Speed of the SQL keys only (the key is the same): most names hold none of the rarer rules'
# patterns (no "St", "Cedex", article in parentheses, sigle to write out), so those rules are tried
# together by one regexp_matches and skipped when none occurs, the name key running in about half
# the time. Exact: a rule changes a text only where its pattern occurs (a run of spaces made one
# space: only where two spaces follow each other), so a run of rules none of which occurs in the
# text leaves it as it found it. The rules that change most names are run on every name.
_CHANGES_ONLY_ON = {_SPACE_RUN: " {2}"}


def _frequent(rule: tuple[str, str]) -> bool:
    return rule in (_SEPARATOR_RUN, SHORT_RULES[0])


def _runs(rules: tuple[tuple[str, str], ...]) -> list[tuple[tuple[str, str], ...]]:
    """The rules in order, each frequent rule alone, the others in runs of consecutive rules."""
    runs: list[list[tuple[str, str]]] = []
    for rule in rules:
        if _frequent(rule) or not runs or _frequent(runs[-1][-1]):
            runs.append([rule])
        else:
            runs[-1].append(rule)
    return [tuple(run) for run in runs]


def _replace_all(text: str, rules: tuple[tuple[str, str], ...]) -> str:
    for pattern, replacement in rules:
        text = f"regexp_replace({text}, {_sql_string(pattern)}, {_sql_string(replacement)}, 'g')"
    return text


def _unless_absent(text: str, rules: tuple[tuple[str, str], ...]) -> str:
    occurs = "|".join(f"(?:{_CHANGES_ONLY_ON.get(rule, rule[0])})" for rule in rules)
    return f"CASE WHEN regexp_matches({text}, {_sql_string(occurs)}) THEN {_replace_all(text, rules)} ELSE {text} END"


def _without_words(expression: str, words: tuple[str, ...]) -> str:
    """The words of `expression` but `words`, one space apart: half the CPU time of the two
    regular expressions, and the same text on a name key. A name key holds only [a-z0-9] runs and
    spaces, so `\\b` falls exactly where a space run meets a word, a word the rules replace is a
    whole space-delimited word, and " +" then the trim leave the remaining words one space apart."""
    dropped = "[" + ", ".join(_sql_string(word) for word in words) + "]"
    return (
        f"array_to_string(list_filter(string_split({expression}, ' '), "
        f"lambda w: w <> '' AND NOT list_contains({dropped}, w)), ' ')"
    )


NAME_KEY = KeyRules("rc_name_key", NAME_RULES, from_raw_text=True)
CIVIC_PREFIX = KeyRules("rc_without_civic_prefix", CIVIC_PREFIX_RULES)
EPCI_KEY = KeyRules("rc_epci_key", EPCI_RULES)
COLLECTIVITE_KEY = KeyRules("rc_collectivite_key", COLLECTIVITE_RULES)
SHORT_KEY = KeyRules("rc_short_key_raw", SHORT_RULES, drops_words=LITTLE_WORDS)
ALL_KEYS = (NAME_KEY, CIVIC_PREFIX, EPCI_KEY, COLLECTIVITE_KEY, SHORT_KEY)


def strip_accents(text: str) -> str:
    # Canonical (NFD) decomposition, as DuckDB's strip_accents: compatibility forms stay.
    return "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))


def normalize_name(value: str | None) -> str:
    """The comparison key of a commune (or any) name: `"ST-BRIEUC Cedex 1"` -> `"saint brieuc"`."""
    return NAME_KEY.python(value)


def without_civic_prefix(key: str) -> str:
    return CIVIC_PREFIX.python(key)


def epci_key(key: str) -> str:
    return EPCI_KEY.python(key)


def collectivite_key(key: str) -> str:
    return COLLECTIVITE_KEY.python(key)


def short_key(key: str) -> str:
    """`"jau dignac et loirac"` -> `"jau dignac loirac"`; a key of little words only is kept."""
    return SHORT_KEY.python(key) or key


def register_macros(con: duckdb.DuckDBPyConnection) -> None:
    """`rc_name_key(text)` and the derived keys, as TEMP macros of this connection."""
    for key in ALL_KEYS:
        con.execute(f"CREATE OR REPLACE TEMP MACRO {key.macro}(s) AS ({key.sql('s')})")
    con.execute("CREATE OR REPLACE TEMP MACRO rc_short_key(s) AS (coalesce(nullif(rc_short_key_raw(s), ''), s))")


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
