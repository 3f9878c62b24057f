"""``link corporate-numbers``: find the project's organizations in the NTA's bulk files and write
``data/curation/corporate-numbers.csv`` (which ``build`` uses) and the list of organizations a
person must settle (``corporate-numbers-unsettled.csv``).

The organizations and their regions' prefectures come from the sources, linked as a build
links them. Both files are written only once every input file has been read without error,
each atomically, sorted, so that the same inputs give the same bytes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from regiongraph.files import write_atomic
from regiongraph.link.corporate_numbers import (
    Matches,
    Normalizer,
    Organization,
    match,
    scan_nta,
)
from regiongraph.link.curation import CORPORATE_NUMBER_COLUMNS, load_curation
from regiongraph.link.prefectures import Gazetteer, locate
from regiongraph.link.reference import load_prefectures
from regiongraph.source.parse import parse_sources

METHOD = "normalized name and prefecture, current record, one corporation"
UNSETTLED_FILE = "corporate-numbers-unsettled.csv"


@dataclass(frozen=True)
class LinkResult:
    """What ``link corporate-numbers`` wrote."""

    curation_file: Path
    unsettled_file: Path
    matched: int
    unsettled: int
    rows_read: int


@dataclass(frozen=True)
class ProjectFiles:
    """Where a project keeps what linking reads: its sources, reference table and curation."""

    sources: list[Path]
    reference_dir: Path
    curation_dir: Path


def organizations(project: ProjectFiles) -> list[Organization]:
    """The coordinating organizations of the project's sources, with their regions' prefectures."""
    prefectures = load_prefectures(project.reference_dir / "prefectures.csv")
    curation = load_curation(project.curation_dir, {p.code for p in prefectures})
    gazetteer = Gazetteer(prefectures, curation.regional_names)
    codes: dict[str, set[str]] = {}
    for document in parse_sources(project.sources):
        for record in document.regions:
            found = codes.setdefault(record.coordinating_organization, set())
            for place in locate(record, gazetteer, curation):
                found.add(place.prefecture.code)
    return [Organization(name, frozenset(c)) for name, c in sorted(codes.items())]


def link_corporate_numbers(project: ProjectFiles, files: list[Path]) -> LinkResult:
    """Match the project's organizations in ``files``; write the curation and unsettled files."""
    from regiongraph.errors import ProjectError

    if not files:
        raise ProjectError("give the NTA bulk files (全件データ, .zip or .csv) to read")
    wanted = organizations(project)
    prefectures = load_prefectures(project.reference_dir / "prefectures.csv")
    legal_forms = load_curation(project.curation_dir, {p.code for p in prefectures}).legal_forms
    counted = [0]
    normalize = Normalizer(legal_forms)
    keys = frozenset(normalize(organization.name) for organization in wanted)
    matches = match(wanted, scan_nta(files, keys, legal_forms, counted=counted), legal_forms)
    curation_file = project.curation_dir / "corporate-numbers.csv"
    unsettled_file = project.curation_dir / UNSETTLED_FILE
    write_atomic(curation_file, _curation_csv(matches))
    write_atomic(unsettled_file, _unsettled_csv(matches))
    return LinkResult(
        curation_file, unsettled_file, len(matches.matched), len(matches.unsettled), counted[0]
    )


def _written(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _source_name(file: str) -> str:
    """The bulk file's name as recorded: its name and zip member, not the directory it was in."""
    outer, bang, member = file.partition("!")
    return Path(outer).name + (bang + member if bang else "")


def _curation_csv(matches: Matches) -> bytes:
    rows = [list(CORPORATE_NUMBER_COLUMNS)]
    for name, record in sorted(matches.matched.items()):
        rows.append(
            [
                name,
                record.number,
                record.name,
                record.address,
                _source_name(record.file),
                str(record.row),
                METHOD,
            ]
        )
    return _written(rows)


def _unsettled_csv(matches: Matches) -> bytes:
    rows = [["organization", "reason"]]
    rows += [[name, reason] for name, reason in sorted(matches.unsettled.items())]
    return _written(rows)
