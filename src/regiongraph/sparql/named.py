"""Named queries (``queries/*.rq``): the question each answers and its parameters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from regiongraph.errors import QueryError
from regiongraph.sparql.engines import Term

_PARAM = re.compile(
    r"^#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[a-z]+)\))?\s*:\s*(?P<doc>.*)$"
)


@dataclass(frozen=True)
class NamedQuery:
    """A query file of ``queries/``: its name, the question it answers, its parameters.

    A parameter is declared in the header as ``# param NAME (KIND): what it is``, KIND being
    ``prefecture``, ``field``, ``region`` (resolved to the resource: see :mod:`parameters`) or
    ``text``; the query puts it in scope with ``VALUES ?NAME { UNDEF }``, where the engine binds
    it, or :meth:`portable` writes the value.
    """

    name: str
    path: Path
    question: str
    params: dict[str, str]
    kinds: dict[str, str]

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def portable(self, bound: dict[str, Term], prefixes: dict[str, str]) -> str:
        """The query for any SPARQL 1.1 endpoint: prefixes declared, each value in its VALUES.

        IRIs and typed or language-tagged literals only: some stores (Virtuoso) garble plain
        non-ASCII literals written in a query's text.
        """
        text = self.text
        for name, term in bound.items():
            placeholder = re.search(rf"VALUES\s+\?{name}\s*\{{\s*UNDEF\s*\}}", text)
            if placeholder is None:
                raise QueryError(f"{self.path}: no 'VALUES ?{name} {{ UNDEF }}' to bind {name} in")
            values = f"VALUES ?{name} {{ {_written(term)} }}"
            text = text[: placeholder.start()] + values + text[placeholder.end() :]
        header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
        return header + text

    def check_params(self, given: Iterable[str]) -> None:
        """Raise :class:`QueryError` unless ``given`` are exactly this query's parameters."""
        given = set(given)
        missing = sorted(set(self.params) - given)
        unknown = sorted(given - set(self.params))
        if missing or unknown:
            wanted = "; ".join(f"{p}: {doc}" for p, doc in self.params.items()) or "none"
            problem = (
                f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"
            )
            raise QueryError(f"query {self.name!r}: {problem} parameter; it takes: {wanted}")


def named_queries(directory: Path) -> dict[str, NamedQuery]:
    """The named queries in ``directory``, by name (the file stem)."""
    found = {}
    for path in sorted(directory.glob("*.rq")):
        question, params, kinds = "", {}, {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            match = _PARAM.match(line)
            if match:
                params[match["name"]] = match["doc"].strip()
                kinds[match["name"]] = match["kind"] or "text"
            elif not question:
                question = line.lstrip("# ").strip()
        found[path.stem] = NamedQuery(path.stem, path, question, params, kinds)
    return found


def find_named_query(directory: Path, name: str) -> NamedQuery:
    queries = named_queries(directory)
    if name not in queries:
        known = ", ".join(queries) or "none"
        raise QueryError(f"unknown query name {name!r}; known queries: {known}")
    return queries[name]


def parse_param(text: str) -> tuple[str, str]:
    """``name=value`` as its two parts."""
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"parameter {text!r} must look like name=value")
    return name, value


def param_term(name: str, value: str) -> Term:
    """A parameter's value as a term: ``<iri>`` gives an IRI, anything else a plain literal.

    >>> param_term("pref", "富山県")
    <Literal value=富山県 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as error:
            raise QueryError(f"parameter {name}: {error}") from None
    return ox.Literal(value)


def _written(term: Term) -> str:
    """A term as SPARQL text: an IRI, or a literal with its language tag or datatype."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        escaped = (
            term.value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if term.language:
            return f'"{escaped}"@{term.language}'
        return f'"{escaped}"^^<{term.datatype.value}>'
    raise QueryError(f"a blank node cannot be a parameter: {term}")
