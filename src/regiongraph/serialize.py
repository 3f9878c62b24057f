"""Deterministic writers: Turtle and N-Triples (through Oxigraph) and compact JSON-LD."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

import pyoxigraph as ox

from regiongraph.namespaces import RDF, XSD


def prefix_header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode()


def to_turtle(triples: Sequence[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """Turtle of already-sorted triples, with the prefix lines in the given order."""
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    # Oxigraph writes the prefix lines first, in an order of its own: replace them with ours.
    lines = body.split(b"\n")
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix "):
        start += 1
    return prefix_header(prefixes) + b"\n" + b"\n".join(lines[start:])


def to_ntriples(triples: Sequence[ox.Triple]) -> bytes:
    """Canonical N-Triples, one line per triple, in the given order."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class JsonLdCompactor:
    """Compacts triples into JSON-LD with the project's context: readable keys, language maps."""

    def __init__(self, context: dict[str, Any]) -> None:
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
            return {lang: v[0] if len(v) == 1 else v for lang, v in sorted(by_language.items())}
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
        return values[0] if single else values

    def nodes(self, triples: Sequence[ox.Triple]) -> Iterator[dict[str, Any]]:
        """One node object per subject; a subject's triples must be contiguous."""
        for subject, group in groupby(triples, key=lambda t: t.subject.value):  # type: ignore[union-attr]
            properties: dict[str, list[Any]] = {}
            for t in group:
                properties.setdefault(t.predicate.value, []).append(t.object)
            node: dict[str, Any] = {"id": self.compact_iri(subject)}
            types = [self.compact_iri(o.value) for o in properties.pop(RDF + "type", [])]
            if types:
                node["type"] = types[0] if len(types) == 1 else types
            entries = [self._property(p, objects) for p, objects in properties.items()]
            entries.sort(key=lambda item: item[0])
            node.update(entries)
            yield node


def to_jsonld(triples: Sequence[ox.Triple], context: dict[str, Any]) -> bytes:
    """Compact JSON-LD with ``context`` embedded, so the file stands alone; one node per line.

    The project's own IRIs are written relative to the context's ``@base``. A subject's triples
    must be contiguous in ``triples`` (as the graph's output order makes them).
    """
    compactor = JsonLdCompactor(context)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = json.dumps({"@context": context}, ensure_ascii=False, indent=1)[:-2]
    lines = ",\n".join(dumps(node) for node in compactor.nodes(triples))
    return f'{head},\n "@graph": [\n{lines}\n ]\n}}\n'.encode()
