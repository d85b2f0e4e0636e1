"""How many pages a 公文 fills, estimated from its structure (LibreOffice is not needed to write a
document): lines of 28 characters on the 22-line grid, tables row by row, page breaks. Used to put the
版记 on an even page (`imprint`); a PDF test checks the estimate on the demo documents."""

from __future__ import annotations

import math

import docx.document
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from .page import CHARS_PER_LINE, CONDENSE, LINE_PITCH, LINES_PER_PAGE, SIZE_3, STYLE_TABLE, text_width_chars

PAGE_PT = LINES_PER_PAGE * LINE_PITCH.pt
# a line holds 28 characters, but punctuation that may not start a line and wide Latin characters (%)
# push a character on now and then: counted as 27.3 (measured on the demo's 实施方案)
LINE_CHARS = CHARS_PER_LINE - 0.7
CHAR_PT = SIZE_3.pt + CONDENSE / 20
CELL_MARGINS_PT = 10.8
ROW_EXTRA_PT = 1.5  # borders


class _Pages:
    def __init__(self) -> None:
        self.pages = 1
        self.used = 0.0
        self.kept = 0.0  # headings waiting to go on the page of the paragraph they are kept with

    def new_page(self) -> None:
        self.pages += 1
        self.used = 0.0

    def add(self, height: float, *, whole: bool) -> None:
        if self.used + height <= PAGE_PT + 0.5:
            self.used += height
        elif whole:
            self.new_page()
            self.used = height
        else:  # a paragraph's lines flow on
            height -= PAGE_PT - self.used
            self.new_page()
            while height > PAGE_PT:
                height -= PAGE_PT
                self.new_page()
            self.used = height

    def add_lines(self, before: float, lines: int, pitch: float, *, keep_with_next: bool) -> None:
        """A paragraph of `lines` lines: kept with the next one (held back until it comes), and with
        widow and orphan control (no single line of a paragraph alone at the foot or top of a page)."""
        height = before + lines * pitch
        if keep_with_next:
            self.kept += height
            return
        first = self.kept + before + min(lines, 2) * pitch
        if self.used > 0 and self.used + first > PAGE_PT + 0.5:
            self.new_page()
        room = int((PAGE_PT + 0.5 - self.used - self.kept - before) // pitch)
        self.used += self.kept
        self.kept = 0.0
        if lines <= room:
            self.used += height
            return
        # split: `room` lines here (at least 2), the rest (at least 2) on the next page
        here = min(room, lines - 2) if lines - room < 2 else room
        rest = lines - here
        self.new_page()
        while rest * pitch > PAGE_PT:
            rest -= LINES_PER_PAGE
            self.new_page()
        self.used = rest * pitch


def estimate_pages(document: docx.document.Document) -> int:
    """The number of pages the document's text fills (before any 版记)."""
    return estimate(document)[0]


def estimate(document: docx.document.Document) -> tuple[int, float]:
    """(pages the document's text fills, points of the text block left free on the last page)."""
    pages = _Pages()
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document._body)
            if paragraph.paragraph_format.page_break_before:
                pages.used += pages.kept
                pages.kept = 0.0
                pages.new_page()
            for _ in child.iter(qn("w:br")):
                if _.get(qn("w:type")) == "page":
                    pages.new_page()
            _paragraph(pages, paragraph)
        elif child.tag == qn("w:tbl"):
            pages.used += pages.kept
            pages.kept = 0.0
            _table(pages, Table(child, document._body))
    return pages.pages, max(PAGE_PT - pages.used - pages.kept, 0.0)


def _paragraph(pages: _Pages, paragraph: Paragraph) -> None:
    fmt = paragraph.paragraph_format
    before = fmt.space_before.pt if fmt.space_before is not None else 0.0
    pitch = fmt.line_spacing.pt if isinstance(fmt.line_spacing, Emu) else LINE_PITCH.pt
    if pitch < LINE_PITCH.pt / 2 and not paragraph.text:
        pages.add(pitch, whole=True)
        return
    pitch = max(pitch, LINE_PITCH.pt)
    left = fmt.left_indent.pt if fmt.left_indent is not None else 0.0
    first = fmt.first_line_indent.pt if fmt.first_line_indent is not None else 2 * CHAR_PT
    lines = 0
    for text in paragraph.text.split("\n"):
        room = LINE_CHARS - left / CHAR_PT
        first_room = room - first / CHAR_PT
        width = text_width_chars(text)
        lines += 1 if width <= first_room else 1 + math.ceil((width - first_room) / room - 1e-9)
    if pages.used == 0 and pages.kept == 0 and pages.pages > 1:  # no space before at the top of a page
        before = 0.0
    border = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    if border is not None:
        before += float(border.get(qn("w:space"), "0")) + 2
    keep = bool(paragraph.paragraph_format.keep_with_next) or (
        paragraph.paragraph_format.keep_with_next is None
        and paragraph.style is not None
        and bool(paragraph.style.paragraph_format.keep_with_next)
    )
    pages.add_lines(before, lines, pitch, keep_with_next=keep)


def _table(pages: _Pages, table: Table) -> None:
    widths = [Emu(int(col.get(qn("w:w"))) * 635).pt for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    for row in table.rows:
        tallest = 1
        size = Pt(12).pt
        seen = set()
        for cell, width in zip(row.cells, widths, strict=False):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for paragraph in cell.paragraphs:
                runs = paragraph.runs
                if runs and runs[0].font.size is not None:
                    size = runs[0].font.size.pt
                room = max((width - CELL_MARGINS_PT) / size, 1.0)
                lines = sum(
                    max(1, math.ceil(text_width_chars(text) / room - 1e-9))
                    for text in paragraph.text.split("\n")
                )
                tallest = max(tallest, lines)
        line = 18.0 if paragraph.style is not None and paragraph.style.name == STYLE_TABLE else LINE_PITCH.pt
        pages.add(tallest * line + ROW_EXTRA_PT, whole=True)
    # the next paragraph starts on the grid
    pages.used = min(PAGE_PT, math.ceil(pages.used / LINE_PITCH.pt - 1e-6) * LINE_PITCH.pt)
