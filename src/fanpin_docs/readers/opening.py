"""Before a workbook is handed to the cell reader: what the file really is, and whether it is safe to read.

A file is recognised by its content, not its extension (an .xls renamed to .xlsx after a WeChat
transfer, a web page or a tab-separated text saved as .xls). A zip workbook (.xlsx) is checked
entry by entry before anything is inflated: an entry that would inflate beyond `MAX_ENTRY_BYTES`
is refused, and each sheet's XML is scanned in bounded chunks (`sheetscan`) for how far its cells
reach (a value at XFD1048576 would make the reader allocate a cell grid of 17 billion cells) and for
formulas saved without their result; the binary sheets of an .xlsb are bounded by `xlsbscan`. The
limits and the problems that refuse a file are in `bounds`. A large sheet's rows are read in pieces as
the scan bounds them (`pieces`), so that reading it does not wait for the whole scan.
"""

from __future__ import annotations

import zipfile
import zlib
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem
from .bounds import (
    MAX_CELLS,
    MAX_ENTRY_BYTES,
    SheetScan,
    inflated_size,
    too_big,
    too_large_sheet,
)
from .parts import attributes, find_part, office_folder, relationship_targets, tags, unescape
from .sheetscan import scan_sheet

if TYPE_CHECKING:
    from .pieces import PieceReading, ReadSheet, SheetPieces

PIECES_FROM = 4 * 1024 * 1024  # a sheet's XML (inflated) from this size on is read in pieces (`pieces`)

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def sniff(path: Path) -> str:
    """What the file holds: "zip", "ole", "ole-encrypted", "html", "text" or "unknown"."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole-encrypted" if _ENCRYPTED_STREAM in path.read_bytes() else "ole"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head")) or (
        text.startswith(b"<?xml") and b"<html" in text
    ):
        return "html"
    if b"\0" not in head and head:
        return "text"
    return "unknown"


def scan_xlsx(path: Path) -> dict[str, SheetScan]:
    """Check every part's inflated size and scan each worksheet; refuse what cannot be read safely.

    Returns the scan of each sheet by its name as the workbook lists it.
    """
    return _scan_xlsx(path, read_large=False)[0]


def scan_and_read_xlsx(path: Path) -> tuple[dict[str, SheetScan], dict[str, ReadSheet]]:
    """`scan_xlsx`, with the large visible sheets read in pieces as they are scanned (`pieces`): their
    rows by name (a sheet missing there is read whole, after the scan)."""
    return _scan_xlsx(path, read_large=True)


def _scan_xlsx(path: Path, *, read_large: bool) -> tuple[dict[str, SheetScan], dict[str, ReadSheet]]:
    display = path.name
    read: dict[str, ReadSheet] = {}
    try:
        with zipfile.ZipFile(path) as archive, ExitStack() as stack:
            for info in archive.infolist():
                if info.file_size > MAX_ENTRY_BYTES:
                    raise InputError([too_big(display, info.filename, info.file_size)])
            sheets, hidden = _sheet_parts(archive)
            reading = _piece_reading(archive, sheets, hidden) if read_large else None
            if reading is not None:
                stack.enter_context(reading)
            scans: dict[str, SheetScan] = {}
            read_in_pieces: dict[str, SheetPieces] = {}
            for name, part in sheets:
                first = name not in scans  # the reader reads this part under its name; a later one
                pieces = None  # of the same name is never read, but it is bounded all the same
                if first and reading is not None and name not in hidden and _large(archive, part):
                    pieces = reading.sheet(name, part)
                close_from = MAX_CELLS if pieces is None else min(MAX_CELLS, pieces.reach)
                scan = scan_sheet(archive, part, display, "fast", pieces, close_from=close_from)
                if scan.bound_rows * scan.columns > MAX_CELLS:  # the pieces were each bounded: kept
                    scan = scan_sheet(archive, part, display, "close")
                if scan.rows * scan.columns > MAX_CELLS:
                    scan = scan_sheet(archive, part, display, "exact")
                if scan.rows * scan.columns > MAX_CELLS:
                    raise InputError([too_large_sheet(display, name, scan)])
                if first:
                    scans[name] = scan
                if pieces is not None:
                    read_in_pieces[name] = pieces
            scanned = {part for _, part in sheets}
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    _refuse_doctype(archive, info.filename, display)
                if info.filename not in scanned and info.filename.endswith(".xml"):
                    inflated_size(archive, info.filename, display)
            from . import xlsbscan  # imported here: it builds on this module

            if xlsbscan.is_xlsb(archive):  # binary parts (.xlsb): their own record streams
                scans.update(xlsbscan.scan_xlsb(archive, display))
            for name, pieces in read_in_pieces.items():
                if (sheet := pieces.result()) is not None:
                    read[name] = sheet
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ):
        raise InputError(
            [
                Problem(
                    display,
                    "文件已损坏（压缩包结构不完整），无法作为工作簿读取",
                    hint="用 Excel/WPS 打开确认文件未损坏，再另存为「Excel 工作簿 (.xlsx)」",
                )
            ]
        ) from None
    return scans, read


def _piece_reading(
    archive: zipfile.ZipFile, sheets: list[tuple[str, str]], hidden: set[str]
) -> PieceReading | None:
    """Pieces for the workbook's large visible sheets, when it has any (the module is loaded only then)."""
    if not any(_large(archive, part) for name, part in sheets if name not in hidden):
        return None
    from .pieces import piece_reading

    return piece_reading(archive)


