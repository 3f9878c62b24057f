"""Read a source document's bytes and decode them: UTF-8 (with or without BOM) or CP932."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from regiongraph.errors import SourceError


@dataclass(frozen=True)
class SourceText:
    """The decoded lines of a source file (line endings removed) and what it was."""

    path: Path
    lines: tuple[str, ...]
    encoding: str
    sha256: str


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # form feeds (page breaks) are fine


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Return ``(text, encoding)``; UTF-8 is tried first, then Shift_JIS/CP932."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise _undecodable(data, path, error.start + 3, "UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, 1, "UTF-16 is not supported: save the file as UTF-8")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp932")
            cp932_failure = _first_unmapped_cp932(text)
        except UnicodeDecodeError as cp932_error:
            cp932_failure = cp932_error.start
        if cp932_failure is None:
            return text, "cp932"
        # The encoding that got further is the one the file was most likely meant to be in.
        if cp932_failure > utf8_error.start:
            raise _undecodable(data, path, cp932_failure, "Shift_JIS/CP932") from None
        raise _undecodable(data, path, utf8_error.start, "UTF-8") from None


#: Single bytes that Python's cp932 codec maps leniently (to U+0080 and private use) although
#: no Shift_JIS text contains them: treat them as undecodable.
_CP932_LENIENT = re.compile("[\x80\uf8f0-\uf8f3]")


def _first_unmapped_cp932(text: str) -> int | None:
    match = _CP932_LENIENT.search(text)
    if match is None:
        return None
    return len(text[: match.start()].encode("cp932"))


def _undecodable(data: bytes, path: Path, offset: int, encoding: str) -> SourceError:
    line = _line_of(data, offset)
    return SourceError(
        path,
        line,
        f"undecodable byte 0x{data[offset]:02x} at offset {offset}: the file is neither UTF-8 "
        f"nor Shift_JIS/CP932 (closest: {encoding}); re-save it as UTF-8",
    )


def read_source_text(path: str | Path) -> SourceText:
    """Read and decode ``path``; raise :class:`SourceError` for a missing, empty or bad file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, None, "file not found") from None
    except IsADirectoryError:
        raise SourceError(path, None, "is a directory, not a source file") from None
    except OSError as error:
        raise SourceError(path, None, f"cannot read: {error.strerror}") from None
    return source_text(data, path)


def source_text(data: bytes, path: Path) -> SourceText:
    """Decode the bytes of the source file ``path`` (named in errors)."""
    text, encoding = decode(data, path)
    if not text.strip():
        raise SourceError(path, None, "empty file: expected a list of selected regions")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        control = _CONTROL.search(line)
        if control:
            raise SourceError(
                path, number, f"control character U+{ord(control.group()):04X} in the text"
            )
    return SourceText(path, tuple(lines), encoding, hashlib.sha256(data).hexdigest())
