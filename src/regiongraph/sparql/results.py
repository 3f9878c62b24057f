"""Query results written out: tables, CSV, TSV, SPARQL JSON and XML, RDF for graph results."""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_left
from collections.abc import Sequence
from html import escape as _html_escape
from json.encoder import encode_basestring as _json_string  # type: ignore[attr-defined]
from typing import Any

import pyoxigraph as ox

from regiongraph.errors import QueryError
from regiongraph.rdf.namespaces import XSD, compact
from regiongraph.sparql.engines import QueryResult, Term

_XSD_STRING = XSD + "string"


def escape(text: str) -> str:
    """``text`` escaped for XML character data (``xml.sax.saxutils`` costs 40 ms to import)."""
    return _html_escape(text, quote=False)


def quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value."""
    return f'"{_html_escape(text, quote=True)}"'


def _compact(term: Term | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _json_value(term: Term) -> str:
    """A term as a SPARQL JSON value, written as ``json.dumps`` would (its C string encoder)."""
    if isinstance(term, ox.NamedNode):
        return '{"type": "uri", "value": ' + _json_string(term.value) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type": "bnode", "value": ' + _json_string(term.value) + "}"
    value = '{"type": "literal", "value": ' + _json_string(term.value)
    if term.language:
        return value + ', "xml:lang": ' + _json_string(term.language) + "}"
    datatype = term.datatype.value
    if datatype != _XSD_STRING:
        return value + ', "datatype": ' + _json_string(datatype) + "}"
    return value + "}"


def _xml_value(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def render_select(result: QueryResult, fmt: str, prefixes: dict[str, str], width: int = 60) -> str:
    """SELECT results as table, csv, tsv, json (SPARQL 1.1 JSON) or xml (SPARQL XML).

    ``width``: the widest table cell, in display columns (0: whole cells).
    """
    if result.serialized is not None:
        return result.serialized.decode("utf-8")
    if fmt == "table":
        from regiongraph.tables import format_table

        rows = [[_compact(t, prefixes) for t in row] for row in result.rows]
        return format_table(result.variables, rows, max_width=width or 1 << 30)
    if fmt in ("csv", "tsv"):
        if fmt == "tsv":
            header = "\t".join(f"?{v}" for v in result.variables)
            lines = ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
            return "\n".join([header, *lines]) + "\n"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([_csv_value(t) for t in row] for row in result.rows)
        return buffer.getvalue()
    if fmt == "json":
        # One binding per line: as readable as an indented document, and each value written by
        # json's C string encoder (``indent`` would use its Python encoder, 4x slower).
        names = [_json_string(v) + ": " for v in result.variables]
        bindings = ",\n".join(
            "{"
            + ", ".join(
                name + _json_value(term)
                for name, term in zip(names, row, strict=True)
                if term is not None
            )
            + "}"
            for row in result.rows
        )
        head = json.dumps({"vars": result.variables}, ensure_ascii=False)
        return f'{{"head": {head}, "results": {{"bindings": [\n{bindings}\n]}}}}\n'

    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        out.append(
            "  <head>" + "".join(f'<variable name="{v}"/>' for v in result.variables) + "</head>"
        )
        out.append("  <results>")
        for row in result.rows:
            cells = "".join(
                f'<binding name="{v}">{_xml_value(t)}</binding>'
                for v, t in zip(result.variables, row, strict=True)
                if t is not None
            )
            out.append(f"    <result>{cells}</result>")
        out += ["  </results>", "</sparql>"]
        return "\n".join(out) + "\n"
    raise QueryError(f"format {fmt!r} is not for SELECT results; use table, csv, tsv, json or xml")


def render_ask(result: QueryResult, fmt: str) -> str:
    value = bool(result.boolean)
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        )
    return f"{str(value).lower()}\n"


def render_graph(
    triples: Sequence[ox.Triple], fmt: str, prefixes: dict[str, str], context: dict[str, Any]
) -> str:
    """CONSTRUCT/DESCRIBE results as turtle, json-ld or n-triples (sorted, deterministic)."""
    from regiongraph.rdf.jsonld import to_jsonld
    from regiongraph.rdf.terms import triple_order
    from regiongraph.rdf.write import to_ntriples, to_turtle

    ordered = sorted(set(triples), key=triple_order)
    found = {t.value for triple in ordered for t in triple if isinstance(t, ox.NamedNode)}
    found |= {t.object.datatype.value for t in ordered if isinstance(t.object, ox.Literal)}
    terms = sorted(found)  # the terms in a namespace follow it at once, in sorted order
    prefixes = {
        p: ns
        for p, ns in prefixes.items()
        if (i := bisect_left(terms, ns)) < len(terms) and terms[i].startswith(ns)
    }
    if fmt == "turtle":
        return to_turtle(ordered, prefixes).decode("utf-8")
    if fmt == "json-ld":
        return to_jsonld(ordered, context).decode("utf-8")
    if fmt == "n-triples":
        return to_ntriples(ordered).decode("utf-8")
    raise QueryError(
        f"format {fmt!r} is not for CONSTRUCT/DESCRIBE results; use turtle, json-ld or n-triples"
    )
