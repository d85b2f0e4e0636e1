"""The 公文 under construction: letterhead, title, numbered headings, body, tables, attachments, signature."""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import date

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ..dates import chinese_date
from ..errors import LayoutError
from .page import (
    BODY_FONT,
    CONDENSE,
    HEADING_FONTS,
    INDENT_2_CHARS,
    MAX_ORDINAL,
    PPR_ORDER,
    SIZE_1,
    SIZE_3,
    SIZE_SMALL_4,
    STYLE_BODY,
    STYLE_HEADINGS,
    STYLE_NUMBER,
    STYLE_TITLE,
    heading_label,
    insert_in_order,
    install_styles,
    normalize_document_number,
    set_fonts,
    setup_section,
    text_width_chars,
)
from .tables import bottom_rule, cell_text, column_layout, no_split, phrase_lines, repeat_header
from .titles import break_title

MARK_TOP_MM = 35.0  # GB/T 9704-2012 7.2.1: 发文机关标志 top edge below the top of the text block
MARK_EM_OFFSET_PT = 2.5  # where the first line's em box starts in a line of exact 28.95 pt (measured)
RULE_GAP_MM = 4.0  # 7.2.4: the red rule below the 发文字号


@dataclass(frozen=True)
class Letterhead:
    """版头: 发文机关标志 (red, centred) and 发文字号, above the red separator line."""

    issuer_mark: str  # e.g. 「城东街道办事处文件」 or 「某镇人民政府」
    number: str = ""  # 发文字号, e.g. 某府发〔2024〕3号


