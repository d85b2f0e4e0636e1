"""Writing output safely: atomic files, byte-identical Office zips, no overwrite of a user's edits.

Every file goes to a temporary name in its own folder and is moved into place with os.replace, so a
crash or Ctrl-C never leaves a half-written file under a final name (`outputfiles`). `OutputDir` keeps a manifest of
the hashes of what it wrote; a later run refuses to overwrite a file whose hash changed since (a
user edited it) unless forced. After a run that makes a whole batch, `remove_outdated(folder)` deletes
what an earlier run wrote there and this one did not (still as the tool left it), so no stale
document stays beside the new ones.

One run writes into a folder at a time: `guard` (and every write) takes the folder's lock
(`outputlock`), `save_manifest` gives it back; a second run is refused with the holder's process id
and start time. Before writing, `guard` checks every path (`outputpaths`): no link inside the folder
is written or deleted through, no file stands where a folder goes. OS errors are told in Chinese
(磁盘已满, 没有写入权限, 文件名太长) with the file they happened to (`errors.os_error`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os  # noqa: F401  (output.os: the module whose os.replace moves every file into place)
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import OutputError, os_error
from .outputfiles import (
    JOURNAL,
    STALE_AFTER_SECONDS,
    TEMP_MARK,
    Journal,
    append_journal,
    atomic_target,
    remove_stale_temporaries,
    write_atomic,
    write_error,
)
from .outputlock import LockedFolder
from .outputpaths import check_targets, is_file, link_inside

MANIFEST = ".fanpin-manifest.json"
# what writing one file takes lives in outputfiles; these names stay importable from here
__all__ = [
    "JOURNAL",
    "MANIFEST",
    "STALE_AFTER_SECONDS",
    "TEMP_MARK",
    "Outdated",
    "OutputDir",
    "append_journal",
    "atomic_target",
    "normalize_office_zip",
    "remove_stale_temporaries",
    "sha256",
    "write_atomic",
    "write_error",
]
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalize_office_zip(data: bytes, timestamp: str) -> bytes:
    """Rewrite an Office zip so it depends only on its content: fixed entry times, a fixed order
    after [Content_Types].xml, and created/modified in docProps/core.xml set to `timestamp`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    stamp = timestamp.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            content = source.read(name)
            if name == "docProps/core.xml":
                content = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content, compresslevel=6)
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Outdated:
    """Files an earlier run wrote under a folder that this run no longer produces."""

    removed: tuple[str, ...] = ()  # as the tool left them: deleted
    kept: tuple[str, ...] = ()  # edited since the tool wrote them: left in place

    def summary(self) -> str:
        """「已删除上次生成、本次不再需要的 N 个文件：…」, or '' when none was removed."""
        if not self.removed:
            return ""
        return f"已删除上次生成、本次不再需要的 {len(self.removed)} 个文件：{_shown(self.removed)}"

    def notes(self) -> list[str]:
        if not self.kept:
            return []
        return [
            f"以下 {len(self.kept)} 个文件是以前生成的、本次不再需要，但生成后被修改过，没有删除："
            f"{_shown(self.kept)}；确认不再需要后可自行删除"
        ]


def _shown(relatives: tuple[str, ...], limit: int = 10) -> str:
    return "、".join(relatives[:limit]) + (f" 等 {len(relatives)} 个文件" if len(relatives) > limit else "")


