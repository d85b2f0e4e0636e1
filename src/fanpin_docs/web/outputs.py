"""What the 结果 page reads from the output folder: its tree, one folder streamed as a .zip, a page image.

The output folder the page works with must lie inside the workspace (`output_folder`): the
settings form refuses any other, and one set by hand in fanpin.toml is neither listed, served nor
written through the page (the command line may still use it).

Only what the tool writes is shown: its bookkeeping files (`.fanpin-*`: manifest, journal, lock,
temporary files) are left out. The zip is written into the response as it is sent (stdlib `zipfile`
on an unseekable stream, entries with data descriptors), so a folder of 10,000 cards never sits in
memory. Previews go through one warm LibreOffice instance (`pdf.PdfPool`) started by the first one.
"""

from __future__ import annotations

import functools
import io
import os
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FanpinError
from ..pdf import PdfPool, preview_png, require_pdf_tools
from ..settings import load_settings

HIDDEN_PREFIX = ".fanpin"  # manifest, journal, lock and temporary files (output.TEMP_MARK)
PREVIEWABLE = (".docx", ".xlsx")
LISTED = 100  # files of a folder listed in the whole tree; a bigger folder is listed on a page of its own
STORED = (".docx", ".xlsx", ".pdf", ".png", ".zip")  # compressed already: stored as they are
CHUNK = 256 * 1024


OUTSIDE_FIELD = (
    "输出文件夹要在工作区文件夹里面（例如 output 或 成果/2024），不能是工作区本身或它外面的文件夹；"
    "要输出到别处，请用命令行 fanpin"
)


class OutputOutside(FanpinError):
    """The output folder set in fanpin.toml is not inside the workspace: the page does not use it."""


def inside(workspace: Path, folder: Path) -> bool:
    """Whether `folder` (links followed) is a folder inside `workspace`, not the workspace itself."""
    return workspace.resolve() in folder.resolve().parents


def output_folder(workspace: Path) -> Path:
    """The workspace's output folder as the commands resolve it (fanpin.toml [output] dir), or
    `OutputOutside` when it is not inside the workspace."""
    root = load_settings(workspace).output_dir(None)
    if not inside(workspace, root):
        raise OutputOutside(
            f"设置里的输出文件夹「{root}」不在工作区文件夹「{workspace}」里面，"
            "工作台不列出、不下载、也不写入这个文件夹",
            hint="在工作区页「输出」一栏改成工作区里的文件夹（例如 output）后保存；"
            "要输出到别处，请用命令行 fanpin",
        )
    return root


@dataclass
class Entry:
    """A file or folder of the output tree; `relative` is its path inside the output folder."""

    name: str
    relative: str
    size: int = 0
    mtime: float = 0.0
    folders: list[Entry] = field(default_factory=list)
    files: list[Entry] = field(default_factory=list)

    @property
    def previewable(self) -> bool:
        return self.name.lower().endswith(PREVIEWABLE)

    @property
    def count(self) -> int:
        """Files in this folder and below."""
        return len(self.files) + sum(folder.count for folder in self.folders)

    @property
    def size_text(self) -> str:
        return human_size(self.size)

    @property
    def modified(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.mtime))


def shown(path: Path) -> bool:
    return not path.name.startswith(HIDDEN_PREFIX)


def tree(root: Path, folder: Path | None = None) -> Entry:
    """The output folder, or `folder` inside it (empty when nothing was generated yet), folders first,
    by name; paths relative to the output folder."""
    start = folder or root
    top = Entry(name=start.name, relative=start.relative_to(root).as_posix() if folder else "")
    if start.is_dir():
        _fill(top, start, root)
    return top


def _size(entry: Entry) -> int:
    return sum(f.size for f in entry.files) + sum(f.size for f in entry.folders)


def _fill(entry: Entry, folder: Path, root: Path) -> None:
    """One folder's entries (os.scandir: its file types come with the listing, one stat per file)."""
    prefix = f"{entry.relative}/" if entry.relative else ""
    with os.scandir(folder) as listing:
        items = sorted(listing, key=lambda item: item.name)
    for item in items:
        if item.name.startswith(HIDDEN_PREFIX) or item.is_symlink():
            continue
        if item.is_dir():
            child = Entry(name=item.name, relative=prefix + item.name)
            _fill(child, Path(item.path), root)
            entry.folders.append(child)
        elif item.is_file():
            try:
                stat = item.stat()
            except FileNotFoundError:  # replaced by a run since the listing
                continue
            entry.files.append(
                Entry(name=item.name, relative=prefix + item.name, size=stat.st_size, mtime=stat.st_mtime)
            )
    entry.size = _size(entry)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class _Sink(io.RawIOBase):
    """Where zipfile writes: bytes kept until the response takes them."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_stream(folder: Path, prefix: str) -> Iterator[bytes]:
    """Every shown file under `folder` as a zip, in pieces as they are made; names start `prefix/`."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.is_symlink() or not _all_shown(path, folder):
                continue
            name = f"{prefix}/{path.relative_to(folder).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=time.localtime(path.stat().st_mtime)[:6])
            stored = path.suffix.lower() in STORED
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            try:
                source = path.open("rb")
            except FileNotFoundError:  # removed by a run since the listing
                continue
            with source, archive.open(info, "w", force_zip64=path.stat().st_size > 2**31) as target:
                for piece in iter(functools.partial(source.read, CHUNK), b""):
                    target.write(piece)
                    yield sink.take()
    yield sink.take()  # the central directory


def _all_shown(path: Path, folder: Path) -> bool:
    return all(not part.startswith(HIDDEN_PREFIX) for part in path.relative_to(folder).parts)


class Previews:
    """One warm LibreOffice instance for the server's previews, started by the first; a few recent
    page images kept (by file, size and time, so a regenerated file gets a new one)."""

    KEPT = 32

    def __init__(self) -> None:
        self._pool: PdfPool | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()

    @staticmethod
    def unavailable() -> str | None:
        """Why previews cannot be made here (LibreOffice or its Python bridge missing), or None."""
        from ..errors import DependencyError

        try:
            require_pdf_tools()
        except DependencyError as error:
            return str(error)
        return None

    def png(self, document: Path) -> bytes:
        stat = document.stat()
        key = (str(document), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            if self._pool is None:
                pool = PdfPool(1)
                pool.start()  # DependencyError when LibreOffice cannot be used
                self._pool = pool
            pool = self._pool
        image = preview_png(document, pool=pool)
        with self._lock:
            self._cache[key] = image
            while len(self._cache) > self.KEPT:
                self._cache.popitem(last=False)
        return image

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
