"""A bordered form table in python-docx, the way county forms are laid out.

Fixed column widths, borders on every cell (heavier outside), labels centred, Chinese fonts named
for East Asian text (w:eastAsia) as well as Latin text, minimum row heights for boxes people write in.
"""

from __future__ import annotations

from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
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

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def set_font(run: Run, name: str, size: Pt | None = None, *, bold: bool = False) -> Run:
    """Name the font for Latin and East Asian text alike (Word uses w:eastAsia for Chinese)."""
    run.font.name = name
    run.font.bold = bold
    if size is not None:
        run.font.size = size
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
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
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.revision = 1
    properties.comments = ""
    return document


def add_line(document: Document, text: str, *, font: str = BODY_FONT, size: Pt = BODY_SIZE,
             align: str = "center", space_after: float = 0) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    set_font(paragraph.add_run(text), font, size)
    return paragraph


def add_split_line(document: Document, left: str, right: str, *, size: Pt = BODY_SIZE) -> Paragraph:
    """One line with text at the left margin and text flush right (a right tab stop)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.paragraph_format.space_after = Pt(4)
    set_font(paragraph.add_run(f"{left}\t{right}"), BODY_FONT, size)
    return paragraph


def add_form_table(document: Document, rows: int, widths_cm: Sequence[float]) -> Table:
    """A rows × len(widths) table with fixed widths and full borders, centred on the page."""
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    _borders(properties)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def _borders(table_properties: OxmlElement) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", 12), ("left", 12), ("bottom", 12), ("right", 12), ("insideH", 4), ("insideV", 4)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table_properties.append(borders)


def merge(table: Table, row: int, first: int, last: int, *, down_to: int | None = None) -> _Cell:
    """Merge columns first..last of `row` (and down to row `down_to`); returns the merged cell."""
    return table.cell(row, first).merge(table.cell(down_to if down_to is not None else row, last))


def write_cell(cell: _Cell, text: str | Sequence[str], *, font: str = BODY_FONT, size: Pt = BODY_SIZE,
               align: str = "left", valign: str = "center", bold: bool = False) -> _Cell:
    """Replace the cell's content with `text` (a list gives one paragraph per item)."""
    lines = [text] if isinstance(text, str) else list(text) or [""]
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    first = cell.paragraphs[0]
    for run in list(first.runs):
        run._element.getparent().remove(run._element)
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.alignment = ALIGN[align]
        set_font(paragraph.add_run(line), font, size, bold=bold)
    cell.vertical_alignment = {"center": WD_CELL_VERTICAL_ALIGNMENT.CENTER, "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
                               "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM}[valign]
    return cell


def label(cell: _Cell, text: str) -> _Cell:
    return write_cell(cell, text, font=LABEL_FONT, align="center")


def min_height(table: Table, row: int, height_cm: float) -> None:
    table.rows[row].height = Cm(height_cm)
    table.rows[row].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def keep_rows_whole(table: Table) -> None:
    """A row never splits across pages (w:cantSplit)."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        element = OxmlElement("w:cantSplit")
        properties.append(element)
