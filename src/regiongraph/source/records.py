"""Typed records read from a source document; every later stage starts from these."""

from __future__ import annotations

from dataclasses import dataclass, field

#: The five cells of a region row, in source order: (key, header text in the document).
CELL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("region_name", "地域名"),
    ("council", "協議会"),
    ("coordinating_organization", "総合調整機関"),
    ("theme", "全体構想のテーマ名"),
    ("summary", "全体構想の概要"),
)


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: file name, 1-based line number and the raw text as it stood."""

    source: str
    line: int
    raw_cells: tuple[str, ...]
    raw_line: str = ""


@dataclass(frozen=True)
class Category:
    """A selection category (a section of the list) and its description line."""

    number: int
    name: str
    description: str
    announced_count: int
    line: int


@dataclass(frozen=True)
class RegionRecord:
    """One selected region: one table row of the source document, cleaned."""

    fiscal_year: int
    fiscal_year_label: str
    category: Category
    number: int
    region_name: str
    council: str
    coordinating_organization: str
    theme: str
    summary: str
    provenance: Provenance

    def cells(self) -> tuple[str, ...]:
        """The five cleaned cells, in source order."""
        return tuple(getattr(self, key) for key, _ in CELL_COLUMNS)


@dataclass(frozen=True)
class SourceDocument:
    """A parsed source document: its call (title, fiscal year), categories and regions."""

    source: str
    title: str
    fiscal_year: int
    fiscal_year_label: str
    attachment: str | None
    encoding: str
    sha256: str
    line_count: int
    categories: tuple[Category, ...]
    regions: tuple[RegionRecord, ...] = field(default=())
