"""Which sheets are read: every visible sheet with the table's header (one per village), never a hidden
sheet (named in a warning, or refused when only hidden sheets hold the table); and headers with a
unit (「工资性收入（元/年）」 is the column, 「（万元）」 is refused)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from cards_support import LEDGER, MEASURES_HEADER, write_inputs
from fanpin_docs.cli import app
from fanpin_docs.errors import InputError
from fanpin_docs.policy import load_policy
from fanpin_docs.projects.checks import ReviewInputs, review_projects
from fanpin_docs.readers import load_measures, load_projects, load_roster, load_training
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from test_readers_projects import HEADER as PROJECT_HEADER
from test_readers_training import HEADER as TRAINING_HEADER
from test_readers_training import row as trainee_row

runner = CliRunner(env={"COLUMNS": "300"})
QIANJIANG = load_policy("qianjiang-2023")
HEAD_1 = make_id("19700101", 11)
HEAD_2 = make_id("19650505", 33)
HEAD_OLD = make_id("19500101", 44)
HIDDEN_MESSAGE = "工作表「2022年旧名单（勿用）」是隐藏的，没有读取；如需读取，请在 Excel 中取消隐藏"


def write_book(
    path: Path, sheets: dict[str, Sequence[Sequence[object]]], hidden: dict[str, str] | None = None
) -> Path:
    """A workbook of the given sheets, in order; `hidden` gives some of them a state (hidden, veryHidden)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        ws.sheet_state = (hidden or {}).get(name, "visible")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def project_row(name: str, central: object, village: str = "红岩村") -> list[object]:
    values = {
        "项目名称": name,
        "项目类型": "产业发展",
        "乡镇": "城东街道",
        "村": village,
        "中央资金": central,
    }
    return [values.get(header) for header in PROJECT_HEADER]


# --- several sheets, one per village ------------------------------------------------------------------


def test_a_ledger_split_by_village_is_read_from_every_sheet(tmp_path: Path) -> None:
    roster = load_roster(
        write_xlsx(
            tmp_path / "名单.xlsx",
            [
                ROSTER_HEADER,
                roster_row("H1", "张三", HEAD_1, "户主", size=1),
                roster_row("H2", "王五", HEAD_2, "户主", size=1),
            ],
        )
    )
    header = ["户编号", "措施名称", "金额"]
    ledger = write_book(
        tmp_path / "台账.xlsx",
        {
            "红岩村": [header, ["H1", "低保金", 6000]],
            "石门村": [header, ["H2", "低保金", 5000], ["H9", "低保金", 100]],
        },
    )
    with pytest.raises(InputError) as caught:
        load_measures(ledger, roster)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.value) == ("石门村", 3, "H9")  # the row's own sheet

    write_book(
        ledger, {"红岩村": [header, ["H1", "低保金", 6000]], "石门村": [header, ["H2", "低保金", 5000]]}
    )
    records = load_measures(ledger, roster)
    assert sum(r.given_amount or 0 for r in records) == 11000


def test_a_sheet_beside_one_bearing_the_tables_name_is_named_not_dropped_silently(tmp_path: Path) -> None:
    """帮扶措施台账 is read alone (the other sheets may be old copies), but a sheet holding the same table
    is named in a warning: its rows are not read without a word."""
    roster = load_roster(
        write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER, roster_row("H1", "张三", HEAD_1, "户主", size=1)])
    )
    header = ["户编号", "措施名称", "金额"]
    warnings: list = []
    ledger = write_book(
        tmp_path / "台账.xlsx",
        {
            "帮扶措施台账": [header, ["H1", "低保金", 6000]],
            "补录": [header, ["H1", "公益性岗位", 5000]],
            "说明": [["填表说明"]],
        },
    )
    records = load_measures(ledger, roster, warnings=warnings)
    assert [r.given_amount for r in records] == [6000]
    (warning,) = warnings
    assert (warning.sheet, warning.is_error) == ("补录", False)
    assert "只读了名为「帮扶措施台账」的工作表" in warning.message


