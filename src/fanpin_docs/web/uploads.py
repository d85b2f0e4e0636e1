"""Receiving a file from the page and handing one back.

The page sends a file as the request body (`fetch(url, {body: file})`), its name in the
`X-File-Name` header (URL-encoded). The body is streamed to a temporary folder inside the workspace
(same disk, so the file comes into place with one rename) and refused as soon as it passes the size
limit, before anything is kept. The name the browser sends is used only to say which file is meant:
where a file is stored is decided by the server.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import unquote

from fastapi import HTTPException, Request
from starlette.responses import Response

from ..filenames import LIMIT, clean
from .downloads import attachment

MAX_UPLOAD = 50 * 1024 * 1024  # bytes
NAME_HEADER = "X-File-Name"
UPLOAD_PREFIX = ".fanpin-upload-"
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}")


def too_large(limit: int) -> HTTPException:
    return HTTPException(
        413,
        f"文件超过 {limit // (1024 * 1024)} MB，没有保存。"
        "请删除工作簿中多余的工作表、图片或空行后另存再上传。",
    )


_PROGRAMS = {frozenset({".docx"}): "Word 或 WPS"}  # what saves a file of these kinds (else a workbook's)


def sent_name(request: Request, suffixes: set[str], default: str) -> str:
    """The file's name as the user knows it (for messages and to read it by its extension); refused
    when its extension is not one of `suffixes`."""
    raw = unquote(request.headers.get(NAME_HEADER, "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = _cleaned(raw, default) if raw.strip() else default
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        shown = suffix or "无扩展名"
        raise HTTPException(
            400,
            f"「{name}」的文件类型（{shown}）不能使用，没有保存。"
            f"请上传 {'、'.join(sorted(suffixes))} 文件（在 {_PROGRAMS.get(frozenset(suffixes), 'Excel 或 WPS')}"
            " 中另存为这种格式）。",
        )
    return name


def _cleaned(raw: str, default: str) -> str:
    """`raw` as a safe file name (`filenames.clean`); a long name is shortened in its stem, so that its
    extension, which says how the file is read, is kept."""
    suffix = Path(raw.strip()).suffix
    if not _EXTENSION.fullmatch(suffix):
        return clean(raw, fallback=default)
    stem = raw.strip()[: -len(suffix)]
    return clean(stem, fallback=Path(default).stem, limit=LIMIT - len(suffix)) + suffix


@asynccontextmanager
async def received(request: Request, folder: Path, name: str) -> AsyncIterator[Path]:
    """The request body saved as `folder/<temporary folder>/name`, refused past `MAX_UPLOAD` bytes;
    the temporary folder and whatever is left in it are removed on leaving (move the file out to keep
    it)."""
    limit = MAX_UPLOAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    folder.mkdir(parents=True, exist_ok=True)
    remove_abandoned(folder)
    temporary = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=folder))
    try:
        target = temporary / name
        size = 0
        with target.open("wb") as handle:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                handle.write(chunk)
        if size == 0:
            raise HTTPException(400, f"「{name}」是空文件（0 字节），没有保存。请重新选择文件。")
        yield target
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def remove_abandoned(folder: Path, *, older_than: float = 3600) -> None:
    """Temporary upload folders a stopped server left behind (an upload takes seconds, not an hour)."""
    limit = time.time() - older_than
    for entry in folder.glob(UPLOAD_PREFIX + "*"):
        try:
            if entry.is_dir() and not entry.is_symlink() and entry.stat().st_mtime < limit:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def download(data: bytes, name: str, media_type: str) -> Response:
    """`data` as a file the browser saves under `name` (a Chinese name survives: RFC 5987)."""
    return Response(data, media_type=media_type, headers={"Content-Disposition": attachment(name)})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
