"""The verified reference table of the 47 prefectures (data/reference/prefectures.csv)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from regiongraph.errors import DataError
from regiongraph.link.csv_files import read_rows

PREFECTURE_COLUMNS = (
    "code",
    "lg_code",
    "name_ja",
    "name_kana",
    "name_en",
    "region_ja",
    "wikidata",
    "iso3166_2",
    "estat_sac_uri",
)


@dataclass(frozen=True)
class Prefecture:
    """One prefecture of the reference table."""

    code: str
    lg_code: str
    name_ja: str
    name_kana: str
    name_en: str
    region_ja: str
    wikidata: str
    iso3166_2: str
    estat_sac_uri: str

    @property
    def short_name(self) -> str:
        """The name without 都/道/府/県 (北海道 keeps its name): 神奈川県 → 神奈川."""
        if self.name_ja == "北海道":
            return self.name_ja
        return self.name_ja[:-1]

    @property
    def short_kana(self) -> str:
        """The hiragana name without the suffix: ぐんまけん → ぐんま."""
        for suffix in ("けん", "ふ", "と"):
            if self.name_kana.endswith(suffix) and self.name_ja[-1] in "県府都":
                return self.name_kana[: -len(suffix)]
        return self.name_kana


def local_government_check_digit(code5: str) -> int:
    """Check digit of a 全国地方公共団体コード: (11 - (6a+5b+4c+3d+2e) mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def load_prefectures(path: Path) -> list[Prefecture]:
    """Load and check the reference table; raise :class:`DataError` naming the bad row."""
    prefectures = []
    for line, row in read_rows(path, PREFECTURE_COLUMNS):
        prefecture = Prefecture(**{column: row[column] for column in PREFECTURE_COLUMNS})
        problem = _check(prefecture)
        if problem:
            raise DataError(f"{path}:{line}: {problem}")
        prefectures.append(prefecture)
    codes = [p.code for p in prefectures]
    if len(set(codes)) != len(codes):
        raise DataError(f"{path}: duplicate prefecture codes")
    return prefectures


def _check(p: Prefecture) -> str | None:
    if not re.fullmatch(r"[0-9]{2}", p.code):
        return f"code {p.code!r} is not two digits"
    if not re.fullmatch(r"[0-9]{6}", p.lg_code) or not p.lg_code.startswith(p.code + "000"):
        return f"lg_code {p.lg_code!r} is not the six-digit code of prefecture {p.code}"
    if int(p.lg_code[5]) != local_government_check_digit(p.lg_code[:5]):
        return f"lg_code {p.lg_code!r} has a wrong check digit"
    if not re.fullmatch(r"Q[1-9][0-9]*", p.wikidata):
        return f"wikidata {p.wikidata!r} is not a Wikidata item id (Q…)"
    if p.iso3166_2 != f"JP-{p.code}":
        return f"iso3166_2 {p.iso3166_2!r} does not match code {p.code}"
    if p.estat_sac_uri != f"http://data.e-stat.go.jp/lod/sac/C{p.code}000":
        return f"estat_sac_uri {p.estat_sac_uri!r} does not match code {p.code}"
    return None