def test_a_copied_sheet_of_the_ledger_is_refused_not_counted_twice(tmp_path: Path) -> None:
    """Excel's 「移动或复制」 makes 「Sheet1 (2)」 beside Sheet1: read as a second village it would pay
    every measure twice. The same row on two sheets is refused, naming both."""
    roster = load_roster(
        write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER, roster_row("H1", "张三", HEAD_1, "户主", size=1)])
    )
    header = ["户编号", "措施名称", "金额", "落实日期"]
    rows = [header, ["H1", "低保金", 6000, "2023-05-01"], ["H1", "公益性岗位", 3000, "2023-06-01"]]
    ledger = write_book(tmp_path / "台账.xlsx", {"Sheet1": rows, "Sheet1 (2)": rows})
    with pytest.raises(InputError) as caught:
        load_measures(ledger, roster)
    problems = caught.value.problems
    assert [(p.sheet, p.row) for p in problems] == [("Sheet1 (2)", 2), ("Sheet1 (2)", 3)]
    assert (
        "与工作表「Sheet1」第 2 行完全相同" in problems[0].message
        and "删除复制出来的工作表" in problems[0].hint
    )
    # the same measure twice on one sheet is not this (an office may list two payments alike)
    one = write_book(tmp_path / "一张表.xlsx", {"Sheet1": [*rows, rows[1]]})
    assert len(load_measures(one, roster)) == 3


