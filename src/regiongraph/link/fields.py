"""Which fields a region's name, theme and summary talk about, by the curated signal terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regiongraph.link.curation import FieldConcept
from regiongraph.source.records import RegionRecord


@dataclass(frozen=True)
class FieldEvidence:
    """Why a region is linked to a field: the terms found and the columns they were in."""

    field: FieldConcept
    terms: tuple[str, ...]
    cells: tuple[str, ...]


class FieldMatcher:
    """Finds signal terms, longest first: 無人航空機 is unmanned aircraft, not aircraft."""

    def __init__(self, fields: list[FieldConcept]) -> None:
        self.by_term = {term: f for f in fields for term in f.terms}
        terms = sorted(self.by_term, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(t) for t in terms)) if terms else None
        self._order = {f.slug: i for i, f in enumerate(fields)}

    def match(self, record: RegionRecord) -> list[FieldEvidence]:
        """Fields of ``record``, in the order of the field scheme."""
        if self._pattern is None:
            return []
        terms: dict[str, list[str]] = {}
        cells: dict[str, list[str]] = {}
        for cell, text in (
            ("地域名", record.region_name),
            ("全体構想のテーマ名", record.theme),
            ("全体構想の概要", record.summary),
        ):
            for match in self._pattern.finditer(text):
                slug = self.by_term[match.group()].slug
                if match.group() not in terms.setdefault(slug, []):
                    terms[slug].append(match.group())
                if cell not in cells.setdefault(slug, []):
                    cells[slug].append(cell)
        by_slug = {f.slug: f for f in self.by_term.values()}
        return [
            FieldEvidence(by_slug[slug], tuple(terms[slug]), tuple(cells[slug]))
            for slug in sorted(terms, key=self._order.__getitem__)
        ]
