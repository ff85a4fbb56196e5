"""Errors of publication, shared by the release builder and the validation of written files."""

from __future__ import annotations


class InvalidPackage(RuntimeError):
    """A written file breaks its Table Schema: nothing is published."""
