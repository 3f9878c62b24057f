"""Deterministic writers: Turtle (through Oxigraph), N-Triples and compact JSON-LD.

Each writer streams a graph given as *groups*, one per subject (its statements contiguous, in
output order), into a binary file, so that no copy of a large graph is held in memory. The
``to_*`` functions are the same writers for small lists of triples, returning bytes.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import IO, Any, TypeAlias

import pyoxigraph as ox

from regiongraph.rdf.namespaces import RDF, XSD

Subject: TypeAlias = ox.NamedNode | ox.BlankNode
Object: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
Group: TypeAlias = tuple[Subject, Sequence[tuple[ox.NamedNode, Object]]]

_CHUNK = 1 << 16  # lines per write


def group_triples(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[Group]:
    """Triples as groups: one per run of triples with the same subject."""
    for subject, run in groupby(triples, key=lambda t: t.subject):
        yield subject, [(t.predicate, t.object) for t in run]  # type: ignore[misc]


def read_ntriples(path: Path) -> Iterator[ox.Quad]:
    """The triples of an N-Triples file written here, streamed (for the writers above)."""
    return ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)


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


class JsonLdCompactor:
    """Compacts triples into JSON-LD with the project's context: readable keys, language maps.

    Terms with ``@container: @set`` are always arrays; ``domains`` (property IRI to the classes
    of its ``rdfs:domain``) makes such a term present, as ``[]``, on every node of those classes
    that has no value for it, so that JSON users can loop over it without a key check.
    """

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
            self.terms[expanded] = (key, definition)
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

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        if prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, value: str) -> str:
        """A CURIE, or a reference relative to ``@base``: whichever namespace is longest."""
        for prefix, namespace in self._namespaces:
            if value.startswith(namespace) and len(value) > len(namespace):
                local = value[len(namespace) :]
                if prefix is None:
                    return local
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return value

    def _expanded_value(self, obj: ox.NamedNode | ox.Literal) -> dict[str, Any]:
        if isinstance(obj, ox.NamedNode):
            return {"@id": self.compact_iri(obj.value)}
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == XSD + "string":
            return {"@value": obj.value}
        return {"@value": obj.value, "@type": self.compact_iri(obj.datatype.value)}

    def _property(self, predicate: str, objects: list[Any]) -> tuple[str, Any]:
        term = self.terms.get(predicate)
        if term is not None:
            key, definition = term
            value = self._coerced(definition, objects)
            if value is not None:
                return key, value
        values = [self._expanded_value(o) for o in objects]
        return self.compact_iri(predicate), values[0] if len(values) == 1 else values

    def _coerced(self, definition: dict[str, Any], objects: list[Any]) -> Any:
        single = len(objects) == 1
        if definition.get("@container") == "@language":
            if not all(isinstance(o, ox.Literal) and o.language for o in objects):
                return None
            by_language: dict[str, list[str]] = defaultdict(list)
            for o in objects:
                by_language[o.language].append(o.value)
            arrays = self.terms[self.expand(definition["@id"])][0] in ARRAY_LANGUAGE_MAPS
            return {
                lang: v if arrays or len(v) > 1 else v[0] for lang, v in sorted(by_language.items())
            }
        kind = definition.get("@type")
        if kind == "@id":
            if not all(isinstance(o, ox.NamedNode) for o in objects):
                return None
            values: list[Any] = [self.compact_iri(o.value) for o in objects]
            values.sort()
        elif kind is not None:
            if not all(isinstance(o, ox.Literal) and o.datatype.value == kind for o in objects):
                return None
            values = [o.value for o in objects]
        else:
            values = []
            for o in objects:
                if not isinstance(o, ox.Literal) or o.language:
                    return None
                datatype = o.datatype.value
                if datatype == XSD + "string":
                    values.append(o.value)
                elif datatype == XSD + "integer" and str(int(o.value)) == o.value:
                    values.append(int(o.value))
                elif datatype == XSD + "boolean" and o.value in ("true", "false"):
                    values.append(o.value == "true")
                else:
                    return None
        if definition.get("@container") == "@set":
            return values
        return values[0] if single else values

    def nodes(self, groups: Iterable[Group]) -> Iterator[dict[str, Any]]:
        """One node object per group."""
        for subject, statements in groups:
            properties: dict[str, list[Any]] = {}
            for predicate, obj in statements:
                properties.setdefault(predicate.value, []).append(obj)
            node: dict[str, Any] = {"id": self.compact_iri(subject.value)}
            type_iris = [o.value for o in properties.pop(RDF + "type", [])]
            types = [self.compact_iri(value) for value in type_iris]
            if types:
                node["type"] = types[0] if len(types) == 1 else types
            entries = [self._property(p, objects) for p, objects in properties.items()]
            present = {key for key, _ in entries}
            for cls in type_iris:
                missing = [key for key in self._empty_sets.get(cls, ()) if key not in present]
                entries += [(key, []) for key in missing]
            entries.sort(key=lambda item: item[0])
            node.update(entries)
            yield node


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
    JsonLdWriter(context, domains).write(groups, out)


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

    def write(self, groups: Iterable[Group], out: IO[bytes]) -> None:
        out.write(self.head)
        lines: list[str] = []
        separator = ""
        for node in self.compactor.nodes(groups):
            lines.append(separator + self.dumps(node))
            separator = ",\n"
            if len(lines) >= _CHUNK:
                out.write("".join(lines).encode())
                lines.clear()
        lines.append("\n ]\n}\n")
        out.write("".join(lines).encode())

    def to_bytes(self, triples: Iterable[ox.Triple]) -> bytes:
        buffer = io.BytesIO()
        self.write(group_triples(triples), buffer)
        return buffer.getvalue()
