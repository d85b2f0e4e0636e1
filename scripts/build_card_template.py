"""Build the default 明白卡 template: `src/fanpin_docs/templates/明白卡.docx`.

    python scripts/build_card_template.py [output.docx]

The result is an ordinary Word file (docxtpl tags in the text) that a user may open and change in
Word or WPS. It is built with python-docx, then trimmed (no unused styles, no thumbnail, no
stylesWithEffects) so every card copies as few bytes as possible, and saved deterministically.
Layout: A4 portrait, one page for a household of up to 8 members and 10 policies.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from fanpin_docs.output import normalize_office_zip

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "fanpin_docs" / "templates" / "明白卡.docx"
TIMESTAMP = "2024-01-01T00:00:00Z"
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
SIDE_MARGIN = 1.55  # cm
PAGE_WIDTH = Cm(21.0) - Cm(SIDE_MARGIN) * 2  # A4 minus left/right margins: 17.9 cm
# Sizes for elderly readers: nothing under 五号 (10.5 pt); title 三号 (16 pt), headings 小四 (12 pt).
BODY_PT = 10.5
# Table cells and notes: exact line spacing, in twips (20 per pt): 五号 on 13 pt lines.
BODY_LINE = 260
# style id → (name shown in Word, east-Asian font, size pt, bold, alignment, space before/after pt)
PARAGRAPH_STYLES = {
    "CardTitle": ("明白卡标题", HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 2),
    "CardSubtitle": ("明白卡副标题", BODY_FONT, BODY_PT, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 2),
    "CardHeading": ("明白卡小标题", HEADING_FONT, 12, False, WD_ALIGN_PARAGRAPH.LEFT, 3, 1),
    "CardCell": ("明白卡表格", BODY_FONT, BODY_PT, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 0),
    "CardCellLeft": ("明白卡表格左对齐", BODY_FONT, BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0),
    "CardNote": ("明白卡说明", BODY_FONT, BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0),
    "CardSign": ("明白卡签字", BODY_FONT, 12, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0),
}
# styles whose lines are set exactly, in twips (predictable heights, so a full card fits a page)
EXACT_LINES = {"CardCell": BODY_LINE, "CardCellLeft": BODY_LINE, "CardNote": BODY_LINE, "CardHeading": 300}
ROW_HEIGHT = None  # table rows as tall as their lines (exact line spacing), so a full card fits a page
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", *PARAGRAPH_STYLES}


def set_fonts(rpr, latin: str, east_asia: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def build_styles(document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(default_rpr, LATIN_FONT, BODY_FONT)
    default_rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    set_fonts(normal.element.get_or_add_rPr(), LATIN_FONT, BODY_FONT)
    for style_id, (name, east_asia, size, bold, alignment, before, after) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        set_fonts(style.element.get_or_add_rPr(), LATIN_FONT, east_asia)
        style.paragraph_format.alignment = alignment
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        if style_id in EXACT_LINES:
            style.paragraph_format.line_spacing = Pt(EXACT_LINES[style_id] / 20)
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        else:
            style.paragraph_format.line_spacing = 1.0
    for element in list(styles.element):
        unused = element.tag == qn("w:style") and element.get(qn("w:styleId")) not in KEEP_STYLES
        if unused or element.tag == qn("w:latentStyles"):
            styles.element.remove(element)


def paragraph(document_or_cell, text: str, style: str):
    para = document_or_cell.add_paragraph(style=PARAGRAPH_STYLES[style][0])
    if text:
        para.add_run(text)
    return para


def fixed_table(document, columns: list[float], *, borders: bool = True):
    table = document.add_table(rows=0, cols=len(columns))
    table.style = document.styles["Table Grid"] if borders else None
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    if borders:
        frame = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            border = OxmlElement(f"w:{side}")
            border.set(qn("w:val"), "single")
            border.set(qn("w:sz"), "4")
            border.set(qn("w:space"), "0")
            border.set(qn("w:color"), "000000")
            frame.append(border)
        properties.append(frame)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), columns, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    table._widths = columns  # used by add_row
    return table


def add_row(
    table,
    texts: list[str],
    *,
    styles: list[str] | None = None,
    height: float | None = ROW_HEIGHT,
    merge: list[tuple[int, int]] = (),
    shade: bool = False,
):
    row = table.add_row()
    if height:
        row.height = Cm(height)
    for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
        cell.width = Cm(table._widths[index])
        cell.vertical_alignment = 1  # centre
        para = cell.paragraphs[0]
        para.style = PARAGRAPH_STYLES[(styles[index] if styles else "") or "CardCell"][0]
        if text:
            para.add_run(text)
        if shade:
            properties = cell._tc.get_or_add_tcPr()
            fill = OxmlElement("w:shd")
            fill.set(qn("w:val"), "clear")
            fill.set(qn("w:color"), "auto")
            fill.set(qn("w:fill"), "F2F2F2")
            properties.append(fill)
    for first, last in merge:
        merged = row.cells[first].merge(row.cells[last])
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
    return row


def wide_row(table, label: str, field: str) -> None:
    """A labelled row of the four-column income table whose value spans the other three columns."""
    add_row(table, [label, field, "", ""], styles=["CardCell", "CardCellLeft", "", ""], merge=[(1, 3)])


def loop_row(table, tag: str) -> None:
    """A row holding only a docxtpl `{%tr … %}` tag; docxtpl replaces the whole row by the tag."""
    add_row(
        table,
        [tag] + [""] * (len(table._widths) - 1),
        height=None,
        merge=[(0, len(table._widths) - 1)],
        styles=["CardCellLeft"] * len(table._widths),
    )


def build(out: Path) -> None:
    document = Document()
    build_styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(1.0)
    section.left_margin = section.right_margin = Cm(SIDE_MARGIN)
    section.header_distance = section.footer_distance = Cm(0.6)

    paragraph(document, "{{ township }}{{ village }}{{ year }}年防止返贫监测帮扶明白卡", "CardTitle")
    paragraph(document, "（政策落实情况和收入明细）", "CardSubtitle")

    paragraph(document, "一、家庭基本情况", "CardHeading")
    basics = fixed_table(document, [2.6, 3.2, 2.6, 4.0, 2.0, 3.5])
    shaded = ["CardCell", "CardCellLeft"] * 3
    add_row(
        basics,
        [
            "户主姓名",
            "{{ household.head }}",
            "户编号",
            "{{ household.id }}",
            "家庭人口",
            "{{ household.size }} 人",
        ],
        styles=shaded,
    )
    add_row(
        basics,
        [
            "户类型",
            "{{ household.type }}",
            "监测对象类别",
            "{{ household.category }}",
            "联系电话",
            "{{ household.phone }}",
        ],
        styles=shaded,
    )
    add_row(
        basics,
        ["家庭住址", "{{ household.address }}", "", "", "风险类型", "{{ household.risks }}"],
        styles=shaded,
        merge=[(1, 3)],
    )
    add_row(
        basics,
        [
            "帮扶联系人",
            "{{ helper.name }}",
            "工作单位",
            "{{ helper.unit }}",
            "联系电话",
            "{{ helper.phone }}",
        ],
        styles=shaded,
    )

    paragraph(document, "二、家庭成员", "CardHeading")
    members = fixed_table(document, [1.1, 2.7, 2.3, 4.7, 2.8, 4.3])
    add_row(members, ["序号", "姓名", "与户主关系", "身份证号码", "健康状况", "劳动技能"], shade=True)
    loop_row(members, "{%tr for m in members %}")
    add_row(
        members,
        ["{{ m.no }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.id }}", "{{ m.health }}", "{{ m.labour }}"],
    )
    loop_row(members, "{%tr endfor %}")

    paragraph(document, "三、政策落实情况", "CardHeading")
    policies = fixed_table(document, [1.1, 4.2, 7.5, 2.5, 2.6])
    add_row(policies, ["序号", "政策名称", "补助标准", "金额（元）", "牵头单位"], shade=True)
    loop_row(policies, "{%tr for p in policies %}")
    add_row(
        policies,
        ["{{ p.no }}", "{{ p.name }}", "{{ p.standard }}", "{{ p.amount }}", "{{ p.lead_unit }}"],
        styles=["CardCell", "CardCellLeft", "CardCellLeft", "CardCell", "CardCell"],
    )
    loop_row(policies, "{%tr endfor %}")
    loop_row(policies, "{%tr if not policies %}")
    add_row(policies, ["本年度暂无政策兑现记录", "", "", "", ""], merge=[(0, 4)])
    loop_row(policies, "{%tr endif %}")
    add_row(
        policies,
        ["合计", "", "{{ policy_total_words }}", "{{ policy_total }}", ""],
        styles=["CardCell", "CardCell", "CardCellLeft", "CardCell", "CardCell"],
        merge=[(0, 1)],
    )
    paragraph(document, "{%p if explained %}", "CardNote")
    heading = paragraph(document, "", "CardNote")
    set_fonts(heading.add_run("计算说明：")._r.get_or_add_rPr(), LATIN_FONT, HEADING_FONT)
    heading.paragraph_format.space_before = Pt(2)
    paragraph(document, "{%p for p in explained %}", "CardNote")
    # labelled by the policy's name, not by a bare number that would read as the table's next rows
    explanation = paragraph(document, "{{ p.name }}（第{{ p.no }}项）：{{ p.explanation }}", "CardNote")
    explanation.paragraph_format.left_indent = Pt(2 * BODY_PT)
    explanation.paragraph_format.first_line_indent = -Pt(2 * BODY_PT)
    paragraph(document, "{%p endfor %}", "CardNote")
    paragraph(document, "{%p endif %}", "CardNote")

    # the longest period (「2022年12月31日至2023年12月31日」) still leaves this heading one line
    paragraph(document, "四、家庭收入情况（收入计算期间：{{ income.period }}，单位：元）", "CardHeading")
    income = fixed_table(document, [3.2, 5.75, 3.2, 5.75])
    pair = ["CardCell", "CardCell"] * 2
    add_row(
        income, ["工资性收入", "{{ income.wage }}", "生产经营性收入", "{{ income.business }}"], styles=pair
    )
    add_row(
        income, ["财产性收入", "{{ income.property }}", "转移性收入", "{{ income.transfer }}"], styles=pair
    )
    add_row(income, ["生产经营性支出", "{{ income.expense }}", "家庭纯收入", "{{ income.net }}"], styles=pair)
    add_row(
        income, ["人均纯收入", "{{ income.per_capita }}", "监测线（人均）", "{{ income.line }}"], styles=pair
    )
    wide_row(income, "对比结果", "{{ income.comparison }}")
    # the quarters the 动态监测台账 stored before this one; left out when it has none
    loop_row(income, "{%tr if income.trend %}")
    wide_row(income, "收入变化", "{{ income.trend }}")
    loop_row(income, "{%tr endif %}")

    signs = fixed_table(document, [5.2, 5.7, 7.0], borders=False)
    first = add_row(
        signs,
        ["户主（签字）：", "帮扶联系人（签字）：", "村党组织书记（签字）："],
        styles=["CardSign"] * 3,
        height=1.1,
    )
    for cell in first.cells:
        cell.vertical_alignment = 0  # top: room to sign below the label
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    add_row(signs, ["", "", "日期：{{ date }}"], styles=["CardSign"] * 3, height=None)
    paragraph(
        document,
        "本卡一式两份，农户和帮扶联系人各执一份。如对政策或金额有疑问，请联系帮扶联系人或村委会。",
        "CardNote",
    ).paragraph_format.space_before = Pt(4)

    properties = document.core_properties
    properties.title = "防止返贫监测帮扶明白卡"
    properties.subject = "政策落实情况和收入明细"
    properties.author = "fanpin-docs"
    properties.last_modified_by = "fanpin-docs"
    properties.comments = "明白卡模板：双花括号中是字段名，可在 Word/WPS 中修改版式和文字，字段名不要改。"
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(normalize_office_zip(trim(buffer.getvalue()), TIMESTAMP))


DROPPED = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")


def trim(data: bytes) -> bytes:
    """Drop the parts python-docx's default template carries that a card does not need."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name.startswith(DROPPED):
                continue
            content = source.read(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"<(Relationship|Override)\b[^>]*(stylesWithEffects|thumbnail|customXml)[^>]*/>", "", text
                )
                content = text.encode("utf-8")
            elif name == "word/settings.xml":
                text = content.decode("utf-8")
                text = re.sub(r"<w:rsids>.*?</w:rsids>", "", text, flags=re.DOTALL)
                text = text.replace('w:eastAsia="ja-JP"', 'w:eastAsia="zh-CN"')
                text = text.replace("<w:savePreviewPicture/>", "")
                content = text.encode("utf-8")
            target.writestr(name, content)
    return out.getvalue()


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
