"""Corporate numbers (法人番号) from the National Tax Agency's bulk files (全件データ).

The bulk files are CSV without a header row, one row per corporation, in a Unicode (UTF-8) or a
Shift_JIS edition, per prefecture or nationwide, each zipped. The column layout is the one
verified in ``data/reference/LINKING.md`` (section c): 30 columns, the number in column 1, the
name in column 6, the prefecture code in column 13, the closing date in 18 and the latest-record
flag in 23 (0-based). One public source describes a 31-column file; a file whose rows do not
have the 30 columns read here is refused, not guessed at. Rows are read as a stream (from the
zip member, in chunks), so a nationwide file of about 5 million rows needs bounded memory.

Matching takes a corporation only when it is certain: the organization's name and the record's
name agree once normalized (NFKC, no spaces, legal-form abbreviations written out, old
character forms made new), the record's prefecture is one of the organization's regions'
prefectures, the record is current (latest, not closed), and exactly one corporation fits.
"""

from __future__ import annotations

import codecs
import collections
import concurrent.futures
import csv
import functools
import io
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, cast

from regiongraph.errors import SourceError
from regiongraph.link.curation import LegalForm

COLUMNS = 30
NUMBER, PROCESS, NAME, PREFECTURE_NAME, CITY, STREET, PREFECTURE_CODE = 1, 2, 6, 9, 10, 11, 13
CLOSE_DATE, LATEST = 18, 23
CLOSED = "21"  # 処理区分: 登記記録の閉鎖等
_THIRTEEN_DIGITS = re.compile(r"[0-9]{13}")
_SNIFF = 1 << 16
#: Old character forms (旧字体) that NFKC leaves as they are, and their new forms.
_OLD = "國會學縣濱廣澤邊邉髙﨑齋齊德瀨眞槪盡櫻藝驛圓應歐氣龜舊區團廳當黨獨發豐禮勞灣彌"
OLD_FORMS = str.maketrans(
    _OLD, "国会学県浜広沢辺辺高崎斎斉徳瀬真概尽桜芸駅円応欧気亀旧区団庁当党独発豊礼労湾弥"
)
_ANY_OLD = re.compile(f"[{_OLD}]")  # a search is cheaper than translating every name


def check_digit(base: str) -> int:
    """The check digit of a corporate number's 12-digit base (the NTA's published method).

    Counting the base's digits from the right from 1, odd places weigh 1 and even places 2;
    the check digit is 9 minus the weighted sum modulo 9.

    >>> check_digit("120105001131")  # 7120105001131: gBizINFO's example (LINKING.md, c)
    7
    >>> check_digit("000012090001")  # 4000012090001: the IMI tools' example (LINKING.md, c)
    4
    """
    digits = base.encode("ascii")
    total = sum(digits[-1::-2]) + 2 * sum(digits[-2::-2]) - 48 * 18  # 6 odd, 6 even places
    return 9 - total % 9


def is_corporate_number(text: str) -> bool:
    """13 digits, the first being the check digit of the other twelve."""
    return (
        len(text) == 13
        and text.isascii()
        and text.isdigit()
        and (int(text[0]) == check_digit(text[1:]))
    )


@dataclass(frozen=True)
class NtaRecord:
    """One row of a bulk file: what matching needs, and where it came from."""

    number: str
    name: str
    prefecture_code: str
    address: str
    current: bool  # the latest record, and not closed
    file: str
    row: int


BLOCK = 4 << 20  # bytes of rows a worker scans at a time


def scan_nta(
    paths: Iterable[Path],
    keys: frozenset[str] | None,
    legal_forms: list[LegalForm],
    workers: int | None = None,
    counted: list[int] | None = None,
) -> Iterator[RawRow]:
    """The rows of the bulk files whose normalized name is in ``keys`` (None: every row), every
    row checked: 30 columns, a 13-digit number (and the first row's check digit).

    Raises :class:`SourceError` naming the file (and zip member), the row and the problem for
    anything that is not NTA data: a damaged zip, an encoding that is neither UTF-8 nor
    Shift_JIS, a row with another number of columns (a truncated last row included), a number
    that is not a corporate number.

    The files are cut into blocks of whole lines (a newline byte never occurs inside a
    character in UTF-8 or Shift_JIS) that worker processes decode, parse, check and filter,
    one per core; blocks are handed out in order and their answers read back in order, a few at
    a time, so that memory stays bounded and row numbers and errors are those of a plain read.
    ``counted[0]`` is increased by the number of rows read.
    """
    import concurrent.futures
    import multiprocessing

    workers = workers or os.cpu_count() or 1
    forms = tuple(legal_forms)
    blocks = (b for path in paths for b in _blocks(path))
    if workers == 1:
        results: Iterator[tuple[int, list[RawRow]]] = (
            _scan_block(*block, keys, forms) for block in blocks
        )
        for count, rows in results:
            if counted is not None:
                counted[0] += count
            yield from rows
        return
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: collections.deque[concurrent.futures.Future[tuple[int, list[RawRow]]]]
        pending = collections.deque()
        for block in blocks:
            pending.append(pool.submit(_scan_block, *block, keys, forms))
            if len(pending) >= 2 * workers:
                yield from _collect(pending.popleft(), counted)
        while pending:
            yield from _collect(pending.popleft(), counted)


