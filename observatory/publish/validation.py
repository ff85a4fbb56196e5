"""Check every written file of a release against its Table Schema, in DuckDB, before it is visible.

The same rules as a Frictionless validation of the package (header, types, required,
unique and primary keys, foreign keys, enums, patterns, ranges, row counts, checksums),
run as set queries instead of a Python loop over cells: seconds instead of minutes at
France scale (observatory/publish/validation_table.py holds one table's checks). Each CSV
is read back with every column as text, as a reuser would read it; its Parquet twin must
have the schema's physical types and exactly the same rows. Frictionless itself keeps
proving, in the tests, that what passes here is a valid package.

A table is validated as soon as its two files are written (`ReleaseValidator.ready`), on a
thread with its own in-memory database, while the next table is being written: DuckDB
releases the GIL, so publication uses both cores. What the run sees does not depend on
that timing: progress lines and errors are given in `validation_order`, after every table
was written, exactly as if the tables had been checked one after the other at the end.
"""

from __future__ import annotations

import queue
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from observatory.publish.errors import InvalidPackage
from observatory.publish.validation_package import package_errors
from observatory.publish.validation_rules import literal
from observatory.publish.validation_table import TableCheck, referenced_tables, thousands, validation_order
from observatory.schemas import read_descriptor
from observatory.warehouse_memory import threads_for_files

__all__ = ["InvalidPackage", "ReleaseValidator", "thousands", "validate_release_files"]

MAX_ERRORS = 20
MEMORY_LIMIT = "512MB"
_ALL_WRITTEN = None  # queue sentinel: no more table will be announced


@dataclass
class _Outcome:
    rows: int | None = None
    errors: list[str] = field(default_factory=list)
    failure: BaseException | None = None  # an unexpected error, raised in the caller's thread


def _depends_on(name: str, names: list[str]) -> set[str]:
    """The other tables of the release whose keys this table's foreign keys need."""
    targets = {key["reference"]["resource"] for key in read_descriptor(name).get("foreignKeys", [])}
    return {t for t in targets if t and t != name and t in names}


class ReleaseValidator:
    """`ready(name, rows)` after each table is written, `finish()` once everything is written
    (raises InvalidPackage), or `close()` to abandon the release; usable as a context manager."""

    def __init__(self, staging: Path, table_names: Iterable[str]):
        self.staging = staging
        self.names = validation_order(list(table_names))
        self.referenced = referenced_tables(self.names)
        self._announced: queue.SimpleQueue[tuple[str, int | None] | None] = queue.SimpleQueue()
        self._outcomes: dict[str, _Outcome] = {}
        self._setup_failure: BaseException | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="validation-publication", daemon=True)
        self._thread.start()

    def __enter__(self) -> ReleaseValidator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ready(self, name: str, expected_rows: int | None = None) -> None:
        """`name`'s CSV and Parquet are written and will not change; `expected_rows` is the count written."""
        self._announced.put((name, expected_rows))

    def close(self) -> None:
        """Stops after the table being checked (its files may be about to be removed)."""
        self._stopping.set()
        self._announced.put(_ALL_WRITTEN)
        self._thread.join()

    def finish(self, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """Waits for every check; then, in validation order, one progress line per valid table,
        or the first invalid table's errors raised. Returns the row counts read back."""
        self._announced.put(_ALL_WRITTEN)
        self._thread.join()
        if self._setup_failure is not None:
            raise self._setup_failure
        counts: dict[str, int] = {}
        for name in self.names:
            outcome = self._outcomes.get(name) or _Outcome(errors=[f"{name}.csv : jamais validé"])
            if outcome.failure is not None:
                raise outcome.failure
            if outcome.rows is not None:
                counts[name] = outcome.rows
            if outcome.errors:
                raise InvalidPackage("paquet invalide, rien n'est publié : " + " ; ".join(outcome.errors[:MAX_ERRORS]))
            if progress:
                progress(f"validation : {name}, {thousands(outcome.rows)} lignes conformes au schéma")
        errors = package_errors(self.staging, counts)
        if errors:
            raise InvalidPackage("paquet invalide, rien n'est publié : " + " ; ".join(errors[:MAX_ERRORS]))
        return counts

    def _work(self) -> None:
        try:
            with tempfile.TemporaryDirectory(prefix="validation-") as spill, duckdb.connect() as con:
                con.execute("SET preserve_insertion_order = true")
                # One table is held at a time; past this, DuckDB spills to disk instead of growing the
                # process (peak RSS at 10× France scale must stay under 1 GiB).
                con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
                con.execute(f"SET temp_directory = {literal(spill)}")
                self._check_as_written(con)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread by finish()
            self._setup_failure = error

    def _check_as_written(self, con: duckdb.DuckDBPyConnection) -> None:
        """Tables in the order they are written, each once the tables it references are checked
        (their keys are then loaded); whatever waits when all is written is checked last."""
        waiting: list[tuple[str, int | None]] = []
        while not self._stopping.is_set():
            announced = self._announced.get()
            if announced is _ALL_WRITTEN:
                for name, rows in waiting:
                    if self._stopping.is_set():
                        return
                    self._check(con, name, rows)
                return
            waiting.append(announced)
            progressed = True
            while progressed and not self._stopping.is_set():
                progressed = False
                for item in waiting:
                    if _depends_on(item[0], self.names) <= self._outcomes.keys():
                        waiting.remove(item)
                        self._check(con, *item)
                        progressed = True
                        break

    def _check(self, con: duckdb.DuckDBPyConnection, name: str, expected_rows: int | None) -> None:
        if name not in self.names:
            return
        outcome = self._outcomes[name] = _Outcome()
        files = (self.staging / f"{name}.{kind}" for kind in ("csv", "parquet"))
        threads_for_files(con, files)
        check = TableCheck(con, self.staging, name)
        try:
            outcome.rows = check.run(self.referenced, expected_rows)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread by finish()
            outcome.failure = error
        outcome.errors = check.errors


def validate_release_files(
    staging: Path,
    table_names: Iterable[str],
    *,
    expected_rows: dict[str, int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Raises InvalidPackage naming file, line (header = 1) and field of the first violations."""
    names = list(table_names)
    with ReleaseValidator(staging, names) as validator:
        for name in names:
            validator.ready(name, (expected_rows or {}).get(name))
        validator.finish(progress)
