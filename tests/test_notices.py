"""公示 and 通知: the publicity period in working days, the layout, and the industry-subsidy list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from fanpin_docs.errors import InputError, PolicyError, TemplateError
from fanpin_docs.models import TrainingClass
from fanpin_docs.notices import (
    INDUSTRY_COLUMNS,
    NoticeWording,
    PublicityNotice,
    build_publicity,
    class_notice,
    industry_publicity,
    industry_wording,
    publicity_end,
    publicity_sentence,
)
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_measures, load_roster, load_training
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from training_data import DONE_WHEN, trainee_rows, write_training

FRIDAY = date(2024, 5, 10)


def _notice(**changes) -> PublicityNotice:
    values = dict(
        title="石会镇2024年产业到户补助公示",
        intro="经审核，现将拟补助对象予以公示",
        columns=("序号", "户主姓名", "身份证号", "补助金额（元）"),
        rows=(
            ("1", "张三", "500114********1234", "2,000.00"),
            ("2", "李四", "500114********5678", "1,440.00"),
        ),
        total_line="合计：2户，补助金额3,440.00元（人民币叁仟肆佰肆拾元整）。",
        start=FRIDAY,
        working_days=5,
        issuer="石会镇人民政府",
        issued_on=date(2024, 5, 9),
        contact="李四 023-79221234",
    )
    values.update(changes)
    return PublicityNotice(**values)


def _saved(document, tmp_path: Path) -> docx.document.Document:
    path = tmp_path / "out.docx"
    document.save(path)
    return docx.Document(path)


# --- the publicity period -------------------------------------------------------------------


def test_five_working_days_from_a_friday_count_the_official_makeup_saturday() -> None:
    # Saturday 11 May 2024 was worked (劳动节调休), so the period ends on Wednesday, not Thursday
    assert FRIDAY.weekday() == 4
    assert publicity_end(FRIDAY, 5) == date(2024, 5, 15)
    assert publicity_sentence(FRIDAY, 5) == "公示期为2024年5月10日至2024年5月15日（5个工作日）"


def test_holidays_are_skipped_and_weekend_workdays_count() -> None:
    # National Day 2024: Oct 1–7 off, Sunday Sep 29 worked; from Friday Sep 27: 27, 29, 30, Oct 8, Oct 9
    holidays = [date(2024, 10, d) for d in range(1, 8)]
    assert publicity_end(date(2024, 9, 27), 5, holidays=holidays, workdays=[date(2024, 9, 29)]) == date(
        2024, 10, 9
    )


# --- the 公示 document ------------------------------------------------------------------------


def test_publicity_has_title_period_table_total_contact_and_signature(tmp_path: Path) -> None:
    document = _saved(build_publicity(_notice()), tmp_path)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "石会镇2024年产业到户补助公示"
    assert document.paragraphs[0].style.name == "公文标题"
    assert texts[1] == (
        "经审核，现将拟补助对象予以公示。公示期为2024年5月10日至2024年5月15日（5个工作日）。"
        "公示期间，如有异议，请以书面、电话或来访等方式向石会镇人民政府反映。"
    )
    assert texts[2:] == [
        "合计：2户，补助金额3,440.00元（人民币叁仟肆佰肆拾元整）。",
        "联系人及电话：李四 023-79221234",
        "石会镇人民政府",
        "2024年5月9日",
    ]
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["序号", "户主姓名", "身份证号", "补助金额（元）"],
        ["1", "张三", "500114********1234", "2,000.00"],
        ["2", "李四", "500114********5678", "1,440.00"],
    ]
    fonts = table.rows[0].cells[0].paragraphs[0].runs[0]._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "黑体" and fonts.get(qn("w:ascii")) == "Times New Roman"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_calendar_from_settings_moves_the_end(tmp_path: Path) -> None:
    notice = _notice(start=date(2024, 4, 30))
    document = _saved(
        build_publicity(
            notice,
            holidays=[date(2024, 5, d) for d in range(1, 6)],
            workdays=[date(2024, 4, 28), date(2024, 5, 11)],
        ),
        tmp_path,
    )
    # 4/30, then 5/1–5/5 off, 5/6, 5/7, 5/8, 5/9
    assert "公示期为2024年4月30日至2024年5月9日（5个工作日）" in document.paragraphs[2].text


def test_an_intro_that_states_the_period_itself_is_not_repeated(tmp_path: Path) -> None:
    intro = "现予公示。公示期为 2024年5月10日至2024年5月15日（5 个工作日）。公示期间如有异议，请向本镇反映。"
    document = _saved(build_publicity(_notice(intro=intro)), tmp_path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("公示期为") == 1
    assert text.count("异议") == 1


def test_an_intro_with_a_wrong_period_is_refused() -> None:
    with pytest.raises(TemplateError, match="2024年5月15日"):
        build_publicity(_notice(intro="公示期为2024年5月10日至2024年5月14日。"))


def test_rows_must_match_the_columns() -> None:
    with pytest.raises(ValueError):
        build_publicity(_notice(rows=(("1", "张三"),)))


# --- the industry-subsidy 公示 ------------------------------------------------------------------


def _roster_and_ledger(tmp_path: Path) -> tuple[Path, Path]:
    rows: list = [ROSTER_HEADER]
    heads = {}
    for number, village in enumerate(("红岩村", "红岩村", "石门村", "石门村"), 1):
        household = f"H{number:03d}"
        heads[household] = make_id("19700101", number * 2)
        rows.append(
            roster_row(
                household, f"户主{number}", heads[household], "户主", village=village, township="石会镇"
            )
        )
        rows.append(
            roster_row(
                household,
                f"配偶{number}",
                make_id("19720101", number * 2 + 1),
                "配偶",
                village=village,
                township="石会镇",
            )
        )
    roster = write_xlsx(tmp_path / "名单.xlsx", rows)
    ledger = write_xlsx(
        tmp_path / "台账.xlsx",
        [
            ["户编号", "措施名称", "计算基数", "金额", "验收结果"],
            ["H001", "产业到户补助", 1500, None, "合格"],  # 1,200.00
            ["H002", "产业补助", 3000, None, "合格"],  # alias; 2,400 capped at 2,000.00
            ["H003", "产业到户补助", 2000, None, "不合格"],  # left out
            ["H004", "公益性岗位", None, 3600, None],  # another rule: not on this list
        ],
    )
    return roster, ledger


def _wording() -> NoticeWording:
    return NoticeWording(title="石会镇2023年产业到户补助公示", intro="现予公示", text="")


def test_industry_publicity_amounts_come_from_the_rule_and_ids_are_masked(tmp_path: Path) -> None:
    policy = load_policy("qianjiang-2023")
    roster_path, ledger_path = _roster_and_ledger(tmp_path)
    roster = load_roster(roster_path)
    records = load_measures(ledger_path, roster)
    result = industry_publicity(
        policy,
        roster.households,
        records,
        wording=_wording(),
        start=FRIDAY,
        working_days=5,
        issuer="石会镇人民政府",
        issued_on=FRIDAY,
    )
    notice = result.notice
    assert notice.columns == INDUSTRY_COLUMNS
    head1, head2 = make_id("19700101", 2), make_id("19700101", 4)
    assert notice.rows == (
        ("1", "红岩村", "户主1", f"{head1[:6]}********{head1[-4:]}", "2", "1,500.00", "1,200.00"),
        ("2", "红岩村", "户主2", f"{head2[:6]}********{head2[-4:]}", "2", "3,000.00", "2,000.00"),
    )
    assert notice.total_line == "合计：2户，补助金额3,200.00元（人民币叁仟贰佰元整）。"
    assert len(result.left_out) == 1 and "户主3" in result.left_out[0] and "验收不合格" in result.left_out[0]
    document = build_publicity(notice)
    full_text = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for row in document.tables[0].rows for c in row.cells]
    )
    assert head1 not in full_text and head2 not in full_text


def test_industry_publicity_follows_the_policy_privacy_setting(tmp_path: Path) -> None:
    source = resources.files("fanpin_docs") / "policies" / "qianjiang-2023.toml"
    custom = tmp_path / "custom.toml"
    custom.write_text(
        source.read_text(encoding="utf-8") + "\n[privacy]\nid_keep_start = 3\nid_keep_end = 2\n",
        encoding="utf-8",
    )
    policy = load_policy(str(custom))
    roster_path, ledger_path = _roster_and_ledger(tmp_path)
    roster = load_roster(roster_path)
    result = industry_publicity(
        policy,
        roster.households,
        load_measures(ledger_path, roster),
        wording=_wording(),
        start=FRIDAY,
        working_days=5,
        issuer="石会镇人民政府",
        issued_on=FRIDAY,
    )
    head1 = make_id("19700101", 2)
    assert result.notice.rows[0][3] == head1[:3] + "*" * 13 + head1[-2:]


def test_industry_publicity_needs_the_base_of_each_row(tmp_path: Path) -> None:
    policy = load_policy("qianjiang-2023")
    roster_path, _ = _roster_and_ledger(tmp_path)
    roster = load_roster(roster_path)
    ledger = write_xlsx(
        tmp_path / "缺基数.xlsx",
        [["户编号", "措施名称", "计算基数", "验收结果"], ["H001", "产业到户补助", None, "合格"]],
    )
    with pytest.raises(InputError) as caught:
        industry_publicity(
            policy,
            roster.households,
            load_measures(ledger, roster),
            wording=_wording(),
            start=FRIDAY,
            working_days=5,
            issuer="石会镇人民政府",
            issued_on=FRIDAY,
            source="缺基数.xlsx",
        )
    message = str(caught.value)
    assert "缺基数.xlsx" in message and "H001" in message and "计算基数" in message
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.household) == (2, "计算基数", "H001")


def test_policy_without_an_industry_rule_is_refused(tmp_path: Path) -> None:
    source = resources.files("fanpin_docs") / "policies" / "qianjiang-2023.toml"
    text = source.read_text(encoding="utf-8").replace('role = "industry"', 'role = "other"')
    custom = tmp_path / "no-industry.toml"
    custom.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="产业补助规则"):
        industry_publicity(
            load_policy(str(custom)),
            (),
            (),
            wording=_wording(),
            start=FRIDAY,
            working_days=5,
            issuer="石会镇人民政府",
            issued_on=FRIDAY,
        )


def test_industry_wording_states_the_rules_standard() -> None:
    policy = load_policy("qianjiang-2023")
    wording = industry_wording(policy, township="石会镇", year=2024)
    assert wording.title == "石会镇2024年产业到户补助公示"
    assert "补助标准：按投入的80%，每户每年最高2000元" in wording.intro
    assert "验收达标" in wording.intro


# --- the training-class 通知 ------------------------------------------------------------------


def test_class_notice_gives_dates_place_standard_and_the_trainee_list_without_ids(tmp_path: Path) -> None:
    policy = load_policy("qianjiang-2023")
    classes, trainees = load_training(write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN)))
    document = _saved(
        class_notice(
            policy,
            classes[0],
            trainees,
            issuer="石会镇人民政府",
            issued_on=date(2023, 3, 1),
            contact="李四 023-79221234",
        ),
        tmp_path,
    )
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "关于举办2023年第一期电工培训班的通知"
    assert texts[1] == "各村（社区）："
    assert "2023年3月6日至2023年3月12日，共7天。" in texts
    assert "区职教中心。" in texts
    assert "本期培训学员6人，名单见附件。" in texts
    rule = policy.rule_for("training")
    subsidy = next(t for t in texts if "补贴标准" in t)
    assert f"补贴标准：{int(rule.unit_amount)}元/天" in subsidy and "结业考核合格" in subsidy
    assert "附件：2023年第一期电工培训班参训学员名单" in texts
    assert texts[texts.index("石会镇人民政府") + 1] == "2023年3月1日"
    attachment = document.tables[0]
    assert [c.text for c in attachment.rows[0].cells] == ["序号", "姓名", "性别", "人员类别", "户籍地址"]
    assert [row.cells[1].text for row in attachment.rows[1:]] == [name for name, *_ in DONE_WHEN]
    everything = "\n".join(texts + [c.text for row in attachment.rows for c in row.cells])
    assert all(id_number not in everything for _, id_number, *_ in DONE_WHEN)


def test_class_notice_without_dates_says_they_follow() -> None:
    policy = load_policy("qianjiang-2023")
    document = class_notice(
        policy,
        TrainingClass(name="电商培训班", planned_days=Decimal(3)),
        [],
        issuer="石会镇人民政府",
        issued_on=None,
    )
    texts = [p.text for p in document.paragraphs if p.text]
    assert "另行通知。" in texts
    assert not document.tables  # no trainees, no attachment
    assert texts[-2] == f"{policy.year}年　月　日"  # the signature's date, to be filled in
    assert texts[-1] == f"石会镇党政办公室\t{policy.year}年　月　日印发"  # then the 版记 (GB/T 9704 7.4)
