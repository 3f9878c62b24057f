"""SPARQL over the graph: named queries, parameters bound safely, two engines, result writers.

Oxigraph answers queries; rdflib's own engine is available for comparison (``engine="rdflib"``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from regiongraph.errors import QueryError
from regiongraph.rdf.namespaces import XSD, compact

_PARAM = re.compile(r"^#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<doc>.*)$")
_ERROR_AT = re.compile(r"error at (\d+):(\d+)")
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class NamedQuery:
    """A query file of ``queries/``: its name, the question it answers, its parameters."""

    name: str
    path: Path
    question: str
    params: dict[str, str]

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def named_queries(directory: Path) -> dict[str, NamedQuery]:
    """The named queries in ``directory``, by name (the file stem)."""
    found = {}
    for path in sorted(directory.glob("*.rq")):
        question, params = "", {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            match = _PARAM.match(line)
            if match:
                params[match["name"]] = match["doc"].strip()
            elif not question:
                question = line.lstrip("# ").strip()
        found[path.stem] = NamedQuery(path.stem, path, question, params)
    return found


def find_named_query(directory: Path, name: str) -> NamedQuery:
    queries = named_queries(directory)
    if name not in queries:
        known = ", ".join(queries) or "none"
        raise QueryError(f"unknown query name {name!r}; known queries: {known}")
    return queries[name]


def parse_param(text: str) -> tuple[str, Term]:
    """``name=value``: ``<iri>`` gives an IRI, anything else a plain string literal."""
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"parameter {text!r} must look like name=value")
    if value.startswith("<") and value.endswith(">"):
        try:
            return name, ox.NamedNode(value[1:-1])
        except ValueError as error:
            raise QueryError(f"parameter {name}: {error}") from None
    return name, ox.Literal(value)


@dataclass
class QueryResult:
    """A result of any query form, with terms as pyoxigraph terms."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    serialized: bytes | None = None  # SELECT results already written by the engine


def _error_with_context(text: str, message: str) -> QueryError:
    match = _ERROR_AT.search(message)
    if not match:
        return QueryError(f"SPARQL syntax error: {message}")
    line, column = int(match[1]), int(match[2])
    lines = text.splitlines()
    context = []
    for number in range(max(1, line - 2), min(len(lines), line + 1) + 1):
        context.append(f"  {number:>3} | {lines[number - 1]}")
        if number == line:
            context.append("      | " + " " * max(column - 1, 0) + "^")
    detail = message.split(": ", 1)[-1]
    return QueryError(
        f"SPARQL syntax error at line {line}, column {column}: {detail}\n" + "\n".join(context)
    )


def _refuse_updates(text: str, prefixes: dict[str, str]) -> None:
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    try:
        ox.Store().update(header + text)  # an empty throw-away store: parsing is all we want
    except (SyntaxError, OSError, ValueError):
        return
    raise QueryError("update queries (INSERT, DELETE, LOAD, ...) are refused: query only reads")


_NATIVE_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