def _collect(
    future: concurrent.futures.Future[tuple[int, list[RawRow]]], counted: list[int] | None
) -> list[RawRow]:
    count, rows = future.result()  # a SourceError raised in the worker is raised here
    if counted is not None:
        counted[0] += count
    return rows


def _blocks(path: Path) -> Iterator[tuple[bytes, str, str, int, bool]]:
    """(data, encoding, label, first row, last block) for each block of whole lines."""
    for label, stream in _streams(path):
        try:
            head = cast(Any, stream).peek(_SNIFF)[:_SNIFF]
            encoding = _encoding(head, label)
            row, carry = 1, b""
            while True:
                chunk = stream.read(BLOCK)
                data = carry + chunk
                if not chunk:
                    if data or row == 1:
                        yield data, encoding, label, row, True
                    break
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                carry = data[cut:]
                yield data[:cut], encoding, label, row, False
                row += data.count(b"\n", 0, cut)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise SourceError(label, None, f"a damaged zip archive ({error})") from None


def _streams(path: Path) -> Iterator[tuple[str, BinaryIO]]:
    if zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise SourceError(path, None, f"a damaged zip archive ({error})") from None
        with archive:
            members = sorted(n for n in archive.namelist() if n.lower().endswith(".csv"))
            if not members:
                raise SourceError(path, None, "the zip archive holds no .csv file")
            for member in members:
                label = f"{path}!{member}"
                try:
                    with archive.open(member) as stream:
                        yield label, cast(BinaryIO, stream)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
                    raise SourceError(label, None, f"a damaged zip archive ({error})") from None
        return
    if path.suffix.lower() == ".zip":
        raise SourceError(path, None, "not a zip archive (or a damaged one)")
    try:
        with path.open("rb") as stream:
            yield str(path), cast(BinaryIO, stream)
    except OSError as error:
        raise SourceError(path, None, f"cannot read: {error.strerror}") from None


@functools.cache
def _normalizer(forms: tuple[LegalForm, ...]) -> Normalizer:
    return Normalizer(forms)


