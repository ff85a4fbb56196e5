"""Expected source errors become the headline of a failed run: file, line, field, reason.

A steward's broken file is not a bug: the step stops with a `dg.Failure` whose message starts
with what to fix, logs that message alone (no stack) and tags the run with it. Dagster 1.13 still
records its own frames under any step failure, and one "Not executing" line per step left out
(docs/intendant.md, "Quand un run échoue"); the library's frames are left out. Errors that are
not expected keep their traceback, since a developer needs it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from observatory.errors import MAX_ERRORS, SourceError, SourceErrors
from observatory.sources.modes import LiveModeUnavailable
from observatory.sources.snapshot import Snapshot

# Live-mode errors (data.gouv.fr unreachable, dataset missing) belong here too: subclass
# SourceError, or add their class to this tuple.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (SourceError, SourceErrors, LiveModeUnavailable, FileNotFoundError)
HEADLINE = "Source à corriger"
# On the failed run, so the runs list says what to fix without opening the run.
FAILURE_TAG = "observatoire/echec"


def _errors(error: BaseException) -> list[BaseException]:
    return list(error.errors) if isinstance(error, SourceErrors) else [error]


def failure_metadata(error: BaseException, copies: dict[str, str] | None = None) -> dict:
    """The first error's place, shown on the failure event between its message and Dagster's stack."""
    first = _errors(error)[0]
    metadata = {"erreurs": len(_errors(error))}
    for attribute, key in (("path", "fichier"), ("row", "ligne"), ("field", "champ"), ("reason", "motif")):
        value = getattr(first, attribute, None)
        if value is not None:
            metadata[key] = (copies or {}).get(value, value) if key == "fichier" else value
    return metadata


def _steward_text(text: str, copies: dict[str, str] | None) -> str:
    for copy, origin in (copies or {}).items():
        text = text.replace(copy, origin)
    return text


def headline(error: BaseException, copies: dict[str, str] | None = None) -> str:
    """One line: the first error (file, line, field, reason), and how many others."""
    errors = _errors(error)
    more = f" (+ {len(errors) - 1} autre(s))" if len(errors) > 1 else ""
    return _steward_text(str(errors[0]), copies) + more


def _announce(error: BaseException, description: str, copies: dict[str, str] | None) -> None:
    """A clean ERROR line in the run's log (the failure event below it carries Dagster's stack), and
    the run's first failure as a tag (independent steps go on, so one run can fail on several files)."""
    context = dg.OpExecutionContext.get()
    if context is None:
        return
    context.log.error(description)
    run = context.instance.get_run_by_id(context.run_id)
    if run is not None and FAILURE_TAG not in run.tags:
        context.instance.add_run_tags(context.run_id, {FAILURE_TAG: short_headline(error, copies)})


def short_headline(error: BaseException, copies: dict[str, str] | None = None) -> str:
    """The headline with the file's name alone: the runs list shows a tag's first ~40 characters,
    which a folder path would fill before the line and field."""
    text = headline(error, copies)
    path = getattr(_errors(error)[0], "path", None)
    if path:
        path = (copies or {}).get(path, path)
        text = text.replace(path, Path(path).name, 1)
    return text[:240]


def describe(error: BaseException, copies: dict[str, str] | None = None) -> str:
    """First line: the headline (file, line, field, reason); then every error when there are several.

    The UI prints a failure's message first, in red, and Dagster's stack under it: the line a
    steward needs must be the first one, not a count."""
    errors = _errors(error)
    lines = [f"{HEADLINE} : {headline(error, copies)}"]
    if len(errors) > 1:
        lines += [f"  - {_steward_text(str(each), copies)}" for each in errors[:MAX_ERRORS]]
        if len(errors) > MAX_ERRORS:
            lines.append(f"  … et {len(errors) - MAX_ERRORS} autres")
    return "\n".join(lines)


def as_failure(error: BaseException, *, copies: dict[str, str] | None = None) -> dg.Failure:
    """`copies` maps a snapshot copy's path to the steward's file it was taken from."""
    description = describe(error, copies)
    _announce(error, description, copies)
    return dg.Failure(description=description, metadata=failure_metadata(error, copies), allow_retries=False)


def steward_errors(copies: Callable[[dict], dict[str, str]] | None = None):
    """Decorate an asset's function: expected errors end the step as a clean `dg.Failure`.

    `copies(kwargs)` returns {snapshot path: steward's path} for the inputs of the call, so the
    message names the file the steward edits, not the immutable copy under build/raw/.
    """

    def decorate(function):
        if inspect.isgeneratorfunction(function):  # multi-assets yield their results

            @functools.wraps(function)
            def generator(*args, **kwargs):
                try:
                    yield from function(*args, **kwargs)
                except EXPECTED_ERRORS as error:
                    raise as_failure(error, copies=copies(kwargs) if copies else None) from None

            return generator

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except EXPECTED_ERRORS as error:
                raise as_failure(error, copies=copies(kwargs) if copies else None) from None

        return wrapper

    return decorate


def snapshot_copies(kwargs: dict) -> dict[str, str]:
    """{copy: origin} for every Snapshot among an asset's inputs."""
    return {value.path: value.origin for value in kwargs.values() if isinstance(value, Snapshot)}
