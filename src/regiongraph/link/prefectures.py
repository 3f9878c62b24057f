"""Which prefectures a region belongs to, with the evidence for each.

Order of evidence: prefectures named in the region's own cells (地域名, 協議会, 総合調整機関,
全体構想のテーマ名) and regional names there (北陸 → its prefectures); only if those name none,
the summary (全体構想の概要): first its explicit prefectures, then its regional names. So an
explicit prefecture wins over a regional word in a summary. Curation adds or removes last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from regiongraph.link.curation import Curation, RegionalName
from regiongraph.link.reference import Prefecture
from regiongraph.source.records import CELL_COLUMNS, RegionRecord

EXPLICIT = "explicit"
REGIONAL = "regional"
CURATED = "curated"

_HIRAGANA = "\u3041-\u309f"
_LATIN = re.compile("[A-Za-z]")
_MAIN_CELLS = tuple(key for key, _ in CELL_COLUMNS if key != "summary")
_HEADERS = dict(CELL_COLUMNS)


@dataclass(frozen=True)
class PlaceEvidence:
    """Why a region is linked to a prefecture."""

    prefecture: Prefecture
    method: str  # EXPLICIT, REGIONAL or CURATED
    evidence: str  # the words found, or the curator's reason
    cell: str | None  # the column header the words were found in
    note: str | None = None  # for a regional name: what the curation file says of it


class Gazetteer:
    """Finds prefecture names (kanji with or without suffix, kana, romaji) and regional names."""

    def __init__(self, prefectures: list[Prefecture], regional_names: list[RegionalName]) -> None:
        self.by_code = {p.code: p for p in prefectures}
        forms: dict[str, Prefecture] = {}
        for p in prefectures:
            forms[p.name_ja] = p
            forms[p.short_name] = p
        self._kanji = _alternation(forms)
        self._kanji_forms = forms
        self._kana_forms = {p.short_kana: p for p in prefectures} | {
            p.name_kana: p for p in prefectures
        }
        # Kana names must stand alone: not inside a longer run of hiragana (なら in ならば).
        kana = _alternation(self._kana_forms).pattern
        self._kana = re.compile(f"(?<![{_HIRAGANA}]){kana}(?![{_HIRAGANA}])")
        self._romaji_forms = {p.name_en.upper(): p for p in prefectures}
        romaji = "|".join(re.escape(k) for k in sorted(self._romaji_forms, key=len, reverse=True))
        self._romaji = re.compile(f"(?<![A-Za-z])(?:{romaji})(?![A-Za-z])", re.IGNORECASE)
        self._regional = {r.name_ja: r for r in regional_names}
        self._regional_pattern = _alternation(self._regional) if regional_names else None

    def explicit(self, text: str) -> list[tuple[Prefecture, str]]:
        """Prefectures named in ``text``, with the words as written, in order of appearance."""
        found: list[tuple[int, Prefecture, str]] = []
        for match in self._kanji.finditer(text):
            found.append((match.start(), self._kanji_forms[match.group()], match.group()))
        for match in self._kana.finditer(text):
            found.append((match.start(), self._kana_forms[match.group()], match.group()))
        for match in self._romaji.finditer(text) if _LATIN.search(text) else ():
            found.append((match.start(), self._romaji_forms[match.group().upper()], match.group()))
        return [(p, words) for _, p, words in sorted(found, key=lambda item: item[0])]

    def regional(self, text: str) -> list[tuple[Prefecture, str, str]]:
        """Prefectures a regional name in ``text`` stands for: (prefecture, word, evidence)."""
        if self._regional_pattern is None:
            return []
        out = []
        for match in self._regional_pattern.finditer(text):
            regional = self._regional[match.group()]
            for code in regional.prefecture_codes:
                out.append((self.by_code[code], match.group(), regional.evidence))
        return out


def _alternation(forms: Mapping[str, object]) -> re.Pattern[str]:
    # Longest first: 東京都 is matched whole, so 京都 is not found inside it. The lookahead on
    # the first characters lets the engine pass over most positions without trying each form.
    first = "".join(sorted({re.escape(f[0]) for f in forms}))
    longest = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(f"(?=[{first}])(?:{longest})")


def _from_cells(
    gazetteer: Gazetteer, record: RegionRecord, cells: tuple[str, ...], regional: bool
) -> list[PlaceEvidence]:
    found: list[PlaceEvidence] = []
    for key in cells:
        text = getattr(record, key)
        for prefecture, words in gazetteer.explicit(text):
            found.append(PlaceEvidence(prefecture, EXPLICIT, words, _HEADERS[key]))
        if regional:
            for prefecture, word, why in gazetteer.regional(text):
                found.append(PlaceEvidence(prefecture, REGIONAL, word, _HEADERS[key], why))
    return found


def locate(record: RegionRecord, gazetteer: Gazetteer, curation: Curation) -> list[PlaceEvidence]:
    """The region's prefectures, one evidence each (the first found), sorted by prefecture code."""
    found = _from_cells(gazetteer, record, _MAIN_CELLS, regional=True)
    if not found:
        found = _from_cells(gazetteer, record, ("summary",), regional=False)
    if not found:
        found = _from_cells(gazetteer, record, ("summary",), regional=True)
    chosen: dict[str, PlaceEvidence] = {}
    for evidence in found:
        chosen.setdefault(evidence.prefecture.code, evidence)
    key = (record.fiscal_year, record.category.number, record.number)
    for row in curation.region_prefectures:
        if (row.fiscal_year, row.category, row.number) != key:
            continue
        if row.action == "remove":
            chosen.pop(row.prefecture_code, None)
        else:
            prefecture = gazetteer.by_code[row.prefecture_code]
            chosen[row.prefecture_code] = PlaceEvidence(prefecture, CURATED, row.evidence, None)
    return [chosen[code] for code in sorted(chosen)]
