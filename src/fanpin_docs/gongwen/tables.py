"""Ruled tables in 公文: widths that keep IDs, card numbers and amounts on one line."""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from .page import PPR_ORDER, SIZE_SMALL_4, STYLE_TABLE, TEXT_WIDTH_MM, insert_in_order, set_fonts

TABLE_SIZES = (SIZE_SMALL_4, Pt(10.5), Pt(9))  # 小四, 五号, 小五
# columns whose values are names or places: never broken over lines (「青山/村」 reads as two words)
WHOLE_COLUMNS = frozenset({"姓名", "户主姓名", "学员姓名", "村", "所在村", "行政村", "村（社区）", "性别"})
WHOLE_UP_TO = 6.0  # any Chinese value this short is one word or name, kept on one line
CELL_MARGIN_PT = 12.8  # left and right cell margins (2 × 0.19 cm = 10.8 pt) and a little air
ASCII_WIDTH = 0.6  # LibreOffice sets digits without a Latin neighbour in the CJK font: ≈0.55 em, not 0.5


def _cell_width(text: str) -> float:
    return sum(ASCII_WIDTH if ord(char) < 0x2E80 else 1.0 for char in text)


def column_layout(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[list[float], Pt]:
    """Column widths in mm and the font size of a table that fills the text width.

    A column whose values are all ASCII (IDs, card numbers, amounts), names or places (`WHOLE_COLUMNS`)
    or short words needs its longest value on one line; longer Chinese text may wrap (at word
    boundaries, see `phrase_lines`) down to half its length, a header to half its length. The widest each
    column would like is its longest value or header. The first size at which every column gets what
    it needs is used; the room left over goes to the columns that would like more.
    """
    sample = rows[:500]
    needs: list[float] = []
    wants: list[float] = []
    for index, name in enumerate(columns):
        values = [str(row[index]) for row in sample]
        longest = max((_cell_width(v) for v in values), default=0.0)
        header = _cell_width(name)
        unbreakable = all(v.isascii() for v in values) or name in WHOLE_COLUMNS or longest <= WHOLE_UP_TO
        body_need = longest if unbreakable else min(longest, max(WHOLE_UP_TO, longest / 2))
        header_need = header + 0.5 if len(name) <= 4 else header / 2  # 序号, 姓名, 户主姓名 on one line
        needs.append(max(body_need, header_need, 1.0))
        wants.append(max(longest, header, 1.0))
    width_pt = Mm(TEXT_WIDTH_MM).pt
    for size in TABLE_SIZES:
        room = width_pt / size.pt  # characters of this size across the text width
        margin = CELL_MARGIN_PT / size.pt
        if sum(needs) + margin * len(needs) <= room:
            break
    needs = [n + margin for n in needs]
    wants = [w + margin for w in wants]
    extra = room - sum(needs)
    wanting = sum(w - n for w, n in zip(wants, needs, strict=True))
    if extra < 0 or wanting <= 0:  # scale everything (wraps are unavoidable, or all fit with room to spare)
        base = needs if extra < 0 else wants
        widths = [room * b / sum(base) for b in base]
    elif wanting >= extra:
        widths = [n + (w - n) * extra / wanting for n, w in zip(needs, wants, strict=True)]
    else:
        spare = (room - sum(wants)) / len(wants)
        widths = [w + spare for w in wants]
    to_mm = size.pt * 25.4 / 72
    return [w * to_mm for w in widths], size


def phrase_lines(text: str, width_mm: float, size: Pt) -> str:
    """`text` with line breaks ("\n") between words where it is wider than a cell of `width_mm` at
    `size`, so the cell wraps 「青山镇2023年第1期 / 中式烹调师培训班」, not inside a word."""
    from .titles import break_title

    room = (Mm(width_mm).pt - 10.8) / size.pt - 0.1  # the cell's margins, a little slack for the renderer
    if text.isascii() or _cell_width(text) <= room:
        return text
    return "\n".join(break_title(text, room))


def cell_text(cell, text: str, size: Pt, *, bold_font: str | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = STYLE_TABLE
    run = paragraph.add_run(text)
    if size != SIZE_SMALL_4:
        run.font.size = size
    if bold_font:
        set_fonts(run._r, bold_font)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr_pr.insert(0, cant_split)


def bottom_rule(paragraph: Paragraph) -> None:
    """The red separator line of the 版头, as a paragraph border: 4 mm below the 发文字号's characters
    (the border's space of 6 pt plus the room under the characters in a 28.95 pt line, measured)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")
    bottom.set(qn("w:space"), "6")
    bottom.set(qn("w:color"), "E60012")
    borders.append(bottom)
    insert_in_order(ppr, borders, PPR_ORDER)
