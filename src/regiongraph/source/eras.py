"""Japanese era years (和暦) to Gregorian fiscal years."""

from __future__ import annotations

import re
import unicodedata

#: First Gregorian year of each era, minus one: era year N is OFFSET + N.
ERA_OFFSETS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}

_ERA_YEAR = re.compile(r"(明治|大正|昭和|平成|令和)\s*(元|\d{1,2})\s*年度?")
_WESTERN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度")


def era_to_gregorian(era: str, year: str | int) -> int:
    """Convert an era year to its Gregorian year: ``era_to_gregorian("平成", 25) == 2013``."""
    if era not in ERA_OFFSETS:
        raise ValueError(f"unknown era {era!r}")
    number = 1 if year == "元" else int(unicodedata.normalize("NFKC", str(year)))
    return ERA_OFFSETS[era] + number


def find_fiscal_year(text: str) -> tuple[int, str] | None:
    """Return ``(gregorian_year, as_written)`` for the first fiscal year named in ``text``.

    >>> find_fiscal_year("地域イノベーション戦略推進地域（平成25年度公募分）一覧")
    (2013, '平成25年度')
    >>> find_fiscal_year("令和元年度")
    (2019, '令和元年度')
    """
    normalized = unicodedata.normalize("NFKC", text)
    match = _ERA_YEAR.search(normalized)
    if match:
        return era_to_gregorian(match.group(1), match.group(2)), match.group(0)
    match = _WESTERN_YEAR.search(normalized)
    if match:
        return int(match.group(1)), match.group(0)
    return None
