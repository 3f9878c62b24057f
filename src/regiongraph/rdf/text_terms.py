"""RDF terms as canonical N-Triples text, as the graph builder makes them.

The builder states millions of terms, and each is written as N-Triples before anything else
reads it; made as text, a term needs no conversion when written. The text is exactly what
Oxigraph writes for the same term (``str()`` of its term): IRIs checked by its parser, language
tags lower-cased, the same escapes in literals. A test compares the two on every ASCII
character and on generated text.

>>> ja("富山県"), typed(3, "integer")
('"富山県"@ja', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyoxigraph import NamedNode

from regiongraph.errors import DataError
from regiongraph.rdf.namespaces import RDF, XSD

#: ``rdf:type`` as N-Triples text: how the writers tell a subject's types among its statements.
RDF_TYPE = f"<{RDF}type>"

#: What a literal's text must escape, as Oxigraph does: ``\\ \" \t \n \r \b \f`` by name, the
#: other control characters and DEL as ``\uXXXX``.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_ESCAPES = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F) if i not in (9, 10, 13)} | {
    0x08: "\\b",
    0x0C: "\\f",
}


@lru_cache(maxsize=4096)
def iri(value: str) -> str:
    """``<value>``; a value that is not an absolute IRI is a :class:`DataError`.

    Checked by Oxigraph's own IRI parser, which later reads the file: what passes here, it
    reads back.
    """
    try:
        NamedNode(value)
    except ValueError as error:
        raise DataError(f"not an absolute IRI: {value!r} ({error})") from None
    return f"<{value}>"


def quoted(text: str) -> str:
    """``text`` between double quotes, escaped."""
    if _NEEDS_ESCAPE.search(text) is not None:  # rare but for the raw lines, with their tabs
        text = (
            text.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if _OTHER_CONTROLS.search(text) is not None:
            text = text.translate(_CONTROL_ESCAPES)
    return f'"{text}"'


def literal(text: str, language: str | None = None) -> str:
    """A plain (``xsd:string``) literal, or a language-tagged one."""
    return quoted(text) + (f"@{language.lower()}" if language else "")


def ja(text: str) -> str:
    return quoted(text) + "@ja"


def en(text: str) -> str:
    return quoted(text) + "@en"


def ja_or_romaji(text: str) -> str:
    """Japanese text tagged ``ja``; Japanese written in Latin letters (romaji) ``ja-Latn``.

    >>> ja_or_romaji("NIIGATA"), ja_or_romaji("新潟")
    ('"NIIGATA"@ja-latn', '"新潟"@ja')
    """
    return quoted(text) + ("@ja-latn" if text.isascii() else "@ja")


def typed(value: str | int | bool, datatype: str) -> str:
    """A literal of the XSD ``datatype`` (``integer``, ``boolean``...)."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"{quoted(text)}^^<{XSD}{datatype}>"
