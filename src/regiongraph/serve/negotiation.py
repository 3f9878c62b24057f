"""HTTP content and language negotiation (RFC 9110 sections 12.5.1 and 12.5.4)."""

from __future__ import annotations

import functools
from collections.abc import Sequence


@functools.lru_cache(maxsize=256)  # clients send the same few headers again and again
def _ranges(header: str) -> tuple[tuple[str, float, int], ...]:
    """The header's ranges with their quality and their position (for ties)."""
    found = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        name = pieces[0].lower()
        if not name:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        found.append((name, quality, position))
    return tuple(found)


def _specificity(media_range: str, offer: str) -> int | None:
    """How specifically ``media_range`` matches ``offer`` (2 exact, 1 type/*, 0 */*), or None."""
    if media_range == offer:
        return 2
    kind, _, sub = media_range.partition("/")
    if sub == "*" and offer.split("/", 1)[0] == kind:
        return 1
    if media_range == "*/*" or media_range == "*":
        return 0
    return None


def choose_media_type(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers; ``offers[0]`` when it states nothing; None if none will do.

    Each offer takes the quality of the most specific range that matches it; among equal
    qualities the offers' own order decides (the server's preference).
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = _ranges(accept)
    best: tuple[float, int] | None = None
    chosen = None
    for rank, offer in enumerate(offers):
        matches = [
            (specificity, quality)
            for name, quality, _ in ranges
            if (specificity := _specificity(name, offer)) is not None
        ]
        if not matches:
            continue
        quality = max(matches)[1]  # the most specific range decides
        if quality <= 0:
            continue
        key = (quality, -rank)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def choose_language(accept_language: str | None, offers: Sequence[str]) -> str:
    """The language the client prefers among ``offers`` (by prefix: ``en-GB`` takes ``en``)."""
    if accept_language:
        ranked = sorted(_ranges(accept_language), key=lambda r: (-r[1], r[2]))
        for name, quality, _ in ranked:
            if quality <= 0:
                continue
            if name == "*":
                return offers[0]
            for offer in offers:
                if name == offer or name.startswith(offer + "-"):
                    return offer
    return offers[0]
