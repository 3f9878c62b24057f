"""Parse a source document (a list of selected regions, text pulled out of PDF tables).

The layout, in order: a preamble (title naming the fiscal year, an attachment label), then
sections. A section is a line ``(1) <category>に選定された4地域``, a description line in
parentheses, and numbered rows of five tab-separated cells, with the column-header row repeated
wherever a page broke. Blank lines may appear anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from regiongraph.errors import SourceError
from regiongraph.source.decode import SourceText, read_source_text
from regiongraph.source.eras import find_fiscal_year
from regiongraph.source.records import (
    CELL_COLUMNS,
    Category,
    Provenance,
    RegionRecord,
    SourceDocument,
)
from regiongraph.source.repair import repair_cell

_SECTION = re.compile(
    r"^\s*[(（]\s*(?P<number>\d+)\s*[)）]\s*(?P<name>.+?)\s*に選定された\s*(?P<count>\d+)?\s*地域\s*$"
)
_DESCRIPTION = re.compile(r"^\s*[(（](?P<text>.*)[)）]\s*$")
_ATTACHMENT = re.compile(r"^\s*別添\s*\d+\s*$")
_ROW_NUMBER = re.compile(r"^\s*\d+\s*$")
HEADER_NAMES = tuple(header for _, header in CELL_COLUMNS)
CELLS_PER_ROW = 1 + len(CELL_COLUMNS)


_WHITESPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WHITESPACE.sub("", text)


@dataclass
class _Section:
    number: int
    name: str
    announced: int | None
    line: int
    description: str | None = None
    rows: list[tuple[int, str]] = field(default_factory=list)


def parse_sources(paths: Iterable[str | Path]) -> list[SourceDocument]:
    """Parse every source document; the first bad one raises."""
    return [parse_source(path) for path in paths]


def parse_source(path: str | Path) -> SourceDocument:
    """Read ``path`` and return its records; raise :class:`SourceError` naming file and line."""
    return parse_text(read_source_text(path))


def parse_text(source: SourceText) -> SourceDocument:
    """Parse decoded source lines into a :class:`SourceDocument`."""
    path = source.path
    preamble, sections = _scan(source)
    year, year_label = _fiscal_year(path, preamble, sections[0].line)
    attachment = next((text for _, text in preamble if _ATTACHMENT.match(text)), None)
    categories: list[Category] = []
    regions: list[RegionRecord] = []
    for section in sections:
        category = _category(path, section)
        categories.append(category)
        for expected, (line_number, raw_line) in enumerate(section.rows, start=1):
            regions.append(
                _region(path, line_number, raw_line, expected, category, year, year_label)
            )
    _check_section_numbers(path, sections)
    return SourceDocument(
        source=path.name,
        title=preamble[0][1] if preamble else "",
        fiscal_year=year,
        fiscal_year_label=year_label,
        attachment=attachment,
        encoding=source.encoding,
        sha256=source.sha256,
        line_count=len(source.lines),
        categories=tuple(categories),
        regions=tuple(regions),
    )


def _scan(source: SourceText) -> tuple[list[tuple[int, str]], list[_Section]]:
    """The lines before the first section (numbered), and the sections with their rows."""
    path = source.path
    preamble: list[tuple[int, str]] = []
    sections: list[_Section] = []
    expect_description = False
    for number, line in enumerate(source.lines, start=1):
        if not line.strip():
            continue
        if "\t" in line:
            expect_description = False
            if _is_header(line.split("\t")):
                if not sections:
                    raise SourceError(path, number, "header row outside any section")
                continue
            if not sections:
                raise SourceError(
                    path,
                    number,
                    "row outside any section: rows must follow a section line such as "
                    "'(1) 国際競争力強化地域に選定された4地域'",
                )
            sections[-1].rows.append((number, line))
            continue
        heading = _SECTION.match(line)
        if heading:
            sections.append(
                _Section(
                    number=int(heading["number"]),
                    name=repair_cell(heading["name"]),
                    announced=int(heading["count"]) if heading["count"] else None,
                    line=number,
                )
            )
            expect_description = True
            continue
        description = _DESCRIPTION.match(line)
        if expect_description and description:
            sections[-1].description = repair_cell(description["text"])
            expect_description = False
            continue
        if sections:
            raise SourceError(
                path,
                number,
                f"unexpected text {_excerpt(line)}: not a section line, a header row or a "
                "tab-separated numbered row",
            )
        preamble.append((number, line.strip()))
    if not sections:
        raise SourceError(
            path,
            None,
            "no section found: expected a line such as '(1) 国際競争力強化地域に選定された4地域'",
        )
    return preamble, sections


def _fiscal_year(
    path: Path, preamble: list[tuple[int, str]], first_section: int
) -> tuple[int, str]:
    """The fiscal year named in the lines before the first section."""
    for _, text in preamble:
        fiscal = find_fiscal_year(text)
        if fiscal:
            return fiscal
    raise SourceError(
        path,
        first_section,
        "no fiscal year found before the first section: expected a title such as "
        "'地域イノベーション戦略推進地域（平成25年度公募分）一覧'",
    )


def _category(path: Path, section: _Section) -> Category:
    """A section as its selection category, its announced count checked against its rows."""
    if section.announced is not None and section.announced != len(section.rows):
        raise SourceError(
            path,
            section.line,
            f"section {section.number} ({section.name}) announces {section.announced} "
            f"regions but {len(section.rows)} rows follow it",
        )
    return Category(
        number=section.number,
        name=section.name,
        description=section.description or "",
        announced_count=section.announced if section.announced is not None else len(section.rows),
        line=section.line,
    )


def _is_header(cells: list[str]) -> bool:
    # Only a cell with the first header's last character can squash to it: the others (a
    # region's long summary among them) are not squashed (a twentieth of the parse).
    first = HEADER_NAMES[0]
    found = any(first[-1] in cell and _squash(cell) == first for cell in cells)
    return found and not _ROW_NUMBER.match(cells[0])


def _region(
    path: Path,
    line: int,
    raw_line: str,
    expected: int,
    category: Category,
    year: int,
    year_label: str,
) -> RegionRecord:
    cells = raw_line.split("\t")
    while len(cells) > CELLS_PER_ROW and not cells[-1].strip():
        cells = cells[:-1]  # trailing tabs at the end of a row carry nothing
    if len(cells) != CELLS_PER_ROW:
        raise SourceError(
            path,
            line,
            f"expected {CELLS_PER_ROW} tab-separated cells (number, "
            f"{', '.join(HEADER_NAMES)}), found {len(cells)}",
        )
    if not _ROW_NUMBER.match(cells[0]):
        raise SourceError(path, line, f"row number {cells[0].strip()!r} is not a number")
    found = int(cells[0])
    if found != expected:
        raise SourceError(
            path,
            line,
            f"number out of sequence in section {category.number}: expected {expected}, "
            f"found {found}",
        )
    cleaned = [repair_cell(cell) for cell in cells[1:]]
    for (_, header), value in zip(CELL_COLUMNS, cleaned, strict=True):
        if not value:
            raise SourceError(path, line, f"empty cell {header} in row {found}")
    return RegionRecord(
        fiscal_year=year,
        fiscal_year_label=year_label,
        category=category,
        number=found,
        region_name=cleaned[0],
        council=cleaned[1],
        coordinating_organization=cleaned[2],
        theme=cleaned[3],
        summary=cleaned[4],
        provenance=Provenance(path.name, line, tuple(cells[1:]), raw_line),
    )


def _check_section_numbers(path: Path, sections: list[_Section]) -> None:
    for expected, section in enumerate(sections, start=1):
        if section.number != expected:
            raise SourceError(
                path,
                section.line,
                f"section number out of sequence: expected ({expected}), found ({section.number})",
            )


def _excerpt(line: str, width: int = 30) -> str:
    text = line.strip()
    return repr(text if len(text) <= width else text[:width] + "…")
