"""Expected source errors become the headline of a failed run, without a stack trace.

A steward's broken file is not a bug: Dagster should say what to fix (file, line, field)
and stop, as `dg.Failure` does, instead of showing a Python traceback. Errors that are
not expected keep their traceback, since a developer needs it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import dagster as dg

from observatory.errors import SourceError, SourceErrors
from observatory.sources.modes import LiveModeUnavailable
from observatory.sources.snapshot import Snapshot

# Live-mode errors (data.gouv.fr unreachable, dataset missing) belong here too: subclass
# SourceError, or add their class to this tuple.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (SourceError, SourceErrors, LiveModeUnavailable, FileNotFoundError)
HEADLINE = "Source à corriger"


def _errors(error: BaseException) -> list[BaseException]:
    return list(error.errors) if isinstance(error, SourceErrors) else [error]


def failure_metadata(error: BaseException) -> dict:
    first = _errors(error)[0]
    metadata = {"erreurs": len(_errors(error))}
    for attribute, key in (("path", "fichier"), ("row", "ligne"), ("field", "champ")):
        value = getattr(first, attribute, None)
        if value is not None:
            metadata[key] = value
    return metadata


def as_failure(error: BaseException, *, copies: dict[str, str] | None = None) -> dg.Failure:
    """`copies` maps a snapshot copy's path to the steward's file it was taken from."""
    description = str(error)
    for copy, origin in (copies or {}).items():
        description = description.replace(copy, origin)
    metadata = failure_metadata(error)
    if "fichier" in metadata:
        metadata["fichier"] = (copies or {}).get(metadata["fichier"], metadata["fichier"])
    return dg.Failure(description=f"{HEADLINE} : {description}", metadata=metadata, allow_retries=False)


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
