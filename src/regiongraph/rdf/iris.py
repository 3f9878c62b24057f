"""IRI patterns of the graph: ASCII, built from the document's own keys, never from row order.

| resource | pattern |
|---|---|
| region | ``{base}region/{key}``, key = ``{fiscal year}-{category slug}-{number}`` |
| council | ``{base}council/{key}`` (one per region, even when names are shared) |
| overall plan | ``{base}plan/{key}`` |
| coordinating organization | ``{base}organization/{slug}`` (one per name, across calls) |
| selection category | ``{base}category/{slug}`` |
| call | ``{base}call/{fiscal year}`` |
| source document | ``{base}source/{file stem}`` |
| prefecture | ``{base}prefecture/{JIS code}`` |
| field / legal form | ``{base}field/{slug}`` / ``{base}legal-form/{slug}`` |
| assignment | ``{base}assignment/{key}-prefecture-{JIS code}``, ``…/{key}-field-{slug}`` |

Slugs come from the curation files; a name with no curated slug gets a stable hash slug
(``c-``/``o-`` and 12 hex digits of the SHA-256 of the name), so that adding a new list never
needs curation first. Collisions are detected by :class:`IriRegistry`.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from regiongraph.errors import DataError

_ASCII_SLUG = re.compile(r"[^a-z0-9]+")


def check_base_iri(base: str) -> str:
    """Return ``base`` if it is an absolute http(s) IRI ending in ``/`` or ``#``."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or base[-1] not in "/#":
        raise DataError(
            f"base IRI {base!r} must be an absolute http(s) IRI ending in '/' or '#', "
            "e.g. https://data.example.jp/regiongraph/"
        )
    if any(c in base for c in ' <>"{}|\\^`'):
        raise DataError(f"base IRI {base!r} contains characters not allowed in an IRI")
    return base


def hash_slug(prefix: str, name: str) -> str:
    """A stable ASCII slug for a name that has no curated one."""
    return f"{prefix}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:12]}"


def file_slug(stem: str) -> str:
    """An ASCII slug for a file stem; non-ASCII stems fall back to a hash."""
    slug = _ASCII_SLUG.sub("-", stem.lower()).strip("-")
    return slug if slug and slug.isascii() and stem.isascii() else hash_slug("s", stem)


class IriRegistry:
    """Remembers what each minted IRI stands for, and refuses to give one IRI to two things."""

    def __init__(self) -> None:
        self._owner: dict[str, str] = {}

    def claim(self, iri: str, owner: str) -> str:
        previous = self._owner.setdefault(iri, owner)
        if previous != owner:
            raise DataError(f"IRI collision: {iri} would stand for both {previous} and {owner}")
        return iri
