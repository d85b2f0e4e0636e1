"""版记 (GB/T 9704-2012 7.4): 抄送机关, then 印发机关 and 印发日期, between rules as wide as the text
block (the first and last 0.35 mm, the one between 0.25 mm), in 4号 仿宋, one character in from either
side — at the foot of the last page, which must be an even page (封四). A 抄送 line long enough to wrap
continues from the text block's left edge (its rules stay the block's width).

The 版记 is the footer of a last section, so it sits on the last line of the text block whatever is
above it, in Word and LibreOffice alike (LibreOffice places neither a frame nor a floating table at the
foot of a page, and ignores an even-page section break). When the text ends on an even page, a blank
page comes before the 版记, as the standard allows (7.5: 空白页和版记页均不编排页码).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import docx.document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from ..dates import chinese_date
from .page import PPR_ORDER, SIZE_4, STYLE_BODY, TEXT_WIDTH_MM, insert_in_order, text_width_chars

THICK = "8"  # eighths of a point: 1 pt ≈ 0.35 mm
THIN = "6"  # 0.75 pt ≈ 0.26 mm
LINE_PT = 22.0  # each 版记 line: 4号 characters in a 22 pt line (about 7.8 mm, as printed 版记 are)
ONE_CHAR = Pt(SIZE_4.pt)
SAFETY_PT = 14.0  # half a line: what the page estimate may miss


@dataclass(frozen=True)
class Imprint:
    """What the 版记 says. `copied_to` may be empty (no 抄送 line); `printed_on` None leaves
    「　　年　月　日印发」 for the office to fill in."""

    copied_to: tuple[str, ...]
    printer: str  # 印发机关, e.g. 「青山镇党政办公室」
    printed_on: date | None
    undated: str = "　　年　月　日"  # printed when `printed_on` is None, e.g. 「2023年　月　日」

    @property
    def height_pt(self) -> float:
        """The printed height: its lines of 4号 (抄送 may take two) and the rules."""
        lines = 1
        if self.copied_to:
            per_line = (Mm(TEXT_WIDTH_MM).pt - 2 * ONE_CHAR.pt) / ONE_CHAR.pt
            lines += math.ceil(text_width_chars(self.copied_line) / per_line)
        return lines * LINE_PT + 6  # the rules and their spacing

    @property
    def copied_line(self) -> str:
        return "抄送：" + "，".join(self.copied_to).rstrip("。") + "。"


COPIED_LABEL = "抄送："
PRINTER_LABEL = "印发机关："
_SEPARATORS = re.compile(r"[，,、；;]")


def split_imprint(text: str) -> tuple[str, tuple[str, ...], str]:
    """A template's marked text without its 版记 lines, the 抄送机关 a 「抄送：」 line names (several
    apart by 、 or ，), and the 印发机关 of a 「印发机关：」 line ('' when there is none)."""
    kept: list[str] = []
    copied: tuple[str, ...] = ()
    printer = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(COPIED_LABEL):
            names = _SEPARATORS.split(stripped[len(COPIED_LABEL) :].rstrip("。"))
            copied = tuple(name.strip() for name in names if name.strip())
        elif stripped.startswith(PRINTER_LABEL):
            printer = stripped[len(PRINTER_LABEL) :].strip()
        else:
            kept.append(line)
    return "\n".join(kept), copied, printer


def add_imprint(
    document: docx.document.Document, imprint: Imprint, *, text_pages: int, room_pt: float
) -> None:
    """Append the 版记 at the foot of an even page, after `text_pages` pages of text whose last page has
    `room_pt` points free (`pagination.estimate`).

    Text ending on an even page with room: the 版记 follows a spacer that fills the page down to it
    (less half a line, for what the estimate may miss). Otherwise it is the footer of a last section, so
    it sits on the last line of a page of its own; after an even number of pages that section's first
    page is left blank (GB/T 9704-2012 7.5 allows this)."""
    if text_pages % 2 == 0 and room_pt >= imprint.height_pt + SAFETY_PT:
        spacer = document.add_paragraph(style=STYLE_BODY)
        spacer.paragraph_format.first_line_indent = Pt(0)
        spacer.paragraph_format.line_spacing = Pt(room_pt - imprint.height_pt - SAFETY_PT)
        _no_grid(spacer)
        _write_lines(document, imprint)
        return
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.footer_distance = section.bottom_margin
    blank_first = text_pages % 2 == 0
    section.different_first_page_header_footer = blank_first
    document.add_paragraph(style=STYLE_BODY)  # the section's (empty) text
    if blank_first:
        document.add_paragraph(style=STYLE_BODY).paragraph_format.page_break_before = True
    footers = [section.footer, section.even_page_footer]
    for footer in (*footers, section.first_page_footer, section.header, section.even_page_header):
        footer.is_linked_to_previous = False
        for old in list(footer._element):
            footer._element.remove(old)
    section.first_page_footer.add_paragraph()
    for footer in (section.header, section.even_page_header):
        footer.add_paragraph()
    for footer in footers:
        _write_lines(footer, imprint)


def _write_lines(container, imprint: Imprint) -> None:
    lines = []
    # the rules are the paragraphs' borders, which run between their indents: the paragraphs keep no
    # indent (the rules as wide as the text block) and their text starts one character in by a
    # first-line indent, the date ending one character short of the right edge at a tab stop
    if imprint.copied_to:
        paragraph = _line(container, imprint.copied_line)
        paragraph.paragraph_format.first_line_indent = ONE_CHAR
        lines.append(paragraph)
    day = chinese_date(imprint.printed_on) if imprint.printed_on else imprint.undated
    printed = _line(container, f"{imprint.printer}\t{day}印发")
    printed.paragraph_format.first_line_indent = ONE_CHAR
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - ONE_CHAR, WD_TAB_ALIGNMENT.RIGHT)
    lines.append(printed)
    for index, paragraph in enumerate(lines):
        edges = [("bottom", THICK if index == len(lines) - 1 else THIN)]
        if index == 0:
            edges.insert(0, ("top", THICK))
        _borders(paragraph, edges)
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1


def _borders(paragraph: Paragraph, edges: list[tuple[str, str]]) -> None:
    borders = OxmlElement("w:pBdr")
    for edge, size in edges:
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), size)
        element.set(qn("w:space"), "1")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    insert_in_order(paragraph._p.get_or_add_pPr(), borders, PPR_ORDER)


def _line(container, text: str) -> Paragraph:
    paragraph = container.add_paragraph(style=STYLE_BODY)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(LINE_PT)
    _no_grid(paragraph)
    run = paragraph.add_run(text)
    run.font.size = SIZE_4
    return paragraph


def _no_grid(paragraph: Paragraph) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    insert_in_order(paragraph._p.get_or_add_pPr(), snap, PPR_ORDER)
