"""The validation report: results a person can act on, and its text, JSON and Turtle forms."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from regiongraph.rdf.namespaces import compact

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One result of the report, with IRIs kept whole."""

    focus: str
    label: str | None
    path: str | None
    value: str | None
    severity: str
    component: str
    shape: str
    constraint: str | None = None
    messages: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultGroup:
    """Results of one constraint counted, not listed: how many, and the first focus nodes."""

    severity: str
    path: str | None
    component: str
    shape: str
    messages: dict[str, str]
    count: int
    examples: tuple[str, ...]  # the first focus nodes, by IRI (at most :data:`EXAMPLES`)


#: The focus nodes a :class:`ResultGroup` keeps as examples.
EXAMPLES = 3


@dataclass
class ValidationReport:
    """The results of a validation: listed, and (where only a summary was asked for) counted
    in ``summarized``; the SHACL report (``turtle``) holds the listed ones."""

    conforms: bool
    results: list[ValidationResult]
    turtle: Callable[[], bytes] = lambda: b""  # noqa: E731  # made only when asked for
    summarized: list[ResultGroup] = field(default_factory=list)

    def count(self, severity: str) -> int:
        listed = sum(1 for r in self.results if r.severity == severity)
        return listed + sum(g.count for g in self.summarized if g.severity == severity)

    @property
    def total(self) -> int:
        """The number of results, listed or counted."""
        return len(self.results) + sum(g.count for g in self.summarized)


def result_order(r: ValidationResult) -> tuple[str, int, str, str, str]:
    return (r.focus, _SEVERITY_ORDER.get(r.severity, 9), r.path or "", r.value or "", r.component)


_JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def guess_language(message: str) -> str:
    # pyshacl and the fast engine drop the language tag of a message they fill in.
    return "ja" if _JAPANESE.search(message) else "en"


def _compact(iri: str | None, prefixes: dict[str, str]) -> str:
    if iri is None:
        return "—"
    if iri.startswith("^"):
        return "^" + compact(iri[1:], prefixes)
    return compact(iri, prefixes)


#: Above this many results, the text report is a summary unless every result is asked for.
SUMMARY_ABOVE = 100


def render_report(
    report: ValidationReport,
    fmt: str,
    prefixes: dict[str, str],
    lang: str = "en",
    every: bool = False,
) -> str:
    """The report as ``text`` (grouped by resource), ``turtle`` (the SHACL report) or ``json``.

    A text report of more than :data:`SUMMARY_ABOVE` results is summarized (one line per
    severity, path, constraint and message, with its count and first resources) unless
    ``every``: a new list can have hundreds of thousands of warnings. Results the report only
    counted (``summarized``) are summarized in any case.
    """
    if fmt == "turtle":
        return report.turtle().decode("utf-8")
    summary = {
        "conforms": report.conforms,
        "violations": report.count("Violation"),
        "warnings": report.count("Warning"),
        "infos": report.count("Info"),
    }
    if fmt == "json":
        document = {**summary, "results": [asdict(r) for r in report.results]}
        if report.summarized:
            document["summarized"] = [asdict(g) for g in report.summarized]
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    listed = report.results
    if not every and report.total > SUMMARY_ABOVE:
        lines = [
            f"{report.total:,} results, summarized ('regiongraph validate --all' lists "
            "every one; --format json gives them all):",
            *_group_lines(_groups(listed, report.summarized, lang), prefixes),
        ]
    else:
        lines = _by_resource(listed, prefixes, lang)
        if report.summarized:
            counted = report.total - len(listed)
            lines.append(
                f"{counted:,} {'more ' if listed else ''}results, counted and not listed "
                "('regiongraph validate' lists them):"
            )
            lines += _group_lines(_groups([], report.summarized, lang), prefixes)
    lines.append(_verdict(report, summary))
    return "\n".join(lines) + "\n"


def _by_resource(results: list[ValidationResult], prefixes: dict[str, str], lang: str) -> list[str]:
    """A line for each resource (its label after it), and under it one for each result."""
    lines: list[str] = []
    current = None
    for result in results:
        if result.focus != current:
            current = result.focus
            label = f"  {result.label}" if result.label else ""
            lines.append(f"{_compact(result.focus, prefixes)}{label}")
        message = result.messages.get(lang) or next(iter(result.messages.values()), "")
        value = "" if result.value is None else f" = {_compact(result.value, prefixes)}"
        lines.append(
            f"  {result.severity:<9} {_compact(result.path, prefixes)}{value}  {message}"
            f"  [{result.component.removesuffix('ConstraintComponent')}]"
        )
    return lines


def _verdict(report: ValidationReport, totals: dict[str, Any]) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        f"{totals['violations']} violation(s), {totals['warnings']} warning(s), "
        f"{totals['infos']} info(s): {verdict}"
    )


#: A kind of result: its severity's rank, severity, path, component and message.
_Kind = tuple[int, str, str, str, str]


def _groups(
    results: list[ValidationResult], counted: list[ResultGroup], lang: str
) -> dict[_Kind, tuple[int, list[str]]]:
    """Results and counted groups by kind: how many, and the first focus nodes."""
    groups: dict[_Kind, tuple[int, list[str]]] = {}

    def add(
        severity: str,
        path: str | None,
        component: str,
        messages: dict[str, str],
        count: int,
        focuses: Sequence[str],
    ) -> None:
        message = messages.get(lang) or next(iter(messages.values()), "")
        key = (_SEVERITY_ORDER.get(severity, 9), severity, path or "", component, message)
        found, examples = groups.get(key, (0, []))
        if len(examples) < EXAMPLES or focuses[0] < examples[-1]:
            examples = sorted([*examples, *focuses])[:EXAMPLES]
        groups[key] = (found + count, examples)

    for r in results:
        add(r.severity, r.path, r.component, r.messages, 1, [r.focus])
    for g in counted:
        add(g.severity, g.path, g.component, g.messages, g.count, g.examples)
    return groups


def _group_lines(groups: dict[_Kind, tuple[int, list[str]]], prefixes: dict[str, str]) -> list[str]:
    """A line for each kind of result, the most frequent first within a severity."""
    lines = []
    ordered = sorted(groups.items(), key=lambda item: (item[0][0], -item[1][0], item[0][1:]))
    for (_, severity, path, component, message), (count, focuses) in ordered:
        examples = ", ".join(_compact(f, prefixes) for f in focuses)
        more = ", …" if count > len(focuses) else ""
        lines.append(
            f"  {severity:<9} {_compact(path or None, prefixes)}  {message}"
            f"  [{component.removesuffix('ConstraintComponent')}]  × {count:,}"
            f"  e.g. {examples}{more}"
        )
    return lines
