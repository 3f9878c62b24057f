"""Compact JSON-LD, written as text straight from N-Triples text.

A graph's groups (one per subject, see :mod:`regiongraph.rdf.write`) come with their terms as
canonical N-Triples text (:mod:`regiongraph.rdf.text_terms`, or ``str()`` of Oxigraph's terms).
A literal's lexical form there is escaped as JSON escapes a string (``\\\\ \\" \\t \\n \\r \\b
\\f``), so the quoted text is its JSON string as it stands; only a literal with another escape
(``\\uXXXX``, for a rare control character) is decoded and encoded again. Each term's key,
compact IRI and JSON text is made once and kept, not once per statement, and no Python object
is made for a node: its JSON text is joined from these pieces.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import IO, Any

import pyoxigraph as ox

from regiongraph.files import write_pieces
from regiongraph.rdf.namespaces import RDF, XSD
from regiongraph.rdf.text_terms import RDF_TYPE
from regiongraph.rdf.write import Group, TextGroup, group_triples

#: Language-map terms that may hold several values in one language: their values are always
#: arrays, so that a JSON user meets one shape (JSON-LD 1.0 cannot say ``@set`` on a language map).
ARRAY_LANGUAGE_MAPS = frozenset({"evidence", "evidenceCell", "signalTerm", "altLabel"})

_STRING_TAIL = ""  # the text after a plain (xsd:string) literal's closing quote
_INTEGER_TAIL, _BOOLEAN_TAIL = f"^^<{XSD}integer>", f"^^<{XSD}boolean>"
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"\'\\])')
#: Escapes of N-Triples that JSON writes otherwise, or not at all.
_NOT_JSON = re.compile(r"\\[uU']")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_CHUNK = 1 << 13  # nodes per write
#: A term's JSON text for its objects' text (``None``: the objects do not fit the term).
Render = Callable[[list[str]], "str | None"]
#: ... for one object.
RenderOne = Callable[[str], "str | None"]


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return _ECHAR[code] if len(code) == 1 else chr(int(code[1:], 16))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def split_literal(text: str) -> tuple[str, str]:
    """A literal's N-Triples text as its value's JSON string and what follows the closing quote
    (``""``, ``"@ja"`` or ``"^^<datatype>"``)."""
    end = text.rindex('"')
    quoted, tail = text[: end + 1], text[end + 1 :]
    if "\\" in quoted and _NOT_JSON.search(quoted) is not None:
        quoted = _dumps(_ESCAPE.sub(_unescape, text[1:end]))
    return quoted, tail


class JsonLdCompactor:
    """Compacts groups of N-Triples text into JSON-LD node text with the project's context:
    readable keys, language maps.

    Terms with ``@container: @set`` are always arrays; ``domains`` (property IRI to the classes
    of its ``rdfs:domain``) makes such a term present, as ``[]``, on every node of those classes
    that has no value for it, so that JSON users can loop over it without a key check.

    An IRI's JSON text is its compact form in quotes: an IRI holds no character that JSON
    escapes (RFC 3987), and canonical N-Triples writes none of its characters escaped.
    """

    #: At most this many objects' and directories' compact forms are kept (most recur).
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
        terms: dict[str, tuple[str, dict[str, Any]]] = {}
        for key, value in context.items():
            if key.startswith("@") or key in self.prefixes or key in ("id", "type"):
                continue
            definition = {"@id": value} if isinstance(value, str) else dict(value)
            expanded = self.expand(definition["@id"])
            if "@type" in definition and definition["@type"] != "@id":
                definition["@type"] = self.expand(definition["@type"])
            definition["arrays"] = key in ARRAY_LANGUAGE_MAPS
            terms[expanded] = (key, definition)
        # Longest namespace first, so that the most specific one wins; None stands for @base.
        namespaces: list[tuple[str | None, str]] = list(self.prefixes.items())
        if self.base:
            namespaces.append((None, self.base))
        self._namespaces = sorted(namespaces, key=lambda item: -len(item[1]))
        self._directories: dict[str, tuple[str, int] | None] = {}  # see compact_iri
        self._iris: dict[str, str] = {}  # an object's N-Triples text -> its JSON text
        # predicate as N-Triples text -> its key (as itself and as JSON), and how one object
        # and how several are written
        self._terms = {
            f"<{expanded}>": (key, _dumps(key), *self._renderers(definition))
            for expanded, (key, definition) in terms.items()
        }
        self._other: dict[str, tuple[str, str]] = {}  # other predicates' keys, idem
        self._layouts: dict[tuple[str, ...], _Layout | None] = {}  # see node
        self._empty_sets: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for expanded, (key, definition) in terms.items():
            if definition.get("@container") == "@set":
                for cls in (domains or {}).get(expanded, ()):
                    self._empty_sets[f"<{cls}>"].append((key, _dumps(key), "[]"))

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        if prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, value: str) -> str:
        """A CURIE, or a reference relative to ``@base``: whichever namespace is longest.

        A namespace ends with ``/`` or ``#``, so the one an IRI takes depends only on its
        "directory" (up to its last ``/`` or ``#``), and is looked up once per directory.
        """
        cut = max(value.rfind("/"), value.rfind("#")) + 1
        if cut == len(value):  # the IRI is a directory: no namespace may take all of it
            return self._compact(value)
        directory = value[:cut]
        found = self._directories.get(directory, _UNSEEN)
        if found is _UNSEEN:
            if len(self._directories) >= self.CACHE:
                self._directories.clear()
            found = self._directories[directory] = self._namespace(directory)
        if found is None:
            return value
        return found[0] + value[found[1] :]

    def _namespace(self, directory: str) -> tuple[str, int] | None:
        """What replaces the longest namespace that starts ``directory``, and its length."""
        for prefix, namespace in self._namespaces:
            if directory.startswith(namespace):
                if prefix is None:
                    return "", len(namespace)
                if not directory[len(namespace) :].startswith("//"):
                    return f"{prefix}:", len(namespace)
        return None

    def _compact(self, value: str, base: bool = True) -> str:
        for prefix, namespace in self._namespaces:
            if prefix is None and not base:
                continue
            if value.startswith(namespace) and len(value) > len(namespace):
                local = value[len(namespace) :]
                if prefix is None:
                    return local
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return value

    def _iri(self, text: str) -> str:
        """An IRI's or blank node's N-Triples text as the JSON text of its compact form."""
        found = self._iris.get(text)
        if found is None:
            found = '"' + (self.compact_iri(text[1:-1]) if text[0] == "<" else text) + '"'
            if len(self._iris) >= self.CACHE:
                self._iris.clear()
            self._iris[text] = found
        return found

    def _expanded(self, text: str) -> str:
        """An object as an expanded JSON-LD value object."""
        if text[0] != '"':
            return '{"@id":' + self._iri(text) + "}"
        value, tail = split_literal(text)
        if not tail:
            return '{"@value":' + value + "}"
        if tail[0] == "@":
            return '{"@value":' + value + ',"@language":"' + tail[1:] + '"}'
        return '{"@value":' + value + ',"@type":' + self._iri(tail[2:]) + "}"

    def _renderers(self, definition: dict[str, Any]) -> tuple[RenderOne, Render]:
        """How a term's objects are written, one and several (the branch chosen once per term):
        JSON text, or ``None`` if the objects do not fit the term."""
        as_set = definition.get("@container") == "@set"
        kind = definition.get("@type")

        def shaped(values: list[str]) -> str:
            return "[" + ",".join(values) + "]" if as_set or len(values) > 1 else values[0]

        if definition.get("@container") == "@language":
            arrays = definition["arrays"]

            def language_map(objects: list[str]) -> str | None:
                by_language: dict[str, list[str]] = {}
                for o in objects:
                    if o[0] != '"':
                        return None
                    value, tail = split_literal(o)
                    if tail[:1] != "@":
                        return None
                    by_language.setdefault(tail[1:], []).append(value)
                entries = [
                    f'"{language}":' + ("[" + ",".join(v) + "]" if arrays or len(v) > 1 else v[0])
                    for language, v in sorted(by_language.items())
                ]
                return "{" + ",".join(entries) + "}"

            def language_one(o: str) -> str | None:
                if arrays:
                    return language_map([o])
                end = o.rfind('"')
                if o[0] != '"' or o[end + 1 : end + 2] != "@":
                    return None
                value = o[: end + 1]
                if "\\" in value and _NOT_JSON.search(value) is not None:
                    value = split_literal(o)[0]
                return '{"' + o[end + 2 :] + '":' + value + "}"

            return language_one, language_map
        if kind == "@id":
            iri = self._iri

            def references(objects: list[str]) -> str | None:
                if any(o[0] == '"' for o in objects):
                    return None
                return "[" + ",".join(sorted([iri(o) for o in objects], key=_unquoted)) + "]"

            def reference(o: str) -> str | None:
                if o[0] == '"':
                    return None
                return "[" + iri(o) + "]" if as_set else iri(o)

            return reference, references
        if kind is not None:
            of_kind = _datatype_test(kind)

            def typed_values(objects: list[str]) -> str | None:
                values = []
                for o in objects:
                    if o[0] != '"':
                        return None
                    value, tail = split_literal(o)
                    if not of_kind(tail):
                        return None
                    values.append(value)
                return shaped(values)

            return lambda o: typed_values([o]), typed_values

        def native_values(objects: list[str]) -> str | None:
            values: list[str] = []
            for o in objects:
                if o[0] != '"':
                    return None
                value, tail = split_literal(o)
                if tail == _STRING_TAIL:
                    values.append(value)
                elif (tail == _INTEGER_TAIL and _is_canonical_integer(value[1:-1])) or (
                    tail == _BOOLEAN_TAIL and value in ('"true"', '"false"')
                ):
                    values.append(value[1:-1])
                else:
                    return None
            return shaped(values)

        def native_value(o: str) -> str | None:
            if o[0] == '"' and o[-1] == '"' and "\\" not in o:  # a plain string, as most are
                return "[" + o + "]" if as_set else o
            return native_values([o])

        return native_value, native_values

    def _other_entry(self, predicate: str, objects: list[str]) -> tuple[str, str, str]:
        """A property that no term of the context takes: its CURIE (or IRI: a key is not read
        against ``@base``), expanded values."""
        key = self._other.get(predicate)
        if key is None:
            compact = self._compact(predicate[1:-1], base=False)
            key = self._other[predicate] = compact, f'"{compact}"'
        values = [self._expanded(o) for o in objects]
        return *key, values[0] if len(values) == 1 else "[" + ",".join(values) + "]"

    def node(self, subject: str, statements: Sequence[tuple[str, str]]) -> str:
        """One node object's JSON text: ``id``, ``type``, then the other keys in order.

        Nodes of a kind state the same predicates in the same order, so how such a node is
        written (its keys in order, each key's renderer, the type and empty sets) is worked out
        once per *shape* (its predicates, and its classes) and kept (:class:`_Layout`).
        """
        shape = tuple([p if p != RDF_TYPE else RDF_TYPE + o for p, o in statements])
        layout = self._layouts.get(shape, _UNSEEN_LAYOUT)
        if layout is _UNSEEN_LAYOUT:
            if len(self._layouts) >= self.CACHE:
                self._layouts.clear()
            layout = self._layouts[shape] = self._layout(shape)
        if layout is not None:
            head = self._head(subject)
            text = layout.render(head, [o for _, o in statements])
            if text is not None:
                return text
        return self._node(subject, statements)

    def _head(self, subject: str) -> str:
        if subject[0] == "<":
            return '{"id":"' + self.compact_iri(subject[1:-1]) + '"'
        return '{"id":"' + subject + '"'

    def _layout(self, shape: tuple[str, ...]) -> _Layout | None:
        """How nodes of ``shape`` are written; ``None`` if a predicate is no term's (rare: such
        nodes take :meth:`_node`)."""
        types: list[str] = []
        positions: dict[str, list[int]] = {}
        for index, item in enumerate(shape):
            if item.startswith(RDF_TYPE):
                types.append(item[len(RDF_TYPE) :])
            else:
                positions.setdefault(item, []).append(index)
        entries: list[tuple[str, str, RenderOne | None, Render | None, list[int]]] = []
        for predicate, indices in positions.items():
            term = self._terms.get(predicate)
            if term is None:
                return None
            key, key_json, one, many = term
            if len(indices) == 1:
                entries.append((key, key_json + ":", one, None, indices))
            else:
                entries.append((key, key_json + ":", None, many, indices))
        for key, key_json in self._empty_sets_of(types, {entry[0] for entry in entries}):
            entries.append((key, key_json + ":[]", None, None, []))
        entries.sort(key=lambda entry: entry[0])
        return _Layout(self._type_text(types), [entry[1:] for entry in entries])

    def _type_text(self, types: list[str]) -> str:
        """The ``type`` entry of a node of these classes (none without)."""
        if not types:
            return ""
        texts = [self._iri(t) for t in types]
        return ',"type":' + (texts[0] if len(texts) == 1 else "[" + ",".join(texts) + "]")

    def _empty_sets_of(self, types: list[str], present: set[str]) -> list[tuple[str, str]]:
        """The keys (and their JSON) of the empty sets a node of these classes states, of
        those its entries do not state already (``present``)."""
        found: list[tuple[str, str]] = []
        for cls in types:
            for key, key_json, _ in self._empty_sets.get(cls, ()):
                if key not in present:
                    present.add(key)
                    found.append((key, key_json))
        return found

    def _node(self, subject: str, statements: Sequence[tuple[str, str]]) -> str:
        """:meth:`node`, worked out for this node alone: one with a property no term takes,
        or whose objects do not fit their term."""
        properties: dict[str, list[str]] = {}
        for predicate, obj in statements:
            properties.setdefault(predicate, []).append(obj)
        types = properties.pop(RDF_TYPE, [])
        entries: list[tuple[str, str, str]] = []
        other = False  # whether a property no term takes is among them
        for predicate, objects in properties.items():
            term = self._terms.get(predicate)
            if term is not None:
                value = term[2](objects[0]) if len(objects) == 1 else term[3](objects)
                if value is not None:
                    entries.append((term[0], term[1], value))
                    continue
            entries.append(self._other_entry(predicate, objects))
            other = True
        present = {entry[0] for entry in entries}
        entries += [(key, key_json, "[]") for key, key_json in self._empty_sets_of(types, present)]
        head = self._head(subject) + self._type_text(types)
        if not entries:
            return head + "}"
        if other and len({entry[0] for entry in entries}) < len(entries):  # a key made twice
            entries = _last_of_each(entries)
        else:  # the keys of terms differ: tuples sort by key
            entries.sort()
        return head + "," + ",".join([key + ":" + value for _, key, value in entries]) + "}"


_UNSEEN = ("", -1)


class _Layout:
    """How a node of one shape is written: its ``type`` text, and its entries in key order,
    each its key's text (with the value's colon) and how its value is rendered from the
    objects at its places (one renderer for one object, another for several, or none for an
    empty set, whose text is all in the key's)."""

    __slots__ = ("entries", "type_text")

    def __init__(
        self, type_text: str, entries: list[tuple[str, RenderOne | None, Render | None, list[int]]]
    ) -> None:
        self.type_text = type_text
        self.entries = entries

    def render(self, head: str, objects: list[str]) -> str | None:
        """The node's text (``None`` if an object does not fit its term)."""
        parts = [head + self.type_text]
        for key, one, many, places in self.entries:
            if one is not None:
                value = one(objects[places[0]])
            elif many is not None:
                value = many([objects[place] for place in places])
            else:
                parts.append(key)
                continue
            if value is None:
                return None
            parts.append(key + value)
        return ",".join(parts) + "}"


_UNSEEN_LAYOUT = _Layout("", [])


def _unquoted(text: str) -> str:
    return text[1:-1]


def _last_of_each(entries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Entries in key order, a key made twice in the place of its first and with its last
    value (as a dict updated in key order keeps it)."""
    kept: dict[str, tuple[str, str, str]] = {}
    for entry in sorted(entries, key=lambda entry: entry[0]):
        kept[entry[0]] = entry
    return list(kept.values())


def _datatype_test(datatype: str) -> Callable[[str], bool]:
    """Whether a literal's tail (see :func:`split_literal`) is of ``datatype``."""
    if datatype == XSD + "string":
        return lambda tail: not tail
    if datatype == RDF + "langString":
        return lambda tail: tail[:1] == "@"
    wanted = f"^^<{datatype}>"
    return lambda tail: tail == wanted


def _is_canonical_integer(lexical: str) -> bool:
    try:
        return str(int(lexical)) == lexical
    except ValueError:
        return False


def text_groups(groups: Iterable[Group]) -> Iterable[TextGroup]:
    """Groups of Oxigraph terms as groups of their N-Triples text."""
    for subject, statements in groups:
        yield str(subject), [(str(p), str(o)) for p, o in statements]


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
    JsonLdWriter(context, domains).write(text_groups(groups), out)


def to_jsonld(triples: Iterable[ox.Triple], context: dict[str, Any]) -> bytes:
    """Compact JSON-LD of triples whose subjects are contiguous (see :func:`write_jsonld`)."""
    buffer = io.BytesIO()
    write_jsonld(group_triples(triples), context, buffer)
    return buffer.getvalue()


class JsonLdWriter:
    """:func:`write_jsonld` made once for many documents: the compactor and the context's
    text are prepared once (a publisher writes one small document per resource)."""

    def __init__(
        self, context: dict[str, Any], domains: Mapping[str, Collection[str]] | None = None
    ) -> None:
        self.compactor = JsonLdCompactor(context, domains)
        head = json.dumps({"@context": context}, ensure_ascii=False, indent=1)[:-2]
        self.head = f'{head},\n "@graph": [\n'.encode()

    def write(
        self, groups: Iterable[TextGroup], out: IO[bytes], first: bool = True, last: bool = True
    ) -> None:
        """Write groups whose terms are N-Triples text (:func:`text_groups`, the graph's).

        A document may be written in parts, one after the other, each with at least one node:
        only the ``first`` has the head, and only the ``last`` the end.
        """
        if first:
            out.write(self.head)
        node = self.compactor.node
        nodes: list[bytes] = []  # each encoded, then written as they are (see write_pieces)
        separator = "" if first else ",\n"
        for subject, statements in groups:
            nodes.append((separator + node(subject, statements)).encode())
            separator = ",\n"
            if len(nodes) >= _CHUNK:
                write_pieces(out, nodes)
                nodes.clear()
        if last:
            nodes.append(b"\n ]\n}\n")
        write_pieces(out, nodes)

    def to_bytes(self, triples: Iterable[ox.Triple]) -> bytes:
        buffer = io.BytesIO()
        self.write(text_groups(group_triples(triples)), buffer)
        return buffer.getvalue()
