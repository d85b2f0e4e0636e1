"""How far the cells of an .xlsx sheet reach, and its formulas saved without their result, from its XML
in bounded chunks — before python-calamine, which allocates the whole rectangle, is given the file.

A cell's place is where python-calamine puts it: its reference (upper- or lower-case letters, leading
zeros), or, without one, the place after the cell before it, in the row after the row before it.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections import deque
from typing import TYPE_CHECKING

from ..cellrefs import column_number
from ..errors import InputError
from .bounds import (
    CHUNK,
    MAX_ENTRY_BYTES,
    MAX_ERROR_CELLS,
    SheetScan,
    damaged_content,
    too_big,
    too_many_errors,
)
from .parts import SKIPPED, TAG, get_attributes, unescape
from .parts import attributes as tag_attributes

if TYPE_CHECKING:
    from .pieces import SheetPieces

# literal prefixes keep these searches fast on a 100 MB sheet
# a row's number, or "" when not written first (the reader takes letters before it: r="Z200" is 200)
_ROW = re.compile(rb'<row(?: r="[A-Za-z]*(\d+)")?[\s/>]')
# a row's or cell's tag as quick-xml reads it: its local name after any prefix (up to the first ":"),
# then whitespace or the tag's end, which is the first ">" outside quotes (a value may hold ">"); an end
# tag's name is followed by whitespace at most. Groups: an end tag's name; a start tag's name and its
# attributes, ending in "/" when it is empty (`<c r="A1"/>`); the tag's end, empty when the data ends
# before it
_ELEMENT = re.compile(
    rb"<(?:/(?:[^ \t\r\n:<>\"']*:)?(row|c)[ \t\r\n]*"
    rb"|(?:[^ \t\r\n:<>\"'/][^ \t\r\n:<>\"']*:)?(row|c)"
    rb"((?:[ \t\r\n](?:[^>\"']++|\"[^\"]*+(?:\"|\Z)|'[^']*+(?:'|\Z))*+)?|/))(>|\Z)"
)
# a row's number and a cell's reference as the reader reads them (`_row_number`, `_cell_place`)
_ROW_NUMBER = re.compile(rb"[A-Za-z]*(\d+)")
_CELL_REFERENCE = re.compile(rb"([A-Za-z]+)(\d+)")
# a cell's reference as Excel writes it, first: the fast path, `_cell_place`, takes it when it is the
# tag's only attribute but its style and type
_PLAIN_CELL = re.compile(rb' r="([A-Za-z]+)(\d+)"(?: s="\d+")?(?: t="(\w+)")?')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(/?)>")
_FORMULA_END = re.compile(rb"</(?:\w+:)?f>")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>\s*[^<\s]|<(?:\w+:)?t\b[^>]*>[^<]")
# what makes python-calamine count a cell: an inline string, a formula, a value with any text
_COUNTED = re.compile(rb"<(?:\w+:)?(?:is|f)\b|<(?:\w+:)?v\b[^>/]*>(?!</)")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
# a cell's opening tag, its attributes taken whole (possessive: a tag cut short costs one pass, never
# the backtracking of two lazy runs around `t="e"`), and a value inside a cell
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*+)>")
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>([^<]*)<")


def scan_sheet(
    archive: zipfile.ZipFile,
    part: str,
    display: str,
    mode: str,
    pieces: SheetPieces | None = None,
    *,
    close_from: int | None = None,
) -> SheetScan:
    """One pass over a sheet's XML in chunks cut after a complete row, in one of three modes.

    "fast" bounds the extent by the rows' numbers, the widest column letters and any reference with
    more digits than the rows so far (cheap searches); a reference with as many digits may still be
    beyond the last row, so what it gives for a chunk is exact only up to `ceiling` of its rows
    (`SheetScan.passed_over`). From the chunk on where that ceiling times the columns would be over
    `close_from` cells (from row 100,000 of a sheet as wide as an export), a "fast" scan searches as
    "close" does: it also finds those references (one more alternative in the search, ≈ 1.5× the time),
    so that the bound stays exact in the same pass. "close" searches so from the start; "exact" runs
    when the bound is over `MAX_CELLS`, looks at every cell and counts only those holding a value
    (formatting alone does not make a cell). Every mode scans a chunk whose rows or cells do not start
    with their places, or that holds prefixed element names (`<x:row>`), element by element
    (`_scan_chunk`).
    """
    exact = mode == "exact"
    scan = SheetScan()
    total = 0
    pending = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(CHUNK)
            total += len(chunk)
            if total > MAX_ENTRY_BYTES:
                raise InputError([too_big(display, part, total)])
            data = pending + chunk if pending else chunk
            if not exact and total == len(chunk) and b"<row" not in data and b":row" in data:
                exact = True  # prefixed element names (<x:row>): the fast searches would not see them
            if chunk:
                cut = data.rfind(b"</row>")
                if cut < 0:
                    cut = data.rfind(b"</c>") if len(data) > 8 * CHUNK else -1
                if cut < 0:
                    pending = data
                    continue
                cut = data.index(b">", cut) + 1
                data, pending = data[:cut], data[cut:]
            else:  # the rest after the last tag's end holds no whole element: never searched (a search
                pending, data = data, data[: data.rfind(b">") + 1]  # for a tag's end not there is slow)
            element_by_element = _scan_chunk(data, scan, "exact" if exact else mode, close_from)
            if chunk and scan.ends_inside_tag:  # the reader reads on in that tag: not a sheet as any
                raise InputError([damaged_content(display)])  # spreadsheet program writes one
            if pieces is not None:  # the last piece ends as the sheet's XML does, to the last byte
                taken = data if chunk else pending
                pieces.take(taken, scan, element_by_element=element_by_element, last=not chunk)
            if len(scan.errors) > MAX_ERROR_CELLS:
                raise InputError([too_many_errors(display, "")])
            if not chunk:
                break
    return scan


def _scan_chunk(data: bytes, scan: SheetScan, mode: str, close_from: int | None = None) -> bool:
    """Bound one chunk: by the fast searches when every row and every cell in it starts with its place
    (`<row r="7"`, `<c r="B7"`), as Excel, WPS, LibreOffice and openpyxl write them; else element by
    element (`_exact_chunk`). A cell without a reference is placed after the one before it, and a row
    without a number after the row before it, wherever those are: only a scan of every element sees
    where they go (and a reference after other attributes, or a line break inside the tag). True when
    the chunk was scanned element by element. A "fast" search turns "close" where its ceiling times the
    columns so far is over `close_from` cells."""
    scan.passed_over = 0
    if scan.inside_markup or _may_hold_markup(data):
        data = _without_markup(data, scan)
    if mode != "exact" and _prefixed_in_rows(data):
        mode = "exact"  # a row, cell or formula written with a prefix (<x:row>): the fast searches miss it
    if mode == "exact" or _FORMULA_TAG.search(data):
        _formulas(data, scan)
    rows = _ROW.findall(data) if mode != "exact" else []
    if mode == "exact" or b"" in rows or _CELL_ELSEWISE.search(data):
        _exact_chunk(data, scan)
        return True
    if b'"e"' in data or b"'e'" in data:  # rare: a cell holding an error value, `t="e"`
        _errors(data, scan)
    if rows:
        scan.rows = max(scan.rows, max(map(int, rows)))
    if mode == "fast" and close_from is not None and ceiling(scan.rows) * scan.columns > close_from:
        mode = "close"
    rows_before = scan.rows
    _bound_by_refs(
        data, scan, close_refs(rows_before) if mode == "close" else _far_refs(len(str(rows_before)))
    )
    passed_over = ceiling(rows_before) if mode != "close" else 0  # as many digits as the rows, at most
    if passed_over and close_from is not None and passed_over * scan.columns > close_from:
        # the sheet got wider in this chunk (or this is its first): what the fast search passed over
        # could reach too far after all, so the chunk is searched closely too
        _bound_by_refs(data, scan, close_refs(rows_before))
        passed_over = 0
    scan.passed_over = passed_over
    scan.passed_over_anywhere = max(scan.passed_over_anywhere, passed_over)
    last_row = data.rfind(b"<row")
    if last_row >= 0:  # where the reader is at the chunk's end: its last row, as the element scan sees it
        _exact_chunk(data[last_row:], scan, count=False)
    else:  # a chunk inside one long row: from its last cell on (a cell without a place would follow
        # it), and the row's end when the chunk holds it (the next row's cells start from its first column)
        _exact_chunk(data[max(data.rfind(b'<c r="'), 0) :], scan, count=False)
    return False


def _bound_by_refs(data: bytes, scan: SheetScan, pattern: re.Pattern[bytes]) -> None:
    """Widen the bound to the references `pattern` finds in `data` (two letters or more, or numbered
    beyond what the rows so far make sure of)."""
    refs = pattern.findall(data)
    letters = {found for found, _ in refs if len(found) > 1}
    scan.columns = max(scan.columns, max(map(column_number, letters)) if letters else 26)
    if refs:
        scan.rows = max(scan.rows, max(int(number) for _, number in refs))


def _may_hold_markup(data: bytes) -> bool:
    """Whether `data` may hold a comment, processing instruction or CDATA section past an XML
    declaration at its start: searches for "!" and "?", which a sheet's XML rarely holds, are many times
    faster than one for "<!" (XML is full of "<")."""
    return b"!" in data or data.find(b"?", 2) >= 0 and data.find(b"<?", 1) >= 0


def _without_markup(data: bytes, scan: SheetScan) -> bytes:
    """`data` as the reader's elements see it: comments and processing instructions left out, a CDATA
    section's text escaped in its place (a `<c r="A1"/>` written in a comment is no cell), each found
    where a tag could start (a "<?" inside an attribute's value is the value's). A section the chunk
    ends inside goes on in the next one (`SheetScan.inside_markup`). One pass: a tag whose quote does
    not close in the chunk ends the walk, its rest left as it is."""
    kept: list[bytes] = []
    position = cursor = 0
    if scan.inside_markup:  # the rest of a section the last chunk ended inside
        closing, scan.inside_markup = scan.inside_markup, b""
        end = data.find(closing)
        if end < 0:
            scan.inside_markup = closing
            return b""
        position = cursor = end + len(closing)
    while (start := data.find(b"<", cursor)) >= 0:
        opening, closing = next(((o, c) for o, c in SKIPPED if data.startswith(o, start)), (b"", b""))
        if not opening:
            tag = TAG.match(data, start + 1)
            if tag is None:
                break
            cursor = tag.end()
            continue
        kept.append(data[position:start])
        end = data.find(closing, start + len(opening))
        if end < 0:  # goes on in the next chunk
            scan.inside_markup = closing
            return b"".join(kept)
        if opening == b"<![CDATA[":
            text = data[start + len(opening) : end]
            kept.append(text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;"))
        position = cursor = end + len(closing)
    kept.append(data[position:])
    return b"".join(kept)


def ceiling(rows: int) -> int:
    """The last row a "fast" scan that found `rows` can have missed: a reference with as many digits."""
    return 10 ** len(str(rows)) - 1


# the ends of prefixed row, cell and formula tags (`<x:row `, `<x:c>`, `<x:f>`), looked for in every
# chunk (a prefix can start anywhere in a sheet, which python-calamine reads all the same); a colon is
# rare in a sheet's rows, so the search skips along from one to the next
_PREFIXED = re.compile(rb":(row|c|f)[\s/>]")


def _prefixed_in_rows(data: bytes) -> bool:
    """A row or cell written with a prefix, or a formula so written before the chunk's last row ends
    (after it, as Excel writes a drop-down list's <xm:f> in extLst, a formula is no cell's)."""
    found = _PREFIXED.search(data)
    while found is not None:
        if found.group(1) != b"f" or found.start() < data.rfind(b"</row>"):
            return True
        found = _PREFIXED.search(data, found.end())
    return False


# a formula, and a cell whose tag is not written as Excel writes it (` r="B7"`, then each attribute as
# ` name="value"`): python-calamine puts a cell where its last `r` says, and a second `r` written
# otherwise (after a line break or a tab, with a space around "=", in single quotes, right after the
# quote before it) is not what the fast searches (` r="`) find; nor is a cell without a reference placed
# by them. Two searches, each with its own literal start, are faster than one with two alternatives
_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_CELL_ELSEWISE = re.compile(rb'<c(?! r="[A-Za-z]++\d++"(?: [a-z]++="[^"]*+")*+ ?/?>)[\s/>]')


@functools.lru_cache(maxsize=8)
def _far_refs(digits: int) -> re.Pattern[bytes]:
    """Refs with two letters or more, and refs numbered with more than `digits` digits (leading zeros
    too: what they leave out is below 10 ** digits); the lookahead turns the other refs (one letter, a
    short number: nearly all of them) away at once."""
    return re.compile(rb' r="(?=[A-Za-z](?:[A-Za-z]|\d{%d}))([A-Za-z]+)(\d+)' % (digits + 1))


@functools.lru_cache(maxsize=16)
def close_refs(bound: int) -> re.Pattern[bytes]:
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


def _exact_chunk(data: bytes, scan: SheetScan, *, count: bool = True) -> None:
    """Every row and cell in order: a cell's place is its reference, or the place after the cell before
    it; only cells holding a value (or a formula) count (with `count=False`, only where the reader is
    at the end is worked out). A cell whose end is not in `data` counts whatever it holds, and a tag cut
    by the end of `data` is noted (`SheetScan.ends_inside_tag`): what follows is not in this chunk."""
    scan.ends_inside_tag = False
    for match in _ELEMENT.finditer(data):
        ended, name, attributes, closed = match.groups()
        if not closed:
            scan.ends_inside_tag = True
        if ended == b"c":
            continue
        empty = attributes is not None and attributes.endswith(b"/")
        if ended or name == b"row":
            # python-calamine moves to the next row, and back to its first column, where a row ends; a
            # row's number only sets the row (cells outside any row go where a row without one would)
            if not ended and (number := _row_number(attributes)) is not None:
                scan.row_at = number
            if ended or empty:
                scan.row_at += 1
                scan.column_at = 0
            continue
        place, kind = _cell_place(attributes)
        row, column = place or (scan.row_at, scan.column_at + 1)
        scan.column_at = column
        if empty or not count:  # <c r="…"/>: no content
            continue
        end = _CELL_END.search(data, match.end())
        content = data[match.end() : end.start() if end else len(data)]
        if end is None or _counted(content, kind):
            scan.rows = max(scan.rows, row)
            scan.columns = max(scan.columns, column)
        if kind == b"e":
            scan.errors[(row - 1, column - 1)] = _error_code(content)


def _row_number(attributes: bytes) -> int | None:
    """A row's number as the reader reads it: its first attribute keyed exactly `r` (not `x:r`), letters
    before the digits allowed (`r="Z200"` is row 200)."""
    for key, value in tag_attributes(attributes):
        if key == b"r":
            number = _ROW_NUMBER.fullmatch(value)
            return int(number.group(1)) if number else None
    return None


def _cell_place(attributes: bytes) -> tuple[tuple[int, int] | None, bytes | None]:
    """A cell's (row, column) from its reference, or None without one, and its type, as the reader's
    get_attrs! takes them: keys exactly `r`, `s` and `t`, the latest of each until three are found (a
    duplicate counts). The form Excel writes is read at once."""
    plain = _PLAIN_CELL.fullmatch(attributes.removesuffix(b"/").rstrip())
    if plain is not None:
        letters, number, kind = plain.groups()
    else:
        found = get_attributes(attributes.removesuffix(b"/"), b"r", b"s", b"t")
        kind = found.get(b"t")
        reference = _CELL_REFERENCE.fullmatch(found.get(b"r", b""))
        if reference is None:
            return None, kind
        letters, number = reference.groups()
    return (int(number), column_number(letters)), kind


def _errors(data: bytes, scan: SheetScan) -> None:
    """Record each cell of type "e" (holding an error value) in a chunk whose cells all start with
    their place."""
    for match in _CELL_TAG.finditer(data):
        attributes = match.group(1)
        if attributes.endswith(b"/"):  # <c r="B2" t="e"/>: no value, not a cell the reader reads
            continue
        place, kind = _cell_place(attributes)
        if kind != b"e" or place is None:
            continue
        end = _CELL_END.search(data, match.end())
        content = data[match.end() : end.start() if end else len(data)]
        scan.errors[(place[0] - 1, place[1] - 1)] = _error_code(content)


def _error_code(content: bytes) -> str:
    """The error's text as Excel shows it (`#N/A`), from the cell's value."""
    value = _ERROR_VALUE.search(content)
    return unescape(value.group(1).decode("utf-8", "replace")).strip() if value else ""


def _counted(content: bytes, kind: bytes | None) -> bool:
    """Whether python-calamine puts the cell in the sheet's range: an inline string (even an empty one),
    a value with any text (even a space), or an empty value of a type other than number or boolean
    (`t="str"`); a formula counts here whatever it holds. A cell of formatting alone does not."""
    if _COUNTED.search(content):
        return True
    if b"<v" not in content and b":v" not in content:
        return False
    return kind is not None and kind not in (b"n", b"b")


def _formulas(data: bytes, scan: SheetScan) -> None:
    """Record each formula cell whose stored result is missing (`<v></v>`, `<v/>` or no `<v>`)."""
    for match in _FORMULA.finditer(data):
        opening = _cell_before(data, match.start())
        if opening is None:
            continue
        place, kind = _cell_place(opening.group(1))
        end = _CELL_END.search(data, match.end())
        if place is None or end is None:
            continue
        rest = data[match.end() : end.start()]
        if match.group(2):  # <f t="shared" si="0"/>: the formula text is on another cell
            text = ""
        else:
            closing = _FORMULA_END.search(rest)
            text = unescape(rest[: closing.start() if closing else 0].decode("utf-8", "replace"))
            rest = rest[closing.end() :] if closing else rest
        if _VALUE.search(rest):
            continue
        if kind is not None and kind != b"n" and b"<v" in rest:
            continue  # a text result stored as <v></v> (Excel: =IF(A1="","",A1)) is a result
        scan.formulas[(place[0] - 1, place[1] - 1)] = text


def _cell_before(data: bytes, position: int) -> re.Match[bytes] | None:
    """The last cell's opening tag (`<c …>`, or with a prefix, `<x:c …>`) before `position`: looked for
    just before it first (a formula is a cell's first child), then from the chunk's start."""
    for start in (max(0, position - 512), 0):
        last = deque(_CELL_TAG.finditer(data, start, position), maxlen=1)
        if last:
            return last[0]
    return None