def run_oxigraph(
    store: ox.Store,
    text: str,
    prefixes: dict[str, str],
    params: dict[str, Term],
    results_format: str | None = None,
) -> QueryResult:
    """Run ``text`` on Oxigraph, parameters substituted (never pasted into the text).

    With ``results_format`` (csv, tsv, json or xml), SELECT results are written by Oxigraph
    itself into ``QueryResult.serialized`` instead of being turned into Python rows.
    """
    substitutions: dict[ox.Variable, Term | ox.Triple] = {
        ox.Variable(name): value for name, value in params.items()
    }
    try:
        result = store.query(text, prefixes=prefixes, substitutions=substitutions or None)
    except SyntaxError as error:
        _refuse_updates(text, prefixes)
        raise _error_with_context(text, str(error)) from None
    except (RuntimeError, OSError, ValueError) as error:
        hint = ""
        if "projection" in str(error):
            hint = " (a parameter must be projected by the query, or put in scope with VALUES)"
        raise QueryError(f"SPARQL error: {error}{hint}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        if results_format in _NATIVE_FORMATS:
            serialized = result.serialize(format=_NATIVE_FORMATS[results_format]) or b""
            return QueryResult("select", variables=variables, serialized=serialized)
        rows = [[solution[v] for v in variables] for solution in result]
        return QueryResult("select", variables=variables, rows=rows)  # type: ignore[arg-type]
    return QueryResult("graph", triples=list(result))


def _from_rdflib(term: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = str(term.datatype) if term.datatype else XSD + "string"
        return ox.Literal(str(term), datatype=ox.NamedNode(datatype))
    raise QueryError(f"unexpected term {term!r}")


def run_rdflib(
    graph: Any, text: str, prefixes: dict[str, str], params: dict[str, Term]
) -> QueryResult:
    """Run ``text`` on rdflib's own SPARQL engine (slow; for comparison)."""
    from rdflib import Literal, URIRef

    bindings = {
        name: URIRef(v.value) if isinstance(v, ox.NamedNode) else Literal(v.value)
        for name, v in params.items()
    }
    try:
        result = graph.query(text, initNs=prefixes, initBindings=bindings)
    except Exception as error:  # rdflib raises pyparsing errors
        raise QueryError(f"SPARQL error: {error}") from None
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars]
        rows = [[_from_rdflib(row[v]) for v in variables] for row in result]
        return QueryResult("select", variables=variables, rows=rows)
    triples = [
        ox.Triple(_from_rdflib(s), _from_rdflib(p), _from_rdflib(o))  # type: ignore[arg-type]
        for s, p, o in result
    ]
    return QueryResult("graph", triples=triples)


# -- writers --------------------------------------------------------------------------------------


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


def _json_value(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        value["datatype"] = term.datatype.value
    return value


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


def render_select(result: QueryResult, fmt: str, prefixes: dict[str, str]) -> str:
    """SELECT results as table, csv, tsv, json (SPARQL 1.1 JSON) or xml (SPARQL XML)."""
    if result.serialized is not None:
        return result.serialized.decode("utf-8")
    if fmt == "table":
        from regiongraph.tables import format_table

        rows = [[_compact(t, prefixes) for t in row] for row in result.rows]
        return format_table(result.variables, rows, max_width=60)
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
        bindings = [
            {v: _json_value(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
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
    triples: Sequence[ox.Triple], fmt: str, prefixes: dict[str, str], context: Any
) -> str:
    """CONSTRUCT/DESCRIBE results as turtle, json-ld or n-triples (sorted, deterministic)."""
    from regiongraph.graph.builder import triple_order
    from regiongraph.rdf.write import to_jsonld, to_ntriples, to_turtle

    ordered = sorted(set(triples), key=triple_order)
    terms = {t.value for triple in ordered for t in triple if isinstance(t, ox.NamedNode)}
    terms |= {t.object.datatype.value for t in ordered if isinstance(t.object, ox.Literal)}
    prefixes = {p: ns for p, ns in prefixes.items() if any(term.startswith(ns) for term in terms)}
    if fmt == "turtle":
        return to_turtle(ordered, prefixes).decode("utf-8")
    if fmt == "json-ld":
        return to_jsonld(ordered, context).decode("utf-8")
    if fmt == "n-triples":
        return to_ntriples(ordered).decode("utf-8")
    raise QueryError(
        f"format {fmt!r} is not for CONSTRUCT/DESCRIBE results; use turtle, json-ld or n-triples"
    )


# -- data -----------------------------------------------------------------------------------------


def graph_files(project: Any, data: Sequence[Path]) -> list[Path]:
    """The files to query: ``data`` if given, else the project's built graph (built if missing)."""
    if data:
        return list(data)
    from regiongraph.pipeline import DATASET_FILE, GRAPH_FILES, ONTOLOGY_FILE, build

    out = project.default_out
    graph = out / GRAPH_FILES["n-triples"]
    if not graph.is_file():
        build(project)
    return [graph, out / DATASET_FILE, out / ONTOLOGY_FILE]


def load_store(paths: Sequence[Path]) -> ox.Store:
    """An in-memory Oxigraph store with the files' triples in its default graph."""
    store = ox.Store()
    for path in paths:
        _bulk_load(store, path)
    return store


def open_store(paths: Sequence[Path], cache: Path | None) -> ox.Store:
    """A store of ``paths``; with ``cache``, an on-disk Oxigraph store kept beside them.

    The cache is rebuilt when the files change (their names, sizes and modification times are
    its key), so repeated queries on a large graph skip parsing it. Without a usable cache
    directory the files are loaded into memory.
    """
    if cache is None:
        return load_store(paths)
    stats = [(p.name, p.stat()) for p in paths if p.exists()]
    key = json.dumps([[name, stat.st_size, stat.st_mtime_ns] for name, stat in stats])
    manifest = cache / "manifest.json"
    try:
        if manifest.is_file() and manifest.read_text(encoding="utf-8") == key:
            return ox.Store.read_only(str(cache / "db"))
        import shutil
        import tempfile

        cache.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".oxigraph-", dir=cache.parent))
        try:
            store = ox.Store(str(staging / "db"))
            for path in paths:
                _bulk_load(store, path)
            store.optimize()  # compacts the bulk-loaded files: joins read them 3x faster
            store.flush()
            del store
            (staging / "manifest.json").write_text(key, encoding="utf-8")
            shutil.rmtree(cache, ignore_errors=True)
            staging.rename(cache)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return ox.Store.read_only(str(cache / "db"))
    except OSError:
        return load_store(paths)


def _bulk_load(store: ox.Store, path: Path) -> None:
    from regiongraph.rdf.read import oxigraph_format

    try:
        store.bulk_load(path=str(path), format=oxigraph_format(path))
    except FileNotFoundError:
        raise QueryError(f"{path}: file not found") from None
    except SyntaxError as error:
        raise QueryError(f"{path}: syntax error: {error}") from None


def load_rdflib(paths: Sequence[Path]) -> Any:
    """The same files as an rdflib graph, for rdflib's engine."""
    import rdflib

    from regiongraph.rdf.formats import graph_format_for_path

    graph = rdflib.Graph()
    names = {"turtle": "turtle", "n-triples": "nt", "json-ld": "json-ld"}
    for path in paths:
        graph.parse(path, format=names[graph_format_for_path(str(path)).name])
    return graph