def _large(archive: zipfile.ZipFile, part: str) -> bool:
    return archive.getinfo(part).file_size >= PIECES_FROM


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], set[str]]:
    """(sheet name, its part in the archive) for every sheet the workbook lists, in order, as the reader
    finds them (`parts`): the workbook part named by the package relationships (xl/workbook.xml as a
    rule) and its relationships beside it; and the names of the hidden sheets (hidden or very hidden).
    Two sheets may share a name (the reader then reads the first one's part for both)."""
    package = find_part(archive, "_rels/.rels")
    folder = office_folder(_small_part(archive, package)) if package else "xl/"
    workbook = find_part(archive, f"{folder}workbook.xml")
    if workbook is None:
        return [], set()
    rels = find_part(archive, f"{folder}_rels/workbook.xml.rels")
    targets = relationship_targets(_small_part(archive, rels)) if rels else {}
    parts: list[tuple[str, str]] = []
    hidden: set[str] = set()
    for end, element, raw in tags(_small_part(archive, workbook)):
        if end and element == b"workbook":  # the reader reads no further
            break
        if end or element != b"sheet":
            continue
        name, relation, state = _sheet_attributes(raw)
        target = targets.get(relation)
        part = find_part(archive, target[1:] if target[:1] == "/" else folder + target) if target else None
        if part:
            parts.append((name, part))
            if state != b"visible":
                hidden.add(name)
    return parts, hidden


def _sheet_attributes(raw: bytes) -> tuple[str, bytes, bytes]:
    """A `<sheet>`'s name, relationship id and state as the reader takes them: the last of each, the id
    with any prefix (`r:id`), the name with its entities decoded."""
    name, relation, state = b"", b"", b"visible"
    for key, value in attributes(raw):
        if key == b"name":
            name = value
        elif key == b"state":
            state = value
        elif key == b"id" or key.endswith(b":id"):
            relation = value
    return unescape(name.decode("utf-8", "replace")), relation, state


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as stream:
        data = stream.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise InputError([too_big(Path(archive.filename or "").name, name, len(data))])
    return data


def _refuse_doctype(archive: zipfile.ZipFile, name: str, display: str) -> None:
    """A DOCTYPE (with entities that can expand a billion times) has no place in a workbook part."""
    with archive.open(name) as stream:
        head = stream.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise InputError(
            [
                Problem(
                    display,
                    f"工作簿中的「{name}」含有 DOCTYPE 声明（Excel/WPS 保存的文件没有），为安全起见没有读取",
                    hint="用 Excel/WPS 打开后另存为新的「Excel 工作簿 (.xlsx)」再使用",
                )
            ]
        )


def refuse_unreadable(path: Path, kind: str) -> None:
    """Refuse a file whose content is not a workbook this tool reads, naming what it really is."""
    display = path.name
    if kind == "ole-encrypted":
        raise InputError(
            [
                Problem(
                    display,
                    "工作簿设置了打开密码（已加密），无法读取",
                    hint="在 Excel/WPS 中打开后，文件→信息→保护工作簿→取消密码，保存后再使用",
                )
            ]
        )
    what = {"text": "，内容是纯文本", "ole": "，内容不是 Excel 能打开的表格"}.get(kind, "")
    raise InputError(
        [
            Problem(
                display,
                f"文件已损坏，或者并不是 Excel 工作簿（只是扩展名为 {path.suffix or '无'}{what}）",
                hint="用 Excel/WPS 打开确认内容，再另存为「Excel 工作簿 (.xlsx)」",
            )
        ]
    )
