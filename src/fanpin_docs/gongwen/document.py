"""Official-document (公文) layout per GB/T 9704-2012, with python-docx.

What the standard fixes and this module applies:

* A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
  22 lines × 28 characters: a line grid of 22 lines (w:docGrid type "lines", pitch 28.95 pt, and
  exact line spacing at that pitch), and 3号 characters condensed by 0.25 pt so 28 fill a line.
  (Word's character grid, type "linesAndChars" with a negative w:charSpace, is not used: LibreOffice
  gives each 16 pt character two 15.8 pt cells, so a converted PDF showed 14 characters a line.)
* Title 2号 (22 pt) 方正小标宋简体, centred; body 3号 (16 pt) 仿宋_GB2312, first line indented 2 chars.
* Headings 一、 in 黑体, （一） in 楷体, 1. and （1） in 仿宋 — numbered by this module, so a template
  that adds or removes a section stays correctly numbered.
* Every run names both its East Asian font (w:eastAsia) and its Latin font (Times New Roman, so
  digits are Times New Roman). Fonts missing on the machine are still named; PDF conversion
  substitutes them (`fanpin_docs.pdf`).
* 发文字号 with the year in 〔〕; signature centred over the date, the date 4 chars from the right,
  in Arabic numerals.
* Page numbers "— 1 —" in 4号 宋体, odd pages right and even pages left (each 1 char in), from a PAGE
  field in separate odd and even footers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

from .dates import chinese_date

# sizes (字号) in points
SIZE_1 = Pt(26)  # 一号
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
LINE_PITCH = Twips(int(Mm(TEXT_HEIGHT_MM) / 635 / LINES_PER_PAGE))  # 579 twips = 28.95 pt
# 28 characters of 3号 (16 pt) need 448 pt, the text width is 442.2 pt: condense each character by
# 0.25 pt (w:spacing in twentieths of a point) so exactly 28 fit, in Word and in LibreOffice alike.
CONDENSE = -5
INDENT_2_CHARS = Pt(SIZE_3.pt * 2)
FOOTER_DISTANCE = Mm(25)  # puts the page number's dash about 7 mm below the text area

STYLE_TITLE = "公文标题"
STYLE_BODY = "公文正文"
STYLE_HEADINGS = {1: "公文一级标题", 2: "公文二级标题", 3: "公文三级标题", 4: "公文四级标题"}
STYLE_NUMBER = "公文发文字号"
STYLE_TABLE = "公文表格"
STYLE_PAGE_NUMBER = "公文页码"

_CHINESE_NUMERALS = "零一二三四五六七八九"
_YEAR_BRACKETS = re.compile(r"[\[［(（【〔]\s*(\d{4})\s*[\]］)）】〕]")


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (heading ordinals; up to 99)."""
    if not 1 <= number <= 99:
        raise ValueError("heading ordinal out of range")
    tens, units = divmod(number, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_NUMERALS[tens] + "十")
    return text + (_CHINESE_NUMERALS[units] if units else "")


def heading_label(level: int, number: int) -> str:
    """The ordinal of a heading: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{chinese_ordinal(number)}、"
    if level == 2:
        return f"（{chinese_ordinal(number)}）"
    if level == 3:
        return f"{number}."
    if level == 4:
        return f"（{number}）"
    raise ValueError("heading level must be 1–4")


def normalize_document_number(text: str) -> str:
    """`某府发[2024]3号` / `（2024）` / `【2024】` → `某府发〔2024〕3号` (year in 六角括号, as the standard says)."""
    return _YEAR_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text.strip())


def text_width_chars(text: str) -> float:
    """Width in 3号 character cells: CJK and full-width characters count 1, ASCII half."""
    return sum(0.5 if ord(char) < 0x2E80 else 1.0 for char in text)


# --- fonts and styles -------------------------------------------------------------------------


def set_fonts(element_with_rpr: object, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the East Asian and the Latin font of a run, style or rPr (w:rFonts), dropping theme fonts."""
    rpr = element_with_rpr.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(document: docx.document.Document, name: str, *, east_asian: str, size: Pt, latin: str = LATIN_FONT,
           bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None, first_indent: Pt | None = None,
           outline_level: int | None = None, condense: bool = False, snap_to_grid: bool = True) -> BaseStyle:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = None
    style.quick_style = True
    font = style.font
    font.size = size
    font.bold = bold
    font.name = latin
    set_fonts(style.element, east_asian, latin)
    paragraph = style.paragraph_format
    paragraph.alignment = align
    paragraph.first_line_indent = first_indent
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = LINE_PITCH
    paragraph.widow_control = True
    if outline_level is not None:
        style.element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(outline_level))
    if condense:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE))
        _insert_in_order(style.element.get_or_add_rPr(), spacing, _RPR_ORDER)
    if not snap_to_grid:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        _insert_in_order(style.element.get_or_add_pPr(), snap, _PPR_ORDER)
    return style


