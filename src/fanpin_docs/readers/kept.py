"""A workbook opened to find out what it is, read from memory instead of being opened a second time.

`fanpin check 名单.xlsx` opens the file to tell which of the four workbooks it is, then its reader
opens it again to read it: for a 10,000-household export that second opening (safety scan and
python-calamine) was half the command's time. Inside `keeping_opened()`, a workbook opened with
`keep_for_reading` is kept for the next opening of the same file, once (then its memory is the
reader's alone), and only while the file is unchanged (same size and modification time). Outside
the block nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

Sheets = dict[str, Any]  # sheet name → rows, as sources.open_workbook returns them
_Key = tuple[str, int, int]

_KEPT: ContextVar[dict[_Key, Sheets] | None] = ContextVar("fanpin_kept_workbooks", default=None)


def _key(path: Path) -> _Key | None:
    try:
        status = path.stat()
        return (str(path.resolve()), status.st_size, status.st_mtime_ns)
    except OSError:
        return None


def take(path: Path) -> Sheets | None:
    """The workbook kept for `path`, handed out once; None when there is none."""
    kept = _KEPT.get()
    if not kept:
        return None
    key = _key(path)
    return kept.pop(key, None) if key is not None else None


def keep(path: Path, sheets: Sheets) -> None:
    """Keep an opened workbook for the next opening of the same file (inside `keeping_opened` only)."""
    kept = _KEPT.get()
    key = _key(path) if kept is not None else None
    if kept is not None and key is not None:
        kept[key] = sheets


@contextmanager
def keeping_opened() -> Iterator[None]:
    """Within the block, workbooks opened with `keep_for_reading` are kept for their reading."""
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)
