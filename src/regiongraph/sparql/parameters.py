"""Named-query parameters resolved to the one resource a person means, or a clear error.

A parameter of kind ``prefecture``, ``field`` or ``region`` is looked up among the forms the
graph gives (``queries/parameters/<kind>.rq``: labels, kana, codes) plus each resource's IRI, its
prefixed name (``pref:16``) and its key (``16``, ``life-science``). Matching ignores width, case
and spacing (NFKC, casefold); a prefecture is found with or without 都/府/県 (富山, とやま).
A value that matches nothing, or several resources, raises :class:`QueryError` naming the nearest
forms: never an empty answer in silence.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from regiongraph.errors import QueryError
from regiongraph.sparql.engines import Term

KINDS = ("prefecture", "field", "region", "text")
_PREFECTURE_SUFFIX = re.compile("(?<=.)(?:都|府|県|けん|ふ|と)$")


def normalize(text: str) -> str:
    """The form values are compared in: NFKC, casefolded, without spaces.

    >>> normalize(" ＴＯＹＡＭＡ ")
    'toyama'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _variants(kind: str, form: str) -> Iterator[str]:
    yield normalize(form)
    if kind == "prefecture":
        short = _PREFECTURE_SUFFIX.sub("", form)
        if short != form and not form.endswith("道"):  # 北海道 is not 北海
            yield normalize(short)


def _forms(
    kind: str, store: ox.Store, queries: Path, prefixes: dict[str, str]
) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Every normalized form of the resources of ``kind``, with the resources it names; and
    each normalized form's text as the graph writes it (for messages)."""
    path = queries / "parameters" / f"{kind}.rq"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"{path}: cannot read the {kind} parameter query: {error}") from None
    found: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    solutions = store.query(text, prefixes=prefixes)
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        resource, form = solution["resource"], solution["form"]
        if not isinstance(resource, ox.NamedNode) or form is None:
            continue
        names = [str(form.value)]
        iri = resource.value
        names += [iri, f"<{iri}>", iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]]
        names += [f"{p}:{iri[len(ns) :]}" for p, ns in prefixes.items() if iri.startswith(ns)]
        for name in names:
            for variant in _variants(kind, name):
                found.setdefault(variant, set()).add(iri)
                display.setdefault(variant, name)
    if kind == "prefecture":  # JIS codes written without their leading zero: 1 for 01
        for key in [k for k in found if re.fullmatch(r"0[1-9]", k)]:
            found.setdefault(key[1:], set()).update(found[key])
    return found, display


def resolve(
    kind: str, name: str, value: str, store: ox.Store, queries: Path, prefixes: dict[str, str]
) -> Term:
    """The term parameter ``name`` of ``kind`` stands for, given as ``value``."""
    if kind == "text":
        return ox.Literal(value)
    forms, display = _forms(kind, store, queries, prefixes)
    matches = forms.get(normalize(value), set())
    if len(matches) == 1:
        return ox.NamedNode(next(iter(matches)))
    if matches:
        listed = ", ".join(sorted(matches))
        raise QueryError(
            f"parameter {name}={value!r} names several {kind}s: {listed}; give one IRI"
        )
    nearest = difflib.get_close_matches(normalize(value), list(forms), n=5, cutoff=0.4)
    names = list(dict.fromkeys(display.get(n, n) for n in nearest))
    hint = f"; nearest: {', '.join(names)}" if names else ""
    raise QueryError(f"parameter {name}={value!r} matches no {kind}{hint}")
