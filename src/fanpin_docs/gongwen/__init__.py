"""Official-document (公文) layout per GB/T 9704-2012, with python-docx.

`page` sets up geometry, fonts and styles; `document.OfficialDocument` adds the parts in reading order;
`tables` lays out ruled tables; `titles` breaks long titles between words; `imprint` adds the 版记 on
an even last page, using `pagination`'s page count. What the standard fixes and this package applies:

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
* 版头: 发文机关标志 35 mm below the top of the text block, two blank lines, the 发文字号 with the year
  in 〔〕, a red rule 4 mm below it, two blank lines before the title.
* Titles over two or more lines broken between words, in a 梯形 or 菱形.
* Signature centred over the date, the date 4 chars from the right, in Arabic numerals.
* 版记 (抄送, 印发机关 and 印发日期 between rules) at the foot of the last page, an even page.
* Page numbers "— 1 —" in 4号 宋体, odd pages right and even pages left (each 1 char in), from a PAGE
  field in separate odd and even footers.
"""

from .document import Letterhead, OfficialDocument
from .page import (
    BODY_FONT,
    HEADING_FONTS,
    LATIN_FONT,
    LINE_PITCH,
    MARGINS_MM,
    PAGE_NUMBER_FONT,
    SIZE_1,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_SMALL_4,
    STYLE_BODY,
    STYLE_HEADINGS,
    STYLE_NUMBER,
    STYLE_PAGE_NUMBER,
    STYLE_TABLE,
    STYLE_TITLE,
    TITLE_FONT,
    chinese_ordinal,
    heading_label,
    normalize_document_number,
    set_fonts,
    text_width_chars,
)
from .tables import column_layout

__all__ = [
    "BODY_FONT",
    "HEADING_FONTS",
    "LATIN_FONT",
    "LINE_PITCH",
    "MARGINS_MM",
    "PAGE_NUMBER_FONT",
    "SIZE_1",
    "SIZE_2",
    "SIZE_3",
    "SIZE_4",
    "SIZE_SMALL_4",
    "STYLE_BODY",
    "STYLE_HEADINGS",
    "STYLE_NUMBER",
    "STYLE_PAGE_NUMBER",
    "STYLE_TABLE",
    "STYLE_TITLE",
    "TITLE_FONT",
    "Letterhead",
    "OfficialDocument",
    "chinese_ordinal",
    "column_layout",
    "heading_label",
    "normalize_document_number",
    "set_fonts",
    "text_width_chars",
]
