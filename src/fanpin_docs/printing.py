"""How a workbook form goes on paper, for both workbook writers (`fanpin_docs.xlsx`, `fanpin_docs.sheetxml`).

Printed text must stay readable: print scale × font size ≥ 9 pt. A table that fits one A4 page wide
at such a scale is printed one page wide; a wider one prints at the smallest readable scale and goes
on over further pages, with its key columns repeated on the left, rather than being shrunk. Writers
keep tables narrow by choosing the columns that go on paper and setting widths from the content.

Widths are in Excel's character units. LibreOffice prints one unit as 7 pt whatever the font
(measured on its PDFs); Excel prints columns narrower, so a table that fits by this measure fits in both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_PRINTED_POINTS = 9.0  # the smallest readable printed text
BODY_SIZE = 11  # body, header and footer font size of every form
POINTS_PER_WIDTH = 7.0  # printed width of one column-width unit at 100 %
A4_POINTS = (595.3, 841.9)  # portrait width, height
# inches; the footer's text (about 0.2″ high) sits 0.3″ above the paper's edge, inside the 0.8″ margin
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.8, "header": 0.3, "footer": 0.3}
FOOTER_TEXT = "第 &P 页，共 &N 页"
MM = 72 / 25.4  # points in a millimetre
SIGN_LINE = "_" * 12  # room to sign by hand
FONT_NAME = "宋体"  # body, header and footer text of every form
TITLE_FONT_NAME, TITLE_SIZE = "黑体", 16
HEADER_FILL_RGB = "00F2F2F2"  # header rows' light grey (ARGB, as openpyxl writes it)
MONEY_FORMAT = "#,##0.00"
LINE_POINTS = 14.5  # height of one line of 11 pt text in a row


@dataclass(frozen=True)
class PrintFit:
    """The scale a sheet prints at and whether that puts all its columns on one page width."""

    scale: int  # percent
    one_page_wide: bool


def printable_width(*, landscape: bool) -> float:
    """Points between the left and right margins of an A4 page."""
    paper = A4_POINTS[1] if landscape else A4_POINTS[0]
    return paper - 72 * (MARGINS["left"] + MARGINS["right"])


def readable_scale(smallest_font: float = BODY_SIZE) -> int:
    """The smallest print scale (percent) that keeps `smallest_font` at least 9 pt on paper, one
    percent above the exact figure: LibreOffice rounds scaled text sizes down a little (82 % of 11 pt
    printed as 8.99 pt)."""
    return math.ceil(MIN_PRINTED_POINTS * 100 / smallest_font - 1e-9) + 1


READABLE = readable_scale()  # the smallest scale of a form in 11 pt: 83 %


def fit_scale(widths: Sequence[float], *, landscape: bool) -> int:
    """The scale (percent, at most 100) at which columns of these widths fill one page width."""
    table = sum(widths) * POINTS_PER_WIDTH
    if table <= 0:
        return 100
    return min(100, math.floor(printable_width(landscape=landscape) / table * 100))


def print_fit(widths: Sequence[float], *, landscape: bool, smallest_font: float = BODY_SIZE) -> PrintFit:
    """One page wide when that keeps the text readable, else the smallest readable scale."""
    scale = fit_scale(widths, landscape=landscape)
    readable = readable_scale(smallest_font)
    if scale >= readable:
        return PrintFit(scale, True)
    return PrintFit(readable, False)


def width_room(*, landscape: bool, smallest_font: float = BODY_SIZE) -> float:
    """The total column width (character units) that still fits one page wide at a readable scale."""
    return printable_width(landscape=landscape) * 100 / readable_scale(smallest_font) / POINTS_PER_WIDTH


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes in a wrapping cell `width` units wide (each paragraph at least one), laid out
    as LibreOffice breaks lines: between Chinese characters and at spaces, never inside a number or
    Latin word (it goes to the next line whole), nor before closing or after opening punctuation. The
    1.5 units taken off the width for the cell's padding leave room to spare (LibreOffice fits 7
    Chinese characters, 77 pt, on a line of a column 13 units wide)."""
    line = max(width - 1.5, 1.0) * POINTS_PER_WIDTH
    lines = 0
    for part in text.split("\n"):
        lines += 1 if text_points(part) <= line else _broken_lines(part, line)
    return lines


_NO_LINE_START = set("，。、；：？！）》」』】〕…,.;:?!)%")
_NO_LINE_END = set("（《「『【〔(")
_WORD = re.compile(r"[^\s\u2e80-\U0010ffff]+|\s|.", re.DOTALL)


