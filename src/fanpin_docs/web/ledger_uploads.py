"""Workbooks a browser uploads: at most `MAX_UPLOAD_BYTES` each, the format decided by the content (a
renamed program is refused whatever its name says), and stored inside the workspace under a name
the server chooses (the name the browser sends is only shown back in messages)."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from fastapi import HTTPException, Request

from ..errors import InputError, Problem
from ..readers.opening import sniff

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_CHUNK = 1024 * 1024
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
_RESAVE = "在 Excel 或 WPS 中打开，另存为「Excel 工作簿 (.xlsx)」后再上传"


def too_large_text(limit: int) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} 字节"
    return f"上传的文件超过 {size}，已拒绝。请确认选的是工作簿；名单太大时可按行政村分成几个文件。"


def refuse_oversized(request: Request, files: int, limit: int | None = None) -> None:
    """Refuse a request whose declared length is more than `files` uploads could need, before its
    body is read."""
    limit = limit or MAX_UPLOAD_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > files * limit + _CHUNK:
        raise HTTPException(413, too_large_text(limit))


def shown_name(name: str | None) -> str:
    """The browser's file name as messages show it: no folders, no control characters, not too long."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable()).strip()
    return (cleaned[:80] + "…" if len(cleaned) > 80 else cleaned) or "上传的文件"


def store_upload(
    source: BinaryIO, name: str | None, folder: Path, stem: str, *, limit: int | None = None
) -> Path:
    """Copy an upload to `folder/stem` plus the extension its content calls for (.xlsx, .xls, .ods,
    .csv); a file of that name already there is kept and the new one numbered. Nothing is left behind
    when the upload is refused (too large, empty, not a workbook)."""
    display = shown_name(name)
    limit = limit or MAX_UPLOAD_BYTES
    folder.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(dir=folder, prefix=".上传中-", suffix=".part")
    temporary = Path(part)
    try:
        size = 0
        with os.fdopen(handle, "wb") as copy:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise HTTPException(413, too_large_text(limit))
                copy.write(chunk)
        if not size:
            raise InputError([Problem(display, "上传的文件是空的（0 字节）", hint="重新选择文件后再上传")])
        suffix = workbook_suffix(temporary, display)
        target = folder / f"{stem}{suffix}"
        number = 1
        while True:
            try:  # claim the name first: a file already there is never replaced
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                break
            except FileExistsError:
                number += 1
                target = folder / f"{stem}({number}){suffix}"
        try:
            os.replace(temporary, target)
        except OSError:
            target.unlink(missing_ok=True)
            raise
        return target
    finally:
        temporary.unlink(missing_ok=True)


def workbook_suffix(path: Path, display: str) -> str:
    """The extension the readers need for what the file holds; refuses anything that is not a
    workbook (or a table exported as a web page or text, as the national system does)."""
    content = sniff(path)
    if content == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            names, mimetype = set(), b""
        if "xl/workbook.xml" in names:
            return ".xlsx"
        if mimetype == _ODS:
            return ".ods"
        raise InputError([Problem(display, "这是一个压缩包或其他文档，不是 Excel 工作簿", hint=_RESAVE)])
    if content in ("ole", "html"):
        return ".xls"  # an old Excel workbook, or the web-page table the national system saves as .xls
    if content == "text":
        return ".csv" if display.lower().endswith(".csv") else ".xls"
    if content == "ole-encrypted":
        raise InputError(
            [
                Problem(
                    display,
                    "工作簿设置了打开密码（已加密），无法读取",
                    hint="在 Excel/WPS 中打开后，文件→信息→保护工作簿→取消密码，保存后再上传",
                )
            ]
        )
    raise InputError(
        [Problem(display, "文件的内容不是工作簿（可能是程序或图片，只是改了扩展名）", hint=_RESAVE)]
    )
