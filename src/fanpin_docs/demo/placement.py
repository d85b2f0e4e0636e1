"""Putting the demo's files into a folder without overwriting anything that is not the demo's own.

The demo writes fanpin.toml, the four input workbooks and copies of the templates and policies. It
writes them into:

- a folder that does not exist yet, or is empty;
- a previous demo workspace (it has the demo's record, or a fanpin.toml the demo wrote);
- any other folder only with --force.

Even then, a file already at one of those paths is replaced only when it is the demo's own: its
content is what a previous demo wrote there (the hashes in `.fanpin-demo.json`) or what the demo is
about to write. Anything else (a user's roster, an edited copy) stops the demo before it writes
anything, with or without --force.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..errors import SettingsError
from ..output import sha256, write_atomic
from ..settings import SETTINGS_FILE

RECORD = ".fanpin-demo.json"  # relative path → hashes of what the demo wrote there


def read_record(folder: Path) -> dict[str, set[str]] | None:
    """The demo's record in `folder`, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return None
    record: dict[str, set[str]] = {}
    for relative, hashes in files.items():
        listed = hashes if isinstance(hashes, list) else [hashes]
        record[str(relative)] = {str(h) for h in listed}
    return record


def has_demo_settings(folder: Path, mark: str) -> bool:
    """Whether `folder` holds a fanpin.toml the demo wrote (its first line is the demo's mark)."""
    try:
        with open(folder / SETTINGS_FILE, encoding="utf-8", errors="replace") as settings:
            return settings.readline().startswith(mark)
    except OSError:
        return False


def check_folder(folder: Path, *, mark: str, force: bool) -> None:
    """Before anything is generated: `folder` is new, empty, a previous demo workspace, or --force."""
    if folder.exists() and not folder.is_dir():
        raise SettingsError(f"「{folder}」是一个文件，不是文件夹", hint="用 --out 指定一个文件夹")
    if not folder.exists() or force or read_record(folder) is not None:
        return
    if (folder / SETTINGS_FILE).is_file():
        if has_demo_settings(folder, mark):
            return
        raise SettingsError(
            f"「{folder}」是一个实际工作区（{SETTINGS_FILE} 不是演示生成的），演示不会覆盖它",
            hint="用 --out 指定另一个文件夹，如 fanpin demo --out 演示",
        )
    if any(folder.iterdir()):
        raise SettingsError(
            f"「{folder}」不是空文件夹，也不是演示工作区，演示不会在其中生成文件",
            hint="用 --out 指定一个新的或空的文件夹，如 fanpin demo --out 演示；"
            "确要放在这个文件夹中，加 --force（不是演示生成的文件仍然不会被覆盖）",
        )


def foreign_files(folder: Path, files: Mapping[str, bytes], *, mark: str) -> list[str]:
    """The paths among `files` where `folder` already holds something that is not the demo's own."""
    record = read_record(folder)
    foreign = []
    for relative, data in files.items():
        target = folder / relative
        if not target.exists():
            continue
        if not target.is_file():
            foreign.append(relative)
            continue
        current = target.read_bytes()
        if current == data:
            continue
        if record is not None and relative in record:
            if sha256(current) not in record[relative]:
                foreign.append(relative)
            continue
        if relative == SETTINGS_FILE and record is None and current.startswith(mark.encode("utf-8")):
            continue  # a demo workspace made before the record existed: its fanpin.toml says so
        foreign.append(relative)
    return foreign


def place_files(folder: Path, files: Mapping[str, bytes], *, mark: str) -> list[Path]:
    """Write `files` into `folder` (atomically, one by one), or raise SettingsError and write nothing
    if one would replace a file that is not the demo's own."""
    foreign = foreign_files(folder, files, mark=mark)
    if foreign:
        shown = "、".join(foreign[:10]) + (f" 等 {len(foreign)} 个" if len(foreign) > 10 else "")
        raise SettingsError(
            f"「{folder}」中的以下文件不是演示生成的（或生成后被修改过），演示不会覆盖（加 --force 也不会）：{shown}",
            hint="把这些文件移到别处，或用 --out 指定一个新的文件夹，如 fanpin demo --out 演示",
        )
    folder.mkdir(parents=True, exist_ok=True)
    previous = read_record(folder) or {}
    new = {relative: sha256(data) for relative, data in files.items()}
    # first the old and the new hashes: a demo killed half way still knows every file it may have written
    _write_record(folder, {r: previous.get(r, set()) | {h} for r, h in new.items()})
    written = []
    for relative, data in files.items():
        target = folder / relative
        write_atomic(target, data)
        written.append(target)
    _write_record(folder, {r: {h} for r, h in new.items()})
    return written


def _write_record(folder: Path, record: Mapping[str, set[str]]) -> None:
    files = {relative: sorted(hashes) for relative, hashes in sorted(record.items())}
    payload = json.dumps({"tool": "fanpin-docs demo", "files": files}, ensure_ascii=False, indent=1)
    write_atomic(folder / RECORD, payload.encode("utf-8"))
