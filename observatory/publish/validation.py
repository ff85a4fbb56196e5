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
# Two checks at a time: with the writing thread and the researchers' database, enough to keep
# both cores busy; each check is one table's queries, DuckDB's own threads within it.
WORKERS = 2


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
    (raises InvalidPackage), or `close()` to abandon the release; usable as a context manager.

    `WORKERS` threads share one in-memory database, each with its own connection (its own
    temporary table `t`); the keys of referenced tables are in the shared schema, so a table is
    taken once the tables it references are checked."""

    def __init__(self, staging: Path, table_names: Iterable[str], *, workers: int = WORKERS):
        self.staging = staging
        self.names = validation_order(list(table_names))
        self.referenced = referenced_tables(self.names)
        self._outcomes: dict[str, _Outcome] = {}
        self._failure: BaseException | None = None
        self._state = threading.Condition()
        self._waiting: list[tuple[str, int | None]] = []
        self._busy: set[str] = set()
        self._all_written = self._stopping = False
        self._running = workers
        self._spill = tempfile.TemporaryDirectory(prefix="validation-")
        self._db = duckdb.connect()
        self._db.execute("SET preserve_insertion_order = true")
        # Tables are held a few at a time; past this, DuckDB spills to disk instead of growing the
        # process (peak RSS at 10× France scale must stay under 1 GiB).
        self._db.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self._db.execute(f"SET temp_directory = {literal(self._spill.name)}")
        self._threads = [
            threading.Thread(target=self._work, name=f"validation-publication-{n}", daemon=True) for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> ReleaseValidator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ready(self, name: str, expected_rows: int | None = None) -> None:
        """`name`'s CSV and Parquet are written and will not change; `expected_rows` is the count written."""
        with self._state:
            self._waiting.append((name, expected_rows))
            self._state.notify_all()

    def close(self) -> None:
        """Stops after the tables being checked (their files may be about to be removed)."""
        self._end(stopping=True)

    def _end(self, *, stopping: bool) -> None:
        with self._state:
            self._all_written = True
            self._stopping = self._stopping or stopping
            self._state.notify_all()
        for thread in self._threads:
            thread.join()
        if self._db is not None:
            self._db.close()
            self._db = None
            self._spill.cleanup()

    def finish(self, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """In validation order, one progress line per valid table as soon as it and those before it
        are checked (the lines cost the caller time: they are given while the rest is checked), or
        the first invalid table's errors raised. Returns the row counts read back."""
        with self._state:
            self._all_written = True
            self._state.notify_all()
        counts: dict[str, int] = {}
        for name in self.names:
            outcome = self._outcome(name)
            if outcome.failure is not None:
                raise outcome.failure
            if outcome.rows is not None:
                counts[name] = outcome.rows
            if outcome.errors:
                raise InvalidPackage("paquet invalide, rien n'est publié : " + " ; ".join(outcome.errors[:MAX_ERRORS]))
            if progress:
                progress(f"validation : {name}, {thousands(outcome.rows)} lignes conformes au schéma")
        self._end(stopping=False)
        errors = package_errors(self.staging, counts)
        if errors:
            raise InvalidPackage("paquet invalide, rien n'est publié : " + " ; ".join(errors[:MAX_ERRORS]))
        return counts

    def _outcome(self, name: str) -> _Outcome:
        """Once checked; a worker's own failure is raised, a table never announced is an error."""
        with self._state:
            while name not in self._outcomes and self._failure is None and self._running:
                self._state.wait()
            if self._failure is not None:
                raise self._failure
            return self._outcomes.get(name) or _Outcome(errors=[f"{name}.csv : jamais validé"])

    def _work(self) -> None:
        try:
            with self._db.cursor() as con:
                while (item := self._take()) is not None:
                    try:
                        self._check(con, *item)
                    finally:
                        with self._state:
                            self._busy.discard(item[0])
                            self._state.notify_all()
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread by finish()
            with self._state:
                self._failure = self._failure or error
                self._stopping = True
        finally:
            with self._state:
                self._running -= 1
                self._state.notify_all()

    def _take(self) -> tuple[str, int | None] | None:
        """The first table written whose referenced tables are checked, None when all is done.
        Once everything is written, a referenced table never announced is not waited for, and
        when nothing is being checked the first waiting table is taken whatever it references."""
        with self._state:
            while not self._stopping:
                pending = {name for name, _ in self._waiting} | self._busy
                for item in self._waiting:
                    needed = _depends_on(item[0], self.names) - self._outcomes.keys()
                    if not needed or (self._all_written and not needed & pending):
                        return self._start(item)
                if self._waiting and self._all_written and not self._busy:
                    return self._start(self._waiting[0])  # tables referencing each other
                if self._all_written and not self._waiting:
                    return None
                self._state.wait()
            return None

    def _start(self, item: tuple[str, int | None]) -> tuple[str, int | None]:
        self._waiting.remove(item)
        self._busy.add(item[0])
        return item

    def _check(self, con: duckdb.DuckDBPyConnection, name: str, expected_rows: int | None) -> None:
        if name not in self.names or name in self._outcomes:
            return
        outcome = _Outcome()
        files = (self.staging / f"{name}.{kind}" for kind in ("csv", "parquet"))
        threads_for_files(con, files)
        check = TableCheck(con, self.staging, name)
        try:
            outcome.rows = check.run(self.referenced, expected_rows)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread by finish()
            outcome.failure = error
        outcome.errors = check.errors
        with self._state:
            self._outcomes[name] = outcome


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
