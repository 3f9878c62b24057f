"""Bad input: one line naming file, line and problem; exit code 2; no traceback; no output file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SOURCE

from regiongraph.cli import main


def _variant(tmp_path: Path, text: str | bytes, name: str = "list.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _replace_line(text: str, number: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return "\n".join(lines)


def _drop_tab(text: str) -> str:
    return _replace_line(
        text, 13, "\t富士山麓ファルマバレー戦略推進協議会", "富士山麓ファルマバレー戦略推進協議会"
    )


CASES = {
    "wrong-cell-count": (
        _drop_tab,
        13,
        "expected 6 tab-separated cells (number, 地域名, 協議会, 総合調整機関, 全体構想のテーマ名, "
        "全体構想の概要), found 5",
    ),
    "count-mismatch": (
        lambda t: _replace_line(t, 7, "4地域", "5地域"),
        7,
        "section 1 (国際競争力強化地域) announces 5 regions but 4 rows follow it",
    ),
    "number-out-of-sequence": (
        lambda t: _replace_line(t, 13, "3\t", "5\t"),
        13,
        "number out of sequence in section 1: expected 3, found 5",
    ),
    "row-outside-section": (
        lambda t: _replace_line(t, 5, "別添1", "1\ta\tb\tc\td\te"),
        5,
        "row outside any section: rows must follow a section line such as "
        "'(1) 国際競争力強化地域に選定された4地域'",
    ),
    "stray-text-in-section": (
        lambda t: _replace_line(t, 15, "", "注：上記は予定"),
        15,
        "unexpected text '注：上記は予定': not a section line, a header row or a tab-separated "
        "numbered row",
    ),
    "no-fiscal-year": (
        lambda t: _replace_line(t, 3, "（平成25年度公募分）", ""),
        7,
        "no fiscal year found before the first section: expected a title such as "
        "'地域イノベーション戦略推進地域（平成25年度公募分）一覧'",
    ),
    "empty-cell": (
        lambda t: _replace_line(t, 12, "\tイノベーション推進協議会\t", "\t \t"),
        12,
        "empty cell 協議会 in row 2",
    ),
}


def _assert_clean_failure(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # handled: no traceback
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines() == [f"Error: {message}"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_layout_errors_name_file_line_and_problem(runner, tmp_path, source_text, case) -> None:
    mutate, line, problem = CASES[case]
    path = _variant(tmp_path, mutate(source_text))
    out = tmp_path / "records.csv"
    result = runner.invoke(main, ["extract", str(path), "-f", "csv", "-o", str(out)])
    _assert_clean_failure(result, f"{path}:{line}: {problem}")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left either


def test_missing_file(runner, tmp_path) -> None:
    missing = tmp_path / "nope.txt"
    _assert_clean_failure(
        runner.invoke(main, ["extract", str(missing)]), f"{missing}: file not found"
    )


def test_empty_file(runner, tmp_path) -> None:
    for content in (b"", b"\n\r\n  \n", b"\xef\xbb\xbf"):
        path = _variant(tmp_path, content)
        _assert_clean_failure(
            runner.invoke(main, ["extract", str(path)]),
            f"{path}: empty file: expected a list of selected regions",
        )


def test_undecodable_bytes(runner, tmp_path) -> None:
    data = SOURCE.read_bytes().replace("富士山麓".encode(), b"\x81\x20\xff", 1)
    path = _variant(tmp_path, data)
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 2
    message = result.output.strip()
    assert message.startswith(f"Error: {path}:13: undecodable byte 0x81 at offset ")
    assert message.endswith(
        "the file is neither UTF-8 nor Shift_JIS/CP932 (closest: UTF-8); re-save it as UTF-8"
    )


def test_bytes_cp932_only_decodes_leniently_are_refused(tmp_path, runner) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    data = text.encode("cp932").replace("京都".encode("cp932"), b"\xfd", 1)
    path = _variant(tmp_path, data)
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 2
    assert f"{path}:14: undecodable byte 0xfd" in result.output
    assert "(closest: Shift_JIS/CP932)" in result.output


def test_control_character(runner, tmp_path, source_text) -> None:
    path = _variant(tmp_path, _replace_line(source_text, 12, "北陸", "北\x00陸"))
    _assert_clean_failure(
        runner.invoke(main, ["extract", str(path)]),
        f"{path}:12: control character U+0000 in the text",
    )


def test_no_section_at_all(runner, tmp_path) -> None:
    path = _variant(tmp_path, "地域イノベーション戦略推進地域（平成25年度公募分）一覧\n")
    _assert_clean_failure(
        runner.invoke(main, ["extract", str(path)]),
        f"{path}: no section found: expected a line such as '(1) 国際競争力強化地域に選定された4地域'",
    )


def test_a_good_file_then_a_bad_one_writes_nothing(runner, tmp_path, source_text) -> None:
    bad = _variant(tmp_path, _drop_tab(source_text), "bad.txt")
    out = tmp_path / "out.json"
    result = runner.invoke(main, ["extract", str(SOURCE), str(bad), "-f", "json", "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
