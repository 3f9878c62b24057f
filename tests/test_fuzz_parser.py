"""Property-based tests of the parser: random and mutated documents either give records that
keep the parser's promises, or raise the project's own input error, never another exception.

A few hundred examples run in the suite; REGIONGRAPH_FUZZ_EXAMPLES=10000 runs more (the
README gives the last such run).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from conftest import SOURCE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from regiongraph.errors import SourceError
from regiongraph.source.decode import source_text
from regiongraph.source.parse import parse_text

EXAMPLES = int(os.environ.get("REGIONGRAPH_FUZZ_EXAMPLES", "300"))
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="regiongraph-hypothesis-"))  # not the checkout
ORIGINAL = SOURCE.read_text(encoding="utf-8")
LINES = ORIGINAL.split("\n")
HEADER = next(line for line in LINES if line.startswith("\t") or "地域名" in line)


def _cut_cell(lines: list[str], data: st.DataObject) -> list[str]:
    rows = [i for i, line in enumerate(lines) if line.count("\t") >= 4]
    if rows:
        i = data.draw(st.sampled_from(rows))
        cells = lines[i].split("\t")
        del cells[data.draw(st.integers(0, len(cells) - 1))]
        lines[i] = "\t".join(cells)
    return lines


def _move_whitespace(lines: list[str], data: st.DataObject) -> list[str]:
    i = data.draw(st.integers(0, len(lines) - 1))
    line = lines[i]
    if line:
        at = data.draw(st.integers(0, len(line)))
        lines[i] = (
            line[:at] + data.draw(st.sampled_from(["\t", " ", "  ", "\u3000", "\t\t"])) + line[at:]
        )
    return lines


def _drop_tab(lines: list[str], data: st.DataObject) -> list[str]:
    i = data.draw(st.integers(0, len(lines) - 1))
    lines[i] = lines[i].replace("\t", " ", data.draw(st.integers(1, 3)))
    return lines


def _duplicate_header(lines: list[str], data: st.DataObject) -> list[str]:
    lines.insert(data.draw(st.integers(0, len(lines))), HEADER)
    return lines


def _empty_section(lines: list[str], data: st.DataObject) -> list[str]:
    rows = [i for i, line in enumerate(lines) if line[:1].isdigit() and "\t" in line]
    first = data.draw(st.sampled_from(rows)) if rows else 0
    return [line for i, line in enumerate(lines) if not (first <= i < first + 4 and i in rows)]


def _insert_text(lines: list[str], data: st.DataObject) -> list[str]:
    text = data.draw(st.text(max_size=40))
    lines.insert(data.draw(st.integers(0, len(lines))), text)
    return lines


def _enormous_line(lines: list[str], data: st.DataObject) -> list[str]:
    i = data.draw(st.integers(0, len(lines) - 1))
    lines[i] = lines[i] + "あ" * data.draw(st.integers(10_000, 200_000))
    return lines


def _swap_lines(lines: list[str], data: st.DataObject) -> list[str]:
    i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return lines


MUTATIONS = [
    _cut_cell,
    _move_whitespace,
    _drop_tab,
    _duplicate_header,
    _empty_section,
    _insert_text,
    _enormous_line,
    _swap_lines,
]


def _encode(text: str, data: st.DataObject) -> bytes:
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "mixed"]))
    if encoding == "mixed":  # the first half UTF-8, the rest Shift_JIS
        half = len(text) // 2
        return text[:half].encode("utf-8") + text[half:].encode("cp932", errors="replace")
    return text.encode(encoding, errors="replace")


def check(data_bytes: bytes) -> None:
    """Parse; the result keeps the parser's promises, or the error is a SourceError."""
    path = Path("fuzz.txt")
    try:
        document = parse_text(source_text(data_bytes, path))
    except SourceError as error:
        assert str(error).startswith("fuzz.txt")
        assert "\n" not in str(error)
        return
    assert document.regions, "a document parses only with at least one region"
    assert 1868 <= document.fiscal_year <= 2100
    lines = source_text(data_bytes, path).lines
    for category in document.categories:
        numbers = [r.number for r in document.regions if r.category == category]
        assert numbers == list(range(1, len(numbers) + 1))
    for record in document.regions:
        assert 1 <= record.provenance.line <= len(lines)
        assert lines[record.provenance.line - 1] == record.provenance.raw_line
        for cell in record.cells():
            assert cell and cell == cell.strip() and "\t" not in cell


@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
@given(st.data())
def test_mutated_documents(data: st.DataObject) -> None:
    lines = list(LINES)
    for mutation in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        lines = mutation(lines, data)
    check(_encode("\n".join(lines), data))


@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@settings(max_examples=max(EXAMPLES // 3, 50), deadline=None, database=None)
@given(st.binary(max_size=64), st.integers(0, len(ORIGINAL.encode("utf-8"))))
def test_random_bytes_spliced_into_the_document(noise: bytes, at: int) -> None:
    original = ORIGINAL.encode("utf-8")
    check(original[:at] + noise + original[at:])


def test_the_original_document_keeps_the_promises() -> None:
    check(SOURCE.read_bytes())


def test_a_page_break_at_the_end_of_a_cell_is_removed() -> None:
    """Found by the fuzzer: a form feed (a PDF page break) ended a summary cell."""
    original = ORIGINAL.encode("utf-8")
    at = original.index("牽引する。".encode()) + len("牽引する。".encode())
    check(original[:at] + b"\x0c" + original[at:])
