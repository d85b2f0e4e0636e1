"""The reviewer's checks: each fires on a project crafted to break it and stays silent on a clean one."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.policy import load_policy
from fanpin_docs.projects import ReviewInputs, compute_subsidies, review_projects
from fanpin_docs.readers import load_projects, load_roster
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from test_projects_inputs import SIX, project_row, write_projects, write_six

QIANJIANG = load_policy("qianjiang-2023")


def review(
    tmp_path: Path,
    rows: list[list[object]],
    *,
    details: list[list[object]] | None = None,
    allocation: Decimal | None = None,
    policy_name: str = "qianjiang-2023",
):  # type: ignore[no-untyped-def]
    policy = load_policy(policy_name)
    projects, subsidies = load_projects(write_projects(tmp_path / "projects.xlsx", rows, details))
    sheet, _ = compute_subsidies(policy, subsidies)
    return review_projects(projects, ReviewInputs(policy=policy, allocation=allocation, subsidies=sheet))


def codes(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(f.project, f.rule.code) for f in result.findings]


def test_six_projects_one_clean_five_each_with_exactly_its_finding(tmp_path: Path) -> None:
    projects, _ = load_projects(write_six(tmp_path / "six.xlsx"))
    result = review_projects(projects, ReviewInputs(policy=QIANJIANG))
    by_project = {name: [f.rule.code for f in result.findings if f.project == name] for name, _, _ in SIX}
    assert by_project == {name: ([rule] if rule else []) for name, _, rule in SIX}
    assert result.project_count == 6 and result.passed_count == 1
    late = next(f for f in result.findings if f.rule.code == "filing_deadline")
    assert late.found == "申报日期2023年5月6日，逾期 6 天" and late.expected == "不晚于2023年4月30日"
    assert late.row == 4  # the title row and the header row stand above the first project
    september = next(f for f in result.findings if f.rule.code == "implementation_deadline")
    assert "2023年9月15日" in september.found and "2023年8月31日" in september.expected
    funds = next(f for f in result.findings if f.rule.code == "funds_add_up")
    assert "520,000.00" in funds.found and "500,000.00" in funds.found and "20,000.00" in funds.found
    poor = next(f for f in result.findings if f.rule.code == "beneficiaries")
    assert poor.found == "受益脱贫户 45 户，多于受益户数 30 户"


def test_deadline_is_month_day_in_the_policy_year(tmp_path: Path) -> None:
    on_time = review(tmp_path, [project_row("甲", 申报日期="2023-04-30", 完工时间="2023-08-31")])
    assert codes(on_time) == []
    a_day_late = review(tmp_path, [project_row("甲", 申报日期="2023年5月1日", 完工时间="2023-09-01")])
    assert codes(a_day_late) == [("甲", "filing_deadline"), ("甲", "implementation_deadline")]


def test_missing_dates_are_findings_not_silent_passes(tmp_path: Path) -> None:
    result = review(tmp_path, [project_row("甲", 申报日期=None, 完工时间=None)])
    assert [(f.rule.code, f.found) for f in result.findings] == [
        ("filing_deadline", "未填写申报日期"),
        ("implementation_deadline", "未填写完工时间"),
    ]


def test_start_after_end_is_reported(tmp_path: Path) -> None:
    result = review(tmp_path, [project_row("甲", 开工时间="2023-08-01", 完工时间="2023-07-01")])
    assert [f.found for f in result.findings] == ["开工时间2023年8月1日晚于完工时间2023年7月1日"]


def test_policy_without_deadlines_skips_those_checks_and_says_so(tmp_path: Path) -> None:
    result = review(
        tmp_path,
        [project_row("甲", 申报日期="2022-12-01", 完工时间="2022-12-31")],
        policy_name="fengjie-2022",
    )
    assert codes(result) == []
    assert any("没有规定项目申报截止日期" in note for note in result.skipped)
    assert any("没有规定项目实施完成日期" in note for note in result.skipped)


def test_industry_project_without_linkage_but_other_types_may_have_none(tmp_path: Path) -> None:
    result = review(
        tmp_path,
        [project_row("产业", 联农带农机制=None), project_row("道路", 项目类型="乡村建设", 联农带农机制=None)],
    )
    assert codes(result) == [("产业", "linkage")]


def test_missing_performance_targets_are_named(tmp_path: Path) -> None:
    result = review(tmp_path, [project_row("甲", 效益指标=None, 满意度指标="")])
    (finding,) = result.findings
    assert finding.rule.code == "performance_targets" and finding.found == "未填写效益指标、满意度指标"


def test_declared_linked_funds_must_equal_the_levels(tmp_path: Path) -> None:
    header_rows = [
        [
            "项目名称",
            "项目类型",
            "财政衔接资金",
            "中央衔接资金",
            "市级衔接资金",
            "其他资金",
            "总投资",
            "受益户数",
            "产出指标",
            "效益指标",
            "满意度指标",
            "申报日期",
            "完工时间",
        ],
        ["甲", "乡村建设", 100000, 60000, 30000, 0, 90000, 10, "a", "b", "c", "2023-04-01", "2023-08-01"],
    ]
    projects, _ = load_projects(write_xlsx(tmp_path / "p.xlsx", header_rows))
    result = review_projects(projects, ReviewInputs(policy=QIANJIANG))
    (finding,) = result.findings
    assert finding.rule.code == "funds_add_up"
    assert "财政衔接资金填 100,000.00 元" in finding.found and "= 90,000.00 元" in finding.found


def test_monitored_above_households_and_missing_households(tmp_path: Path) -> None:
    result = review(
        tmp_path,
        [
            project_row("甲", 受益户数=5, 受益脱贫户数=5, 受益监测户数=6),
            project_row("乙", 受益户数=None, 受益脱贫户数=None, 受益监测户数=None),
        ],
    )
    assert [(f.project, f.found) for f in result.findings] == [
        ("甲", "受益监测户 6 户，多于受益户数 5 户"),
        ("乙", "未填写受益户数"),
    ]


def test_duplicate_names_flag_every_row_involved(tmp_path: Path) -> None:
    # the workbook reader refuses a repeated name; projects given to the library directly are checked here
    (clean,), _ = load_projects(write_projects(tmp_path / "p.xlsx", [project_row("甲")]))
    projects = [
        replace(clean, source_row=3),
        replace(clean, name="乙", source_row=4),
        replace(clean, source_row=5),
    ]
    result = review_projects(projects, ReviewInputs(policy=QIANJIANG))
    assert [(f.row, f.rule.code, f.found) for f in result.findings] == [
        (3, "duplicate_name", "与第 5 行的项目同名"),
        (5, "duplicate_name", "与第 3 行的项目同名"),
    ]


@pytest.mark.parametrize(
    ("allocation", "expected"),
    [(None, []), (Decimal("900000"), []), (Decimal("899999.99"), [("（全部项目）", "allocation")])],
)
def test_township_allocation(
    tmp_path: Path, allocation: Decimal | None, expected: list[tuple[str, str]]
) -> None:
    result = review(tmp_path, [project_row("甲"), project_row("乙")], allocation=allocation)
    assert codes(result) == expected
    skipped = any("未检查衔接资金总额" in note for note in result.skipped)
    assert skipped == (allocation is None)
    if expected:
        (finding,) = result.findings
        assert finding.row is None
        assert "900,000.00" in finding.found and "超出 0.01 元" in finding.found
        assert finding.expected == "不超过本年度分配额度 899,999.99 元"


def test_household_subsidies_over_the_annual_cap_across_projects(tmp_path: Path) -> None:
    details = [
        ["甲", "001", "张三", 2000, "合格"],  # 1,600.00
        ["乙", "001", "张三", 1000, "合格"],  # 800.00 alone, but only 400.00 is left of the 2,000
        ["乙", "002", "李四", 5000, "合格"],
    ]  # 4,000 capped to 2,000.00 on its own row: within the cap
    result = review(tmp_path, [project_row("甲"), project_row("乙")], details=details)
    (finding,) = result.findings
    assert (finding.project, finding.rule.code) == ("乙", "subsidy_cap")
    assert finding.found == "户编号 001（张三）在甲、乙中共 2 笔补助，逐笔计算合计 2,400.00 元"
    assert finding.expected == "每户每年不超过 2,000 元（产业到户补助），明细中已按上限核减为 2,000.00 元"
    _, subsidies = load_projects(tmp_path / "projects.xlsx")
    sheet, _ = compute_subsidies(QIANJIANG, subsidies)
    assert sheet is not None
    assert [line.amount for line in sheet.lines] == [
        Decimal("1600.00"),
        Decimal("400.00"),
        Decimal("2000.00"),
    ]
    assert "本户已享受产业到户补助 1,600.00 元" in sheet.lines[1].calculation.explanation


def test_cap_per_row_is_not_summed_over_the_household(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "src/fanpin_docs/policies/qianjiang-2023.toml").read_text(
        encoding="utf-8"
    )
    assert 'cap_scope = "household"' in text
    policy_path = tmp_path / "each.toml"
    policy_path.write_text(text.replace('cap_scope = "household"', 'cap_scope = "each"'), encoding="utf-8")
    policy = load_policy(policy_path)
    details = [["甲", "001", "张三", 2000, "合格"], ["甲", "001", "张三", 2000, "合格"]]
    projects, subsidies = load_projects(write_projects(tmp_path / "p.xlsx", [project_row("甲")], details))
    sheet, _ = compute_subsidies(policy, subsidies)
    assert sheet is not None and [line.amount for line in sheet.lines] == [Decimal("1600.00")] * 2
    result = review_projects(projects, ReviewInputs(policy=policy, subsidies=sheet))
    assert result.findings == ()
    assert any("上限按每笔计算" in note for note in result.skipped)


def test_subsidies_follow_the_rule_with_explanations(tmp_path: Path) -> None:
    details = [
        ["甲", "001", "张三", 3000, "合格"],
        ["甲", "002", "李四", "1,500.50", "合格"],
        ["甲", "003", "王五", 2000, "不合格"],
        ["甲", "004", "赵六", 2000, None],
    ]
    projects, subsidies = load_projects(write_projects(tmp_path / "p.xlsx", [project_row("甲")], details))
    sheet, notes = compute_subsidies(QIANJIANG, subsidies)
    assert sheet is not None and notes == []
    assert [line.amount for line in sheet.lines] == [Decimal("2000.00"), Decimal("1200.40"), 0, 0]
    first, second, failed, unknown = (line.calculation.explanation for line in sheet.lines)
    assert first == "投入 3,000.00 元 × 80% = 2,400.00 元，超过每户每年上限 2,000 元，按 2,000.00 元补助"
    assert second == "投入 1,500.50 元 × 80% = 1,200.40 元"
    assert "验收不合格" in failed and "未验收" in unknown
    assert sheet.total == Decimal("3200.40")


def test_rule_limited_to_categories_needs_the_roster(tmp_path: Path) -> None:
    heping = load_policy("heping-2024")
    details = [
        ["甲", "H001", "张三", 3000, "合格"],
        ["甲", "H002", "李四", 3000, "合格"],
        ["甲", "H404", "某", 100, "合格"],
    ]
    _, subsidies = load_projects(write_projects(tmp_path / "p.xlsx", [project_row("甲")], details))
    sheet, notes = compute_subsidies(heping, subsidies)
    assert sheet is None and "--roster" in notes[0]

    roster = load_roster(
        write_xlsx(
            tmp_path / "roster.xlsx",
            [
                ROSTER_HEADER,
                roster_row("H001", "张三", make_id("19700101", 11), "户主", size=1, household_type="脱贫户"),
                roster_row(
                    "H002", "李四", make_id("19700101", 12), "户主", size=1, household_type="一般农户"
                ),
            ],
        )
    )
    sheet, notes = compute_subsidies(heping, subsidies, roster)
    assert sheet is not None and notes == []
    assert [line.amount for line in sheet.lines] == [Decimal("1500.00"), 0, 0]
    assert "不属于脱贫户、监测对象" in sheet.lines[1].calculation.explanation
    assert sheet.lines[2].note == "户编号不在户籍监测名单中，未计补助，见审核问题清单"


def test_policy_without_industry_rule_makes_no_subsidy_sheet(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "src/fanpin_docs/policies/qianjiang-2023.toml").read_text(
        encoding="utf-8"
    )
    policy_path = tmp_path / "no-industry.toml"
    policy_path.write_text(text.replace('role = "industry"', 'role = "other"'), encoding="utf-8")
    policy = load_policy(policy_path)
    _, subsidies = load_projects(
        write_projects(tmp_path / "p.xlsx", [project_row("甲")], [["甲", "001", "张三", 100, "合格"]])
    )
    sheet, notes = compute_subsidies(policy, subsidies)
    assert sheet is None and "没有产业到户补助规则" in notes[0]


def _roster_of(tmp_path: Path, *households: str):  # type: ignore[no-untyped-def]
    rows = [
        roster_row(
            household,
            name,
            make_id("19700101", index),
            "户主",
            size=1,
            household_type="一般农户",
            category="边缘易致贫户",
            resolved="否",
        )
        for index, (household, name) in enumerate(zip(households, "张三李四王五", strict=False), start=1)
    ]
    return load_roster(write_xlsx(tmp_path / "roster.xlsx", [ROSTER_HEADER, *rows]))


def test_a_household_not_in_the_roster_is_a_finding_and_not_paid(tmp_path: Path) -> None:
    industry = QIANJIANG.rule_for("industry")
    assert industry is not None
    open_rule = industry.model_copy(
        update={"eligibility": industry.eligibility.model_copy(update={"household_categories": ()})}
    )
    policy = QIANJIANG.model_copy(
        update={"rules": tuple(open_rule if r is industry else r for r in QIANJIANG.rules)}
    )  # a rule for every household: only the roster can tell a household that does not exist
    details = [["甲", "001", "张三", 2000, "合格"], ["乙", "404", "某某", 1000, "合格"]]
    projects, subsidies = load_projects(
        write_projects(tmp_path / "p.xlsx", [project_row("甲"), project_row("乙")], details)
    )
    roster = _roster_of(tmp_path, "001")
    sheet, notes = compute_subsidies(policy, subsidies, roster)
    assert sheet is not None and notes == []
    assert [line.amount for line in sheet.lines] == [Decimal("1600.00"), 0]
    assert sheet.total == Decimal("1600.00")
    unknown = sheet.lines[1]
    assert "不在户籍监测名单中" in unknown.note and "不在户籍监测名单中" in unknown.calculation.explanation

    result = review_projects(projects, ReviewInputs(policy=policy, subsidies=sheet))
    (finding,) = result.findings
    assert (finding.project, finding.rule.code, finding.rule.title) == (
        "乙",
        "subsidy_household",
        "到户明细的户不在名单中",
    )
    assert "到户明细第 3 行" in finding.found and "404（某某）" in finding.found
    assert "户籍监测名单中" in finding.expected and "不计入合计" in finding.expected
    assert not any("名单" in note for note in result.skipped)

    unchecked, _ = compute_subsidies(policy, subsidies)  # no roster: paid, and the check said to be skipped
    assert unchecked is not None and unchecked.total == Decimal("2400.00")
    skipped = review_projects(projects, ReviewInputs(policy=policy, subsidies=unchecked)).skipped
    assert any("--roster" in note and "到户明细" in note for note in skipped)


def test_a_rule_limited_to_categories_also_reports_the_unknown_household(tmp_path: Path) -> None:
    heping = load_policy("heping-2024")
    details = [["甲", "H001", "张三", 3000, "合格"], ["甲", "H404", "某", 100, "合格"]]
    projects, subsidies = load_projects(write_projects(tmp_path / "p.xlsx", [project_row("甲")], details))
    sheet, _ = compute_subsidies(heping, subsidies, _roster_of(tmp_path, "H001"))
    assert sheet is not None and [line.amount for line in sheet.lines] == [Decimal("1500.00"), 0]
    findings = review_projects(projects, ReviewInputs(policy=heping, subsidies=sheet)).findings
    assert [(f.project, f.rule.code) for f in findings] == [("甲", "subsidy_household")]


def test_projects_command_checks_the_households_against_the_roster(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from fanpin_docs.cli import app

    details = [["甲", "001", "张三", 2000, "合格"], ["甲", "404", "某某", 1000, "合格"]]
    source = write_projects(tmp_path / "p.xlsx", [project_row("甲")], details)
    _roster_of(tmp_path, "001")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "projects",
            "--projects",
            str(source),
            "--roster",
            str(tmp_path / "roster.xlsx"),
            "--policy",
            "qianjiang-2023",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 个有问题，问题 1 条" in result.output  # the table itself wraps its cells
    sheet = load_workbook(out / "项目申报/产业到户补助明细.xlsx", data_only=True).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[2] in ("001", "404")]
    assert [(row[2], row[6]) for row in rows] == [("001", 1600), ("404", 0)]
    assert "不在户籍监测名单中" in rows[1][8]
    total = next(row for row in sheet.iter_rows(values_only=True) if str(row[0]).startswith("合计"))
    assert total[6] == 1600
    findings = load_workbook(out / "项目申报/审核问题清单.xlsx").active
    assert any(
        "到户明细的户不在名单中" in str(c) for row in findings.iter_rows(values_only=True) for c in row
    )
