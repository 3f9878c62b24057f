"""Cell text repair for text pulled out of PDF tables."""

from __future__ import annotations

import re
import unicodedata

_SPACE_RUN = re.compile(r"[ \u3000\u00a0\f]+")  # a form feed is a page break: a wrap too


def is_wide(char: str) -> bool:
    """True for characters set in Japanese text: kanji, kana, full-width forms and punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F", "H")


def repair_cell(raw: str) -> str:
    """Undo PDF line wrapping inside a table cell.

    Whitespace between two Japanese characters was put there by a line wrap and is removed;
    whitespace between Latin words is real and kept (collapsed to one space).
    Nothing else changes: full-width characters and brackets stay as written.

    >>> repair_cell("とやまナノ テクコネク ト推進協 議会")
    'とやまナノテクコネクト推進協議会'
    >>> repair_cell("NIIGATA SKY PROJECT・イノベーション創出エリア")
    'NIIGATA SKY PROJECT・イノベーション創出エリア'
    >>> repair_cell("経済成長を牽引\fする。\f")  # page breaks, found by the fuzzer
    '経済成長を牽引する。'
    """
    text = raw.strip(" \t\u3000\u00a0\f\r\n")

    def join(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if before and after and is_wide(before) and is_wide(after):
            return ""
        return " "

    return _SPACE_RUN.sub(join, text)
