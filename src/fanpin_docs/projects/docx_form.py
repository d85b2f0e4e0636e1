"""A bordered form table in python-docx, the way county forms are laid out.

Fixed column widths, borders on every cell (heavier outside), labels centred, Chinese fonts named
for East Asian text (w:eastAsia) as well as Latin text, minimum row heights for boxes people write in.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

BODY_FONT = "宋体"
LABEL_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
BODY_SIZE = Pt(10.5)  # 五号
PAGE_WIDTH_CM = 21.0
MARGIN_CM = 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM

VALIGN = {
    "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
    "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
    "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _run_properties(name: str, size: Pt, bold: bool) -> BaseOxmlElement:
    """<w:rPr> naming `name` for Latin and East Asian text alike (Word uses w:eastAsia for Chinese)."""
    properties = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    properties.append(fonts)
    if bold:
        properties.append(OxmlElement("w:b"))
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(int(size.pt * 2)))
        properties.append(element)
    return properties


_PROPERTIES: dict[tuple[str, int, bool], BaseOxmlElement] = {}


def add_text(paragraph: Paragraph, text: str, name: str, size: Pt = BODY_SIZE, *, bold: bool = False) -> Run:
    """A run of `text` in font `name` (East Asian font set too); the run properties are built once
    per font and size and copied, which is much faster than setting them through python-docx."""
    key = (name, int(size), bold)
    if key not in _PROPERTIES:
        _PROPERTIES[key] = _run_properties(name, size, bold)
    run = paragraph.add_run()
    run._r.insert(0, copy.deepcopy(_PROPERTIES[key]))
    run.text = text
    return run


def new_document(*, title: str, author: str) -> Document:
    """A4 portrait, 2 cm margins, the default paragraph style in the body font with no spacing."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), BODY_FONT)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    properties = document.core_properties
    properties.title = title[:255]  # python-docx refuses longer document properties
    properties.author = properties.last_modified_by = author[:255]
    properties.revision = 1
    properties.comments = ""
    return document


def add_line(
    document: Document,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    align: str = "center",
    space_after: float = 0,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    add_text(paragraph, text, font, size)
    return paragraph


def add_split_line(document: Document, left: str, right: str, *, size: Pt = BODY_SIZE) -> Paragraph:
    """One line with text at the left margin and text flush right (a right tab stop)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.paragraph_format.space_after = Pt(4)
    add_text(paragraph, f"{left}\t{right}", BODY_FONT, size)
    return paragraph


@dataclass(frozen=True)
class FormCell:
    """One box of a form row: its text (a list gives one paragraph per item), how many grid columns
    it spans, and whether it continues the box above (a label spanning several rows)."""

    text: str | Sequence[str] = ""
    span: int = 1
    label: bool = False
    align: str = "left"
    valign: str = "center"
    continues: bool = False  # merged with the cell above (w:vMerge)
    starts_merge: bool = False  # the first cell of a vertical merge


@dataclass(frozen=True)
class FormRow:
    cells: Sequence[FormCell]
    min_height_cm: float = 0.75


def label(text: str, *, span: int = 1, starts_merge: bool = False) -> FormCell:
    return FormCell(text, span=span, label=True, align="center", starts_merge=starts_merge)


def value(
    text: str | Sequence[str], *, span: int = 1, align: str = "left", valign: str = "center"
) -> FormCell:
    return FormCell(text, span=span, align=align, valign=valign)


def continued() -> FormCell:
    return FormCell(continues=True)


def add_form_table(document: Document, widths_cm: Sequence[float], rows: Sequence[FormRow]) -> Table:
    """A table with fixed widths and full borders, centred, built row by row from `rows`.

    Spans are written as w:gridSpan / w:vMerge directly (python-docx's cell merging rescans the
    whole table on every call, which is slow for a batch of forms). Rows never split across pages.
    """
    table = document.add_table(rows=0, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    _borders(properties)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for spec in rows:
        if sum(cell.span for cell in spec.cells) != len(widths_cm):
            raise ValueError(
                f"row spans {sum(c.span for c in spec.cells)} columns, the grid has {len(widths_cm)}"
            )
        row = table.add_row()
        row.height = Cm(spec.min_height_cm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        tcs = list(row._tr.tc_lst)
        column = 0
        for cell_spec in spec.cells:
            tc = tcs[column]
            for extra in tcs[column + 1 : column + cell_spec.span]:
                row._tr.remove(extra)
            tc.width = Cm(sum(widths_cm[column : column + cell_spec.span]))
            if cell_spec.span > 1:
                tc.grid_span = cell_spec.span
            if cell_spec.continues or cell_spec.starts_merge:
                tc.vMerge = "continue" if cell_spec.continues else "restart"
            cell = _Cell(tc, table)
            if not cell_spec.continues:
                write_cell(
                    cell,
                    cell_spec.text,
                    font=LABEL_FONT if cell_spec.label else BODY_FONT,
                    align=cell_spec.align,
                    valign=cell_spec.valign,
                )
            column += cell_spec.span
    return table


def _borders(table_properties: BaseOxmlElement) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge, size in (
        ("top", 12),
        ("left", 12),
        ("bottom", 12),
        ("right", 12),
        ("insideH", 4),
        ("insideV", 4),
    ):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table_properties.append(borders)


def write_cell(
    cell: _Cell,
    text: str | Sequence[str],
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    align: str = "left",
    valign: str = "center",
) -> _Cell:
    """Fill an empty cell with `text` (a list gives one paragraph per item)."""
    lines = [text] if isinstance(text, str) else list(text) or [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = ALIGN[align]
        if line:
            add_text(paragraph, line, font, size)
    cell.vertical_alignment = VALIGN[valign]
    return cell
