"""A small SPARQL lexer: what must be known of a query before an engine runs it.

Engines give no way to refuse federation (Oxigraph sends a ``SERVICE`` request as it meets
it), and parsing a text as an update, as a check, *runs* it (``LOAD <http://...>`` fetches the
URL). So the text is read here, token by token, skipping what cannot hold a keyword: string
literals (short and long, with escapes), IRIs, comments, prefixed names (``schema:Service``),
variables (``?service``) and language tags.

SPARQL's one lexical ambiguity is ``<``: an IRI (``<http://x>``) or the less-than operator
(``?a<?b``). Read wrongly as an IRI, ``FILTER(?a<'x>y')`` swallows a quote and real code would
pass for a string. The operator is only possible inside parentheses after an operand; there
both readings are followed, and a keyword found in either counts. ``\\uXXXX`` escapes, which
SPARQL 1.1 decodes before parsing (rdflib does; Oxigraph 0.5 does not), are checked decoded too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_NAMECH = r"(?:[\w\-\u00B7\u0300-\u036F\u203F-\u2040.]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"


class _Patterns:
    """The lexer's regular expressions, compiled on first use (~3 ms; most queries never
    mention "service", and the fast path skips the lexer)."""

    def __init__(self) -> None:
        self.IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
        self.STRINGS = (  # long forms first
            re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''", re.S),
            re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', re.S),
            re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
            re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
        )
        self.COMMENT = re.compile(r"#[^\n\r]*")
        self.SPACE = re.compile(r"\s+")
        # a prefixed name or blank node label; PN_LOCAL escapes (``\\'`` ``\\#`` ...) and %hh
        # included, so ``ex:it\\'s`` is one token
        self.PNAME = re.compile(rf"(?:[^\W\d]{_NAMECH}*)?:(?:{_NAMECH}|:)*")
        self.VAR = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*")
        self.LANG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")
        self.WORD = re.compile(r"[^\W\d]\w*")
        self.NUMBER = re.compile(
            r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"
        )
        # What looks_like_update skips, in one match: the tokens of a prologue as tokens()
        # reads them (spaces, comments, PREFIX and BASE, prefixed names that start with an
        # ASCII letter or a colon, without trailing dots, and IRIs); it stops before anything
        # else, where tokens() goes on.
        self.PROLOGUE = re.compile(
            rf"(?:\s+|#[^\n\r]*|(?:[A-Za-z]{_NAMECH}*)?:(?:{_NAMECH}|:)*(?<!\.)"
            rf"|(?i:PREFIX|BASE)(?!\w)|{self.IRI.pattern})*"
        )


_compiled: _Patterns | None = None


def patterns() -> _Patterns:
    global _compiled
    if _compiled is None:
        _compiled = _Patterns()
    return _compiled


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_OPERAND_END = {"var", "iri", "string", "number", "pname", "lang", "word", ")", "]"}


def _scan(text: str) -> list[int]:
    """Offsets of SERVICE keywords in ``text``, following both readings of ambiguous ``<``."""
    P = patterns()  # noqa: N806
    _SPACE, _COMMENT, _STRINGS, _IRI = P.SPACE, P.COMMENT, P.STRINGS, P.IRI
    _LANG, _VAR, _PNAME, _WORD, _NUMBER = P.LANG, P.VAR, P.PNAME, P.WORD, P.NUMBER
    found: set[int] = set()
    # a state: (offset, kind of the previous token, stack of open brackets as a string)
    todo = [(0, "", "")]
    seen: set[tuple[int, str, str]] = set()
    while todo:
        state = todo.pop()
        if state in seen:
            continue
        seen.add(state)
        pos, prev, stack = state
        n = len(text)
        while pos < n:
            ch = text[pos]
            m = _SPACE.match(text, pos)
            if m:
                pos = m.end()
                continue
            if ch == "#":
                pos = _COMMENT.match(text, pos).end()  # type: ignore[union-attr]
                continue
            if ch in "'\"":
                for pattern in _STRINGS:
                    m = pattern.match(text, pos)
                    if m:
                        break
                if m:
                    pos, prev = m.end(), "string"
                else:  # unterminated: the engine fails to parse; read on as code
                    pos, prev = pos + 1, "punct"
                continue
            if ch == "<":
                m = _IRI.match(text, pos)
                if m and stack.endswith("(") and prev in _OPERAND_END:
                    todo.append((pos + 1, "punct", stack))  # the operator reading, for later
                if m:
                    pos, prev = m.end(), "iri"
                else:
                    pos, prev = pos + 1, "punct"
                continue
            if ch == "@" and prev == "string":
                m = _LANG.match(text, pos)
                if m:
                    pos, prev = m.end(), "lang"
                    continue
            if ch in "?$":
                m = _VAR.match(text, pos)
                pos, prev = m.end(), "var"  # type: ignore[union-attr]
                continue
            if ch == "_" and text.startswith("_:", pos) or ch == ":" or ch.isalpha():
                m = _PNAME.match(text, pos)
                if m:
                    end = m.end()
                    while text[end - 1] == ".":  # a prefixed name does not end with "."
                        end -= 1
                    pos, prev = end, "pname"
                    continue
                m = _WORD.match(text, pos)
                if m:
                    if m.group().lower() == "service":
                        found.add(pos)
                    pos, prev = m.end(), "word"
                    continue
            if ch.isdigit() or ch == "." and text[pos + 1 : pos + 2].isdigit():
                pos, prev = _NUMBER.match(text, pos).end(), "number"  # type: ignore[union-attr]
                continue
            if ch in "({[":
                stack += ch
            elif ch in ")}]":
                stack = stack[:-1]
            pos, prev = pos + 1, ch if ch in ")]" else "punct"
    return sorted(found)


def service_positions(text: str) -> list[tuple[int, int]]:
    """(line, column) of each SERVICE keyword of ``text`` (1-based); empty if none."""
    offsets = set(_scan(text)) if "service" in text.lower() else set()  # the usual fast path
    if "\\u" in text or "\\U" in text:
        decoded = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), text)
        if "service" in decoded.lower() and _scan(decoded):
            offsets.add(-1)
    result = []
    for offset in sorted(offsets):
        if offset < 0:
            result.append((0, 0))  # found only once \\u escapes are decoded
            continue
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        result.append((line, column))
    return result


def tokens(text: str, start: int = 0) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each token from ``start`` (a token's start, not after a string
    literal); ``<`` read as an IRI whenever it can be one."""
    P = patterns()  # noqa: N806
    _SPACE, _COMMENT, _STRINGS, _IRI = P.SPACE, P.COMMENT, P.STRINGS, P.IRI
    _LANG, _VAR, _PNAME, _WORD, _NUMBER = P.LANG, P.VAR, P.PNAME, P.WORD, P.NUMBER
    pos, n, prev = start, len(text), ""
    while pos < n:
        ch = text[pos]
        m = _SPACE.match(text, pos)
        if m:
            pos = m.end()
            continue
        if ch == "#":
            comment = _COMMENT.match(text, pos)
            pos = comment.end() if comment else pos + 1
            continue
        kind, m = "punct", None
        if ch in "'\"":
            m = next((p.match(text, pos) for p in _STRINGS if p.match(text, pos)), None)
            kind = "string"
        elif ch == "<":
            m = _IRI.match(text, pos)
            kind = "iri"
        elif ch == "@" and prev == "string":
            m = _LANG.match(text, pos)
            kind = "lang"
        elif ch in "?$":
            m = _VAR.match(text, pos)
            kind = "var"
        elif ch == ":" or ch.isalpha() or text.startswith("_:", pos):
            m = _PNAME.match(text, pos)
            kind = "pname"
            if not m:
                m = _WORD.match(text, pos)
                kind = "word"
        elif ch.isdigit():
            m = _NUMBER.match(text, pos)
            kind = "number"
        if m:
            value = m.group().rstrip(".") if kind == "pname" else m.group()
        else:
            kind, value = "punct", ch
        yield kind, value, pos
        pos += len(value)
        prev = kind


