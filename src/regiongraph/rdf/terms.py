"""RDF terms as the graph makes them: IRIs (cached), language-tagged and typed literals, order.

>>> ja("富山県")
<Literal value=富山県 language=ja>
"""

from __future__ import annotations

from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Triple

from regiongraph.rdf.namespaces import RDF, XSD

TYPE = RDF + "type"


@lru_cache(maxsize=4096)
def iri(value: str) -> NamedNode:
    return NamedNode(value)


def ja(text: str) -> Literal:
    return Literal(text, language="ja")


def ja_or_romaji(text: str) -> Literal:
    """Japanese text tagged ``ja``; Japanese written in Latin letters (romaji) ``ja-Latn``.

    >>> ja_or_romaji("NIIGATA").language, ja_or_romaji("新潟").language
    ('ja-latn', 'ja')
    """
    return Literal(text, language="ja-Latn" if text.isascii() else "ja")


def en(text: str) -> Literal:
    return Literal(text, language="en")


def typed(value: str | int | bool, datatype: str) -> Literal:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return Literal(text, datatype=iri(XSD + datatype))


def triple_order(t: Triple) -> tuple[str, bool, str, str]:
    """Sort key of the output: subject, rdf:type first, predicate, object."""
    subject: str = t.subject.value  # type: ignore[union-attr]  # subjects are IRIs here
    return (subject, t.predicate.value != TYPE, t.predicate.value, str(t.object))
