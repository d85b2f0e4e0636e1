"""The projects reader, with its 到户明细 sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError
from fanpin_docs.readers import load_projects
from helpers import write_xlsx

HEADER = [
    "项目名称",
    "项目类型",
    "建设性质",
    "乡镇",
    "村",
    "建设内容",
    "补助标准",
    "中央资金",
    "市级资金",
    "县级衔接资金",
    "自筹资金",
    "项目总投资",
    "受益户数",
    "受益脱贫户数",
    "受益监测户数",
    "受益人数",
    "联农带农",
    "产出指标",
    "效益指标",
    "满意度指标",
    "计划开工时间",
    "计划完工时间",
    "责任单位",
    "项目负责人",
    "联系电话",
    "申报单位",
    "申报时间",
]


def project(
    name: str = "红岩村肉牛养殖项目",
    *,
    central: object = 300000,
    city: object = 100000,
    county: object = "５０，０００",
    filed: object = "2024年4月20日",
    households: object = 40,
) -> list[object]:
    return [
        name,
        "产业发展",
        "新建",
        "城东街道",
        "红岩村",
        "新建牛舍 800 平方米",
        "按投入 80%",
        central,
        city,
        county,
        20000,
        470000,
        households,
        25,
        10,
        130,
        "务工带动、分红",
        "牛舍 800 平方米",
        "户均增收 2000 元",
        "≥95%",
        "2024-05-01",
        "2024.8.31",
        "区农业农村委",
        "王主任",
        "023-79221234",
        "城东街道办事处",
        filed,
    ]


def projects_file(
    tmp_path: Path, rows: list[list[object]], details: list[list[object]] | None = None
) -> Path:
    extra = {"到户明细": details} if details is not None else None
    return write_xlsx(tmp_path / "项目.xlsx", rows, sheet="项目申报", extra_sheets=extra)


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_projects(path)
    return caught.value


def test_project_row_with_aliases_and_fund_levels(tmp_path: Path) -> None:
    projects, subsidies = load_projects(projects_file(tmp_path, [["2024年项目库申报表"], HEADER, project()]))
    assert subsidies == []
    (item,) = projects
    assert (item.name, item.project_type, item.nature, item.township, item.village) == (
        "红岩村肉牛养殖项目",
        "产业发展",
        "新建",
        "城东街道",
        "红岩村",
    )
    assert item.funds == {
        "中央衔接资金": Decimal(300000),
        "市级衔接资金": Decimal(100000),
        "区县级衔接资金": Decimal(50000),
    }
    assert item.linked_funds == Decimal(450000)
    assert item.other_funds == Decimal(20000) and item.total_investment == Decimal(470000)
    assert (item.households, item.poor_households, item.monitored_households, item.population) == (
        40,
        25,
        10,
        130,
    )
    assert item.linkage == "务工带动、分红" and item.satisfaction_target == "≥95%"
    assert (item.start, item.end, item.filed_on) == (date(2024, 5, 1), date(2024, 8, 31), date(2024, 4, 20))
    assert item.phone == "023-79221234" and item.source_row == 3


def test_single_linked_funds_column(tmp_path: Path) -> None:
    rows = [["项目名称", "衔接资金", "其他资金"], ["村道硬化", "1,200,000", ""]]
    (item,), _ = load_projects(projects_file(tmp_path, rows))
    assert item.funds == {"财政衔接资金": Decimal(1200000)}
    assert item.linked_funds == Decimal(1200000) and item.other_funds == Decimal(0)
    assert isinstance(item.other_funds, Decimal)


def test_declared_total_beside_the_levels_is_kept(tmp_path: Path) -> None:
    rows = [["项目名称", "财政衔接资金", "中央衔接资金", "市级衔接资金"], ["村道硬化", 500, 300, 100]]
    (item,), _ = load_projects(projects_file(tmp_path, rows))
    assert item.linked_funds == Decimal(400) and item.declared_linked_funds == Decimal(500)


def test_bad_numbers_and_dates_refused_together(tmp_path: Path) -> None:
    rows = [HEADER, project(central="三十万", filed="202404", households=12.5), project("二号项目", city=-1)]
    error = refused(projects_file(tmp_path, rows))
    located = sorted((p.row, p.column) for p in error.problems)
    assert located == [(2, "中央资金"), (2, "受益户数"), (2, "申报时间"), (3, "市级资金")]


def test_blank_project_name_refused(tmp_path: Path) -> None:
    rows = [HEADER, project(""), project("二号项目")]
    problem = refused(projects_file(tmp_path, rows)).problems[0]
    assert (problem.row, problem.column) == (2, "项目名称")


def test_duplicate_project_name_refused_when_household_details_refer_to_it(tmp_path: Path) -> None:
    rows = [HEADER, project("肉牛养殖"), project(" 肉牛养殖 ")]
    details = [["项目名称", "户编号", "投入金额"], ["肉牛养殖", "0012", 3000]]
    problem = refused(projects_file(tmp_path, rows, details)).problems[0]
    assert (problem.row, problem.column) == (3, "项目名称") and "第 2 行" in problem.message


def test_duplicate_project_name_without_household_details_is_left_to_the_review(tmp_path: Path) -> None:
    projects, _ = load_projects(projects_file(tmp_path, [HEADER, project("肉牛养殖"), project("肉牛养殖")]))
    assert [p.name for p in projects] == ["肉牛养殖", "肉牛养殖"]


def test_household_details_sheet(tmp_path: Path) -> None:
    details = [
        ["项目名称", "户编号", "姓名", "计算基数", "是否验收合格"],
        ["红岩村肉牛养殖项目", "0012", "张三", "3,000", "合格"],
        ["红岩村肉牛养殖项目", "0013", "赵六", 1500, "不合格"],
        ["红岩村肉牛养殖项目", "0014", "钱七", 800, ""],
    ]
    projects, subsidies = load_projects(projects_file(tmp_path, [HEADER, project()], details))
    assert len(projects) == 1
    assert [(s.household_id, s.head_name, s.investment, s.accepted, s.source_row) for s in subsidies] == [
        ("0012", "张三", Decimal(3000), True, 2),
        ("0013", "赵六", Decimal(1500), False, 3),
        ("0014", "钱七", Decimal(800), None, 4),
    ]
    assert all(s.project_name == "红岩村肉牛养殖项目" for s in subsidies)


def test_household_details_refusals(tmp_path: Path) -> None:
    details = [
        ["项目名称", "户编号", "户主姓名", "投入金额", "验收结果"],
        ["没有这个项目", "0012", "张三", 3000, "合格"],
        ["红岩村肉牛养殖项目", "", "赵六", 1500, ""],
        ["红岩村肉牛养殖项目", "0014", "钱七", "", ""],
        ["红岩村肉牛养殖项目", "0015", "孙八", 500, "差不多"],
    ]
    error = refused(projects_file(tmp_path, [HEADER, project()], details))
    located = sorted((p.sheet, p.row, p.column) for p in error.problems)
    assert located == [
        ("到户明细", 2, "项目名称"),
        ("到户明细", 3, "户编号"),
        ("到户明细", 4, "投入金额"),
        ("到户明细", 5, "验收结果"),
    ]


def test_details_sheet_missing_a_required_column_refused(tmp_path: Path) -> None:
    details = [["项目名称", "户编号"], ["红岩村肉牛养殖项目", "0012"]]
    problem = refused(projects_file(tmp_path, [HEADER, project()], details)).problems[0]
    assert "投入金额" in problem.message and problem.sheet == "到户明细"


def test_fund_levels_disagreeing_with_the_total_warn(tmp_path: Path) -> None:
    rows = [["项目名称", "财政衔接资金", "中央衔接资金", "市级衔接资金"], ["村道硬化", 500, 300, 100]]
    warnings: list = []
    load_projects(projects_file(tmp_path, rows), warnings=warnings)
    assert len(warnings) == 1
    assert (warnings[0].row, warnings[0].column, warnings[0].severity) == (2, "财政衔接资金", "warning")
    assert "400" in warnings[0].message


def test_an_amount_beyond_any_budget_is_refused_with_its_place(tmp_path: Path) -> None:
    """1e26 yuan is not money but a number pasted into the wrong column: refused, never a Decimal error."""
    path = write_xlsx(
        tmp_path / "项目.xlsx",
        [
            ["项目名称", "财政衔接资金", "建设性质", "乡(镇)", "行政村", "项目类型"],
            ["甲", 1.0000000253776429e26, "新建", "石会镇", "青山村", "产业发展"],
        ],
    )
    with pytest.raises(InputError) as refused:
        load_projects(path)
    assert "金额大得不合常理" in str(refused.value) and "财政衔接资金" in str(refused.value)
