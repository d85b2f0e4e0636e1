"""Projects (项目申报): one row per project, optional sheet 到户明细."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..example_household import EXAMPLE_VILLAGE
from ..models import HouseholdSubsidy, Project
from ..money import ZERO
from .collect import Problems, summarized
from .rows import example_row, iter_rows, raise_if_errors, row_place
from .workbook import Column, hidden_notes, open_workbook, read_table, read_tables

FUND_LEVELS = ("中央衔接资金", "市级衔接资金", "区县级衔接资金")

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("项目名称", required=True),
    Column("项目类型"),
    Column("建设性质"),
    Column("乡(镇)", ("乡镇", "乡镇(街道)", "镇")),
    Column("行政村", ("村", "村(社区)")),
    Column("建设内容及规模", ("建设内容", "建设内容及规模(数量)")),
    Column("补助标准"),
    Column("财政衔接资金", ("衔接资金",)),
    Column("中央衔接资金", ("中央资金",)),
    Column("市级衔接资金", ("市级资金",)),
    Column("区县级衔接资金", ("县级衔接资金", "区县资金", "县级资金")),
    Column("其他资金", ("自筹资金",)),
    Column("总投资", ("项目总投资", "资金规模")),
    Column("受益户数"),
    Column("受益脱贫户数"),
    Column("受益监测户数"),
    Column("受益人口", ("受益人数",)),
    Column("联农带农机制", ("联农带农",)),
    Column("产出指标"),
    Column("效益指标"),
    Column("满意度指标"),
    Column("开工时间", ("计划开工时间",)),
    Column("完工时间", ("计划完工时间",)),
    Column("责任单位"),
    Column("项目负责人"),
    Column("联系电话"),
    Column("申报单位"),
    Column("申报日期", ("申报时间",)),
)
DETAIL_COLUMNS: tuple[Column, ...] = (
    Column("项目名称", required=True),
    Column("户编号", required=True),
    Column("户主姓名", ("姓名",)),
    Column("投入金额", ("计算基数",), required=True),
    Column("验收结果", ("是否验收合格",)),
)
SHEET_NAMES = ("项目申报", "项目库")  # the projects' sheet when a workbook has several
DETAIL_SHEET = "到户明细"


def load_projects(
    path: str | Path, *, warnings: list[Problem] | None = None
) -> tuple[list[Project], list[HouseholdSubsidy]]:
    """Projects and 到户明细 rows. Warnings (e.g. 财政衔接资金 ≠ the sum of its levels) are appended to
    `warnings` when a list is given."""
    path = Path(path)
    sheets = open_workbook(path)
    details_sheet, project_sheets = sheets.apart(DETAIL_SHEET)
    # the projects: every sheet with their header (one per village), never the 到户明细 sheet
    tables = read_tables(path, PROJECT_COLUMNS, sheet_names=SHEET_NAMES, sheets=project_sheets or sheets)
    several = len(tables) > 1
    problems: list[Problem] = Problems(tables[0].notes)
    if not details_sheet:  # a hidden one is not read: say so
        problems.extend(hidden_notes(path.name, details_sheet, DETAIL_COLUMNS))
    projects: list[Project] = []
    first_rows: dict[str, str] = {}  # a project's name → where it was first read (「第 3 行」)
    for table, reader in ((t, r) for t in tables for r in iter_rows(t, problems)):
        name = reader.text("项目名称")
        if name in first_rows and details_sheet:
            # 到户明细 rows find their project by name: with two projects of one name they cannot
            # (without a 到户明细 sheet a repeated name is a review finding, not a refusal)
            problems.append(
                table.problem(
                    f"项目名称与{first_rows[name]}重复",
                    row=reader.row,
                    column="项目名称",
                    value=name,
                    hint="每个项目只写一行；不同项目请用不同的名称（到户明细按名称对应项目）",
                )
            )
        elif name:
            first_rows[name] = row_place(table.sheet if several else None, reader.row)
        funds = {}
        if table.has("财政衔接资金"):
            funds["财政衔接资金"] = reader.money("财政衔接资金")
        for level in FUND_LEVELS:
            if table.has(level):
                funds[level] = reader.money(level)
        declared = funds.get("财政衔接资金")
        split = {k: v for k, v in funds.items() if k in FUND_LEVELS and v is not None}
        if split:
            # the levels are the split of the total: keep the split, keep the declared total for the checks
            funds.pop("财政衔接资金", None)
            if declared is not None and sum(split.values()) != declared:
                problems.append(
                    table.problem(
                        f"财政衔接资金 {declared} 与各级衔接资金之和 {sum(split.values())} 不一致",
                        row=reader.row,
                        column="财政衔接资金",
                        value=str(declared),
                        hint="核对各级资金",
                        severity="warning",
                    )
                )
        if name.startswith(EXAMPLE_VILLAGE) and reader.text("行政村") == EXAMPLE_VILLAGE:
            problems.append(example_row(table, reader.row))
        projects.append(
            Project(
                name=reader.text("项目名称", required=True),
                source_row=reader.row,
                project_type=reader.text("项目类型"),
                nature=reader.text("建设性质"),
                township=reader.text("乡(镇)"),
                village=reader.text("行政村"),
                content=reader.prose("建设内容及规模"),
                subsidy_standard=reader.prose("补助标准"),
                funds={k: v for k, v in funds.items() if v is not None},
                declared_linked_funds=declared,
                other_funds=reader.money("其他资金") or ZERO,
                total_investment=reader.money("总投资"),
                households=reader.integer("受益户数"),
                poor_households=reader.integer("受益脱贫户数"),
                monitored_households=reader.integer("受益监测户数"),
                population=reader.integer("受益人口"),
                linkage=reader.prose("联农带农机制"),
                output_target=reader.prose("产出指标"),
                benefit_target=reader.prose("效益指标"),
                satisfaction_target=reader.prose("满意度指标"),
                start=reader.date("开工时间"),
                end=reader.date("完工时间"),
                responsible_unit=reader.text("责任单位"),
                manager=reader.text("项目负责人"),
                phone=reader.phone("联系电话"),
                applicant=reader.text("申报单位"),
                filed_on=reader.date("申报日期", month_only_ok=False),
                source_sheet=table.sheet if several else "",
            )
        )
    subsidies: list[HouseholdSubsidy] = []
    if details_sheet:
        detail_table = read_table(path, DETAIL_COLUMNS, sheets=details_sheet)
        names = {p.name for p in projects}
        for reader in iter_rows(detail_table, problems):
            project_name = reader.text("项目名称", required=True)
            if project_name and project_name not in names:
                problems.append(
                    detail_table.problem(
                        "项目名称在项目表中找不到",
                        row=reader.row,
                        column="项目名称",
                        value=project_name,
                        hint="与项目表中的名称保持一致",
                    )
                )
            investment = reader.money("投入金额", required=True)
            household_id = reader.text("户编号", required=True)
            if investment is None or not household_id:
                continue
            subsidies.append(
                HouseholdSubsidy(
                    project_name=project_name,
                    household_id=household_id,
                    head_name=reader.text("户主姓名"),
                    investment=investment,
                    source_row=reader.row,
                    accepted=reader.yes_no(
                        "验收结果", ("合格", "是", "验收合格", "达标"), ("不合格", "否", "未验收")
                    ),
                )
            )
    raise_if_errors(problems)
    if warnings is not None:
        warnings.extend(p for p in summarized(problems) if not p.is_error)
    return projects, subsidies