def _scan_block(
    data: bytes,
    encoding: str,
    label: str,
    first: int,
    last: bool,
    keys: frozenset[str] | None,
    forms: tuple[LegalForm, ...],
) -> tuple[int, list[RawRow]]:
    """Decode, parse and check one block; its row count and the rows whose name is wanted."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        at = first + data.count(b"\n", 0, error.start)
        raise SourceError(label, at, f"not {encoding} text ({error.reason})") from None
    normalize = _normalizer(forms)
    wanted: list[RawRow] = []
    count = 0
    try:
        for count, cells in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            row = RawRow(cells, label, first + count - 1)
            _check(row)
            if keys is None or normalize(cells[NAME]) in keys:
                wanted.append(row)
    except csv.Error as error:
        raise SourceError(label, first + count, f"not CSV ({error})") from None
    if last and first == 1 and count == 0:
        raise SourceError(label, None, "empty: no rows")
    return count, wanted


def _check(row: RawRow) -> None:
    cells = row.cells
    if len(cells) != COLUMNS:
        raise SourceError(
            row.file,
            row.row,
            f"{len(cells)} columns, where the NTA layout read here has {COLUMNS} (see data/"
            "reference/LINKING.md; a file with another layout is refused, not guessed)",
        )
    number = cells[NUMBER]
    if not _THIRTEEN_DIGITS.fullmatch(number) or (row.row == 1 and not is_corporate_number(number)):
        raise SourceError(row.file, row.row, f"column 2 is not a corporate number: {number[:20]!r}")


def _encoding(head: bytes, label: str) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise SourceError(label, 1, "neither UTF-8 (the Unicode edition) nor Shift_JIS text")


class RawRow(NamedTuple):
    """A row as read, its form checked: the cells, the file (and member) and the row number."""

    cells: list[str]
    file: str
    row: int

    def record(self) -> NtaRecord:
        cells = self.cells
        if not is_corporate_number(cells[NUMBER]):
            raise SourceError(
                self.file, self.row, f"column 2 has a wrong check digit: {cells[NUMBER]!r}"
            )
        closed = cells[PROCESS] == CLOSED or bool(cells[CLOSE_DATE].strip())
        return NtaRecord(
            number=cells[NUMBER],
            name=cells[NAME],
            prefecture_code=cells[PREFECTURE_CODE].strip(),
            address=cells[PREFECTURE_NAME] + cells[CITY] + cells[STREET],
            current=cells[LATEST].strip() == "1" and not closed,
            file=self.file,
            row=self.row,
        )


class Normalizer:
    """Names as compared: NFKC, no spaces, abbreviations written out, new character forms.

    >>> forms = [LegalForm("公益財団法人", ("（公財）",), "pif", "Public interest foundation")]
    >>> normalize = Normalizer(forms)
    >>> normalize("（公財） 富山県 新世紀産業機構")
    '公益財団法人富山県新世紀産業機構'
    >>> normalize("公益財団法人富山縣新世紀産業機構")
    '公益財団法人富山県新世紀産業機構'
    """

    def __init__(self, legal_forms: Iterable[LegalForm]) -> None:
        nfkc = functools.partial(unicodedata.normalize, "NFKC")
        self.aliases = [
            (nfkc(alias), nfkc(form.form_ja)) for form in legal_forms for alias in form.aliases
        ]
        starts = sorted({alias[0] for alias, _ in self.aliases if alias})
        self.abbreviated = re.compile("|".join(map(re.escape, starts))) if starts else None

    def __call__(self, name: str) -> str:
        text = "".join(unicodedata.normalize("NFKC", name).split())
        if _ANY_OLD.search(text):
            text = text.translate(OLD_FORMS)
        if self.abbreviated is not None and self.abbreviated.search(text):  # （公財） and such
            for alias, full in self.aliases:
                text = text.replace(alias, full)
        return text


@dataclass(frozen=True)
class Organization:
    """An organization to match: its name as written, and its regions' prefectures."""

    name: str
    prefecture_codes: frozenset[str]


@dataclass
class Matches:
    """The result of matching: certain matches, and what a person must settle."""

    matched: dict[str, NtaRecord] = field(default_factory=dict)  # by organization name
    unsettled: dict[str, str] = field(default_factory=dict)  # by organization name: why


def match(
    organizations: Iterable[Organization],
    rows: Iterable[RawRow],
    legal_forms: list[LegalForm],
) -> Matches:
    """Match organizations to current records by normalized name and prefecture.

    The rows are read once, as a stream; only those whose normalized name is wanted become
    records (their check digits verified).
    """
    normalize = Normalizer(legal_forms)
    wanted: dict[str, list[Organization]] = {}
    for organization in organizations:
        wanted.setdefault(normalize(organization.name), []).append(organization)
    found: dict[str, list[NtaRecord]] = {key: [] for key in wanted}
    past: dict[str, list[NtaRecord]] = {key: [] for key in wanted}  # closed or superseded
    for row in rows:
        key = normalize(row.cells[NAME])
        if key in found:
            record = row.record()
            (found if record.current else past)[key].append(record)
    result = Matches()
    for key, group in wanted.items():
        for organization in group:
            candidates = [
                r for r in found[key] if r.prefecture_code in organization.prefecture_codes
            ]
            numbers = sorted({r.number for r in candidates})
            if len(numbers) == 1:
                result.matched[organization.name] = min(candidates, key=lambda r: (r.file, r.row))
            elif not numbers:
                elsewhere = sorted({r.prefecture_code for r in found[key]})
                earlier = sorted({r.number for r in past[key]})
                result.unsettled[organization.name] = (
                    "no current record of this name in the region's prefectures"
                    + (f" (one in prefecture {', '.join(elsewhere)})" if elsewhere else "")
                    + (
                        f"; closed or superseded records of this name: {', '.join(earlier)} "
                        "(closed, or renamed since: settle by hand)"
                        if earlier
                        else ""
                    )
                )
            else:
                result.unsettled[organization.name] = (
                    f"several corporations of this name: {', '.join(numbers)}"
                )
    return result
