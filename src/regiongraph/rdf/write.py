"""Deterministic writers: Turtle (through Oxigraph), N-Triples and compact JSON-LD.

Each writer streams a graph given as *groups*, one per subject (its statements contiguous, in
output order), into a binary file, so that no copy of a large graph is held in memory. The
``to_*`` functions are the same writers for small lists of triples, returning bytes.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeAlias

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDF, XSD

Subject: TypeAlias = ox.NamedNode | ox.BlankNode
Object: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
Group: TypeAlias = tuple[Subject, Sequence[tuple[ox.NamedNode, Object]]]
#: A group whose terms are N-Triples text (:mod:`regiongraph.rdf.text_terms`).
TextGroup: TypeAlias = tuple[str, list[tuple[str, str]]]

_CHUNK = 1 << 16  # lines per write


def group_triples(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[Group]:
    """Triples as groups: one per run of triples with the same subject."""
    for subject, run in groupby(triples, key=lambda t: t.subject):
        yield subject, [(t.predicate, t.object) for t in run]  # type: ignore[misc]


def read_ntriples(path: Path) -> Iterator[ox.Quad]:
    """The triples of an N-Triples file written here, streamed (for the writers above).

    Read leniently (IRIs and language tags not checked again: 2.4x faster), as the file was
    written from terms already checked; never for a file from elsewhere.
    """
    return ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES, lenient=True)


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


def write_text_ntriples(
    groups: Iterable[TextGroup],
    out: IO[bytes],
    copies: Sequence[tuple[Collection[str], IO[bytes]]] = (),
) -> None:
    """N-Triples of groups whose terms are already N-Triples text, in the groups' order.

    Each group is encoded on its own, in small pieces joined as bytes: joining the lines as
    text first widens every line to the widest character in the chunk (1.7x slower).
    ``copies``: further files, each given the lines whose predicate (as N-Triples text) is in
    its set, in the same order.
    """
    if copies:
        _write_with_copies(groups, out, copies)
        return
    chunk: list[bytes] = []
    for subject, statements in groups:
        start = subject.encode() + b" "
        body = (b" .\n" + start).join([f"{p} {o}".encode() for p, o in statements])
        chunk.append(start + body + b" .\n")
        if len(chunk) >= _CHUNK // 8:  # about 64,000 lines
            out.write(b"".join(chunk))
            chunk.clear()
    out.write(b"".join(chunk))


def _write_with_copies(
    groups: Iterable[TextGroup],
    out: IO[bytes],
    copies: Sequence[tuple[Collection[str], IO[bytes]]],
) -> None:
    """:func:`write_text_ntriples` with ``copies``: a line at a time, each routed once made."""
    lines: list[bytes] = []
    router = LineRouter(copies)
    routes: dict[str, tuple[Callable[[bytes], None], ...]] = {}  # predicate → its copies
    for subject, statements in groups:
        start = subject.encode() + b" "
        for p, o in statements:
            line = start + f"{p} {o} .\n".encode()
            lines.append(line)
            route = routes.get(p)
            if route is None:
                route = routes[p] = router.route(p)
            for add in route:
                add(line)
        if len(lines) >= _CHUNK:
            out.write(b"".join(lines))
            lines.clear()
            router.flush()
    out.write(b"".join(lines))
    router.flush()


class LineRouter:
    """N-Triples lines copied by predicate: each copy's file takes, in order, the lines whose
    predicate (as N-Triples text) is in its set; held in chunks until :meth:`flush`."""

    def __init__(self, copies: Sequence[tuple[Collection[str], IO[bytes]]]) -> None:
        self.copies = copies
        self.chunks: list[list[bytes]] = [[] for _ in copies]

    def route(self, predicate: str) -> tuple[Callable[[bytes], None], ...]:
        """Where a line of ``predicate`` goes (worked out once per predicate by the caller)."""
        return tuple(
            chunk.append
            for chunk, (wanted, _) in zip(self.chunks, self.copies, strict=True)
            if predicate in wanted
        )

    def flush(self) -> None:
        for chunk, (_, copy) in zip(self.chunks, self.copies, strict=True):
            copy.write(b"".join(chunk))
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


def to_jsonld(triples: Iterable[ox.Triple], context: dict[str, Any]) -> bytes:
    """Compact JSON-LD of triples whose subjects are contiguous (see :func:`write_jsonld`)."""
    return _to_bytes(write_jsonld, group_triples(triples), context)


#: Language-map terms that may hold several values in one language: their values are always
#: arrays, so that a JSON user meets one shape (JSON-LD 1.0 cannot say ``@set`` on a language map).
ARRAY_LANGUAGE_MAPS = frozenset({"evidence", "evidenceCell", "signalTerm", "altLabel"})


class Literal(NamedTuple):
    """A literal as plain strings (IRIs and blank nodes are plain ``str``: ``_:`` for blanks)."""

    value: str
    language: str
    datatype: str


PlainTerm: TypeAlias = str | Literal
PlainGroup: TypeAlias = tuple[str, Sequence[tuple[str, PlainTerm]]]
_XSD_STRING, _LANG_STRING = XSD + "string", RDF + "langString"
_XSD_INTEGER, _XSD_BOOLEAN = XSD + "integer", XSD + "boolean"
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"\'\\])')
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return _ECHAR[code] if len(code) == 1 else chr(int(code[1:], 16))


def plain_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> PlainTerm:
    if isinstance(term, ox.Literal):
        return Literal(term.value, term.language or "", term.datatype.value)
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def plain_groups(groups: Iterable[Group]) -> Iterator[PlainGroup]:
    """Groups of Oxigraph terms as groups of plain terms."""
    for subject, statements in groups:
        yield plain_term(subject), [(p.value, plain_term(o)) for p, o in statements]  # type: ignore[misc]


def text_plain_groups(groups: Iterable[TextGroup]) -> Iterator[PlainGroup]:
    """Groups whose terms are N-Triples text (the graph builder's) as groups of plain terms.

    The terms of canonical N-Triples are told apart by their first character, and only a
    literal with a backslash needs its escapes decoded. Plain strings rather than Oxigraph
    terms are most of what makes JSON-LD as cheap as Turtle.
    """
    names: dict[str, str] = {}  # the predicates, made once
    for subject, statements in groups:
        plain: list[tuple[str, PlainTerm]] = []
        for predicate, obj in statements:
            name = names.get(predicate)
            if name is None:
                name = names[predicate] = predicate[1:-1]
            first = obj[0]
            if first == "<":
                plain.append((name, obj[1:-1]))
            elif first == "_":
                plain.append((name, obj))
            else:
                end = obj.rindex('"')
                lexical = obj[1:end]
                if "\\" in lexical:
                    lexical = _ESCAPE.sub(_unescape, lexical)
                tail = obj[end + 1 :]
                if not tail:
                    plain.append((name, Literal(lexical, "", _XSD_STRING)))
                elif tail[0] == "@":
                    plain.append((name, Literal(lexical, tail[1:], _LANG_STRING)))
                else:
                    plain.append((name, Literal(lexical, "", tail[3:-1])))
        yield _node(subject), plain


def _node(text: str) -> str:
    return text[1:-1] if text[0] == "<" else text


class JsonLdCompactor:
    """Compacts triples into JSON-LD with the project's context: readable keys, language maps.

    Terms with ``@container: @set`` are always arrays; ``domains`` (property IRI to the classes
    of its ``rdfs:domain``) makes such a term present, as ``[]``, on every node of those classes
    that has no value for it, so that JSON users can loop over it without a key check. The work
    for a term (its key, its compact IRI) is done once and kept, not once per statement.
    """

    #: At most this many compact IRIs are kept (most are the few that recur).
    CACHE = 1 << 19

    def __init__(
        self, context: dict[str, Any], domains: Mapping[str, Collection[str]] | None = None
    ) -> None:
        self.context = context
        self.base: str | None = context.get("@base")
        self.prefixes = {
            key: value
            for key, value in context.items()
            if isinstance(value, str) and not key.startswith("@") and value[-1:] in "/#"
        }
        self.terms: dict[str, tuple[str, dict[str, Any]]] = {}
        for key, value in context.items():
            if key.startswith("@") or key in self.prefixes or key in ("id", "type"):
                continue
            definition = {"@id": value} if isinstance(value, str) else dict(value)
            expanded = self.expand(definition["@id"])
            if "@type" in definition and definition["@type"] != "@id":
                definition["@type"] = self.expand(definition["@type"])
            definition["arrays"] = key in ARRAY_LANGUAGE_MAPS
            self.terms[expanded] = (key, definition)
        self._converters = {
            expanded: (key, self._converter(definition))
            for expanded, (key, definition) in self.terms.items()
        }
        self._empty_sets: dict[str, list[str]] = defaultdict(list)  # class IRI -> term keys
        for expanded, (key, definition) in self.terms.items():
            if definition.get("@container") == "@set":
                for cls in (domains or {}).get(expanded, ()):
                    self._empty_sets[cls].append(key)
        # Longest namespace first, so that the most specific one wins; None stands for @base.
        namespaces: list[tuple[str | None, str]] = list(self.prefixes.items())
        if self.base:
            namespaces.append((None, self.base))
        self._namespaces = sorted(namespaces, key=lambda item: -len(item[1]))
        self._compacted: dict[str, str] = {}

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        if prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, value: str) -> str:
        """A CURIE, or a reference relative to ``@base``: whichever namespace is longest."""
        found = self._compacted.get(value)
        if found is not None:
            return found
        found = value
        for prefix, namespace in self._namespaces:
            if value.startswith(namespace) and len(value) > len(namespace):
                local = value[len(namespace) :]
                if prefix is None:
                    found = local
                    break
                if not local.startswith("//"):
                    found = f"{prefix}:{local}"
                    break
        if len(self._compacted) >= self.CACHE:
            self._compacted.clear()
        self._compacted[value] = found
        return found

    def _expanded_value(self, obj: PlainTerm) -> dict[str, Any]:
        if type(obj) is str:
            return {"@id": self.compact_iri(obj)}
        assert isinstance(obj, Literal)
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype == _XSD_STRING:
            return {"@value": obj.value}
        return {"@value": obj.value, "@type": self.compact_iri(obj.datatype)}

    def _property(self, predicate: str, objects: list[PlainTerm]) -> tuple[str, Any]:
        converter = self._converters.get(predicate)
        if converter is not None:
            key, convert = converter
            value = convert(objects)
            if value is not None:
                return key, value
        values = [self._expanded_value(o) for o in objects]
        return self.compact_iri(predicate), values[0] if len(values) == 1 else values

    def _converter(self, definition: dict[str, Any]) -> Callable[[list[Any]], Any]:
        """The function that gives a term's compact value for its objects (``None``: the
        objects do not fit the term's definition), its branch chosen once per term."""
        compact = self.compact_iri
        as_set = definition.get("@container") == "@set"
        kind = definition.get("@type")

        def shaped(values: list[Any]) -> Any:
            return values if as_set or len(values) > 1 else values[0]

        if definition.get("@container") == "@language":
            arrays = definition["arrays"]

            def language_map(objects: list[Any]) -> Any:
                for o in objects:
                    if type(o) is not Literal or not o.language:
                        return None
                if len(objects) == 1 and not arrays:
                    return {objects[0].language: objects[0].value}
                by_language: dict[str, list[str]] = defaultdict(list)
                for o in objects:
                    by_language[o.language].append(o.value)
                return {
                    lang: v if arrays or len(v) > 1 else v[0]
                    for lang, v in sorted(by_language.items())
                }

            return language_map
        if kind == "@id":

            def references(objects: list[Any]) -> Any:
                if len(objects) == 1:
                    only = objects[0]
                    if type(only) is not str:
                        return None
                    return [compact(only)] if as_set else compact(only)
                for o in objects:
                    if type(o) is not str:
                        return None
                return sorted([compact(o) for o in objects])

            return references
        if kind is not None:

            def typed_values(objects: list[Any]) -> Any:
                for o in objects:
                    if type(o) is not Literal or o.datatype != kind:
                        return None
                return shaped([o.value for o in objects])

            return typed_values

        def native_values(objects: list[Any]) -> Any:
            values: list[Any] = []
            for o in objects:
                if type(o) is not Literal or o.language:
                    return None
                datatype = o.datatype
                if datatype == _XSD_STRING:
                    values.append(o.value)
                elif datatype == _XSD_INTEGER and str(int(o.value)) == o.value:
                    values.append(int(o.value))
                elif datatype == _XSD_BOOLEAN and o.value in ("true", "false"):
                    values.append(o.value == "true")
                else:
                    return None
            return shaped(values)

        return native_values

    def nodes(self, groups: Iterable[PlainGroup]) -> Iterator[dict[str, Any]]:
        """One node object per group."""
        compact = self.compact_iri
        for subject, statements in groups:
            properties: dict[str, list[PlainTerm]] = {}
            for predicate, obj in statements:
                found = properties.get(predicate)
                if found is None:
                    properties[predicate] = [obj]
                else:
                    found.append(obj)
            node: dict[str, Any] = {"id": compact(subject)}
            type_iris: list[str] = properties.pop(RDF + "type", [])  # type: ignore[assignment]
            if type_iris:
                types = [compact(value) for value in type_iris]
                node["type"] = types[0] if len(types) == 1 else types
            entries = [self._property(p, objects) for p, objects in properties.items()]
            for cls in type_iris:
                wanted = self._empty_sets.get(cls)
                if wanted:
                    present = {key for key, _ in entries}
                    entries += [(key, []) for key in wanted if key not in present]
            entries.sort(key=_first)
            node.update(entries)
            yield node


def _first(item: tuple[str, Any]) -> str:
    return item[0]


def write_jsonld(
    groups: Iterable[Group],
    context: dict[str, Any],
    out: IO[bytes],
    domains: Mapping[str, Collection[str]] | None = None,
) -> None:
    """Compact JSON-LD with ``context`` embedded, so the file stands alone; one node per line.

    The project's own IRIs are written relative to the context's ``@base``; ``domains``: see
    :class:`JsonLdCompactor`.
    """
    JsonLdWriter(context, domains).write(plain_groups(groups), out)


class JsonLdWriter:
    """:func:`write_jsonld` made once for many documents: the compactor and the context's
    text are prepared once (a publisher writes one small document per resource)."""

    def __init__(
        self, context: dict[str, Any], domains: Mapping[str, Collection[str]] | None = None
    ) -> None:
        self.compactor = JsonLdCompactor(context, domains)
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        head = json.dumps({"@context": context}, ensure_ascii=False, indent=1)[:-2]
        self.head = f'{head},\n "@graph": [\n'.encode()

    def write(
        self, groups: Iterable[PlainGroup], out: IO[bytes], first: bool = True, last: bool = True
    ) -> None:
        """Write groups of plain terms (:func:`plain_groups`, :func:`text_plain_groups`).

        A document may be written in parts, one after the other, each with at least one node:
        only the ``first`` has the head, and only the ``last`` the end.
        """
        if first:
            out.write(self.head)
        lines: list[str] = []
        separator = "" if first else ",\n"
        for node in self.compactor.nodes(groups):
            lines.append(separator + self.dumps(node))
            separator = ",\n"
            if len(lines) >= _CHUNK:
                out.write("".join(lines).encode())
                lines.clear()
        if last:
            lines.append("\n ]\n}\n")
        out.write("".join(lines).encode())

    def to_bytes(self, triples: Iterable[ox.Triple]) -> bytes:
        buffer = io.BytesIO()
        self.write(plain_groups(group_triples(triples)), buffer)
        return buffer.getvalue()
