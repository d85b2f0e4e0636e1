"""GB/T 9704-2012 layout: what Word and a printed page would show."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from fanpin_docs.gongwen import (
    STYLE_BODY,
    STYLE_HEADINGS,
    STYLE_PAGE_NUMBER,
    STYLE_TITLE,
    Letterhead,
    OfficialDocument,
    chinese_ordinal,
    heading_label,
    normalize_document_number,
)
from fanpin_docs.pdf import convert_to_pdf, find_soffice


def _saved(doc: OfficialDocument, tmp_path: Path, name: str = "doc.docx") -> docx.document.Document:
    path = tmp_path / name
    doc.document.save(path)
    return docx.Document(path)


def _fonts(style) -> dict[str, str]:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return {key: fonts.get(qn(f"w:{key}")) for key in ("ascii", "hAnsi", "eastAsia")}


def _size(style) -> Pt:
    return style.font.size


# --- geometry -------------------------------------------------------------------------------


def test_section_is_a4_with_the_standard_margins(tmp_path: Path) -> None:
    section = _saved(OfficialDocument(), tmp_path).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.right_margin - Mm(26)) < Mm(0.1)


def test_line_grid_gives_22_lines_and_condensed_3hao_gives_28_characters(tmp_path: Path) -> None:
    document = _saved(OfficialDocument(), tmp_path)
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))  # twips
    text_height = Emu(section.page_height - section.top_margin - section.bottom_margin).twips
    assert grid.get(qn("w:type")) == "lines"
    assert text_height // pitch == 22
    body = document.styles[STYLE_BODY]
    assert body.paragraph_format.line_spacing.twips == pitch  # exact spacing at the grid pitch
    condense = int(body.element.rPr.find(qn("w:spacing")).get(qn("w:val")))  # twentieths of a point
    advance = body.font.size.pt + condense / 20
    text_width = Emu(section.page_width - section.left_margin - section.right_margin).pt
    assert 28 * advance <= text_width < 29 * advance


# --- fonts and styles -----------------------------------------------------------------------


def test_styles_name_east_asian_and_latin_fonts(tmp_path: Path) -> None:
    styles = _saved(OfficialDocument(), tmp_path).styles
    assert _fonts(styles[STYLE_TITLE]) == {
        "ascii": "Times New Roman",
        "hAnsi": "Times New Roman",
        "eastAsia": "方正小标宋简体",
    }
    assert _size(styles[STYLE_TITLE]) == Pt(22)  # 二号
    assert styles[STYLE_TITLE].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _fonts(styles[STYLE_BODY]) == {
        "ascii": "Times New Roman",
        "hAnsi": "Times New Roman",
        "eastAsia": "仿宋_GB2312",
    }
    assert _size(styles[STYLE_BODY]) == Pt(16)  # 三号
    assert styles[STYLE_BODY].paragraph_format.first_line_indent == Pt(32)  # 2 characters
    expected = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
    for level, name in STYLE_HEADINGS.items():
        assert _fonts(styles[name])["eastAsia"] == expected[level]
        assert _fonts(styles[name])["ascii"] == "Times New Roman"
        assert _size(styles[name]) == Pt(16)
    assert _fonts(styles[STYLE_PAGE_NUMBER]) == {"ascii": "宋体", "hAnsi": "宋体", "eastAsia": "宋体"}
    assert _size(styles[STYLE_PAGE_NUMBER]) == Pt(14)  # 四号


def test_document_defaults_are_3hao_fangsong_with_times_new_roman_and_no_theme_fonts(tmp_path: Path) -> None:
    document = _saved(OfficialDocument(), tmp_path)
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


# --- headings -------------------------------------------------------------------------------


def test_headings_are_numbered_per_level_and_restart_under_a_new_parent(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.heading(1, "总体要求")
    doc.heading(2, "指导思想")
    doc.heading(2, "基本原则")
    doc.heading(3, "坚持预防")
    doc.heading(4, "早发现")
    doc.heading(1, "目标任务")
    doc.heading(2, "监测")
    doc.heading(3, "入户")
    paragraphs = [(p.style.name, p.text) for p in _saved(doc, tmp_path).paragraphs]
    assert paragraphs == [
        ("公文一级标题", "一、总体要求"),
        ("公文二级标题", "（一）指导思想"),
        ("公文二级标题", "（二）基本原则"),
        ("公文三级标题", "1.坚持预防"),
        ("公文四级标题", "（1）早发现"),
        ("公文一级标题", "二、目标任务"),
        ("公文二级标题", "（一）监测"),
        ("公文三级标题", "1.入户"),
    ]


def test_run_in_heading_puts_the_rest_of_the_paragraph_in_the_body_font(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.heading(2, "加强组织领导。成立领导小组。")
    paragraph = _saved(doc, tmp_path).paragraphs[0]
    assert [r.text for r in paragraph.runs] == ["（一）加强组织领导。", "成立领导小组。"]
    assert paragraph.style.name == "公文二级标题"  # the heading runs take 楷体 from the style
    rest = paragraph.runs[1]._r.rPr.find(qn("w:rFonts"))
    assert rest.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_ordinals_and_labels() -> None:
    assert [chinese_ordinal(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
    assert [heading_label(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    with pytest.raises(ValueError):
        heading_label(5, 1)


def test_document_number_takes_the_year_in_hexagonal_brackets() -> None:
    assert normalize_document_number("石会府发[2024]3号") == "石会府发〔2024〕3号"
    assert normalize_document_number("石会府发（2024）3号") == "石会府发〔2024〕3号"
    assert normalize_document_number("石会府发【2024】12号") == "石会府发〔2024〕12号"
    assert normalize_document_number("石会府发〔2024〕3号") == "石会府发〔2024〕3号"


def test_letterhead_shows_the_number_above_a_red_rule(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.letterhead(Letterhead(issuer_mark="石会镇人民政府文件", number="石会府发[2024]3号"))
    paragraphs = _saved(doc, tmp_path).paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[0] == "石会镇人民政府文件"
    assert paragraphs[0].runs[0].font.color.rgb is not None
    number = next(p for p in paragraphs if p.text == "石会府发〔2024〕3号")
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "E60012"


# --- page numbers ---------------------------------------------------------------------------


def test_page_numbers_are_a_page_field_right_on_odd_and_left_on_even_pages(tmp_path: Path) -> None:
    document = _saved(OfficialDocument(), tmp_path)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.alignment == align
        assert paragraph.style.name == STYLE_PAGE_NUMBER
        assert [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))] == [
            "begin",
            "separate",
            "end",
        ]
        assert "".join(t.text for t in paragraph._p.iter(qn("w:instrText"))).strip() == "PAGE"
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert 'w:eastAsia="宋体"' in xml


# --- body parts -----------------------------------------------------------------------------


def test_signature_centres_the_issuer_over_a_date_four_characters_from_the_right(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.body("正文。")
    doc.signature("石会镇人民政府", date(2024, 4, 30))
    paragraphs = _saved(doc, tmp_path).paragraphs
    issuer, day = paragraphs[-2], paragraphs[-1]
    assert (issuer.text, day.text) == ("石会镇人民政府", "2024年4月30日")
    assert day.alignment == issuer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert day.paragraph_format.right_indent == Pt(64)  # 4 characters of 三号
    # 「2024年4月30日」 is 6.5 characters wide (digits half width), the issuer 7: centred means 0.25 less
    assert issuer.paragraph_format.right_indent == Pt(16 * (4 + (6.5 - 7) / 2))
    assert paragraphs[0].paragraph_format.keep_with_next  # the last body line goes with the signature


def test_signature_date_may_be_left_blank_for_the_official(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.signature("石会镇人民政府", "2024年　月　日")
    assert _saved(doc, tmp_path).paragraphs[-1].text == "2024年　月　日"


def test_marked_text_gives_title_headings_recipient_table_and_body(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.render_marked(
        "% 关于举办培训班的通知\n\n> 各村\n# 培训时间\n正文一。\n| 村 | 户数 |\n|---|---|\n"
        "| 红岩村 | 3 |\n| 合计 | 3 |\n正文二。\n"
    )
    document = _saved(doc, tmp_path)
    texts = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert texts == [
        ("公文标题", "关于举办培训班的通知"),
        ("公文正文", "各村："),
        ("公文一级标题", "一、培训时间"),
        ("公文正文", "正文一。"),
        ("公文正文", "正文二。"),
    ]
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["村", "户数"],
        ["红岩村", "3"],
        ["合计", "3"],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats on each page


def test_marked_table_rows_must_match_the_header() -> None:
    from fanpin_docs.errors import LayoutError

    with pytest.raises(LayoutError, match="有 1 列，表头有 2 列"):
        OfficialDocument().render_marked("| a | b |\n| 1 |\n")


# --- the printed page -----------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")


@pytest.mark.pdf
@needs_soffice
def test_pdf_is_a4_with_28_characters_a_line_and_22_lines_a_page(tmp_path: Path) -> None:
    doc = OfficialDocument()
    digits = "一二三四五六七八九十"
    doc.body(digits * 6)  # 60 characters: 26 after the indent, 28, 6
    for number in range(1, 40):
        doc.body(f"第{number}行")
    source = tmp_path / "grid.docx"
    doc.document.save(source)
    pdf = convert_to_pdf([source], tmp_path)[0]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.replace(" ", "") for line in first_page.splitlines() if line.strip()]
    assert [len(line) for line in lines[:3]] == [26, 28, 6]
    numbered = [line for line in lines if line.startswith("第")]
    assert len(numbered) == 22 - 3  # the long paragraph takes three of the page's 22 lines


def test_a_table_row_with_the_wrong_number_of_cells_is_a_layout_error() -> None:
    from fanpin_docs.errors import LayoutError, TemplateError

    doc = OfficialDocument(title_property="通知", author="某镇人民政府")
    with pytest.raises(LayoutError) as caught:
        doc.render_marked("% 通知\n| 姓名 | 村 |\n|---|---|\n| 张三 | 红岩村 | 多一格 |\n")
    assert isinstance(caught.value, TemplateError)
    assert caught.value.message == "表格行「| 张三 | 红岩村 | 多一格 |」有 3 列，表头有 2 列"
    assert caught.value.hint


def test_a_hundredth_heading_of_one_level_is_a_layout_error_in_chinese() -> None:
    from fanpin_docs.errors import LayoutError

    doc = OfficialDocument(title_property="方案", author="某镇人民政府")
    doc.render_marked("\n".join(f"## 第{n}项" for n in range(1, 100)))  # 九十九 is still written
    with pytest.raises(LayoutError) as caught:
        doc.render_marked("## 第100项")
    assert "第 2 级标题「第100项」是第 100 个" in str(caught.value)
    assert not re.search(r"[A-Za-z]", caught.value.message)
