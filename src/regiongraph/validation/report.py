"""The validation report: results a person can act on, and its text, JSON and Turtle forms."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
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


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult]
    turtle: Callable[[], bytes] = lambda: b""  # noqa: E731  # made only when asked for

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


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
    ``every``: a new list can have hundreds of thousands of warnings.
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
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if not every and len(report.results) > SUMMARY_ABOVE:
        return _summary(report, summary, prefixes, lang)
    lines: list[str] = []
    current = None
    for result in report.results:
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
    lines.append(_verdict(report, summary))
    return "\n".join(lines) + "\n"


def _verdict(report: ValidationReport, totals: dict[str, Any]) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        f"{totals['violations']} violation(s), {totals['warnings']} warning(s), "
        f"{totals['infos']} info(s): {verdict}"
    )


def _summary(
    report: ValidationReport, totals: dict[str, Any], prefixes: dict[str, str], lang: str
) -> str:
    groups: dict[tuple[int, str, str, str, str], list[str]] = {}
    for r in report.results:
        message = r.messages.get(lang) or next(iter(r.messages.values()), "")
        key = (_SEVERITY_ORDER.get(r.severity, 9), r.severity, r.path or "", r.component, message)
        groups.setdefault(key, []).append(r.focus)
    lines = [
        f"{len(report.results):,} results, summarized ('regiongraph validate --all' lists "
        "every one; --format json gives them all):"
    ]
    ordered = sorted(groups.items(), key=lambda item: (item[0][0], -len(item[1]), item[0][1:]))
    for (_, severity, path, component, message), focuses in ordered:
        examples = ", ".join(_compact(f, prefixes) for f in focuses[:3])
        more = ", …" if len(focuses) > 3 else ""
        lines.append(
            f"  {severity:<9} {_compact(path or None, prefixes)}  {message}"
            f"  [{component.removesuffix('ConstraintComponent')}]  × {len(focuses):,}"
            f"  e.g. {examples}{more}"
        )
    lines.append(_verdict(report, totals))
    return "\n".join(lines) + "\n"
