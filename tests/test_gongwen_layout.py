"""公文 titles, 附件说明 and tables as a reader sees them: where lines break, what stays whole."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from fanpin_docs.gongwen import OfficialDocument, column_layout, text_width_chars
from fanpin_docs.gongwen.tables import phrase_lines
from fanpin_docs.gongwen.titles import TITLE_CHARS_PER_LINE, break_title

WORDS_KEPT_WHOLE = (
    "培训班",
    "实施方案",
    "防止返贫",
    "动态监测",
    "中式烹调师",
    "2023年",
    "第1期",
    "青山镇",
    "通知",
)


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "关于举办青山镇2023年第1期中式烹调师培训班的通知",
            ["关于举办青山镇2023年第1期", "中式烹调师培训班的通知"],
        ),
        (
            "关于印发《青山镇2023年防止返贫动态监测和帮扶工作实施方案》的通知",
            ["关于印发《青山镇2023年防止返贫", "动态监测和帮扶工作实施方案》的通知"],
        ),
        ("青山镇2023年产业到户补助公示", ["青山镇2023年产业到户补助公示"]),
    ],
)
def test_titles_break_between_words_into_a_balanced_shape(title: str, lines: list[str]) -> None:
    assert break_title(title) == lines


@pytest.mark.parametrize(
    "title",
    [
        "关于举办青山镇2023年第1期中式烹调师培训班的通知",
        "关于举办城东街道2024年第12期家政服务员（育婴员）培训班的通知",
        "青山镇人民政府关于印发《青山镇2023年防止返贫动态监测和帮扶工作实施方案》的通知",
        "城东街道2023年防止返贫动态监测和帮扶工作实施方案",
    ],
)
def test_no_title_line_is_too_wide_or_breaks_inside_a_word(title: str) -> None:
    lines = break_title(title)
    assert "".join(lines) == title
    assert all(text_width_chars(line) <= TITLE_CHARS_PER_LINE for line in lines)
    for first, second in zip(lines, lines[1:], strict=False):
        joint = first[-4:] + second[:4]
        for word in WORDS_KEPT_WHOLE:
            if word in joint:
                assert word in first or word in second or word not in title, (first, second, word)
    widths = [text_width_chars(line) for line in lines]
    assert max(widths) - min(widths) <= 6  # balanced, not one long line and a stub


def test_the_title_paragraph_carries_the_breaks(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.title("关于举办青山镇2023年第1期中式烹调师培训班的通知")
    doc.document.save(tmp_path / "t.docx")
    paragraph = docx.Document(str(tmp_path / "t.docx")).paragraphs[0]
    assert paragraph.text == "关于举办青山镇2023年第1期\n中式烹调师培训班的通知"


def test_attachment_note_continues_under_the_attachment_name(tmp_path: Path) -> None:
    doc = OfficialDocument()
    doc.attachment_note(["青山镇2023年第1期中式烹调师培训班参训学员名单"])
    doc.attachment_note(["一", "二"])
    doc.document.save(tmp_path / "a.docx")
    paragraphs = [p for p in docx.Document(str(tmp_path / "a.docx")).paragraphs if p.text]
    single, first, second = paragraphs
    label = 3 * 15.75  # 「附件：」, three condensed 3号 characters
    number = 8 - 0.25 + 4 - 0.25  # 「1.」 in Times New Roman
    fmt = single.paragraph_format
    # the first line starts 2 characters in, the next lines where the name starts
    assert fmt.left_indent.pt + fmt.first_line_indent.pt == pytest.approx(32)
    assert fmt.left_indent.pt == pytest.approx(32 + label)
    assert first.paragraph_format.left_indent.pt == pytest.approx(32 + label + number)
    assert second.paragraph_format.left_indent.pt == pytest.approx(32 + label + number)
    assert second.paragraph_format.left_indent.pt + second.paragraph_format.first_line_indent.pt == (
        pytest.approx(32 + label)
    )


def test_names_and_villages_get_the_width_to_stay_on_one_line() -> None:
    columns = ("序号", "村", "户主姓名", "身份证号", "家庭人口", "投入金额（元）", "补助金额（元）")
    rows = [
        (str(i), "青山村", "欧阳春梅", "500114********2830", "4", "11,500.00", "2,000.00") for i in range(60)
    ]
    widths, size = column_layout(columns, rows)
    assert sum(widths) == pytest.approx(156, abs=0.5)
    for index in (1, 2):  # 村, 户主姓名
        assert phrase_lines(rows[0][index], widths[index], size) == rows[0][index]
        text_pt = len(rows[0][index]) * size.pt
        assert widths[index] * 72 / 25.4 >= text_pt + 10.8  # the text and the cell's margins


def test_a_long_text_cell_breaks_between_words(tmp_path: Path) -> None:
    doc = OfficialDocument()
    rows = [("1", "张三", "青山镇2023年第1期中式烹调师培训班", "黔江区青山镇青山村一组九号院")]
    doc.table(
        ("序号", "姓名", "培训班", "户籍地址"), rows, widths_mm=(15, 25, 45, 71), size=docx.shared.Pt(12)
    )
    doc.document.save(tmp_path / "c.docx")
    cell = docx.Document(str(tmp_path / "c.docx")).tables[0].rows[1].cells[2]
    assert cell.text == "青山镇2023年第1期\n中式烹调师培训班"
    assert len(cell._tc.findall(f".//{qn('w:br')}")) == 1
