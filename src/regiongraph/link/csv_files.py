"""Read the project's CSV data files, with errors that name file, line and problem."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from regiongraph.errors import DataError


def read_rows(
    path: Path, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row.

    Columns in ``required`` and ``optional`` must exist; ``required`` cells must be filled.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    reader = csv.DictReader(text.splitlines())
    columns = [*required, *optional]
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        raise DataError(f"{path}:1: missing column(s) {', '.join(missing)}")
    for row in reader:
        line = reader.line_num
        if None in row:
            raise DataError(f"{path}:{line}: more cells than columns in the header")
        cleaned = {key: (value or "").strip() for key, value in row.items()}
        if not any(cleaned.values()):
            continue
        for column in required:
            if not cleaned[column]:
                raise DataError(f"{path}:{line}: empty {column}")
        yield line, cleaned