def test_cards_sum_a_ledger_split_by_village(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    roster, measures = write_inputs(tmp_path / "输入")
    write_book(
        measures,
        {
            "红岩村": [MEASURES_HEADER, *(r for r in LEDGER if r[0].startswith("50011400100"))],
            "石门村": [MEASURES_HEADER, *(r for r in LEDGER if r[0].startswith("50011400200"))],
        },
    )
    args = [
        "cards",
        "--roster",
        roster,
        "--measures",
        measures,
        "--policy",
        "qianjiang-2023",
        "--out",
        tmp_path / "out",
    ]
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    assert "政策金额合计 126,620.00 元" in result.output  # as from one sheet (tests/test_cards_command.py)


def test_training_split_by_sheet_reads_every_class(tmp_path: Path) -> None:
    a, b, c = make_id("19800101", 11), make_id("19850505", 22), make_id("19900909", 31)
    path = write_book(
        tmp_path / "考勤.xlsx",
        {
            "中式烹调班": [TRAINING_HEADER, trainee_row("张三", a), trainee_row("李四", b)],
            "电工班": [
                TRAINING_HEADER,
                trainee_row("王五", c, klass="电工班"),
                trainee_row("王五", c, klass="电工班"),
            ],
            "培训班": [["培训班", "应出勤天数"], ["中式烹调班", 5], ["电工班", 5]],
        },
    )
    with pytest.raises(InputError) as caught:
        load_training(path)
    (problem,) = caught.value.problems
    assert problem.sheet == "电工班" and "工作表「电工班」第 2 行和第 3 行" in problem.message

    write_book(
        path,
        {
            "中式烹调班": [TRAINING_HEADER, trainee_row("张三", a), trainee_row("李四", b)],
            "电工班": [TRAINING_HEADER, trainee_row("王五", c, 6, klass="电工班")],
            "培训班": [["培训班", "应出勤天数"], ["中式烹调班", 5], ["电工班", 5]],
        },
    )
    with pytest.raises(InputError) as caught:
        load_training(path)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("电工班", 2, "实际出勤天数")

    write_book(
        path,
        {
            "中式烹调班": [TRAINING_HEADER, trainee_row("张三", a), trainee_row("李四", b)],
            "电工班": [TRAINING_HEADER, trainee_row("王五", c, klass="电工班")],
        },
    )
    classes, trainees = load_training(path)
    assert [k.name for k in classes] == ["中式烹调班", "电工班"]
    assert [(t.class_name, t.name) for t in trainees][-1] == ("电工班", "王五")


def test_projects_split_by_village_all_reach_the_filing(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "项目.xlsx",
        {
            "红岩村": [PROJECT_HEADER, project_row("村道硬化", 200000)],
            "石门村": [
                PROJECT_HEADER,
                project_row("产业路", 500000, "石门村"),
                project_row("村道硬化", 1000, "石门村"),
            ],
        },
    )
    projects, _ = load_projects(path)
    assert [(p.name, p.source_sheet, p.source_row, p.linked_funds) for p in projects] == [
        ("村道硬化", "红岩村", 2, 200000),
        ("产业路", "石门村", 2, 500000),
        ("村道硬化", "石门村", 3, 1000),
    ]

    review = review_projects(projects, ReviewInputs(policy=QIANJIANG))
    duplicate = [f for f in review.findings if f.rule.code == "duplicate_name"]
    assert [f.place for f in duplicate] == [
        "村道硬化（工作表「红岩村」第 2 行）",
        "村道硬化（工作表「石门村」第 3 行）",
    ]
    assert duplicate[0].found == "与工作表「石门村」第 3 行的项目同名"
    assert review.for_row(2, "石门村") == [f for f in review.findings if f.project == "产业路"]

    details = [["项目名称", "户编号", "投入金额"], ["产业路", "H1", 3000]]
    write_book(
        path,
        {
            **{"红岩村": [PROJECT_HEADER, project_row("村道硬化", 2)]},
            "石门村": [PROJECT_HEADER, project_row("村道硬化", 1)],
            "到户明细": details,
        },
    )
    with pytest.raises(InputError) as caught:
        load_projects(path)
    messages = [(p.sheet, p.message) for p in caught.value.problems]
    assert ("石门村", "项目名称与工作表「红岩村」第 2 行重复") in messages


def test_projects_on_one_sheet_keep_their_findings_as_before(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "项目.xlsx",
        {"项目申报": [PROJECT_HEADER, project_row("村道硬化", 2), project_row("村道硬化", 1)]},
    )
    projects, _ = load_projects(path)
    assert {p.source_sheet for p in projects} == {""}
    duplicate = [
        f
        for f in review_projects(projects, ReviewInputs(policy=QIANJIANG)).findings
        if f.rule.code == "duplicate_name"
    ]
    assert [(f.place, f.found) for f in duplicate] == [
        ("村道硬化（第 2 行）", "与第 3 行的项目同名"),
        ("村道硬化（第 3 行）", "与第 2 行的项目同名"),
    ]


# --- hidden sheets ------------------------------------------------------------------------------------


def roster_book(tmp_path: Path, hidden: str = "hidden", *, visible: bool = True) -> Path:
    sheets = {
        "红岩村": [ROSTER_HEADER, roster_row("H1", "张三", HEAD_1, "户主", size=1)],
        "2022年旧名单（勿用）": [ROSTER_HEADER, roster_row("OLD", "旧户", HEAD_OLD, "户主", size=1)],
    }
    if not visible:
        sheets["红岩村"] = [["说明"], ["本表为导出的名单"]]
    return write_book(tmp_path / "名单.xlsx", sheets, {"2022年旧名单（勿用）": hidden})


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_roster_sheet_is_not_read_and_is_named(tmp_path: Path, state: str) -> None:
    roster = load_roster(roster_book(tmp_path, state))
    assert [h.household_id for h in roster.households] == ["H1"]
    assert [(w.sheet, w.message) for w in roster.warnings] == [("2022年旧名单（勿用）", HIDDEN_MESSAGE)]


def test_a_roster_on_hidden_sheets_only_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_roster(roster_book(tmp_path, visible=False))
    assert [(p.message, p.is_error) for p in caught.value.problems] == [(HIDDEN_MESSAGE, True)]
    result = runner.invoke(app, ["check", str(tmp_path / "名单.xlsx")])
    assert result.exit_code != 0 and HIDDEN_MESSAGE in result.output and "Traceback" not in result.output


def test_hidden_sheets_of_the_other_kinds(tmp_path: Path) -> None:
    header = ["户编号", "措施名称", "金额"]
    ledger = write_book(
        tmp_path / "台账.xlsx",
        {"台账": [header, ["H1", "低保金", 6000]], "旧台账": [header, ["H1", "低保金", 99999]]},
        {"旧台账": "hidden"},
    )
    warnings: list = []
    records = load_measures(ledger, warnings=warnings)
    assert [r.given_amount for r in records] == [6000]
    assert [w.sheet for w in warnings] == ["旧台账"] and "是隐藏的，没有读取" in warnings[0].message

    write_book(
        ledger, {"说明": [["填表说明"]], "旧台账": [header, ["H1", "低保金", 99999]]}, {"旧台账": "hidden"}
    )
    with pytest.raises(InputError) as caught:
        load_measures(ledger)
    assert [p.sheet for p in caught.value.problems] == ["旧台账"]

    a = make_id("19800101", 11)
    training = write_book(
        tmp_path / "考勤.xlsx",
        {
            "考勤": [TRAINING_HEADER, trainee_row("张三", a)],
            "培训班": [["培训班", "应出勤天数"], ["中式烹调班", 9]],
        },
        {"培训班": "hidden"},
    )
    warnings = []
    classes, _ = load_training(training, warnings=warnings)
    assert classes[0].planned_days == 5  # from the trainees' rows, not the hidden sheet's 9
    assert [w.sheet for w in warnings] == ["培训班"]

    projects = write_book(
        tmp_path / "项目.xlsx",
        {
            "项目申报": [PROJECT_HEADER, project_row("产业路", 5)],
            "旧项目": [PROJECT_HEADER, project_row("旧路", 7)],
        },
        {"旧项目": "veryHidden"},
    )
    warnings = []
    assert [p.name for p in load_projects(projects, warnings=warnings)[0]] == ["产业路"]
    assert [w.sheet for w in warnings] == ["旧项目"]


# --- headers with a unit --------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["（元/年）", "(元)", "/元", "（元）", "（元/人）", " (元/年)"])
def test_an_income_header_with_a_yuan_unit_is_the_column(tmp_path: Path, unit: str) -> None:
    header = [h + unit if h == "工资性收入" else h for h in ROSTER_HEADER]
    path = write_xlsx(tmp_path / "名单.xlsx", [header, roster_row("H1", "张三", HEAD_1, "户主", size=1)])
    roster = load_roster(path)
    assert roster.households[0].income is not None and roster.households[0].income.wage == 20000
    assert roster.warnings == ()


@pytest.mark.parametrize("unit", ["（万元）", "/万元", "(万元/年)"])
def test_an_income_header_in_wan_yuan_is_refused(tmp_path: Path, unit: str) -> None:
    header = [h + unit if h == "工资性收入" else h for h in ROSTER_HEADER]
    path = write_xlsx(tmp_path / "名单.xlsx", [header, roster_row("H1", "张三", HEAD_1, "户主", size=1)])
    with pytest.raises(InputError) as caught:
        load_roster(path)
    (problem,) = caught.value.problems
    assert problem.column == f"工资性收入{unit}".replace("（", "(").replace("）", ")") and problem.row == 1
    assert "万元" in problem.message and "换算成元" in problem.hint


def test_a_project_fund_in_wan_yuan_is_refused(tmp_path: Path) -> None:
    header = [h + "（万元）" if h == "中央资金" else h for h in PROJECT_HEADER]
    path = write_book(tmp_path / "项目.xlsx", {"项目申报": [header, project_row("产业路", 50)]})
    with pytest.raises(InputError) as caught:
        load_projects(path)
    assert ["万元" in p.message for p in caught.value.problems] == [True]


def test_a_missing_income_column_is_a_warning_naming_a_look_alike(tmp_path: Path) -> None:
    header = ["工资收入合计" if h == "工资性收入" else h for h in ROSTER_HEADER]
    header = [h for h in header if h != "财产性收入"]
    row = roster_row("H1", "张三", HEAD_1, "户主", size=1)
    del row[ROSTER_HEADER.index("财产性收入")]
    roster = load_roster(write_xlsx(tmp_path / "名单.xlsx", [header, row], sheet="户籍监测名单"))
    assert roster.households[0].income is not None and roster.households[0].income.wage == 0
    (warning,) = roster.warnings
    assert (warning.sheet, warning.row, warning.is_error) == ("户籍监测名单", 1, False)
    assert "「工资性收入」、「财产性收入」" in warning.message and "按 0 计算" in warning.message
    assert "「工资收入合计」" in warning.message
