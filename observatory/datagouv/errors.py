"""Errors of the data.gouv.fr client: each names the URL, what came back and what was expected."""

from __future__ import annotations


class DatagouvError(RuntimeError):
    """The portal answered something the observatory cannot use."""

    def __init__(self, url: str, problem: str, *, status: int | None = None, expected: str | None = None):
        self.url = url
        self.status = status
        self.problem = problem
        self.expected = expected
        text = f"data.gouv.fr : {url}"
        if status is not None:
            text += f" (HTTP {status})"
        text += f" : {problem}"
        if expected:
            text += f" ; attendu : {expected}"
        super().__init__(text)


class DownloadError(DatagouvError):
    """A resource could not be downloaded intact; the previous copy, if any, is left in place."""
