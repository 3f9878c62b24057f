"""Atomic writes: a failed run never leaves a half-written file or directory behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from regiongraph.errors import ProjectError


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ProjectError(f"{path}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def staged_directory(target: str | Path) -> Iterator[Path]:
    """Yield an empty staging directory that replaces ``target`` only if the block succeeds.

    Files in ``target`` that the block does not write are kept; written ones are replaced.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as error:
        raise ProjectError(f"{target}: cannot write: {error.strerror}") from None
    try:
        yield stage
        target.mkdir(exist_ok=True)
        for item in sorted(stage.rglob("*")):
            if item.is_file():
                destination = target / item.relative_to(stage)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, destination)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
