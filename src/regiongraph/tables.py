"""Aligned plain-text tables that respect the display width of Japanese text."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (Japanese) characters count two."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` columns, marking the cut with an ellipsis."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = display_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40) -> str:
    """Render rows under a header as aligned columns separated by two spaces."""
    cells = [[truncate(str(c), max_width) for c in header]]
    cells += [[truncate(str(c), max_width) for c in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])]) + "\n"