def _broken_lines(text: str, line: float) -> int:
    """Lines of `text` broken greedily on lines of `line` points (see `wrapped_lines`)."""
    pieces: list[str] = []  # what cannot be broken: a word, a character with its punctuation, a space
    for token in _WORD.findall(text):
        if pieces and (token[0] in _NO_LINE_START or pieces[-1][-1] in _NO_LINE_END) and not token.isspace():
            pieces[-1] += token
        else:
            pieces.append(token)
    lines, used = 1, 0.0
    for piece in pieces:
        points = text_points(piece)
        if piece.isspace():
            used += points  # a space at the end of a line takes no room on the next
            continue
        if used + points > line and used > 0:
            lines, used = lines + 1, 0.0
        while points > line:  # longer than a line: broken inside after all
            lines, points = lines + 1, points - line
        used += points
    return lines


def text_points(text: str, size: float = BODY_SIZE) -> float:
    """Printed width at 100 %: a Chinese (or full-width) character is one em, others about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def row_height(texts_and_widths: Sequence[tuple[str, float]], *, minimum: float = 20) -> float:
    """A row tall enough for every wrapping cell in it (LibreOffice and WPS do not grow rows of a
    generated file whose height is set)."""
    lines = max((wrapped_lines(text, width) for text, width in texts_and_widths if text), default=1)
    return max(minimum, lines * LINE_POINTS + 6)


def signer(role: str, name: str = "") -> str:
    """「制表人（签字）：____」, or 「制表人：张三（签字）____」 when the name is known: a line to sign on
    either way, since a printed name is not a signature."""
    return f"{role}：{name}（签字）{SIGN_LINE}" if name else f"{role}（签字）：{SIGN_LINE}"


def signature_parts(prepared_by: str, reviewed_by: str, responsible: str, date_text: str) -> list[str]:
    """The closing line of a form: 制表人 / 审核人 / 负责人, each with a line to sign on, and the date."""
    return [
        signer("制表人", prepared_by),
        signer("审核人", reviewed_by),
        signer("负责人", responsible),
        f"日期：{date_text}",
    ]


DEFAULT_ROW_POINTS = 15.0  # a row whose height is not set
KEEP_ROWS = 1  # table rows, at least, on the page that carries the closing block
# LibreOffice prints rows up to about 1.5 % shorter than their height at a reduced scale (35 pt rows at
# 87 % as 30.0 pt, not 30.45), so it may fit a row more on a page: a layout printed below 100 % is
# trusted only when it also holds with rows 3 % shorter (at 100 % rows print at their height)
SHORTER_ROWS = 0.97


def printable_height(*, landscape: bool) -> float:
    """Points between the top and bottom margins of an A4 page."""
    paper = A4_POINTS[0] if landscape else A4_POINTS[1]
    return paper - 72 * (MARGINS["top"] + MARGINS["bottom"])


def closing_break(
    heights: Sequence[float],
    *,
    first_row: int,
    title_rows: tuple[int, int] | None,
    last_table_row: int,
    scale: int,
    landscape: bool,
) -> int | None:
    """The row after which to break the page so that the closing block (totals, notes, signatures:
    the rows after `last_table_row`) is not left alone on a page under the repeated header rows;
    None when no break is needed.

    `heights[i]` is the height of row `first_row + i`, to the end of the sheet. Pages are laid out as
    the printer fills them, with the title rows on every page. When the closing block would start a
    page of its own, or would with rows a little shorter than their height (`SHORTER_ROWS`), the
    break goes as late as it can: only the table rows the closing block needs for company
    (`KEEP_ROWS`, more only when that is all the last page can hold) go over with it, so that the
    pages before stay full.
    """
    rows = {first_row + index: height for index, height in enumerate(heights)}
    title_range = range(*title_rows_span(title_rows))
    titles = sum(rows.get(r, DEFAULT_ROW_POINTS) for r in title_range)
    room = printable_height(landscape=landscape) * 100 / scale - titles
    last = first_row + len(heights) - 1
    if room <= 0 or last <= last_table_row:
        return None
    body = [r for r in range(first_row, last + 1) if r not in title_range]
    table = [r for r in body if r <= last_table_row and r > (title_rows[1] if title_rows else 0)]
    if not table:  # no table rows (only titles) before the closing block
        return None

    def together(factor: float) -> bool:
        """Whether the last table row and the sheet's last row print on one page."""
        used, page, page_of_last_table = 0.0, 0, 0
        for row in body:
            height = rows[row] * factor
            if used + height > room and used > 0:
                page, used = page + 1, 0.0
            used += height
            if row == last_table_row:
                page_of_last_table = page
        return page == page_of_last_table

    if together(1.0) and (scale >= 100 or together(SHORTER_ROWS)):
        return None
    tail = sum(rows[r] for r in body if r > last_table_row)
    for carried, row in enumerate(reversed(table), start=1):  # the latest break that lets the rest fit
        tail += rows[row]
        if tail > room:
            return None  # the closing block and its company do not fit on one page
        if carried >= KEEP_ROWS and row != table[0]:
            return table[table.index(row) - 1]
    return None


def title_rows_span(title_rows: tuple[int, int] | None) -> tuple[int, int]:
    """The `range` arguments of the repeated title rows (empty when there are none)."""
    return (title_rows[0], title_rows[1] + 1) if title_rows else (0, 0)
