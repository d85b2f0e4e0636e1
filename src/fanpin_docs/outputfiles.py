"""Writing one file of the output folder: under a temporary name beside its final name, then moved into
place (`write_atomic`), after a line in the run's journal (`Journal`) says it is the tool's.

A batch writes thousands of files, so each costs as few system calls as it can: the temporary file is
created, written and closed with `os` calls, its folder is made only when it is missing, and each
process keeps the journal open for the whole batch instead of opening it for every line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, os_error
from .outputlock import process_alive
from .outputpaths import NO_FOLLOW

JOURNAL = ".fanpin-manifest.journal"  # what a running batch wrote, line by line, until the manifest is saved
TEMP_MARK = ".fanpin-tmp-"
STALE_AFTER_SECONDS = 6 * 3600  # no file of a live batch stays half-written for hours
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
_APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0) | NO_FOLLOW


def temporary_path(path: Path) -> Path:
    """Where `path` is written before it is moved into place (the name carries the process id)."""
    return path.with_name(f"{TEMP_MARK}{os.getpid()}-{path.name}")


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`; moved onto `path` when the block succeeds, removed if it fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_path(path)
    try:
        yield temp
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """`data` under a temporary name beside `path`, then moved onto it; the folder is made if missing.
    Raises OutputError naming `path` (disk full, read-only drive, no permission, a folder of that name, …);
    no temporary file is left behind, also on Ctrl-C. (A batch writes thousands: the temporary name is
    made as text, `temporary_path`'s name without a Path object.)"""
    target = os.fspath(path)
    temp = os.path.join(os.path.dirname(target), f"{TEMP_MARK}{os.getpid()}-{path.name}")
    try:
        try:
            fd = os.open(temp, _CREATE, 0o666)
        except FileNotFoundError:  # the folder's first file
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(temp, _CREATE, 0o666)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from None
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_error(path: Path, exc: OSError) -> OutputError:
    """The error for a file that could not be written, naming the file and what happened."""
    if isinstance(exc, IsADirectoryError) or (path.is_dir() and not path.is_symlink()):
        return OutputError(f"无法写入「{path}」：已有同名的文件夹", hint="改名或移走这个文件夹后重试")
    if isinstance(exc, (NotADirectoryError, FileExistsError)) or exc.errno == errno.ENOTDIR:
        blocker = next((p for p in path.parents if p.is_file()), None)
        if blocker is not None:
            return OutputError(
                f"无法写入「{path}」：「{blocker}」是一个文件，这里需要一个文件夹",
                hint="改名或移走这个文件，或用 --out 换一个输出文件夹",
            )
    return os_error("无法写入", path, exc)


def remove_stale_temporaries(root: Path) -> int:
    """Delete temporary files that a run killed outright (power cut, kill -9) left behind.

    A temporary name carries the writing process's id; files of a process that still runs (another
    batch writing into the same folder) are left alone, unless they are hours old (the id has been
    reused by an unrelated process). Returns how many were removed.
    """
    if not root.is_dir():
        return 0
    removed = 0
    now = time.time()
    for path in root.rglob(f"{TEMP_MARK}*"):
        pid_text = path.name[len(TEMP_MARK) :].split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        try:
            old = now - path.stat().st_mtime > STALE_AFTER_SECONDS
        except FileNotFoundError:
            continue  # its writer just moved it into place
        if old or not process_alive(int(pid_text)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class Journal:
    """The run's journal (`JOURNAL` in the output folder), appended to by every process of the run.

    Each process opens it once, on its first line (a worker forked from the run opens its own), and
    `close()` ends it before the manifest replaces it. A link in its place is not written through."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._fd: int | None = None
        self._pid = 0

    def __getstate__(self) -> dict[str, object]:
        """A copy sent to a worker process opens the journal itself."""
        return {**self.__dict__, "_fd": None, "_pid": 0}

    def append(self, relative: str, digest: str) -> None:
        if self._fd is None or self._pid != os.getpid():
            self.root.mkdir(parents=True, exist_ok=True)
            self._fd, self._pid = os.open(self.root / JOURNAL, _APPEND, 0o644), os.getpid()
        _write_all(self._fd, f"{digest} {relative}\n".encode())

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None and self._pid == os.getpid():
            os.close(fd)


def append_journal(root: Path, relative: str, digest: str, journal: Journal | None = None) -> None:
    """Note a file in the run's journal *before* it is moved into place, so that even a run killed
    outright (kill -9, power cut) leaves a record of what it wrote: the next run then knows the file
    as its own and overwrites it without asking for --force. Through `journal` when the caller keeps
    one open, else opened for this line alone."""
    if journal is not None:
        journal.append(relative, digest)
        return
    once = Journal(root)
    try:
        once.append(relative, digest)
    finally:
        once.close()