def unknown_prefixes(text: str, known: dict[str, str]) -> list[tuple[str, int, int]]:
    """(prefix, line, column) of each use of a prefix neither in ``known`` nor declared."""
    declared = set(known)
    found = []
    previous = None
    for kind, value, offset in tokens(text):
        if kind == "pname" and not value.startswith("_:"):
            prefix = value.split(":", 1)[0]
            if previous is not None and previous[1].upper() == "PREFIX":
                declared.add(prefix)
            elif prefix not in declared:
                line = text.count("\n", 0, offset) + 1
                column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                found.append((prefix, line, column))
        previous = (kind, value)
    return found


def unknown_prefix_message(text: str, known: dict[str, str]) -> str | None:
    found = unknown_prefixes(text, known)
    if not found:
        return None
    prefix, line, column = found[0]
    return (
        f"unknown prefix '{prefix}:' at line {line}, column {column}: declare it with PREFIX "
        "('regiongraph query --prefixes' lists the predeclared ones)"
    )


_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}


def looks_like_update(text: str) -> bool:
    """Whether ``text`` starts (after BASE/PREFIX declarations) with an update operation.

    Replaces parsing the text with ``Store().update()``, which *runs* it: on an empty store,
    ``LOAD <http://...>`` fetches the URL and an update's ``SERVICE`` calls the endpoint.
    """
    start = patterns().PROLOGUE.match(text).end()  # type: ignore[union-attr]  # may be empty
    for kind, value, _ in tokens(text, start):
        if kind == "word" and value.upper() in ("PREFIX", "BASE"):
            continue
        if kind in ("pname", "iri"):  # the name and IRI of a declaration
            continue
        return kind == "word" and value.upper() in _UPDATE_WORDS
    return False
