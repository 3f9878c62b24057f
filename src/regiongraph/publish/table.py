"""``export csv``: one row per region, for spreadsheet users, with a CSVW metadata file that maps
every column to the graph's own IRIs and properties.

Read from the built files only. Multi-valued cells (prefectures, fields) are separated by a
space, which no code or slug contains; IRIs are given whole so that a row can be joined back to
the graph. The metadata file (``{name}-metadata.json``, the CSVW convention, so processors find
it) says which resource each column describes (``aboutUrl``), with which property
(``propertyUrl``) and, for links, which IRI (``valueUrl``): read through it, the table gives the
same triples as the graph. Columns kept for people only (prefecture names, the legal form's
name) are ``suppressOutput``. ``excel=True`` writes UTF-8 with a byte-order mark, which Excel
needs to read Japanese text.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from regiongraph.files import write_atomic
from regiongraph.project import Project
from regiongraph.publish.graph import SiteGraph, read_site_graph
from regiongraph.rdf.namespaces import RDFS, RG, SKOS

SEPARATOR = " "


@dataclass(frozen=True)
class ExportResult:
    """What ``export csv`` wrote: the regions table, its CSVW metadata and the links tables."""

    table: Path
    metadata: Path
    rows: int
    links: list[Path]


def _column(name: str, title: str, **properties: Any) -> dict[str, Any]:
    return {"name": name, "titles": title, **properties}


def columns(base: str) -> list[dict[str, Any]]:
    """The table's columns, in order, as CSVW column descriptions."""
    link = {"datatype": "anyURI"}
    return [
        _column("region", "region IRI", suppressOutput=True, **link),
        _column(
            "fiscal_year",
            "call year",
            datatype="integer",
            aboutUrl="{+call}",
            propertyUrl=RG + "fiscalYear",
        ),
        _column("call", "call IRI", propertyUrl=RG + "call", valueUrl="{+call}", **link),
        _column(
            "category_ja",
            "category (ja)",
            lang="ja",
            aboutUrl="{+category}",
            propertyUrl=SKOS + "prefLabel",
        ),
        _column(
            "category",
            "category IRI",
            propertyUrl=RG + "selectionCategory",
            valueUrl="{+category}",
            **link,
        ),
        _column(
            "number", "number in category", datatype="integer", propertyUrl=RG + "numberInCategory"
        ),
        _column("name_ja", "name (ja)", lang="ja", propertyUrl=RDFS + "label"),
        _column("name_en", "name (en)", lang="en", propertyUrl=RDFS + "label"),
        _column("prefecture_codes", "prefecture codes", separator=SEPARATOR, suppressOutput=True),
        _column("prefecture_names", "prefectures", separator=SEPARATOR, suppressOutput=True),
        _column(
            "council_ja",
            "council (ja)",
            lang="ja",
            aboutUrl="{+council}",
            propertyUrl=RDFS + "label",
        ),
        _column(
            "council", "council IRI", propertyUrl=RG + "council", valueUrl="{+council}", **link
        ),
        _column(
            "organization_ja",
            "coordinating organization (ja)",
            lang="ja",
            aboutUrl="{+organization}",
            propertyUrl=RDFS + "label",
        ),
        _column(
            "organization",
            "coordinating organization IRI",
            propertyUrl=RG + "coordinatingOrganization",
            valueUrl="{+organization}",
            **link,
        ),
        _column("legal_form_ja", "legal form (ja)", suppressOutput=True),
        _column(
            "legal_form",
            "legal form IRI",
            aboutUrl="{+organization}",
            propertyUrl=RG + "legalForm",
            valueUrl="{+legal_form}",
            **link,
        ),
        _column(
            "corporate_number",
            "corporate number",
            datatype="string",
            aboutUrl="{+organization}",
            propertyUrl=RG + "corporateNumber",
        ),
        _column("fields", "fields", separator=SEPARATOR, suppressOutput=True),
    ]


def link_columns(base: str, kind: str, predicate: str) -> list[dict[str, Any]]:
    """A links table: one row per region and prefecture (or field), in CSVW's long form.

    A multi-valued cell cannot carry links: CSVW expands a ``valueUrl`` once per cell, a list
    joined by commas. So the main table keeps the codes and slugs for people (``separator``,
    ``suppressOutput``) and these tables state the links, one per row.
    """
    return [
        _column("region", "region IRI", datatype="anyURI", suppressOutput=True),
        _column(kind, kind, propertyUrl=predicate, valueUrl=base + f"{kind}/{{{kind}}}"),
    ]


