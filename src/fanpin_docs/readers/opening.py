"""Before a workbook is handed to the cell reader: what the file really is, and whether it is safe to read.

A file is recognised by its content, not its extension (an .xls renamed to .xlsx after a WeChat
transfer, a web page or a tab-separated text saved as .xls). A zip workbook (.xlsx) is checked
entry by entry before anything is inflated: an entry that would inflate beyond `MAX_ENTRY_BYTES`
is refused, and each sheet's XML is scanned in bounded chunks for how far its cells reach (a
value at XFD1048576 would make the reader allocate a cell grid of 17 billion cells) and for
formulas saved without their result; the binary sheets of an .xlsb are bounded by `xlsbscan`.
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from .parts import ATTRIBUTE as _ATTRIBUTE
from .parts import find_part, office_folder, relationship_targets
from .parts import unescape as _unescape

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
MAX_ENTRY_BYTES = 512 * 1024 * 1024  # one part of a workbook, inflated
MAX_CELLS = 8_000_000  # rows × columns of one sheet's data area
_CHUNK = 1024 * 1024
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

# literal prefixes keep these searches fast on a 100 MB sheet
_ROW = re.compile(rb'<row(?: r="(\d+)")?[\s/>]')  # a row's number, or "" when not written first
_ELEMENT = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*?)(/?)>")
_NUMBER = re.compile(rb"\br=\"(\d+)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_REF = re.compile(rb"\br=\"([A-Za-z]+)(\d+)\"")  # the reader takes lower-case letters too
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(/?)>")
_FORMULA_END = re.compile(rb"</(?:\w+:)?f>")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>\s*[^<\s]|<(?:\w+:)?t\b[^>]*>[^<]")
_TYPE = re.compile(rb"\bt=\"(\w+)\"")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")


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


@dataclass
class SheetScan:
    """How far a sheet's cells with a value reach, and its formulas stored without a result."""

    rows: int = 0  # the last row with a cell, 1-based
    columns: int = 0  # the last column with a cell, 1-based
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) 0-based → formula
    row_at: int = 0  # where the reader is: the row of the last <row> seen, 1-based
    column_at: int = 0  # and the column of the last cell seen in it (0: none yet)


