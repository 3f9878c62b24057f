"""The graph builder's terms are N-Triples text: exactly what Oxigraph writes for the same term."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiongraph.errors import DataError
from regiongraph.rdf import text_terms
from regiongraph.rdf.namespaces import XSD


@pytest.mark.parametrize("code", [*range(0x80), 0x85, 0xA0, 0x2028, 0x3000, 0xFEFF, 0x10FFFF])
def test_every_ascii_character_is_escaped_as_oxigraph_escapes_it(code) -> None:
    text = f"a{chr(code)}b"
    assert text_terms.literal(text) == str(ox.Literal(text))
    assert text_terms.ja(text) == str(ox.Literal(text, language="ja"))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_generated_text_is_written_as_oxigraph_writes_it(text) -> None:
    assert text_terms.literal(text) == str(ox.Literal(text))
    assert text_terms.en(text) == str(ox.Literal(text, language="en"))
    assert text_terms.ja_or_romaji(text) == str(
        ox.Literal(text, language="ja-Latn" if text.isascii() else "ja")
    )


def test_language_tags_datatypes_and_iris_as_oxigraph_writes_them() -> None:
    assert text_terms.literal("ふ", "ja-Hira") == str(ox.Literal("ふ", language="ja-Hira"))
    for value, datatype in ((3, "integer"), (True, "boolean"), (False, "boolean")):
        expected = str(value).lower() if isinstance(value, bool) else str(value)
        made = ox.Literal(expected, datatype=ox.NamedNode(XSD + datatype))
        assert text_terms.typed(value, datatype) == str(made)
    iri = "https://example.org/regiongraph/organization/o-0123456789ab#name"
    assert text_terms.iri(iri) == str(ox.NamedNode(iri))
    assert (
        text_terms.iri("http://ja.dbpedia.org/resource/富山県")
        == "<http://ja.dbpedia.org/resource/富山県>"
    )


@pytest.mark.parametrize(
    "value", ["no-scheme", "http://x/a b", "http://x/<y>", 'http://x/"', "http://x/\\", ""]
)
def test_what_is_not_an_iri_is_refused_by_name(value) -> None:
    with pytest.raises(DataError, match="not an absolute IRI"):
        text_terms.iri(value)
    with pytest.raises(ValueError):  # Oxigraph refuses them too
        ox.NamedNode(value)
