"""Earlier versions of a workspace file: replacing an input workbook (or the card template) first keeps
the current one as a dated copy in `旧版本/` (`户籍监测名单-20261201-171700.xlsx`), and any dated copy
can be put back, the file it replaces being kept the same way. Nothing is ever deleted; every file
comes into place with one rename, so a reader sees the old file or the new one, never a part of one.

An input workbook may change format (a CSV replacing an .xlsx): its dated copies are then those of
its name with any workbook extension (`suffixes`), and the new file comes in under its own extension;
the caller names it in fanpin.toml (`record`) before the old file is removed, so the setting never
names a file that is not there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable, Collection
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


def _pattern(current: Path, suffixes: Collection[str]) -> re.Pattern[str]:
    endings = "|".join(re.escape(suffix) for suffix in sorted({current.suffix, *suffixes}))
    return re.compile(
        re.escape(current.stem) + r"-(\d{8}-\d{6})(?:-(\d+))?(?:" + endings + r")\Z",
        re.IGNORECASE,
    )


def versions_of(current: Path, root: Path, suffixes: Collection[str] = ()) -> list[Version]:
    """The dated copies of `current` (a file in the workspace `root`), newest first; with `suffixes`,
    also those of its name under any of these extensions."""
    folder = versions_folder(root)
    if not folder.is_dir():
        return []
    pattern = _pattern(current, suffixes)
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


def replace_keeping_version(
    new_file: Path,
    current: Path,
    root: Path,
    *,
    target: Path | None = None,
    record: Callable[[Path], None] | None = None,
) -> Version | None:
    """Put `new_file` (on the same disk) in place of `current`, keeping the current one as a dated
    copy first; returns that copy (None when there was no current file).

    With `target` (the same name under the extension the new content calls for), the new file comes in
    as `target`, a file already there is kept as a dated copy too, `record(target)` names it where
    `current` was named, and only then is `current` removed (its dated copy stays)."""
    destination = target if target is not None else current
    kept = keep_version(current, root)
    if destination != current:
        stray = keep_version(destination, root)
        kept = kept or stray
    try:
        os.replace(new_file, destination)
    except OSError as exc:
        raise os_error("无法保存", destination, exc) from None
    if record is not None:
        record(destination)
    if destination != current:
        try:
            current.unlink(missing_ok=True)
        except OSError as exc:
            raise os_error("无法移走原来的文件", current, exc) from None
    return kept


def restore_version(
    name: str,
    current: Path,
    root: Path,
    *,
    suffixes: Collection[str] = (),
    record: Callable[[Path], None] | None = None,
) -> tuple[Version | None, Path]:
    """Put the dated copy called `name` back in place of `current`, under the extension it has; the
    current file is kept as a dated copy first. Only a name among `versions_of(current, root,
    suffixes)` is accepted: a request names a version, never a path. Returns the dated copy of the
    file it replaced and where the version now is."""
    chosen = next((v for v in versions_of(current, root, suffixes) if v.name == name), None)
    if chosen is None:
        raise SettingsError(
            f"没有找到「{current.name}」的旧版本「{name}」",
            hint="刷新页面，从列出的旧版本中选择",
        )
    suffix = chosen.path.suffix
    target = current if suffix.lower() == current.suffix.lower() else current.with_name(current.stem + suffix)
    kept = replace_keeping_version(chosen.path, current, root, target=target, record=record)
    return kept, target
