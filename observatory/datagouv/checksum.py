"""The checksums udata publishes on a resource (`checksum: {type, value}`)."""

from __future__ import annotations

import hashlib

# udata's types. `sha2` is udata's name for SHA-256 (its crawler's default in recent versions).
ALGORITHMS = {"sha1": "sha1", "sha2": "sha256", "sha256": "sha256", "md5": "md5"}
UNVERIFIABLE = {"crc"}


def published_checksum(resource: dict) -> tuple[str, str] | None:
    """(udata type, lowercase value) when the resource carries one, else None."""
    checksum = resource.get("checksum") or {}
    kind, value = checksum.get("type"), checksum.get("value")
    if not kind or not value:
        return None
    return str(kind).lower(), str(value).strip().lower()


def hasher_for(kind: str):
    """A hashlib object for a verifiable udata type, None for `crc` or an unknown type."""
    algorithm = ALGORITHMS.get(kind)
    return hashlib.new(algorithm) if algorithm else None