def export_csv(project: Project, out: Path | None = None, excel: bool = False) -> ExportResult:
    """Write the regions table and its CSVW metadata (default: ``dist/regions.csv``)."""
    graph = read_site_graph(project.dist)
    table = out if out is not None else project.dist.directory / "regions.csv"
    described = columns(graph.base)
    names = [c["name"] for c in described]
    rows = [_row(graph, iri) for iri in graph.resources() if RG + "Region" in graph.types(iri)]
    rows.sort(key=lambda r: (r["fiscal_year"], r["category"], int(r["number"] or 0)))
    header = [c["titles"] for c in described]
    data = _csv([header, *([row.get(name, "") for name in names] for row in rows)], excel)
    metadata = table.with_name(table.name + "-metadata.json")
    dialect = {"encoding": "utf-8", "header": True, "lineTerminators": ["\r\n"]}
    tables = [
        {
            "url": table.name,
            "dc:title": "Regions of regiongraph, one per row",
            "tableSchema": {"aboutUrl": "{+region}", "columns": described, "primaryKey": "region"},
        }
    ]
    written = {table: data}
    for kind, predicate, column in (
        ("prefecture", RG + "prefecture", "prefecture_codes"),
        ("field", RG + "field", "fields"),
    ):
        links = table.with_name(f"{table.stem}-{kind}s{table.suffix}")
        pairs = [[row["region"], value] for row in rows for value in row[column].split() if value]
        written[links] = _csv([["region IRI", kind], *pairs], excel)
        tables.append(
            {
                "url": links.name,
                "dc:title": f"The {kind}s of each region, one per row",
                "tableSchema": {
                    "aboutUrl": "{+region}",
                    "columns": link_columns(graph.base, kind, predicate),
                    "foreignKeys": [
                        {
                            "columnReference": "region",
                            "reference": {"resource": table.name, "columnReference": "region"},
                        }
                    ],
                },
            }
        )
    description = {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:source": graph.base + "dataset",
        "dialect": dialect,
        "tables": tables,
    }
    text = json.dumps(description, ensure_ascii=False, indent=2) + "\n"
    for path, content in written.items():
        write_atomic(path, content)
    write_atomic(metadata, text.encode("utf-8"))
    return ExportResult(table, metadata, len(rows), list(written)[1:])


def _csv(rows: list[list[str]], excel: bool) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if excel else "utf-8")


def _one(graph: SiteGraph, iri: str, predicate: str) -> str:
    values = graph.objects(iri, predicate)
    return str(values[0].value) if values else ""


def _row(graph: SiteGraph, region: str) -> dict[str, str]:
    call = _one(graph, region, RG + "call")
    category = _one(graph, region, RG + "selectionCategory")
    council = _one(graph, region, RG + "council")
    organization = _one(graph, region, RG + "coordinatingOrganization")
    legal_form = _one(graph, organization, RG + "legalForm") if organization else ""
    prefectures = sorted(
        o.value for o in graph.objects(region, RG + "prefecture") if isinstance(o, ox.NamedNode)
    )
    fields = sorted(
        o.value for o in graph.objects(region, RG + "field") if isinstance(o, ox.NamedNode)
    )
    labels = graph.labels.get(region, {})
    return {
        "region": region,
        "fiscal_year": _one(graph, call, RG + "fiscalYear"),
        "call": call,
        "category_ja": graph.label(category, "ja") if category else "",
        "category": category,
        "number": _one(graph, region, RG + "numberInCategory"),
        "name_ja": labels.get("ja", ""),
        "name_en": labels.get("en", ""),
        "prefecture_codes": SEPARATOR.join(p.rsplit("/", 1)[1] for p in prefectures),
        "prefecture_names": SEPARATOR.join(graph.label(p, "ja") for p in prefectures),
        "council_ja": graph.labels.get(council, {}).get("ja", ""),
        "council": council,
        "organization_ja": graph.labels.get(organization, {}).get("ja", ""),
        "organization": organization,
        "legal_form_ja": graph.label(legal_form, "ja") if legal_form else "",
        "legal_form": legal_form,
        "corporate_number": _one(graph, organization, RG + "corporateNumber")
        if organization
        else "",
        "fields": SEPARATOR.join(f.rsplit("/", 1)[1] for f in fields),
    }
