"""The server's query-string reader against Starlette's (urllib's parse_qsl)."""

from __future__ import annotations

import urllib.parse

from hypothesis import given, settings
from hypothesis import strategies as st

from regiongraph.serve.query_string import pairs, query_params, unquote

QUERY = 'SELECT ?region WHERE { ?region rg:prefecture ?p . ?p rdfs:label "富山県"@ja }'
# Characters that matter to the decoder: escapes (valid, short, not hex), separators, '+', '='.
PIECES = st.sampled_from(
    [
        "%",
        "%2",
        "%zz",
        "%41",
        "%e5%af%8c",
        "%E5%AF",
        "%3D",
        "%26",
        "+",
        "=",
        "&",
        "a",
        " ",
        "\n",
        "\r",
        "富",
        "%0A",
        "%C3",
        "%ff",
        "%2B",
    ]
)


def _starlette(raw: bytes) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


def test_a_query_sent_by_get_is_read_as_starlette_reads_it() -> None:
    raw = urllib.parse.urlencode({"query": QUERY, "format": "json", "empty": ""}).encode()
    assert pairs(raw.decode()) == _starlette(raw)
    assert list(query_params(raw).multi_items()) == [
        ("query", QUERY),
        ("format", "json"),
        ("empty", ""),
    ]
    assert unquote("%E5%AF%8C%E5%B1%B1%E7%9C%8C+x%3Dy") == "富山県 x=y"


@settings(max_examples=500)
@given(st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=30))
def test_any_query_string_is_read_as_starlette_reads_it(pieces) -> None:
    text = "".join(pieces)
    assert pairs(text) == urllib.parse.parse_qsl(text, keep_blank_values=True)
    raw = text.encode("utf-8")
    assert list(query_params(raw).multi_items()) == _starlette(raw)


@settings(max_examples=300)
@given(st.binary(max_size=40))
def test_any_bytes_percent_encoded_decode_as_urllib_decodes_them(data) -> None:
    text = urllib.parse.quote_plus(data)
    assert unquote(text) == urllib.parse.unquote_plus(text)
    assert unquote(text.lower()) == urllib.parse.unquote_plus(text.lower())