class OutputDir(LockedFolder):
    """The output folder of one run.

    >>> out = OutputDir(Path("output"), timestamp="2024-01-01T00:00:00Z")
    >>> out.write_office("明白卡/某镇/某村/001_张三.docx", document)
    >>> out.save_manifest()
    """

    def __init__(self, root: Path, *, timestamp: str, force: bool = False) -> None:
        _check_folder(root)
        self.root = root
        self.timestamp = timestamp
        self.force = force
        self._manifest_path = root / MANIFEST
        self._previous = self._read_manifest()
        self._written: dict[str, str] = {}
        self._journal = Journal(root)
        self.removed_temporaries = remove_stale_temporaries(root)
        self._init_lock(root)

    def _locked(self) -> None:
        """On taking the lock, read again what the folder holds: a run that just finished may have
        changed it."""
        self._previous = self._read_manifest()

    def _read_manifest(self) -> dict[str, set[str]]:
        """Known hashes per file: the last saved manifest, plus the journal of a run that was killed
        before it could save one (several hashes when a file was being replaced)."""
        known: dict[str, set[str]] = {}
        try:
            data = json.loads(self._manifest_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            data = {}
        except OSError as exc:  # no permission, a folder named like the manifest, …
            raise _unreadable(self._manifest_path, exc) from None
        files = data.get("files", {}) if isinstance(data, dict) else {}
        for relative, digest in files.items():
            known.setdefault(relative, set()).add(digest)
        for relative, digests in self._read_journal().items():
            known.setdefault(relative, set()).update(digests)
        return known

    def _read_journal(self) -> dict[str, set[str]]:
        """The hashes the journal notes per file (a line is written before its file is moved into place)."""
        try:
            lines = (self.root / JOURNAL).read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            lines = []
        except OSError as exc:
            raise _unreadable(self.root / JOURNAL, exc) from None
        noted: dict[str, set[str]] = {}
        for line in lines:
            digest, _, relative = line.partition(" ")
            if relative:
                noted.setdefault(relative, set()).add(digest)
        return noted

    def path(self, relative: str) -> Path:
        return self.root / relative

    def edited_files(self, relatives: list[str] | None = None) -> list[str]:
        """Files this run would overwrite that are not as the tool left them (edited by a user, or
        never written by the tool). With `relatives=None`, every file in the manifest is checked."""
        candidates = relatives if relatives is not None else list(self._previous)
        edited = []
        for relative in candidates:
            target = self.root / relative
            if not target.is_file():
                continue
            known = self._previous.get(relative)
            if not known or self._hash(target) not in known:
                edited.append(relative)
        return edited

    def _hash(self, target: Path) -> str:
        try:
            return sha256(target.read_bytes())
        except OSError as exc:  # a file without read permission, …
            raise os_error("无法读取输出文件夹中的", target, exc, reading=True) from None

    def guard(self, relatives: list[str]) -> None:
        """Before a batch writes anything: take the folder's lock, and refuse the whole batch if a path
        cannot be written (a file where a folder goes, a folder where a file goes, a link leading out of
        the folder, no permission) or would overwrite edited files. The lock is given back on refusal."""
        self.lock()
        try:
            check_targets(self.root, relatives)
            self._refuse_edited(relatives)
        except BaseException:
            self.release()
            raise

    def _refuse_edited(self, relatives: list[str]) -> None:
        if self.force:
            return
        edited = self.edited_files(relatives)
        if edited:
            shown = "、".join(edited[:10]) + (f" 等 {len(edited)} 个文件" if len(edited) > 10 else "")
            raise OutputError(
                f"以下文件在上次生成后被修改过（或不是本工具生成的），不会覆盖：{shown}",
                hint="先把修改过的文件另存到别处，或加 --force 覆盖",
            )

    def write_bytes(self, relative: str, data: bytes) -> Path:
        self.lock()
        target = self.root / relative
        check_targets(self.root, [relative])
        if not self.force and relative not in self._written and self.edited_files([relative]):
            raise OutputError(
                f"文件「{target}」在上次生成后被修改过（或不是本工具生成的），不会覆盖",
                hint="先把修改过的文件另存到别处，或加 --force 覆盖",
            )
        self._written[relative] = self.write_planned(relative, data)
        return target

    def write_planned(self, relative: str, data: bytes) -> str:
        """Write a file of a batch `guard` has checked, without checking it again (a worker process's
        copy writes under its parent's lock this way): noted in the journal, then moved into place.
        Returns its hash; the caller `record`s it."""
        target = self.root / relative
        digest = sha256(data)
        try:
            append_journal(self.root, relative, digest, self._journal)
            write_atomic(target, data)
        except OSError as exc:  # the disk is full or read-only: say so about the file being written
            raise write_error(target, exc) from None
        return digest

    def write_office(self, relative: str, document: Any) -> Path:
        """Save a python-docx Document or openpyxl Workbook deterministically."""
        buffer = io.BytesIO()
        document.save(buffer)
        return self.write_bytes(relative, normalize_office_zip(buffer.getvalue(), self.timestamp))

    def write_workbook(self, relative: str, workbook: Any, cached: Any = None) -> Path:
        """Save an openpyxl Workbook deterministically, with cached values for the tool's formulas."""
        from .xlsx import workbook_bytes

        return self.write_bytes(
            relative, normalize_office_zip(workbook_bytes(workbook, cached), self.timestamp)
        )

    def record(self, relative: str, digest: str) -> None:
        """Note a file written by a worker process (already atomic) in the manifest."""
        self._written[relative] = digest

    @property
    def written(self) -> dict[str, str]:
        return dict(self._written)

    def remove_outdated(self, folder: str) -> Outdated:
        """After a complete run that produces everything under `folder`: delete the files there that
        an earlier run wrote (the manifest, or the journal of a killed run, knows them) and this run
        did not, when they are still as the tool left them; a file edited since is kept and returned.

        Deleted files drop out of the manifest at `save_manifest()` (it keeps existing files only);
        kept ones stay in it with the tool's hash, so they still count as edited. Folders left empty
        below `folder` are removed too."""
        self.lock()
        prefix = folder.strip("/") + "/"
        removed: list[str] = []
        kept: list[str] = []
        for relative in sorted(self._previous):
            parts = PurePosixPath(relative).parts
            if not relative.startswith(prefix) or relative in self._written or ".." in parts:
                continue
            target = self.root / relative
            if link_inside(self.root, relative) is not None or not target.is_file():
                continue  # never delete through a link that leads out of the folder
            if self._hash(target) not in self._previous[relative]:
                kept.append(relative)
                continue
            try:
                target.unlink()
            except OSError as exc:
                raise os_error("无法删除上次生成、本次不再需要的", target, exc) from None
            removed.append(relative)
            self._remove_empty_folders(target.parent, self.root / prefix)
        return Outdated(tuple(removed), tuple(kept))

    def _remove_empty_folders(self, folder: Path, top: Path) -> None:
        while folder != top and top in folder.parents:
            try:
                folder.rmdir()
            except OSError:  # not empty (or cannot): stop here
                return
            folder = folder.parent

    def save_manifest(self) -> None:
        """Record what the folder holds and give back the lock. Called in a `finally` after an error,
        a failure here (the same full disk) is not raised: the run's own error says what happened, and
        the journal still tells the next run which files are the tool's."""
        failing = sys.exc_info()[1] is not None
        try:
            self.lock()  # never beside another run's writing
            self._save_manifest()
        except (OSError, OutputError):
            if not failing:
                raise
        finally:
            self._journal.close()
            self.release()

    def _save_manifest(self) -> None:
        # A worker's file is recorded when the main process hears of it; one it never heard of (an
        # interruption between the two) is still in the journal, noted before the file was moved into
        # place — and kept if the file on disk is the one noted (the move happened).
        journaled = self._read_journal()
        files: dict[str, str] = {}
        for relative in sorted(set(self._previous) | set(self._written) | set(journaled)):
            if not is_file(self.root, relative):
                continue
            if relative in self._written:
                files[relative] = self._written[relative]
                continue
            known = self._previous.get(relative, set()) | journaled.get(relative, set())
            if len(known) == 1 and relative not in journaled:
                files[relative] = next(iter(known))
            elif (current := self._hash(self.root / relative)) in known:
                files[relative] = current
        payload = json.dumps({"tool": "fanpin-docs", "files": files}, ensure_ascii=False, indent=1)
        write_atomic(self._manifest_path, payload.encode("utf-8"))
        self._journal.close()
        (self.root / JOURNAL).unlink(missing_ok=True)


def _check_folder(root: Path) -> None:
    """The output folder is a folder, or can become one: neither it nor a folder above it is a file."""
    for folder in (root, *root.parents):
        if not folder.exists():  # also False for a path under a file
            continue
        if folder.is_dir():
            return
        where = "是一个文件" if folder == root else f"无法创建：「{folder}」是一个文件"
        raise OutputError(
            f"输出文件夹「{root}」{where}，不是文件夹",
            hint="用 --out 指定一个文件夹（不存在时会自动创建），或在 fanpin.toml 的 [output] dir 中修改",
        )


def _unreadable(path: Path, exc: OSError) -> OutputError:
    return os_error("无法读取输出文件夹中的", path, exc, reading=True)