def _install_styles(document: docx.document.Document) -> None:
    # document defaults: 3号 仿宋_GB2312 with Times New Roman for Latin text and digits, Chinese language
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        fonts = rpr.get_or_add_rFonts()
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT),
                                 ("w:eastAsia", BODY_FONT)):
            fonts.set(qn(attribute), value)
        for tag, value in (("w:sz", "32"), ("w:szCs", "32")):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), value)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        lang.set(qn("w:bidi"), "ar-SA")
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    set_fonts(normal.element, BODY_FONT)

    _style(document, STYLE_TITLE, east_asian=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER,
           snap_to_grid=False)
    _style(document, STYLE_BODY, east_asian=BODY_FONT, size=SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
           first_indent=INDENT_2_CHARS, condense=True)
    for level, name in STYLE_HEADINGS.items():
        heading = _style(document, name, east_asian=HEADING_FONTS[level], size=SIZE_3,
                         align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=INDENT_2_CHARS, outline_level=level - 1,
                         condense=True)
        heading.paragraph_format.keep_with_next = True
    _style(document, STYLE_NUMBER, east_asian=BODY_FONT, size=SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER,
           condense=True)
    table = _style(document, STYLE_TABLE, east_asian=BODY_FONT, size=SIZE_SMALL_4, align=WD_ALIGN_PARAGRAPH.CENTER,
                   snap_to_grid=False)
    table.paragraph_format.line_spacing = Pt(18)
    _style(document, STYLE_PAGE_NUMBER, east_asian=PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT, size=SIZE_4,
           snap_to_grid=False)


# --- page geometry and page numbers -----------------------------------------------------------


