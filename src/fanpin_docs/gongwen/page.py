"""公文 page and styles (GB/T 9704-2012): geometry, the line grid, fonts, named styles, page numbers.

See the package docstring for what the standard asks and how it is met.
"""

from __future__ import annotations

import re

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

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
MAX_ORDINAL = 99  # 九十九: the last heading ordinal written in Chinese numerals
_YEAR_BRACKETS = re.compile(r"[\[［(（【〔]\s*(\d{4})\s*[\]］)）】〕]")


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (heading ordinals; up to 99)."""
    if not 1 <= number <= MAX_ORDINAL:
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


def _style(
    document: docx.document.Document,
    name: str,
    *,
    east_asian: str,
    size: Pt,
    latin: str = LATIN_FONT,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_indent: Pt | None = None,
    outline_level: int | None = None,
    condense: bool = False,
    snap_to_grid: bool = True,
) -> ParagraphStyle:
    styles = document.styles
    existing = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    assert isinstance(existing, ParagraphStyle)
    style = existing
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
        insert_in_order(style.element.get_or_add_rPr(), spacing, RPR_ORDER)
    if not snap_to_grid:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        insert_in_order(style.element.get_or_add_pPr(), snap, PPR_ORDER)
    return style


def install_styles(document: docx.document.Document) -> None:
    # document defaults: 3号 仿宋_GB2312 with Times New Roman for Latin text and digits, Chinese language
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        fonts = rpr.get_or_add_rFonts()
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute, value in (
            ("w:ascii", LATIN_FONT),
            ("w:hAnsi", LATIN_FONT),
            ("w:cs", LATIN_FONT),
            ("w:eastAsia", BODY_FONT),
        ):
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

    _style(
        document,
        STYLE_TITLE,
        east_asian=TITLE_FONT,
        size=SIZE_2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        snap_to_grid=False,
    )
    _style(
        document,
        STYLE_BODY,
        east_asian=BODY_FONT,
        size=SIZE_3,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_indent=INDENT_2_CHARS,
        condense=True,
    )
    for level, name in STYLE_HEADINGS.items():
        heading = _style(
            document,
            name,
            east_asian=HEADING_FONTS[level],
            size=SIZE_3,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            first_indent=INDENT_2_CHARS,
            outline_level=level - 1,
            condense=True,
        )
        heading.paragraph_format.keep_with_next = True
    _style(
        document,
        STYLE_NUMBER,
        east_asian=BODY_FONT,
        size=SIZE_3,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        condense=True,
    )
    table = _style(
        document,
        STYLE_TABLE,
        east_asian=BODY_FONT,
        size=SIZE_SMALL_4,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        snap_to_grid=False,
    )
    table.paragraph_format.line_spacing = Pt(18)
    _style(
        document,
        STYLE_PAGE_NUMBER,
        east_asian=PAGE_NUMBER_FONT,
        latin=PAGE_NUMBER_FONT,
        size=SIZE_4,
        snap_to_grid=False,
    )


# --- page geometry and page numbers -----------------------------------------------------------


def setup_section(document: docx.document.Document) -> None:
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


def _page_run(paragraph: Paragraph, text: str = ""):
    run = paragraph.add_run(text)
    run.font.size = SIZE_4
    set_fonts(run._r, PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)
    return run


def _field_char(run, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


# schema order of the children of w:pPr and w:rPr (Word refuses some files with children out of order)
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def insert_in_order(parent, element, order: tuple[str, ...]) -> None:
    """Insert `element` into `parent` before the children the schema puts after it (replacing a namesake)."""
    tag = element.tag
    for old in parent.findall(tag):
        parent.remove(old)
    successors = order[order.index(next(t for t in order if qn(t) == tag)) + 1 :]
    parent.insert_element_before(element, *successors)
