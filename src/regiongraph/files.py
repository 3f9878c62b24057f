"""Files written atomically (a failed run never leaves a half-written file or directory behind),
files read as one through a named pipe, so that no joined copy is written to disk, files
checksummed as they are written, and many pieces written without joining them first."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from regiongraph.errors import ProjectError

#: The most pieces one gathered write takes (POSIX's IOV_MAX, at least 16; 1,024 on Linux).
_GATHERED = max(os.sysconf("SC_IOV_MAX"), 16) if hasattr(os, "sysconf") else 16
#: File objects whose descriptor is where their bytes go.
_PLAIN_FILES = (io.BufferedWriter, io.FileIO)


def write_pieces(out: IO[bytes], pieces: Sequence[bytes]) -> None:
    """Write ``pieces`` to ``out`` in order, as if joined.

    A file opened for writing bytes (``open(path, "wb")``) takes them in gathered writes
    (``os.writev``), which copy each piece once, into the file's pages, rather than into a
    joined copy first (which also takes fresh memory for each large join: for the 753 MB of
    N-Triples of 100,000 regions, 0.5 s of system time). Anything else takes them joined: a
    wrapper such as a gzip file has a descriptor too, but not for what is written to it.
    """
    if not isinstance(out, _PLAIN_FILES) or not hasattr(os, "writev"):
        out.write(b"".join(pieces))
        return
    fd = out.fileno()
    out.flush()  # what the file object holds goes first
    for start in range(0, len(pieces), _GATHERED):
        batch = pieces[start : start + _GATHERED]
        written = os.writev(fd, batch)
        if written < sum(map(len, batch)):  # a short write (a signal, a full disk): the rest
            rest = memoryview(b"".join(batch))[written:]
            while rest:
                rest = rest[os.write(fd, rest) :]


class HashingWriter:
    """Writes through to ``out``, counting the bytes and reckoning their SHA-256 on the way, so
    that a large file's checksum needs no second read."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.size = 0
        self._digest = hashlib.sha256()

    def write(self, data: Any) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self.out.write(data)

    def fact(self) -> tuple[int, str]:
        """The size and SHA-256 of what was written."""
        return self.size, self._digest.hexdigest()


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
def staged_directory(target: str | Path, detach_removal: bool = False) -> Iterator[Path]:
    """Yield an empty staging directory that replaces ``target`` only if the block succeeds.

    The swap is atomic where the system can exchange two directories (Linux ``renameat2``):
    a reader, or a build killed at any moment, sees the old files or the new ones, never a mix.
    Files of ``target`` that the block does not write are kept. A staging directory left by a
    killed build (its process gone) is removed by the next one.

    With ``detach_removal``, the old files, once swapped out of ``target``, are renamed aside
    (``.{name}.discarded-…``) and removed by a detached process, so that the caller need not
    wait for the disk (deleting a site of 250,000 files took 20 s, mostly waiting on I/O). A
    discarded directory still there at the next run (its remover killed) is removed again.
    """
    target = Path(target)
    _remove_stale_stages(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent)
        )
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(stage, 0o777 & ~umask)  # a published directory, not a private temporary one
    except OSError as error:
        raise ProjectError(f"{target}: cannot write: {error.strerror}") from None
    try:
        yield stage
        _publish(stage, target)
        if detach_removal and stage.exists():
            discarded = stage.with_name(f".{target.name}.discarded-{stage.name.rsplit('-', 1)[-1]}")
            try:
                os.rename(stage, discarded)
            except OSError:
                pass  # removed below, here
            else:
                _remove_detached(discarded)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


#: Run by ``python -c``: fork, and in the grandchild (its own session, lower priority, reading
#: and writing nothing) remove the directory; the first process exits at once.
_REMOVER = """\
import os, shutil, sys
if os.fork() == 0:
    os.setsid()
    os.nice(10)
    shutil.rmtree(sys.argv[1], ignore_errors=True)
os._exit(0)
"""


