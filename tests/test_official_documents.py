"""实施方案, 通知 and 公示 as issued 公文: the 印发通知 around the 方案, its 版头 and 版记, the money it
states, the 通知's 发文字号 — and, on the PDF, where a reader finds each of them on the page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pymupdf
import pytest
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.gongwen import OfficialDocument
from fanpin_docs.gongwen.pagination import estimate, estimate_pages
from fanpin_docs.gongwen.titles import break_title
from fanpin_docs.notices import PublicityNotice, build_publicity, class_notice
from fanpin_docs.pdf import convert_to_pdf, find_soffice
from fanpin_docs.plan import ProjectFunds, build_plan
from fanpin_docs.plan.setup import number_to_assign
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_projects, load_roster, load_training
from fanpin_docs.settings import Settings, load_settings
from test_plan import _roster
from test_projects_inputs import write_six
from training_data import DONE_WHEN, trainee_rows, write_training

MM = 72 / 25.4
TEXT_TOP_MM = 37.0
TEXT_BOTTOM_MM = 297.0 - 35.0
PLAN_TITLE = "石会镇2023年防止返贫动态监测和帮扶工作实施方案"
LONG_CLASS = "石会镇2023年第1期中式烹调师培训班"
FUNDS = ProjectFunds(total=Decimal("2749300.00"), count=12, source="项目申报表.xlsx")


def _paragraphs(document: docx.document.Document) -> list[str]:
    return [p.text.replace("\n", "") for p in document.paragraphs if p.text]


def _imprint(document: docx.document.Document) -> list[str]:
    """The 版记 as printed: the footer of the last section (a page of its own), else the end of the text."""
    footer = [p.text for p in document.sections[-1].footer.paragraphs if p.text]
    if any(text.endswith("印发") for text in footer):
        return footer
    texts = [p.text for p in document.paragraphs if p.text]
    start = max(i for i, text in enumerate(texts) if text.startswith("抄送：") or "\t" in text)
    start = start - 1 if texts[start - 1].startswith("抄送：") else start
    return texts[start:]


def _plan(tmp_path: Path, settings: Settings | None = None, projects: ProjectFunds | None = FUNDS):
    policy = load_policy("qianjiang-2023")
    return build_plan(policy, load_roster(_roster(tmp_path)), settings or Settings(), projects=projects)


def test_the_plan_is_issued_by_a_notice_and_follows_as_its_attachment(tmp_path: Path) -> None:
    result = _plan(tmp_path)
    path = tmp_path / "plan.docx"
    result.document.save(path)
    document = docx.Document(str(path))
    texts = _paragraphs(document)
    assert texts[:3] == ["石会镇人民政府文件", "石会镇发〔2023〕　号", f"关于印发《{PLAN_TITLE}》的通知"]
    assert texts[3] == "各村（社区），镇属各单位："  # 主送机关
    assert texts[4] == f"现将《{PLAN_TITLE}》印发给你们，请结合实际，认真抓好贯彻落实。"
    assert texts[5] == f"附件：{PLAN_TITLE}"
    assert texts[6:9] == ["石会镇人民政府", "2023年　月　日", "附件"]
    assert texts[9] == PLAN_TITLE
    marker = next(p for p in document.paragraphs if p.text == "附件")
    assert marker.paragraph_format.page_break_before  # the attachment starts a page
    assert _imprint(document) == ["抄送：黔江区乡村振兴局。", "石会镇党政办公室\t2023年　月　日印发"]


def test_the_plan_states_the_projects_total_and_calls_the_allocation_an_allocation(tmp_path: Path) -> None:
    (tmp_path / "fanpin.toml").write_text("[funds]\nallocation = 2800000\n", encoding="utf-8")
    text = "".join(_paragraphs(_plan(tmp_path, load_settings(tmp_path)).document))
    assert (
        "2023年项目库12个项目安排财政衔接资金274.93万元（人民币贰佰柒拾肆万玖仟叁佰元整，项目申报表合计），"
        "本年度衔接资金分配额度280万元" in text
    )
    alone = "".join(_paragraphs(_plan(tmp_path, load_settings(tmp_path), projects=None).document))
    assert "2023年衔接资金分配额度为280万元" in alone and "安排财政衔接资金280万元" not in alone


def test_fanpin_plan_reads_the_projects_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    workbook = write_six(tmp_path / "项目.xlsx")
    projects, _ = load_projects(workbook)
    arguments = ["plan", "--roster", str(_roster(tmp_path)), "--policy", "qianjiang-2023", "--out", "out"]
    result = CliRunner().invoke(app, [*arguments, "--projects", str(workbook)])
    assert result.exit_code == 0, result.output
    text = "".join(_paragraphs(docx.Document(str(tmp_path / "out" / "实施方案.docx"))))
    total = sum(p.linked_funds for p in projects)
    assert f"项目库{len(projects)}个项目安排财政衔接资金" in text and "项目申报表合计" in text
    assert f"{total / 10000:f}".rstrip("0").rstrip(".") + "万元" in text
    again = CliRunner().invoke(app, [*arguments[:-1], "again", "--projects", str(workbook)])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / "实施方案.docx").read_bytes() == (
        tmp_path / "out" / "实施方案.docx"
    ).read_bytes()


def test_a_missing_projects_workbook_leaves_the_figure_out_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    arguments = ["plan", "--roster", str(_roster(tmp_path)), "--policy", "qianjiang-2023", "--out", "out"]
    result = CliRunner().invoke(app, [*arguments, "--projects", str(tmp_path / "没有.xlsx")])
    assert result.exit_code == 0, result.output
    assert "项目申报表「没有.xlsx」不存在" in result.output.replace("\n", "")
    assert "项目申报表合计" not in "".join(
        _paragraphs(docx.Document(str(tmp_path / "out" / "实施方案.docx")))
    )


def test_a_workspace_cover_template_sets_the_copies_and_the_printer(tmp_path: Path) -> None:
    (tmp_path / "fanpin.toml").write_text('[township]\ntownship = "石会镇"\n', encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "印发通知.txt").write_text(
        "% 关于印发《{{ plan_title }}》的通知\n> 各村\n请遵照执行。\n抄送：区乡村振兴局、区财政局\n印发机关：石会镇办公室\n",
        encoding="utf-8",
    )
    document = _plan(tmp_path, load_settings(tmp_path)).document
    assert "请遵照执行。" in _paragraphs(document)
    assert _imprint(document) == ["抄送：区乡村振兴局，区财政局。", "石会镇办公室\t2023年　月　日印发"]


def test_other_documents_get_the_issuers_number_with_the_sequence_left_to_assign() -> None:
    assert number_to_assign("石会府发[2023]12号", "石会镇", 2024) == "石会府发〔2024〕　号"
    assert number_to_assign("", "石会镇", 2023) == "石会镇发〔2023〕　号"


def test_the_class_notice_has_a_letterhead_with_its_number(tmp_path: Path) -> None:
    classes, trainees = load_training(write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN)))
    notice = class_notice(
        load_policy("qianjiang-2023"),
        classes[0],
        trainees,
        issuer="石会镇人民政府",
        issued_on=date(2023, 3, 1),
        number="石会府发〔2023〕　号",
    )
    assert _paragraphs(notice)[:3] == [
        "石会镇人民政府文件",
        "石会府发〔2023〕　号",
        "关于举办2023年第一期电工培训班的通知",
    ]


def test_the_page_estimate_counts_lines_headings_and_page_breaks() -> None:
    doc = OfficialDocument()
    assert estimate(doc.document) == (1, pytest.approx(22 * 28.95))
    for _ in range(10):
        doc.body("字" * 50)  # 2 lines each (26 + 24 characters)
    pages, room = estimate(doc.document)
    assert pages == 1 and room == pytest.approx(2 * 28.95)
    doc.heading(1, "总体要求")  # kept with the next paragraph, which does not fit: both go over
    doc.body("字" * 80)
    assert estimate(doc.document) == (2, pytest.approx((22 - 5) * 28.95))
    doc.attachment_page()
    assert estimate_pages(doc.document) == 3


# --- on the printed page ----------------------------------------------------------------------


def _publicity(rows: int, *, group_by: str = "") -> PublicityNotice:
    classes = ("石会镇2023年第1期中式烹调师培训班", "石会镇2023年第2期农村电商培训班")
    columns = ("序号", "姓名", "身份证号", "所在村", "培训班", "实际出勤天数", "补贴金额（元）", "银行卡号")
    return PublicityNotice(
        title="石会镇2023年培训误工补贴发放公示",
        intro="经审核，现将拟发放误工补贴的学员名单予以公示",
        columns=columns,
        rows=tuple(
            (
                str(i),
                "欧阳春梅",
                "500114********2830",
                "红岩村",
                classes[(i - 1) * 2 // rows],
                "8",
                "320.00",
                "****1234",
            )
            for i in range(1, rows + 1)
        ),
        total_line=f"合计：{rows}人，16,640.00元（人民币壹万陆仟陆佰肆拾元整）。",
        start=date(2023, 6, 19),
        working_days=5,
        issuer="石会镇人民政府",
        issued_on=date(2023, 6, 19),
        contact="石会镇乡村振兴办 李四 023-79221234",
        group_by=group_by,
    )


def _lines(page: pymupdf.Page) -> list[tuple[float, float, float, str, int]]:
    """(top mm, bottom mm, left mm, text, colour) of each text line, top to bottom."""
    found = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).replace(" ", "")
            if text:
                x0, y0, _, y1 = line["bbox"]
                found.append((y0 / MM, y1 / MM, x0 / MM, text, line["spans"][0]["color"]))
    return sorted(found)


def _body_lines(page: pymupdf.Page) -> list[str]:
    return [text for top, _, _, text, _ in _lines(page) if top < TEXT_BOTTOM_MM + 1]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pymupdf.Document]:
    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("printed")
    policy = load_policy("qianjiang-2023")
    roster = load_roster(_roster(folder))
    classes, trainees = load_training(write_training(folder / "考勤.xlsx", trainee_rows(DONE_WHEN)))
    documents = {
        "plan": build_plan(policy, roster, Settings(), projects=FUNDS).document,
        "notice": class_notice(
            policy,
            replace(classes[0], name=LONG_CLASS),
            trainees,
            issuer="石会镇人民政府",
            issued_on=date(2023, 3, 1),
            number="石会镇发〔2023〕　号",
        ),
        "allowance": build_publicity(_publicity(52, group_by="培训班")),
        # 54 rows used to end a page exactly, leaving the total, contact and signature a page of their own
        **{f"list{rows}": build_publicity(_publicity(rows)) for rows in (50, 54, 58)},
    }
    paths = []
    for name, document in documents.items():
        document.save(folder / f"{name}.docx")
        paths.append(folder / f"{name}.docx")
    return {path.stem: pymupdf.open(path) for path in convert_to_pdf(paths, folder / "pdf")}


@pytest.mark.pdf
def test_the_letterhead_is_where_the_standard_puts_it(printed: dict[str, pymupdf.Document]) -> None:
    page = printed["plan"][0]
    lines = _lines(page)
    mark = next(line for line in lines if line[3] == "石会镇人民政府文件")
    number = next(line for line in lines if line[3].startswith("石会镇发〔2023〕"))
    assert mark[4] == 0xE60012  # red
    assert mark[0] - TEXT_TOP_MM == pytest.approx(35, abs=0.7)  # 35 mm below the top of the text block
    assert 20 <= number[0] - mark[1] <= 27  # two blank lines (2 × 10.2 mm) between
    rules = [d for d in page.get_drawings() if d.get("color") and abs(d["rect"].y1 - d["rect"].y0) < 1]
    (rule,) = {
        (round(d["rect"].y0, 1), round(d["rect"].x0, 1), round(d["rect"].x1, 1)): d for d in rules
    }.values()
    red = tuple(round(c * 255) for c in rule["color"])
    assert red == (0xE6, 0x00, 0x12)
    assert rule["rect"].x0 / MM == pytest.approx(28, abs=0.5) and rule["rect"].x1 / MM == pytest.approx(
        184, abs=0.5
    )
    assert rule["rect"].y0 / MM - number[1] == pytest.approx(4, abs=0.7)  # 4 mm under the 发文字号
    title = [line for line in lines if line[0] > rule["rect"].y0 / MM][:2]
    assert 20 <= title[0][0] - rule["rect"].y0 / MM <= 25  # two blank lines before the title
    assert [line[3] for line in title] == break_title(f"关于印发《{PLAN_TITLE}》的通知")


@pytest.mark.pdf
def test_the_imprint_is_at_the_foot_of_an_even_last_page(printed: dict[str, pymupdf.Document]) -> None:
    pdf = printed["plan"]
    assert pdf.page_count % 2 == 0 and pdf.page_count <= 8
    text_block = [line for line in _lines(pdf[-1]) if line[1] < TEXT_BOTTOM_MM + 1]
    copied = next(index for index, line in enumerate(text_block) if line[3].startswith("抄送："))
    assert text_block[copied][3] == "抄送：黔江区乡村振兴局。" and text_block[-1][3].endswith("印发")
    # at the foot of the text block: on its last line, or (after text on the same page) at most two lines up
    assert -1 <= TEXT_BOTTOM_MM - text_block[-1][1] <= 21
    page_number = any(line[3].startswith("—") for line in _lines(pdf[-1]))
    assert page_number == (copied > 0)  # a page holding only the 版记 has no page number
    # its rules as wide as the text block (28–184 mm), the text one character in from either side
    rules = {
        (round(d["rect"].y0 / MM, 1), round(d["rect"].x0 / MM, 1), round(d["rect"].x1 / MM, 1))
        for d in pdf[-1].get_drawings()
        if d.get("color") == (0.0, 0.0, 0.0) and abs(d["rect"].y1 - d["rect"].y0) < 1
    }
    assert len(rules) == 3 and {(x0, x1) for _, x0, x1 in rules} == {(28.0, 184.0)}
    assert text_block[copied][2] == pytest.approx(28 + 16 * 25.4 / 72, abs=1.0)  # 抄送 one 4号 character in
    signed = [
        number for number, page in enumerate(pdf) if "石会镇人民政府" in page.get_text().replace(" ", "")
    ]
    assert signed[0] == 0  # the 印发通知 and its signature fit on the first page
    for page in list(pdf)[:-1]:  # no blank page before the 版记 here
        assert len(_body_lines(page)) > 3


@pytest.mark.pdf
def test_the_notice_ends_with_its_imprint_on_an_even_page(printed: dict[str, pymupdf.Document]) -> None:
    """A 通知 issued as a 公文 carries its 版记 too: 印发机关 and 印发日期 between rules as wide as the
    text block, at the foot of an even last page, after the attached list of trainees."""
    pdf = printed["notice"]
    assert pdf.page_count % 2 == 0
    text_block = [line for line in _lines(pdf[-1]) if line[1] < TEXT_BOTTOM_MM + 1]
    last = [line for line in text_block if abs(line[0] - text_block[-1][0]) < 1]  # printer, tab, date
    assert [line[3] for line in sorted(last, key=lambda line: line[2])] == [
        "石会镇党政办公室",
        "2023年3月1日印发",
    ]
    assert -1 <= TEXT_BOTTOM_MM - text_block[-1][1] <= 21  # on the text block's last lines
    rules = {
        (round(d["rect"].x0 / MM, 1), round(d["rect"].x1 / MM, 1))
        for d in pdf[-1].get_drawings()
        if d.get("color") == (0.0, 0.0, 0.0)
        and abs(d["rect"].y1 - d["rect"].y0) < 1
        and d["rect"].y0 / MM > text_block[-1][0] - 12
    }
    assert rules == {(28.0, 184.0)}


@pytest.mark.pdf
def test_notice_title_and_attachment_note_as_printed(printed: dict[str, pymupdf.Document]) -> None:
    lines = _lines(printed["notice"][0])
    texts = [line[3] for line in lines]
    title = break_title(f"关于举办{LONG_CLASS}的通知")
    assert len(title) == 2 and texts[texts.index(title[0]) + 1] == title[1]  # broken between words
    assert any(line[3].startswith("石会镇发〔2023〕") for line in lines)
    document = printed["notice"]
    note = next(
        (page, index)
        for page in document
        for index, line in enumerate(_lines(page))
        if line[3].startswith("附件：")
    )
    page, index = note
    note_lines = _lines(page)
    first = note_lines[index]
    continuation = note_lines[index + 1]
    assert not continuation[3].startswith("石会镇人民政府")  # the long name runs over a line
    assert continuation[2] == pytest.approx(
        first[2] + 3 * 15.75 / MM, abs=1.0
    )  # under the name, after 「附件：」


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["allowance", "list50", "list54", "list58"])
def test_no_page_holds_only_the_closing_lines(printed: dict[str, pymupdf.Document], name: str) -> None:
    pdf = printed[name]
    for page in pdf:
        assert any("********" in text for text in _body_lines(page)) or page.number == 0
    assert "石会镇人民政府" in pdf[-1].get_text().replace(" ", "")


@pytest.mark.pdf
def test_names_and_villages_are_never_broken_and_the_list_is_short(
    printed: dict[str, pymupdf.Document],
) -> None:
    pdf = printed["allowance"]
    assert pdf.page_count <= 3  # 52 people
    texts = [text for page in pdf for text in _body_lines(page)]
    assert texts.count("欧阳春梅") == 52 and "红岩村" in texts
    assert not any(text in ("欧阳", "春梅", "红岩", "村") for text in texts)
