"""Deterministic writers: Turtle (through Oxigraph) and N-Triples (JSON-LD: :mod:`.jsonld`).

Each writer streams a graph given as *groups*, one per subject (its statements contiguous, in
output order), into a binary file, so that no copy of a large graph is held in memory. The
``to_*`` functions are the same writers for small lists of triples, returning bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import IO, Any, Protocol, TypeAlias

import pyoxigraph as ox

from regiongraph.files import write_pieces
from regiongraph.rdf.text_terms import RDF_TYPE

Subject: TypeAlias = ox.NamedNode | ox.BlankNode
Object: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
Group: TypeAlias = tuple[Subject, Sequence[tuple[ox.NamedNode, Object]]]
#: A group whose terms are N-Triples text (:mod:`regiongraph.rdf.text_terms`).
TextGroup: TypeAlias = tuple[str, list[tuple[str, str]]]

_CHUNK = 1 << 16  # lines per write

#: Where a line is copied only with some objects: those, or None for all.
_Only: TypeAlias = "Collection[str] | None"
#: Where a line is copied only about subjects of some classes: each such copy, with them.
_Restricted: TypeAlias = "tuple[tuple[Callable[[bytes], None], Collection[str]], ...]"


def group_triples(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[Group]:
    """Triples as groups: one per run of triples with the same subject."""
    for subject, run in groupby(triples, key=lambda t: t.subject):
        yield subject, [(t.predicate, t.object) for t in run]  # type: ignore[misc]


def read_ntriples(source: Path | IO[bytes]) -> Iterator[ox.Quad]:
    """The triples of an N-Triples file written here (a path, or the file being read),
    streamed (for the writers above).

    Read leniently (IRIs and language tags not checked again: 2.4x faster), as the file was
    written from terms already checked; never for a file from elsewhere.
    """
    if isinstance(source, Path):
        return ox.parse(path=source, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return ox.parse(source, format=ox.RdfFormat.N_TRIPLES, lenient=True)


def prefix_header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode()


class _WithoutPrefixLines(io.RawIOBase):
    """A writer that drops the ``@prefix`` lines Oxigraph writes first (in an order of its own)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.head: bytes | None = b""  # None once past the prefix lines

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        data = bytes(data)
        if self.head is None:
            self.out.write(data)
            return len(data)
        self.head += data
        while self.head is not None:
            line, newline, rest = self.head.partition(b"\n")
            if not newline and b"@prefix ".startswith(line[:8]) and len(line) < 8:
                break  # too short yet to tell
            if not line.startswith(b"@prefix "):
                self.out.write(self.head)
                self.head = None
            elif newline:
                self.head = rest
            else:
                break  # a prefix line still being written
        return len(data)