def _setup_section(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    section.footer_distance = FOOTER_DISTANCE
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for attribute in list(grid.attrib):
        del grid.attrib[attribute]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.twips)))

    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """`— N —` with N from a PAGE field; 1 char in from the right (odd pages) or the left (even pages)."""
    paragraph.style = STYLE_PAGE_NUMBER
    paragraph.alignment = align
    one_char = Pt(SIZE_4.pt)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = one_char
    else:
        paragraph.paragraph_format.left_indent = one_char
    _page_run(paragraph, "— ")
    _field_char(_page_run(paragraph), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    _page_run(paragraph)._r.append(instruction)
    _field_char(_page_run(paragraph), "separate")
    _page_run(paragraph, "1")
    _field_char(_page_run(paragraph), "end")
    _page_run(paragraph, " —")


def _page_run(paragraph: Paragraph, text: str = ""):  # noqa: ANN202 - python-docx Run
    run = paragraph.add_run(text)
    run.font.size = SIZE_4
    set_fonts(run._r, PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)
    return run


def _field_char(run, kind: str) -> None:  # noqa: ANN001
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


# --- the document -----------------------------------------------------------------------------


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
        _install_styles(self.document)
        _setup_section(self.document)
        properties = self.document.core_properties
        properties.title = title_property
        properties.author = author
        properties.last_modified_by = author
        properties.comments = ""
        properties.revision = 1
        self._counters = [0, 0, 0, 0]

    # -- parts --

    def letterhead(self, head: Letterhead) -> None:
        mark = self.document.add_paragraph(style=STYLE_TITLE)
        run = mark.add_run(head.issuer_mark)
        run.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)
        run.font.size = SIZE_1
        mark.paragraph_format.space_after = Pt(0)
        self.blank()
        number = self.document.add_paragraph(style=STYLE_NUMBER)
        number.add_run(normalize_document_number(head.number) if head.number else "")
        _bottom_rule(number)
        self.blank()

    def title(self, text: str) -> Paragraph:
        """The title, 2号 小标宋 centred; a line break in `text` splits it over lines."""
        paragraph = self.document.add_paragraph(style=STYLE_TITLE)
        for index, line in enumerate(text.split("\n")):
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
        if level > 1 and text.endswith("。"):  # a heading that carries its own sentence need not keep with the next
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

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[str]], *,
              widths_mm: Sequence[float] | None = None) -> None:
        """A ruled table in 仿宋 (小四, or 五号 / 小五 when the columns need it), header row in 黑体 repeated
        on every page, filling the text width. IDs, card numbers and amounts get the width to stay on one
        line; Chinese text and headers may wrap."""
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if widths_mm is None:
            widths, size = column_layout(columns, rows)
        else:
            if len(widths_mm) != len(columns):
                raise ValueError("one width per column")
            widths, size = list(widths_mm), SIZE_SMALL_4
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)  # w:gridCol, which LibreOffice follows
        header = table.rows[0]
        _repeat_header(header)
        for cell, text, width in zip(header.cells, columns, widths, strict=True):
            _cell_text(cell, text, size, bold_font="黑体")
            cell.width = Mm(width)
        for row in rows:
            cells = table.add_row().cells
            for cell, text, width in zip(cells, row, widths, strict=True):
                _cell_text(cell, text, size)
                cell.width = Mm(width)
        for row in table.rows:
            _no_split(row)

    def signature(self, issuer: str, on: date | str, *, sealed: bool = True) -> None:
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
            self._kept_blanks(2)
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
        """附件说明 after the body: a blank line, then 「附件：1.……」 2 chars in (GB/T 9704-2012 7.3.4)."""
        self.blank()
        if len(names) == 1:
            self.body(f"附件：{names[0]}")
            return
        for index, name in enumerate(names, 1):
            paragraph = self.body(f"附件：{index}.{name}" if index == 1 else f"{index}.{name}")
            if index > 1:  # align under the first name, after 「附件：」
                paragraph.paragraph_format.first_line_indent = Pt(SIZE_3.pt * 5)

    def attachment(self, label: str, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """An attachment on a new page: 「附件」 in 黑体 at the top left, its title, then a table."""
        paragraph = self.document.add_paragraph(style=STYLE_BODY)
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.page_break_before = True
        run = paragraph.add_run(label)
        set_fonts(run._r, HEADING_FONTS[1])
        self.blank()
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
                    raise ValueError(f"表格行「{line}」有 {len(cells)} 列，表头有 {len(table[0])} 列")
                table.append(cells)
            elif marker:
                self.heading(len(marker.group(1)), marker.group(2).strip())
            elif line.startswith("> "):
                self.recipient(line[2:].strip())
            else:
                self.body(line)


# --- table helpers ----------------------------------------------------------------------------


TABLE_SIZES = (SIZE_SMALL_4, Pt(10.5), Pt(9))  # 小四, 五号, 小五
CELL_MARGIN_CHARS = 1.0  # left and right cell margins (2 × 0.19 cm) and a little air
ASCII_WIDTH = 0.6  # LibreOffice sets digits without a Latin neighbour in the CJK font: ≈0.55 em, not 0.5


def _cell_width(text: str) -> float:
    return sum(ASCII_WIDTH if ord(char) < 0x2E80 else 1.0 for char in text)


def column_layout(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[list[float], Pt]:
    """Column widths in mm and the font size of a table that fills the text width.

    A column whose values are all ASCII (IDs, card numbers, amounts) needs its longest value on one
    line; Chinese text may wrap down to 4 characters, a header to half its length. The widest each
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
        unbreakable = all(v.isascii() for v in values)
        body_need = longest if unbreakable else min(longest, 4.0)
        needs.append(max(body_need, header / 2, 1.0) + CELL_MARGIN_CHARS)
        wants.append(max(longest, header, 1.0) + CELL_MARGIN_CHARS)
    width_pt = Mm(TEXT_WIDTH_MM).pt
    for size in TABLE_SIZES:
        room = width_pt / size.pt  # characters of this size across the text width
        if sum(needs) <= room:
            break
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


def _cell_text(cell, text: str, size: Pt, *, bold_font: str | None = None) -> None:  # noqa: ANN001
    paragraph = cell.paragraphs[0]
    paragraph.style = STYLE_TABLE
    run = paragraph.add_run(text)
    if size != SIZE_SMALL_4:
        run.font.size = size
    if bold_font:
        set_fonts(run._r, bold_font)


def _repeat_header(row) -> None:  # noqa: ANN001
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _no_split(row) -> None:  # noqa: ANN001
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr_pr.insert(0, cant_split)


def _bottom_rule(paragraph: Paragraph) -> None:
    """The red separator line of the 版头, as a paragraph border."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), "E60012")
    borders.append(bottom)
    _insert_in_order(ppr, borders, _PPR_ORDER)


# schema order of the children of w:pPr and w:rPr (Word refuses some files with children out of order)
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
              "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
              "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
              "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _insert_in_order(parent, element, order: tuple[str, ...]) -> None:  # noqa: ANN001
    """Insert `element` into `parent` before the children the schema puts after it (replacing a namesake)."""
    tag = element.tag
    for old in parent.findall(tag):
        parent.remove(old)
    successors = order[order.index(next(t for t in order if qn(t) == tag)) + 1:]
    parent.insert_element_before(element, *successors)
