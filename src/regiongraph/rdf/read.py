"""Read RDF files and move triples between pyoxigraph and rdflib."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from regiongraph.errors import DataError
from regiongraph.rdf.formats import graph_format_for_path

if TYPE_CHECKING:
    import rdflib


def oxigraph_format(path: str | Path) -> ox.RdfFormat:
    """Oxigraph's name for the RDF format of ``path`` (from the formats table)."""
    return getattr(ox.RdfFormat, graph_format_for_path(str(path)).oxigraph or "")


def read_triples(path: str | Path) -> list[ox.Triple]:
    """Parse an RDF file (format from its extension); errors name the file, line and column."""
    path = Path(path)
    with _reading(path), path.open("rb") as handle:
        return [q.triple for q in ox.parse(handle, format=oxigraph_format(path))]


def write_as_ntriples(path: str | Path, out: IO[bytes]) -> int:
    """Stream an RDF file into ``out`` as N-Triples, one triple per line; return their number.

    Errors are those of :func:`read_triples`; the triples are never all in memory.
    """
    path = Path(path)
    count = 0

    def triples() -> Iterator[ox.Triple]:
        nonlocal count
        for quad in ox.parse(handle, format=oxigraph_format(path)):
            count += 1
            yield quad.triple

    with _reading(path), path.open("rb") as handle:
        ox.serialize(triples(), output=out, format=ox.RdfFormat.N_TRIPLES)
    return count


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Errors met reading ``path`` as a :class:`DataError` naming it (and the line, if syntax)."""
    try:
        yield
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except OSError as error:
        raise DataError(f"{path}: cannot read: {error.strerror}") from None
    except SyntaxError as error:
        fmt = graph_format_for_path(str(path))
        raise DataError(f"{path}: {fmt.name} syntax error: {error}") from None


def to_rdflib(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """Copy pyoxigraph triples into an rdflib graph (through N-Triples, the fastest path)."""
    import rdflib

    graph = rdflib.Graph()
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """A pyoxigraph term as the rdflib term of the same value."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def require_triples(path: str | Path, count: int) -> int:
    """``count``, unless it is zero: an empty or comment-only file is an input error."""
    if count == 0:
        raise DataError(f"{path}: no triples (an empty or comment-only file)")
    return count


def has_no_triples(path: str | Path) -> bool:
    """Whether ``path`` is empty or holds only comments (files under 64 KiB are parsed)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return False  # missing: the reader names it
    if size == 0:
        return True
    if size >= 1 << 16:
        return False
    with _reading(path), path.open("rb") as handle:
        return next(iter(ox.parse(handle, format=oxigraph_format(path))), None) is None