def write_turtle(
    triples: Iterable[ox.Triple] | Iterable[ox.Quad], prefixes: dict[str, str], out: IO[bytes]
) -> None:
    """Turtle of sorted triples, with the prefix lines in the given order."""
    out.write(prefix_header(prefixes) + b"\n")
    body: Any = _WithoutPrefixLines(out)
    ox.serialize(triples, body, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def write_ntriples(groups: Iterable[Group], out: IO[bytes]) -> None:
    """Canonical N-Triples, one line per triple, in the groups' order."""
    names: dict[ox.NamedNode, str] = {}
    lines: list[str] = []
    for subject, statements in groups:
        s = str(subject)
        for p, o in statements:
            name = names.get(p)
            if name is None:
                name = names[p] = str(p)
            lines.append(f"{s} {name} {o} .\n")
        if len(lines) >= _CHUNK:
            out.write("".join(lines).encode())
            lines.clear()
    out.write("".join(lines).encode())


class Watch(Protocol):
    """Told of each written subject by the kinds of its statements (see write_text_ntriples)."""

    def kind(self, predicate: str) -> Callable[[str], Hashable | None] | None:
        """What a statement of ``predicate`` tells, as a function of its object (as text,
        ``None`` if nothing); ``None`` if no statement of ``predicate`` tells anything."""

    def __call__(self, subject: str, kinds: tuple[Any, ...]) -> None:
        """``subject``, with the kinds of its statements that have one, in order."""


def write_text_ntriples(
    groups: Iterable[TextGroup],
    out: IO[bytes],
    copies: Sequence[tuple[Collection[str], IO[bytes]]] = (),
    objects: Mapping[str, Collection[str]] | None = None,
    watch: Watch | None = None,
    subjects: Sequence[Mapping[str, Collection[str]]] = (),
    types: Mapping[str, Collection[str]] | None = None,
    check: Callable[[str, list[tuple[str, str]]], None] | None = None,
) -> None:
    """N-Triples of groups whose terms are already N-Triples text, in the groups' order.

    Each group is encoded on its own, in small pieces joined as bytes: joining the lines as
    text first widens every line to the widest character in the chunk (1.7x slower).
    ``copies``: further files, each given the lines whose predicate (as N-Triples text) is in
    its set, in the same order; a predicate in ``objects`` is copied only with those objects,
    and one in the copy's ``subjects`` mapping (one per copy, if given) only about subjects
    with one of its classes among their ``rdf:type`` (their statements', and any ``types``
    stated elsewhere of them).
    ``watch`` is told of each subject with a statement of a kind it reads (:meth:`Watch.kind`),
    and ``check`` of each subject with all its statements.
    """
    if copies or watch is not None or check is not None:
        copied = objects or {}
        _write_with_copies(groups, out, copies, copied, watch, subjects, types or {}, check)
        return
    chunk: list[bytes] = []
    for subject, statements in groups:
        start = subject.encode() + b" "
        body = (b" .\n" + start).join([f"{p} {o}".encode() for p, o in statements])
        chunk.append(start + body + b" .\n")
        if len(chunk) >= _CHUNK // 8:  # about 64,000 lines
            write_pieces(out, chunk)
            chunk.clear()
    write_pieces(out, chunk)


def _write_with_copies(
    groups: Iterable[TextGroup],
    out: IO[bytes],
    copies: Sequence[tuple[Collection[str], IO[bytes]]],
    objects: Mapping[str, Collection[str]],
    watch: Watch | None,
    subjects: Sequence[Mapping[str, Collection[str]]],
    elsewhere: Mapping[str, Collection[str]],
    check: Callable[[str, list[tuple[str, str]]], None] | None = None,
) -> None:
    """:func:`write_text_ntriples` with ``copies``, ``watch`` or ``check``: a line at a time,
    each routed once made."""
    pieces: list[bytes] = []  # a subject's lines joined
    count = 0
    router = LineRouter(copies, subjects)
    kind_of = watch.kind if watch is not None else _no_kind
    tell = watch if watch is not None else _ignore
    # predicate → its copies, the objects it is copied with (None: all), what its statements
    # tell the watch (None: nothing), and its copies for subjects of some classes alone
    routes: dict[str, tuple[tuple[Callable[[bytes], None], ...], _Only, Any, _Restricted]] = {}
    for subject, statements in groups:
        start = subject.encode() + b" "
        kinds: list[Hashable] | None = None
        types: set[str] | None = None
        lines = []
        for p, o in statements:
            line = start + f"{p} {o} .\n".encode()
            lines.append(line)
            route = routes.get(p)
            if route is None:
                free, restricted = router.route(p)
                route = routes[p] = free, objects.get(p), kind_of(p), restricted
            adders, values, kind, restricted = route
            if kind is not None and (told := kind(o)) is not None:
                if kinds is None:
                    kinds = []
                kinds.append(told)
            if values is not None and o not in values:
                continue
            for add in adders:
                add(line)
            for add, classes in restricted:
                if types is None:
                    types = {obj for predicate, obj in statements if predicate == RDF_TYPE}
                    types.update(elsewhere.get(subject, ()))
                if not types.isdisjoint(classes):
                    add(line)
        if kinds is not None:
            tell(subject, tuple(kinds))
        if check is not None:
            check(subject, statements)
        pieces.append(b"".join(lines))
        count += len(lines)
        if count >= _CHUNK:
            write_pieces(out, pieces)
            pieces.clear()
            count = 0
            router.flush()
    write_pieces(out, pieces)
    router.flush()


def _no_kind(predicate: str) -> None:
    return None


def _ignore(subject: str, kinds: tuple[Any, ...]) -> None:
    pass


class LineRouter:
    """N-Triples lines copied by predicate: each copy's file takes, in order, the lines whose
    predicate (as N-Triples text) is in its set (for a predicate in the copy's ``subjects``
    mapping, if given, only about subjects of its classes); held in chunks until
    :meth:`flush`."""

    def __init__(
        self,
        copies: Sequence[tuple[Collection[str], IO[bytes]]],
        subjects: Sequence[Mapping[str, Collection[str]]] = (),
    ) -> None:
        self.copies = copies
        self.subjects = [*subjects, *([{}] * (len(copies) - len(subjects)))]
        self.chunks: list[list[bytes]] = [[] for _ in copies]

    def route(self, predicate: str) -> tuple[tuple[Callable[[bytes], None], ...], _Restricted]:
        """Where a line of ``predicate`` goes (worked out once per predicate by the caller): to
        each copy, and to each copy only about subjects of some classes, with those classes."""
        free, restricted = [], []
        copies = zip(self.chunks, self.copies, self.subjects, strict=True)
        for chunk, (wanted, _), classes in copies:
            if predicate in wanted:
                if predicate in classes:
                    restricted.append((chunk.append, classes[predicate]))
                else:
                    free.append(chunk.append)
        return tuple(free), tuple(restricted)

    def flush(self) -> None:
        for chunk, (_, copy) in zip(self.chunks, self.copies, strict=True):
            write_pieces(copy, chunk)
            chunk.clear()


def text_ntriples(groups: Iterable[TextGroup]) -> bytes:
    """:func:`write_text_ntriples` into bytes."""
    return _to_bytes(write_text_ntriples, groups)


def _to_bytes(write: Any, *args: Any) -> bytes:
    buffer = io.BytesIO()
    write(*args, buffer)
    return buffer.getvalue()


def to_turtle(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """Turtle of already-sorted triples, with the prefix lines in the given order."""
    return _to_bytes(write_turtle, triples, prefixes)


def to_ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """Canonical N-Triples, one line per triple, in the given order."""
    return _to_bytes(write_ntriples, group_triples(triples))