class OfficialDocument:
    """A 公文 under construction. Add parts in reading order, then take `.document`.

    >>> doc = OfficialDocument()
    >>> doc.title("关于……的通知")
    >>> doc.heading(1, "总体要求")          # printed as 「一、总体要求」
    >>> doc.body("……")
    >>> doc.signature("某镇人民政府", date(2024, 4, 30))
    """

    def __init__(self, *, title_property: str = "", author: str = "") -> None:
        self.document = docx.Document()
        body = self.document.element.body
        for paragraph in list(self.document.paragraphs):
            body.remove(paragraph._p)
        install_styles(self.document)
        setup_section(self.document)
        properties = self.document.core_properties
        properties.title = title_property[:255]  # python-docx refuses longer document properties
        properties.author = author[:255]
        properties.last_modified_by = author[:255]
        properties.comments = ""
        properties.revision = 1
        self._counters = [0, 0, 0, 0]

    # -- parts --

    def letterhead(self, head: Letterhead) -> None:
        """版头 (GB/T 9704-2012 7.2): the 发文机关标志 in red, its top `MARK_TOP_MM` below the top of the
        text block; two blank lines, the 发文字号; a red rule as wide as the text block `RULE_GAP_MM`
        below the number; two blank lines before the title."""
        mark = self.document.add_paragraph(style=STYLE_TITLE)
        run = mark.add_run(head.issuer_mark)
        run.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)
        run.font.size = SIZE_1
        # the first line's em box starts (line pitch − size) / 2 below the top of the text block
        mark.paragraph_format.space_before = Pt(Mm(MARK_TOP_MM).pt - MARK_EM_OFFSET_PT)
        mark.paragraph_format.space_after = Pt(0)
        self.blank(2)
        number = self.document.add_paragraph(style=STYLE_NUMBER)
        number.add_run(normalize_document_number(head.number) if head.number else "")
        bottom_rule(number)
        self.blank(2)

    def title(self, text: str) -> Paragraph:
        """The title, 2号 小标宋 centred; a line break in `text` splits it over lines, else a title too
        long for one line is broken between words into a balanced 梯形 or 菱形 (`titles.break_title`)."""
        paragraph = self.document.add_paragraph(style=STYLE_TITLE)
        lines = text.split("\n") if "\n" in text else break_title(text)
        for index, line in enumerate(lines):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
        return paragraph

    def recipient(self, text: str) -> Paragraph:
        """主送机关: flush left, ending with a full-width colon."""
        paragraph = self.document.add_paragraph(style=STYLE_BODY)
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.add_run(text if text.endswith("：") else text + "：")
        return paragraph

    def heading(self, level: int, text: str, *, number: bool = True) -> Paragraph:
        """A numbered heading. For levels 2–4 a heading may run into its text: 「加强领导。各村……」 puts the
        first sentence in the heading font and the rest in the body font, as 公文 usually do."""
        if level not in STYLE_HEADINGS:
            raise ValueError("heading level must be 1–4")
        if number and level <= 2 and self._counters[level - 1] >= MAX_ORDINAL:
            raise LayoutError(
                f"第 {level} 级标题「{text}」是第 {MAX_ORDINAL + 1} 个，超出了能编号的 {MAX_ORDINAL} 个",
                hint="减少这一级的标题，或把一部分改为下一级标题",
            )
        self._counters[level - 1] += 1
        for lower in range(level, 4):
            self._counters[lower] = 0
        label = heading_label(level, self._counters[level - 1]) if number else ""
        paragraph = self.document.add_paragraph(style=STYLE_HEADINGS[level])
        head, rest = text, ""
        if level > 1 and "。" in text.rstrip("。"):
            cut = text.index("。") + 1
            head, rest = text[:cut], text[cut:]
        paragraph.add_run(label + head)
        if level > 1 and text.endswith(
            "。"
        ):  # a heading that carries its own sentence need not keep with the next
            paragraph.paragraph_format.keep_with_next = False
        if rest:
            run = paragraph.add_run(rest)
            set_fonts(run._r, BODY_FONT)
        return paragraph

    def body(self, text: str) -> Paragraph:
        paragraph = self.document.add_paragraph(style=STYLE_BODY)
        paragraph.add_run(text)
        return paragraph

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.document.add_paragraph(style=STYLE_BODY)

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths_mm: Sequence[float] | None = None,
        size: Pt = SIZE_SMALL_4,
    ) -> None:
        """A ruled table in 仿宋 (小四, or 五号 / 小五 when the columns need it), header row in 黑体 repeated
        on every page, filling the text width. IDs, card numbers, amounts and names get the width to stay
        on one line; longer Chinese text wraps between words; headers may wrap."""
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if widths_mm is None:
            widths, size = column_layout(columns, rows)
        else:
            if len(widths_mm) != len(columns):
                raise ValueError("one width per column")
            widths = list(widths_mm)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)  # w:gridCol, which LibreOffice follows
        header = table.rows[0]
        repeat_header(header)
        for cell, text, width in zip(header.cells, columns, widths, strict=True):
            cell_text(cell, text, size, bold_font="黑体")
            cell.width = Mm(width)
        no_split(header)
        if rows:
            # one body row built through python-docx, then copied: building every row cell by cell
            # through the proxies costs milliseconds per cell (a 3,000-row 公示 took half a minute)
            model = table.add_row()
            for cell, width in zip(model.cells, widths, strict=True):
                cell_text(cell, "\u3000", size)
                cell.width = Mm(width)
            no_split(model)
            model_tr = model._tr
            for row in rows:
                copy = deepcopy(model_tr)
                for t, text, width in zip(list(copy.iter(qn("w:t"))), row, widths, strict=True):
                    _put_text(t, phrase_lines(str(text), width, size))
                model_tr.addprevious(copy)
            table._tbl.remove(model_tr)

    def keep_table_with_next(self, rows: int = 2) -> None:
        """Keep the last `rows` rows of the last table on the page of what follows, so a closing line and
        the signature never go to a page of their own.

        Word honours keep-with-next in table rows, LibreOffice only on a table whose every paragraph has
        it: the last rows become a table of their own (same columns), every paragraph kept with the
        next, after a 1 pt paragraph that stops the two tables from being merged."""
        table = self.document.tables[-1]._tbl
        body_rows = [
            tr for tr in table.findall(qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
        ]
        if len(body_rows) <= rows:
            tail = body_rows
        else:
            tail = body_rows[-rows:]
            rest = deepcopy(table)
            for tr in rest.findall(qn("w:tr")):
                rest.remove(tr)
            for tr in tail:
                table.remove(tr)
                rest.append(tr)
            _no_top_border(rest)  # the rule above is the first table's, so no double line
            spacer = self.document.add_paragraph(style=STYLE_BODY)
            spacer.paragraph_format.line_spacing = Pt(1)
            spacer.paragraph_format.first_line_indent = Pt(0)
            table.addnext(spacer._p)
            spacer._p.addnext(rest)
            spacer.paragraph_format.keep_with_next = True
            _no_grid(spacer)
        for tr in tail:
            for p in tr.iter(qn("w:p")):
                Paragraph(p, self.document._body).paragraph_format.keep_with_next = True

    def signature(self, issuer: str, on: date | str, *, sealed: bool = True, seal_lines: int = 2) -> None:
        """发文机关署名 and 成文日期 after the body (GB/T 9704-2012 7.3.5).

        Sealed documents: the date 4 chars from the right, the issuer centred over the date, with room
        for the seal above. Unsealed: the issuer 2 chars from the right, the date below it moved 2 chars
        further right. `on` may be text such as 「2024年　月　日」, for the signing official to complete.
        """
        day = chinese_date(on) if isinstance(on, date) else on
        last = self.document.element.body[-2] if len(self.document.element.body) > 1 else None
        if last is not None and last.tag == qn("w:p"):  # never a signature alone on the last page
            Paragraph(last, self.document._body).paragraph_format.keep_with_next = True
        date_width = text_width_chars(day)
        issuer_width = text_width_chars(issuer)
        if sealed:
            self._kept_blanks(seal_lines)
            date_right = 4.0
            issuer_right = max(date_right + (date_width - issuer_width) / 2, 0)
        else:
            self._kept_blanks(1)
            issuer_right = 2.0
            date_right = max(issuer_right + issuer_width - date_width - 2, 0)
        for text, right in ((issuer, issuer_right), (day, date_right)):
            paragraph = self.document.add_paragraph(style=STYLE_BODY)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.right_indent = Pt(right * SIZE_3.pt)
            paragraph.add_run(text)
            paragraph.paragraph_format.keep_with_next = text == issuer

    def attachment_note(self, names: Sequence[str]) -> None:
        """附件说明 after the body (GB/T 9704-2012 7.3.4): a blank line, then 「附件：1.……」 2 chars in;
        a name that runs over a line continues under its first character (a hanging indent)."""
        self.blank()
        start = INDENT_2_CHARS.pt
        label = "附件："
        for index, name in enumerate(names, 1):
            number = f"{index}." if len(names) > 1 else ""
            lead = (label if index == 1 else "") + number
            paragraph = self.body(lead + name)
            hanging = _advance(lead)
            before = 0.0 if index == 1 else _advance(label)  # 2., 3. … under 1.
            paragraph.paragraph_format.left_indent = Pt(start + before + hanging)
            paragraph.paragraph_format.first_line_indent = Pt(-hanging)

    def attachment_page(self, label: str = "附件") -> None:
        """Start an attachment (GB/T 9704-2012 8): a new page, 「附件」 in 黑体 at the top left, a blank
        line; its title and text follow."""
        paragraph = self.document.add_paragraph(style=STYLE_BODY)
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.page_break_before = True
        run = paragraph.add_run(label)
        set_fonts(run._r, HEADING_FONTS[1])
        self.blank()
        self._counters = [0, 0, 0, 0]

    def attachment(
        self, label: str, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]
    ) -> None:
        """An attachment on a new page: 「附件」 in 黑体 at the top left, its title, then a table."""
        self.attachment_page(label)
        self.title(title)
        self.blank()
        self.table(columns, rows)

    def _kept_blanks(self, count: int) -> None:
        for _ in range(count):
            self.document.add_paragraph(style=STYLE_BODY).paragraph_format.keep_with_next = True

    def render_marked(self, text: str) -> None:
        """Render template text: `% ` title line(s), `# `…`#### ` headings (numbered here), `> ` 主送机关,
        consecutive `| a | b |` lines a table (the first its header), other non-blank lines body paragraphs."""
        titles: list[str] = []
        table: list[list[str]] = []
        for raw in [*text.splitlines(), ""]:
            line = raw.strip()
            if table and not line.startswith("|"):
                self.table(table[0], table[1:])
                table = []
            if titles and not line.startswith("% "):
                self.title("\n".join(titles))
                self.blank()
                titles = []
            if not line:
                continue
            marker = re.match(r"^(#{1,4})\s+(.*)$", line)
            if line.startswith("% "):
                titles.append(line[2:].strip())
            elif line.startswith("|"):
                cells = [cell.strip() for cell in line.strip("|").split("|")]
                if all(re.fullmatch(r":?-{2,}:?", cell) for cell in cells):  # a |---|---| rule
                    continue
                if table and len(cells) != len(table[0]):
                    raise LayoutError(
                        f"表格行「{line}」有 {len(cells)} 列，表头有 {len(table[0])} 列",
                        hint="检查模板中的表格行",
                    )
                table.append(cells)
            elif marker:
                self.heading(len(marker.group(1)), marker.group(2).strip())
            elif line.startswith("> "):
                self.recipient(line[2:].strip())
            else:
                self.body(line)


def _no_top_border(tbl) -> None:
    borders = OxmlElement("w:tblBorders")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "nil")
    borders.append(top)
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    successors = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    tbl_pr.insert_element_before(borders, *successors)


def _no_grid(paragraph: Paragraph) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    insert_in_order(paragraph._p.get_or_add_pPr(), snap, PPR_ORDER)


def _advance(text: str) -> float:
    """Width in points of body text (3号, condensed): CJK 1 em, Times New Roman digits ½ em, '.' ¼ em."""
    condensed = CONDENSE / 20
    widths = {".": 0.25}
    return sum(SIZE_3.pt * (widths.get(char, 0.5) if char.isascii() else 1.0) + condensed for char in text)


def _put_text(t, text: str) -> None:
    """Set a w:t's text; each "\n" becomes a line break (w:br) in the same run."""
    lines = text.split("\n")
    t.text = lines[0]
    previous = t
    for line in lines[1:]:
        br = OxmlElement("w:br")
        previous.addnext(br)
        following = OxmlElement("w:t")
        following.text = line
        br.addnext(following)
        previous = following
    for element in (t, *t.itersiblings(qn("w:t"))):
        if element.text != (element.text or "").strip():
            element.set(qn("xml:space"), "preserve")