def _remove_detached(path: Path) -> None:
    """Remove ``path`` in a detached process (here, if none can be started)."""
    import subprocess

    try:
        subprocess.run(
            [sys.executable, "-I", "-c", _REMOVER, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(path, ignore_errors=True)


def _publish(stage: Path, target: Path) -> None:
    if not target.exists():
        os.replace(stage, target)  # atomic
        return
    if _exchange(stage, target):  # atomic: ``stage`` now holds the old files
        for item in sorted(stage.iterdir()):
            if not (target / item.name).exists():  # kept: what this build does not write
                os.replace(item, target / item.name)
        return
    for item in sorted(stage.rglob("*")):  # no exchange here: one file at a time
        if item.is_file():
            destination = target / item.relative_to(stage)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(item, destination)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, bytes(a), at_fdcwd, bytes(b), rename_exchange)
    return bool(result == 0)


def _remove_stale_stages(target: Path) -> None:
    """Remove staging directories of ``target`` whose build process no longer runs, and
    discarded ones (again, detached: a remover may still be at work on them)."""
    name = re.escape(target.name)
    pattern = re.compile(rf"\.{name}\.staging-(\d+)-")
    discarded = re.compile(rf"\.{name}\.discarded-")
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    for item in siblings:
        match = pattern.match(item.name)
        if match and item.is_dir() and not _running(int(match[1])):
            shutil.rmtree(item, ignore_errors=True)
        elif discarded.match(item.name) and item.is_dir():
            _remove_detached(item)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: The pipe's buffer, larger than the default 64 KiB so the reader wakes less often (Linux's
#: default ceiling for an unprivileged process is 1 MiB).
PIPE_SIZE = 1 << 20


@contextmanager
def concatenation(files: Sequence[Path], tail: bytes, path: Path) -> Iterator[Path]:
    """``path``, which reads as ``files`` and then ``tail``, for one reader in the block.

    A named pipe fed by a thread, the files copied by the kernel (``sendfile``). The feeder
    stops when the block ends: a reader that stops early, or never opens the pipe, leaves no
    thread behind. Where named pipes are missing, ``path`` is a file of the joined bytes.
    """
    if not hasattr(os, "mkfifo"):
        with path.open("wb") as out:
            for part in files:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, out, 1 << 22)
            out.write(tail)
        yield path
        return
    os.mkfifo(path)
    opened, stop = threading.Event(), threading.Event()
    feeder = threading.Thread(target=_feed, args=(files, tail, path, opened, stop), daemon=True)
    feeder.start()
    try:
        yield path
    finally:
        stop.set()
        if not opened.is_set():  # no reader came: be one until the feeder has opened its end
            reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            try:
                opened.wait()  # bounded: with a reader there, opening for writing is at once
            finally:
                os.close(reader)
        feeder.join()


def _unread(fd: int) -> int:
    """How many bytes of the pipe at ``fd`` are not yet read (0 where that cannot be told)."""
    import fcntl
    import struct
    import termios

    try:
        return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
    except OSError:
        return 0


def _feed(
    files: Sequence[Path], tail: bytes, path: Path, opened: threading.Event, stop: threading.Event
) -> None:
    """Write the files and ``tail`` into the named pipe at ``path`` once a reader opens it,
    then close it (the reader then reads the end); stop early once ``stop`` is set."""
    import fcntl  # where there are named pipes
    import select
    import time

    try:  # waits for a reader: the data of a pipe that nobody has open is lost, so the writer
        fd = os.open(path, os.O_WRONLY)  # may not open it, write and close before the reader
    finally:
        opened.set()
    if stop.is_set():
        os.close(fd)
        return

    def ready() -> bool:
        """Wait, at most a tenth of a second, for room in the pipe, then for the reader to
        have read half of it: False if told to stop.

        A full pipe is writable again as soon as the reader has taken a page of it, so writing
        at once would send a page at a time, and wake the reader's side for each (110,000
        sends and 90,000 switches for the 750 MB of 100,000 regions: 2 s of CPU in all).
        """
        select.select([], [fd], [], 0.1)
        for _ in range(200):  # bounded: at most a tenth of a second more
            if stop.is_set() or _unread(fd) <= PIPE_SIZE // 2:
                break
            time.sleep(0.0005)
        return not stop.is_set()

    try:
        os.set_blocking(fd, False)  # so that a full pipe nobody reads cannot hold the feeder
        with contextlib.suppress(OSError):  # not every system lets a pipe grow
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        for part in files:
            with part.open("rb") as source:
                offset, size = 0, os.fstat(source.fileno()).st_size
                while offset < size:  # bounded: each pass sends, or waits for stop
                    try:
                        sent = os.sendfile(fd, source.fileno(), offset, size - offset)
                    except BlockingIOError:
                        if not ready():
                            return
                        continue
                    if sent == 0:
                        break
                    offset += sent
        view = memoryview(tail)
        while view:  # bounded: idem
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                if not ready():
                    return
    except BrokenPipeError:
        pass  # the reader stopped reading
    finally:
        os.close(fd)


class GrowingFile(io.RawIOBase):
    """A file that another process is writing, read as it grows: at its end, a read waits
    (``poll`` seconds at a time) for more, or for ``done`` to tell that the writing is over,
    whereupon the rest is read to the end. ``done`` is a pipe's receiving end: a message means
    the file is complete, its closing without one that it never will be (:class:`OSError`).
    :attr:`completed` is when the writing was told over (``time.perf_counter()``)."""

    def __init__(self, path: Path, done: Any, poll: float = 0.02) -> None:
        self.path = path
        self.done = done
        self.poll = poll
        self.completed: float | None = None
        self._file: io.FileIO | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:  # bounded: ends once the writer's process tells, or its pipe closes
            if self._file is None and self.path.exists():
                self._file = io.FileIO(self.path)
            if self._file is not None:
                count = self._file.readinto(buffer)
                if count or self.completed is not None:
                    return count
            if self.completed is None and self.done.poll(self.poll):
                try:
                    self.done.recv()
                except EOFError:
                    raise OSError(f"{self.path} was not written to its end") from None
                self.completed = time.perf_counter()
                if self._file is None:
                    self._file = io.FileIO(self.path)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()
