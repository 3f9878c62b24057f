"""Answering SPARQL: Oxigraph (the default) and rdflib's own engine (for comparison).

Parameters are bound by the engine (substitution or initial bindings), never pasted into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from regiongraph.errors import QueryError
from regiongraph.rdf.formats import by_name
from regiongraph.rdf.namespaces import XSD

if TYPE_CHECKING:
    import rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_ERROR_AT = re.compile(r"error at (\d+):(\d+)")


@dataclass
class QueryResult:
    """A result of any query form, with terms as pyoxigraph terms."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    serialized: bytes | None = None  # SELECT results already written by the engine
    streamed: bool = False  # SELECT results written by the engine straight to the output


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


def check_query(text: str, prefixes: dict[str, str], allow_service: bool = False) -> None:
    """Refuse, before any engine sees it, a query that is empty, an update, or federated.

    Nothing here runs the text: parsing an update as a check would run it (``LOAD`` fetches).
    """
    from regiongraph.rdf.sparql_lexer import looks_like_update, service_positions

    if not text.strip():
        raise QueryError("empty query: give a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    if looks_like_update(text):
        raise QueryError("update queries (INSERT, DELETE, LOAD, ...) are refused: query only reads")
    where = service_positions(text) if not allow_service else []
    if where:
        line, column = where[0]
        at = f" at line {line}, column {column}" if line else " (written with \\u escapes)"
        raise QueryError(
            f"SERVICE (a federated query, which reaches the network) is refused{at}; "
            "pass --allow-service to let queries call other endpoints"
        )


def _syntax_error(text: str, message: str, prefixes: dict[str, str]) -> QueryError:
    from regiongraph.rdf.sparql_lexer import tokens, unknown_prefix_message

    if not any(kind != "punct" or value.strip() for kind, value, _ in tokens(text)):
        return QueryError("empty query: only comments; give a SPARQL query")
    unknown = unknown_prefix_message(text, prefixes)
    if unknown:
        return QueryError(f"SPARQL syntax error: {unknown}")
    return _error_with_context(text, message)


def run_oxigraph(
    store: ox.Store,
    text: str,
    prefixes: dict[str, str],
    params: dict[str, Term],
    results_format: str | None = None,
    out: IO[bytes] | None = None,
    limit_rows: int | None = None,
) -> QueryResult:
    """Run ``text`` on Oxigraph, parameters substituted (never pasted into the text).

    With ``results_format`` (csv, tsv, json or xml), SELECT results are written by Oxigraph
    itself: into ``out`` as they are produced (streamed, in bounded memory) if given, else into
    ``QueryResult.serialized``. Every format ends with a newline. ``limit_rows``: keep the
    first rows (or triples) only; the engine stops there (rows are then written by our writers).
    """
    substitutions: dict[ox.Variable, Term | ox.Triple] = {
        ox.Variable(name): value for name, value in params.items()
    }
    try:
        result = store.query(text, prefixes=prefixes, substitutions=substitutions or None)
    except SyntaxError as error:
        raise _syntax_error(text, str(error), prefixes) from None
    except (RuntimeError, OSError, ValueError) as error:
        hint = ""
        if "projection" in str(error):
            hint = " (a parameter must be projected by the query, or put in scope with VALUES)"
        raise QueryError(f"SPARQL error: {error}{hint}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        native = by_name(results_format).oxigraph if results_format else None
        if limit_rows is not None:
            rows = [[s[v] for v in variables] for s in islice(result, limit_rows)]
            return QueryResult("select", variables=variables, rows=rows)  # type: ignore[arg-type]
        if native is not None:
            fmt = getattr(ox.QueryResultsFormat, native)
            if out is not None:
                result.serialize(output=out, format=fmt)
                if results_format in ("json", "xml"):
                    out.write(b"\n")
                out.flush()
                return QueryResult("select", variables=variables, streamed=True)
            serialized = result.serialize(format=fmt) or b""
            if not serialized.endswith(b"\n"):
                serialized += b"\n"
            return QueryResult("select", variables=variables, serialized=serialized)
        rows = [[solution[v] for v in variables] for solution in result]
        return QueryResult("select", variables=variables, rows=rows)  # type: ignore[arg-type]
    return QueryResult("graph", triples=list(islice(result, limit_rows)))


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
    graph: rdflib.Graph, text: str, prefixes: dict[str, str], params: dict[str, Term]
) -> QueryResult:
    """Run ``text`` on rdflib's own SPARQL engine (slow; for comparison)."""
    from rdflib import Literal, URIRef

    bindings = {
        name: URIRef(v.value) if isinstance(v, ox.NamedNode) else Literal(v.value)
        for name, v in params.items()
    }
    try:
        result: Any = graph.query(text, initNs=prefixes, initBindings=bindings)
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
