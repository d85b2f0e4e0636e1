"""Earlier versions of a workspace file: replacing an input workbook (or the card template) first keeps
the current one as a dated copy in `旧版本/` (`户籍监测名单-20261201-171700.xlsx`), and any dated copy
can be put back, the file it replaces being kept the same way. Nothing is ever deleted; every file
comes into place with one rename, so a reader sees the old file or the new one, never a part of one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError, os_error

VERSIONS_DIR = "旧版本"
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Version:
    """One dated copy of a file."""

    path: Path
    saved: dt.datetime  # when it was replaced (the time in its name)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def shown_time(self) -> str:
        return self.saved.strftime("%Y-%m-%d %H:%M:%S")


def versions_folder(root: Path) -> Path:
    return root / VERSIONS_DIR


def _pattern(current: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(current.stem) + r"-(\d{8}-\d{6})(?:-(\d+))?" + re.escape(current.suffix) + r"\Z",
        re.IGNORECASE,
    )


def versions_of(current: Path, root: Path) -> list[Version]:
    """The dated copies of `current` (a file in the workspace `root`), newest first."""
    folder = versions_folder(root)
    if not folder.is_dir():
        return []
    pattern = _pattern(current)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file() and not entry.is_symlink():
            saved = dt.datetime.strptime(match.group(1), _STAMP)
            found.append((saved, int(match.group(2) or 1), Version(entry, saved)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [version for _, _, version in found]


def keep_version(current: Path, root: Path, *, now: dt.datetime | None = None) -> Version | None:
    """Copy `current` into `旧版本/` under a dated name; None when there is no current file."""
    if not current.is_file():
        return None
    moment = (now or dt.datetime.now()).replace(microsecond=0)
    folder = versions_folder(root)
    base = f"{current.stem}-{moment.strftime(_STAMP)}"
    try:
        folder.mkdir(exist_ok=True)
        target = folder / f"{base}{current.suffix}"
        number = 1
        while target.exists():  # two replacements within one second
            number += 1
            target = folder / f"{base}-{number}{current.suffix}"
        shutil.copy2(current, target)
    except OSError as exc:
        raise os_error("无法保存旧版本", folder, exc) from None
    return Version(target, moment)


def replace_keeping_version(new_file: Path, current: Path, root: Path) -> Version | None:
    """Put `new_file` (on the same disk) in place of `current`, keeping the current one as a dated
    copy first; returns that copy (None when there was no current file)."""
    kept = keep_version(current, root)
    try:
        os.replace(new_file, current)
    except OSError as exc:
        raise os_error("无法保存", current, exc) from None
    return kept


def restore_version(name: str, current: Path, root: Path) -> Version | None:
    """Put the dated copy called `name` back in place of `current`; the current file is kept as a dated
    copy first. Only a name among `versions_of(current)` is accepted: a request names a version, never
    a path."""
    chosen = next((v for v in versions_of(current, root) if v.name == name), None)
    if chosen is None:
        raise SettingsError(
            f"没有找到「{current.name}」的旧版本「{name}」",
            hint="刷新页面，从列出的旧版本中选择",
        )
    return replace_keeping_version(chosen.path, current, root)
