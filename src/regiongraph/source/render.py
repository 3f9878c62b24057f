"""Region records rendered for people and spreadsheets: CSV, JSON or a table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from regiongraph.source.records import CELL_COLUMNS, RegionRecord
from regiongraph.tables import format_table

EXTRACT_FORMATS = ("table", "csv", "json")

CSV_COLUMNS = (
    "fiscal_year",
    "fiscal_year_label",
    "category_number",
    "category",
    "category_description",
    "number",
    *(key for key, _ in CELL_COLUMNS),
    "source",
    "line",
    *(f"raw_{key}" for key, _ in CELL_COLUMNS),
)


def record_as_dict(record: RegionRecord) -> dict[str, Any]:
    """A record as plain JSON-ready data (provenance nested)."""
    return {
        "fiscal_year": record.fiscal_year,
        "fiscal_year_label": record.fiscal_year_label,
        "category": {
            "number": record.category.number,
            "name": record.category.name,
            "description": record.category.description,
        },
        "number": record.number,
        **{key: getattr(record, key) for key, _ in CELL_COLUMNS},
        "provenance": {
            "source": record.provenance.source,
            "line": record.provenance.line,
            "raw_cells": list(record.provenance.raw_cells),
        },
    }


def _csv_row(record: RegionRecord) -> list[str | int]:
    return [
        record.fiscal_year,
        record.fiscal_year_label,
        record.category.number,
        record.category.name,
        record.category.description,
        record.number,
        *record.cells(),
        record.provenance.source,
        record.provenance.line,
        *record.provenance.raw_cells,
    ]


def render_records(records: Sequence[RegionRecord], fmt: str) -> str:
    """Render records as ``table``, ``csv`` or ``json``."""
    if fmt == "json":
        return json.dumps([record_as_dict(r) for r in records], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as SPARQL's CSV
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_row(r) for r in records)
        return buffer.getvalue()
    if fmt == "table":
        header = ["年度", "区分", "番号", "地域名", "協議会", "総合調整機関", "出典"]
        rows = [
            [
                str(r.fiscal_year),
                str(r.category.number),
                str(r.number),
                r.region_name,
                r.council,
                r.coordinating_organization,
                f"{r.provenance.source}:{r.provenance.line}",
            ]
            for r in records
        ]
        return format_table(header, rows)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(EXTRACT_FORMATS)}")
