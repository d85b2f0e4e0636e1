"""One writer per output folder: the lock file `.fanpin-lock` in the folder.

The lock is an operating-system lock on the file (flock on Linux/macOS, msvcrt on Windows), so it
belongs to the open file and ends with the process that holds it: the lock of a run that crashed or
was killed (kill -9, power cut) is free at once, and the next run takes it over without guessing
from process ids. The file also names the holder (process id, start time, host, command line) so a
second run into the same folder is refused with a message saying who is writing there. A second
run does not wait: it stops before writing anything, and can be started again when the first is
done (a web page can queue runs itself).

Two `FolderLock`s of one folder also exclude each other inside one process (two threads of a
server), since each opens the file anew.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from .errors import OutputError, os_error
from .outputpaths import NO_FOLLOW

LOCK = ".fanpin-lock"
_ATTEMPTS = 20  # the file can be removed by a releasing holder between our open and our lock


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) a folder's lock."""

    pid: int
    started: str  # local time, 2024-05-10 09:30:00
    host: str = ""
    command: str = ""

    def describe(self) -> str:
        where = f"，计算机 {self.host}" if self.host and self.host != socket.gethostname() else ""
        what = f"，命令 {self.command}" if self.command else ""
        return f"进程 {self.pid}（{self.started} 开始{where}{what}）"


class FolderLock:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / LOCK
        self._fd: int | None = None
        self._borrowed = False  # a copy in a worker process writing for the holder

    def __getstate__(self) -> dict[str, object]:
        """A copy sent to a worker process writes under its parent's lock: it neither takes nor ends it."""
        return {**self.__dict__, "_fd": None, "_borrowed": self._borrowed or self._fd is not None}

    @property
    def held(self) -> bool:
        return self._fd is not None or self._borrowed

    def acquire(self) -> Holder | None:
        """Take the lock, or raise OutputError naming its holder. Returns the holder of a lock that was
        left behind by a process that ended without releasing it (taken over), else None."""
        if self.held:
            return None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error("无法创建输出文件夹", self.root, exc) from None
        for _ in range(_ATTEMPTS):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | NO_FOLLOW, 0o644)
            except OSError as exc:
                if self.path.is_symlink():
                    raise OutputError(
                        f"输出文件夹中的锁文件「{self.path}」是一个链接，不会通过它写入",
                        hint="删除这个链接后重试",
                    ) from None
                raise os_error("无法创建输出文件夹的锁文件", self.path, exc) from None
            if not _try_lock(fd):
                holder = _read(fd)
                os.close(fd)
                raise busy(self.root, holder)
            if not _same_file(fd, self.path):  # released and removed meanwhile: try the new file
                os.close(fd)
                continue
            left = _read(fd)
            try:
                _write(fd, _me())
            except OSError as exc:
                _close(fd)
                raise os_error("无法写入输出文件夹的锁文件", self.path, exc) from None
            self._fd = fd
            return left
        raise busy(self.root, None)

    def release(self) -> None:
        if self._borrowed:
            return
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform == "win32":  # an open file cannot be removed there
            _close(fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # before unlocking: a waiting opener then sees a new file
        _close(fd)


def busy(root: Path, holder: Holder | None) -> OutputError:
    who = holder.describe() if holder else "另一个程序"
    return OutputError(
        f"输出文件夹「{root}」正在被另一次运行写入（{who}），本次没有写入任何文件",
        hint="等那次运行结束后再运行，或用 --out 换一个输出文件夹；"
        f"确认没有其他 fanpin 在运行时，锁文件「{LOCK}」不会挡住下一次运行",
    )


def _me() -> Holder:
    return Holder(
        pid=os.getpid(),
        started=time.strftime("%Y-%m-%d %H:%M:%S"),
        host=socket.gethostname(),
        command=" ".join(os.path.basename(part) if i == 0 else part for i, part in enumerate(sys.argv))[:200],
    )


def _write(fd: int, holder: Holder) -> None:
    data = json.dumps(holder.__dict__, ensure_ascii=False).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def _read(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8"))
        return Holder(int(data["pid"]), str(data["started"]), str(data["host"]), str(data["command"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # empty (just created) or unreadable (locked on Windows)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _close(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _close(fd: int) -> None:
        os.close(fd)  # ends the flock (of this open file; forked workers' copies end with them)


class LockedFolder:
    """The lock methods of an output folder (`output.OutputDir`): `lock` makes this run the only writer
    of the folder, `release` gives the lock back; `with folder:` does both. A copy sent to a worker
    process writes under this run's lock and never ends it."""

    _lock: FolderLock

    def _init_lock(self, root: Path) -> None:
        self._lock = FolderLock(root)
        self._release = weakref.finalize(self, self._lock.release)  # also if a run forgets to

    def _locked(self) -> None:
        """Called each time the lock is taken (by `lock`)."""

    def lock(self) -> None:
        """Become the only writer of the folder, or raise OutputError naming the run that writes there.
        `guard` and every write take the lock; `save_manifest` (or `release`) gives it back."""
        if self._lock.held:
            return
        self._lock.acquire()
        self._locked()

    def release(self) -> None:
        self._lock.release()

    def __getstate__(self) -> dict[str, object]:
        """For a worker process (training's pool): it writes under this run's lock, never ends it."""
        return {key: value for key, value in self.__dict__.items() if key != "_release"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def __enter__(self) -> Self:
        self.lock()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def process_alive(pid: int) -> bool:
    """Whether a process runs (a zombie, killed but not yet reaped, does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or we cannot tell: keep its files
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (Windows, macOS): it exists
    return stat.rpartition(")")[2].split()[0] != "Z"