def scan_xlsx(path: Path) -> dict[str, SheetScan]:
    """Check every part's inflated size and scan each worksheet; refuse what cannot be read safely.

    Returns the scan of each sheet by its name as the workbook lists it.
    """
    display = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.file_size > MAX_ENTRY_BYTES:
                    raise InputError([_too_big(display, info.filename, info.file_size)])
            sheets = _sheet_parts(archive)
            scans: dict[str, SheetScan] = {}
            for name, part in sheets.items():
                scan = _scan_sheet(archive, part, display, "fast")
                if _ceiling(scan.rows) * scan.columns > MAX_CELLS:
                    scan = _scan_sheet(archive, part, display, "close")
                if scan.rows * scan.columns > MAX_CELLS:
                    scan = _scan_sheet(archive, part, display, "exact")
                if scan.rows * scan.columns > MAX_CELLS:
                    raise InputError([_too_large_sheet(display, name, scan)])
                scans[name] = scan
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    _refuse_doctype(archive, info.filename, display)
                if info.filename not in sheets.values() and info.filename.endswith(".xml"):
                    _inflated_size(archive, info.filename, display)
            from . import xlsbscan  # imported here: it builds on this module

            if xlsbscan.is_xlsb(archive):  # binary parts (.xlsb): their own record streams
                scans.update(xlsbscan.scan_xlsb(archive, display))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError):
        raise InputError(
            [
                Problem(
                    display,
                    "文件已损坏（压缩包结构不完整），无法作为工作簿读取",
                    hint="用 Excel/WPS 打开确认文件未损坏，再另存为「Excel 工作簿 (.xlsx)」",
                )
            ]
        ) from None
    return scans


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the archive, as the reader finds them (`parts`): the workbook part
    named by the package relationships (xl/workbook.xml as a rule) and its relationships beside it."""
    package = find_part(archive, "_rels/.rels")
    folder = office_folder(_small_part(archive, package)) if package else "xl/"
    workbook = find_part(archive, f"{folder}workbook.xml")
    if workbook is None:
        return {}
    rels = find_part(archive, f"{folder}_rels/workbook.xml.rels")
    targets = relationship_targets(_small_part(archive, rels)) if rels else {}
    parts: dict[str, str] = {}
    for match in _SHEET.finditer(_small_part(archive, workbook)):
        attributes = {key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(match.group(1))}
        target = targets.get(attributes.get(b"id", b""))
        part = find_part(archive, target[1:] if target[:1] == "/" else folder + target) if target else None
        name = _unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))
        if part and name:
            parts[name] = part
    return parts


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as stream:
        data = stream.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise InputError([_too_big(Path(archive.filename or "").name, name, len(data))])
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


def _inflated_size(archive: zipfile.ZipFile, name: str, display: str) -> int:
    """Inflate a part in chunks, counting: a zip header may understate the size."""
    total = 0
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > MAX_ENTRY_BYTES:
                raise InputError([_too_big(display, name, total)])
    return total


def _scan_sheet(archive: zipfile.ZipFile, part: str, display: str, mode: str) -> SheetScan:
    """One pass over a sheet's XML in chunks cut after a complete row, in one of three modes.

    "fast" bounds the extent by the rows' numbers, the widest column letters and any reference with
    more digits than the rows so far (cheap searches); a reference with as many digits may still be
    beyond the last row, so what it gives is exact only up to `_ceiling`. "close" also finds those
    references (one more alternative in the search, ≈ 1.5× the time), and runs only when the ceiling
    could be over `MAX_CELLS`; "exact" runs when the bound is, looks at every cell and counts only those
    holding a value (formatting alone does not make a cell). Every mode scans a chunk whose rows or
    cells do not start with their places (`_scan_chunk`) element by element.
    """
    exact = mode == "exact"
    scan = SheetScan()
    total = 0
    pending = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            total += len(chunk)
            if total > MAX_ENTRY_BYTES:
                raise InputError([_too_big(display, part, total)])
            data = pending + chunk if pending else chunk
            if not exact and total == len(chunk) and b"<row" not in data and b":row" in data:
                exact = True  # prefixed element names (<x:row>): the fast searches would not see them
            if chunk:
                cut = data.rfind(b"</row>")
                if cut < 0:
                    cut = data.rfind(b"</c>") if len(data) > 8 * _CHUNK else -1
                if cut < 0:
                    pending = data
                    continue
                cut = data.index(b">", cut) + 1
                data, pending = data[:cut], data[cut:]
            _scan_chunk(data, scan, "exact" if exact else mode)
            if not chunk:
                break
    return scan


def _scan_chunk(data: bytes, scan: SheetScan, mode: str) -> None:
    """Bound one chunk: by the fast searches when every row and every cell in it starts with its place
    (`<row r="7"`, `<c r="B7"`), as Excel, WPS, LibreOffice and openpyxl write them; else element by
    element (`_exact_chunk`). A cell without a reference is placed after the one before it, and a row
    without a number after the row before it, wherever those are: only a scan of every element sees
    where they go (and a reference after other attributes, or a line break inside the tag)."""
    if mode == "exact" or _FORMULA_TAG.search(data):
        _formulas(data, scan)
    rows = _ROW.findall(data) if mode != "exact" else []
    if mode == "exact" or b"" in rows or _CELL_ELSEWISE.search(data):
        _exact_chunk(data, scan)
        return
    if rows:
        scan.row_at = int(rows[-1])
        scan.rows = max(scan.rows, max(map(int, rows)))
    pattern = _close_refs(scan.rows) if mode == "close" else _far_refs(len(str(scan.rows)))
    refs = pattern.findall(data)
    letters = {found for found, _ in refs if len(found) > 1}
    scan.columns = max(scan.columns, max(map(column_number, letters)) if letters else 26)
    if refs:
        scan.rows = max(scan.rows, max(int(number) for _, number in refs))
    last_cell = data.rfind(b'<c r="')
    if last_cell > data.rfind(b"</row>"):  # cut inside a long row: a cell without a place follows this one
        ref = _REF.search(data, last_cell)
        scan.column_at = column_number(ref.group(1)) if ref else scan.column_at


def _ceiling(rows: int) -> int:
    """The last row a "fast" scan that found `rows` can have missed: a reference with as many digits."""
    return 10 ** len(str(rows)) - 1


# a formula, and a cell whose tag does not start with its place (`<c r="`): two searches, each
# with its own literal start, are faster than one with two alternatives
_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_CELL_ELSEWISE = re.compile(rb'<c(?! r=")[\s/>]')


@functools.lru_cache(maxsize=8)
def _far_refs(digits: int) -> re.Pattern[bytes]:
    """Refs with two letters or more, and refs numbered with more than `digits` digits (leading zeros
    too: what they leave out is below 10 ** digits); the lookahead turns the other refs (one letter, a
    short number: nearly all of them) away at once."""
    return re.compile(rb' r="(?=[A-Za-z](?:[A-Za-z]|\d{%d}))([A-Za-z]+)(\d+)' % (digits + 1))


@functools.lru_cache(maxsize=16)
def _close_refs(bound: int) -> re.Pattern[bytes]:
    """Refs with two letters or more, and refs numbered beyond `bound` (every row so far)."""
    return re.compile(rb' r="(?=[A-Za-z](?:[A-Za-z]|0*(?:%s)))([A-Za-z]+)(\d+)' % _greater_than(bound))


def _greater_than(bound: int) -> bytes:
    """A pattern for the decimal numbers greater than `bound` (without leading zeros): more digits, or as
    many and greater at the first digit that differs — nested, so each digit is looked at once."""
    digits = str(bound).encode()

    def from_digit(position: int) -> bytes:
        digit, rest = digits[position], len(digits) - position - 1
        choices = (
            [b"[%c-9]" % (digit + 1) + (rb"\d{%d}" % rest if rest else b"")] if digit != ord("9") else []
        )
        if rest:
            choices.append(bytes([digit]) + b"(?:" + from_digit(position + 1) + b")")
        return b"|".join(choices) or b"(?!)"

    return rb"[1-9]\d{%d}|" % len(digits) + from_digit(0)


def _exact_chunk(data: bytes, scan: SheetScan) -> None:
    """Every row and cell in order: a cell's place is its reference, or the place after the cell before
    it; only cells holding a value (or a formula) count."""
    for match in _ELEMENT.finditer(data):
        attributes = match.group(2)
        if match.group(1) == b"row":
            number = _NUMBER.search(attributes)
            scan.row_at = int(number.group(1)) if number else scan.row_at + 1
            scan.column_at = 0
            continue
        ref = _REF.search(attributes)
        row, column = (
            (int(ref.group(2)), column_number(ref.group(1))) if ref else (scan.row_at, scan.column_at + 1)
        )
        scan.column_at = column
        if match.group(3):  # <c r="…"/>: no content
            continue
        end = _CELL_END.search(data, match.end())
        content = data[match.end() : end.start() if end else len(data)]
        if _VALUE.search(content) or b"<f" in content or b":f" in content:
            scan.rows = max(scan.rows, row)
            scan.columns = max(scan.columns, column)


def _formulas(data: bytes, scan: SheetScan) -> None:
    """Record each formula cell whose stored result is missing (`<v></v>`, `<v/>` or no `<v>`)."""
    for match in _FORMULA.finditer(data):
        start = data.rfind(b"<c", 0, match.start())
        while start >= 0 and data[start + 2 : start + 3] not in (b" ", b">", b"/"):
            start = data.rfind(b"<c", 0, start)
        opening = _CELL.match(data, start) if start >= 0 else None
        if opening is None:
            continue
        ref = _REF.search(opening.group(1))
        end = _CELL_END.search(data, match.end())
        if ref is None or end is None:
            continue
        rest = data[match.end() : end.start()]
        if match.group(2):  # <f t="shared" si="0"/>: the formula text is on another cell
            text = ""
        else:
            closing = _FORMULA_END.search(rest)
            text = _unescape(rest[: closing.start() if closing else 0].decode("utf-8", "replace"))
            rest = rest[closing.end() :] if closing else rest
        if _VALUE.search(rest):
            continue
        kind = _TYPE.search(opening.group(1))
        if kind is not None and kind.group(1) != b"n" and b"<v" in rest:
            continue  # a text result stored as <v></v> (Excel: =IF(A1="","",A1)) is a result
        position = (int(ref.group(2)) - 1, column_number(ref.group(1)) - 1)
        scan.formulas[position] = text


def column_number(letters: bytes) -> int:
    """`A` → 1, `Z` → 26, `AA` → 27, `XFD` → 16384 (`xfd` too)."""
    number = 0
    for letter in letters:
        number = number * 26 + (letter | 0x20) - 96
    return number


def column_letters(number: int) -> str:
    """1 → `A`, 27 → `AA`."""
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def damaged_content(display: str) -> Problem:
    """A workbook whose parts are there but cut short or inconsistent (the reader would stop on them)."""
    return Problem(
        display,
        "文件已损坏（工作簿内容不完整），无法作为工作簿读取",
        hint="用 Excel/WPS 打开确认文件未损坏，再另存为「Excel 工作簿 (.xlsx)」",
    )


def _too_big(display: str, part: str, size: int) -> Problem:
    return Problem(
        display,
        f"工作簿中的「{part}」解压后超过 {MAX_ENTRY_BYTES // 1024 // 1024} MB"
        f"（至少 {size // 1024 // 1024} MB），不像正常的工作簿，没有读取",
        hint="用 Excel/WPS 打开后只保留需要的数据，另存为新的「Excel 工作簿 (.xlsx)」再使用",
    )


def _too_large_sheet(display: str, sheet: str, scan: SheetScan) -> Problem:
    corner = f"{column_letters(scan.columns)}{scan.rows}"
    return Problem(
        display,
        f"数据区域太大：一直延伸到 {corner} 单元格（{scan.rows} 行 × {scan.columns} 列），"
        f"超过可读取的上限 {MAX_CELLS // 10000} 万个单元格",
        sheet=sheet,
        hint="表格以外的远处单元格里有内容（常见于误输入或整列填充）："
        "在 Excel/WPS 中选中表格下方和右侧的多余行、列，删除后保存再使用",
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
