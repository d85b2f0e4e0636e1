"""项目库汇总表.xlsx: one row per project grouped by 项目类型 with subtotals and a grand total, and a
second sheet with the totals by type and by funding source.

Totals are SUM formulas that carry their values (readers that do not recalculate see them too).
Money is a number with two decimals; every text from the workbook is written as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..models import Project
from ..money import ZERO, yuan
from ..printing import POINTS_PER_WIDTH, text_points
from ..readers.projects import FUND_LEVELS
from ..xlsx import (
    CENTER,
    HEADER_FONT,
    CachedFormulas,
    fit_heights,
    frame,
    keep_closing_block,
    put_money,
    put_number,
    put_text,
    setup_sheet,
    write_header,
    write_title,
)
from .checks import Review
from .sheets import BatchHeading, bold_row, info_line, label_row, sum_cells

UNSPLIT = "财政衔接资金（未分级）"
OTHER = "其他资金"
NO_TYPE = "（未填写类型）"
HEADER_ROWS = (3, 4)
PAPER_COLUMNS = 16  # 序号 … 审核情况
LEVELS_GROUP = "其中财政衔接资金分级（元）"
PERCENT_FORMAT = "0.00%"


@dataclass(frozen=True)
class Column:
    header: str
    group: str  # the merged caption above (empty: the header spans both header rows)
    value: Callable[[Project], object]
    kind: str = "text"  # text, money, count
    width: float | None = None


def project_type(project: Project) -> str:
    return project.project_type or NO_TYPE


def sources_of(project: Project) -> dict[str, Decimal]:
    """The project's money by funding source: each 衔接资金 level (or the unsplit total) and 其他资金."""
    split = {level: project.funds[level] for level in FUND_LEVELS if level in project.funds}
    if not split and "财政衔接资金" in project.funds:
        split = {UNSPLIT: project.funds["财政衔接资金"]}
    return {**split, OTHER: project.other_funds}


def source_amount(name: str) -> Callable[[Project], Decimal | None]:
    return lambda project: sources_of(project).get(name)


def source_names(projects: Sequence[Project]) -> list[str]:
    present = {name for project in projects for name in sources_of(project) if name != OTHER}
    return [name for name in (*FUND_LEVELS, UNSPLIT) if name in present] + [OTHER]


def declared_total(project: Project) -> Decimal:
    if project.total_investment is not None:
        return project.total_investment
    return project.linked_funds + project.other_funds


def _period(project: Project) -> str:
    def short(day: date | None) -> str:
        return day.strftime("%Y.%m.%d") if day else "未填写"

    return f"{short(project.start)}\n至{short(project.end)}"


def summary_columns(projects: Sequence[Project], review: Review) -> list[Column]:
    """The paper columns (up to 审核情况: `PAPER_COLUMNS` of them), then the 衔接资金 by level, which
    stays in the workbook but not on paper (分类汇总 prints those totals)."""
    columns = [
        Column("序号", "", lambda p: None, "index", 4.5),
        Column("项目名称", "", lambda p: p.name, width=11),
        Column("项目类型", "", project_type, width=6.5),
        Column("建设\n性质", "", lambda p: p.nature, width=4.6),
        Column("实施地点", "", lambda p: "".join(x for x in (p.township, p.village) if x), width=7),
        Column("建设内容及规模", "", lambda p: p.content, width=13),
        Column("总投资", "资金规模（元）", declared_total, "money"),
        Column("财政衔接资金", "资金规模（元）", lambda p: p.linked_funds, "money"),
        Column(OTHER, "资金规模（元）", source_amount(OTHER), "money"),
        Column("受益\n户数", "受益对象", lambda p: p.households, "count", 5.5),
        Column("其中\n脱贫户", "受益对象", lambda p: p.poor_households, "count", 6),
        Column("其中\n监测户", "受益对象", lambda p: p.monitored_households, "count", 6),
        Column("受益\n人口", "受益对象", lambda p: p.population, "count", 5.5),
        Column("实施期限", "", _period, width=11),
        Column("责任单位", "", lambda p: p.responsible_unit, width=8),
        Column("审核情况", "", lambda p: _verdict(p, review), width=7),
    ]
    for name in source_names(projects):
        if name != OTHER:
            columns.append(
                Column(name.replace("（未分级）", "\n（未分级）"), LEVELS_GROUP, source_amount(name), "money")
            )
    return columns


def _money_width(column: Column, projects: Sequence[Project]) -> float:
    """Wide enough for the column's grand total (the largest figure it shows), never ####."""
    total = yuan(sum((v for p in projects if (v := _numeric(column, p)) is not None), ZERO))
    return max(10.0, round(text_points(f"{total:,.2f}") / POINTS_PER_WIDTH + 1.5, 1))


def _verdict(project: Project, review: Review) -> str:
    titles = list(
        dict.fromkeys(f.rule.title for f in review.for_row(project.source_row, project.source_sheet))
    )
    return "问题：" + "、".join(titles) if titles else "通过"


def groups_by_type(projects: Sequence[Project]) -> list[tuple[str, list[Project]]]:
    groups: dict[str, list[Project]] = {}
    for project in projects:
        groups.setdefault(project_type(project), []).append(project)
    return list(groups.items())


def _two_row_header(ws: Worksheet, columns: Sequence[Column]) -> None:
    top, bottom = HEADER_ROWS
    write_header(ws, top, [c.group or c.header for c in columns])
    write_header(ws, bottom, [c.header for c in columns])
    index = 0
    while index < len(columns):
        column = columns[index]
        if not column.group:
            ws.merge_cells(start_row=top, start_column=index + 1, end_row=bottom, end_column=index + 1)
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == column.group:
            end += 1
        ws.merge_cells(start_row=top, start_column=index + 1, end_row=top, end_column=end + 1)
        index = end + 1
    for row in HEADER_ROWS:
        ws.row_dimensions[row].height = 30


def _numeric(column: Column, project: Project) -> Decimal | int | None:
    value = column.value(project)
    return value if isinstance(value, Decimal | int) else None


def _put_project_row(
    ws: Worksheet, row: int, number: int, project: Project, columns: Sequence[Column]
) -> None:
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=index)
        if column.kind == "index":
            put_number(cell, number, "0")
        elif column.kind == "money":
            value = column.value(project)
            if value is not None:
                put_money(cell, yuan(value))  # type: ignore[arg-type]
        elif column.kind == "count":
            value = column.value(project)
            if value is not None:
                put_number(cell, value, "0")  # type: ignore[arg-type]
        else:
            put_text(cell, column.value(project))


def _totals_row(
    ws: Worksheet,
    cached: CachedFormulas,
    row: int,
    caption: str,
    columns: Sequence[Column],
    source_rows: Sequence[int],
    projects: Sequence[Project],
) -> None:
    label_row(ws, row, caption, 6)
    for index, column in enumerate(columns, start=1):
        if column.kind in {"money", "count"}:
            values = [v for p in projects if (v := _numeric(column, p)) is not None]
            total = yuan(sum(values, ZERO)) if column.kind == "money" else sum(values)
            sum_cells(cached, ws, row, index, source_rows, total, money=column.kind == "money")
    bold_row(ws, row, len(columns))


def build_summary(
    projects: Sequence[Project], review: Review, heading: BatchHeading
) -> tuple[Workbook, CachedFormulas]:
    book = Workbook()
    ws = book.active
    ws.title = "项目库汇总表"
    cached = CachedFormulas()
    columns = summary_columns(projects, review)
    width = len(columns)
    widths = [c.width or _money_width(c, projects) for c in columns]
    write_title(
        ws, 1, f"{heading.unit}{heading.year}年度巩固拓展脱贫攻坚成果和乡村振兴项目库汇总表", PAPER_COLUMNS
    )
    info_line(
        ws,
        2,
        f"填报单位（盖章）：{heading.unit}",
        f"项目 {len(projects)} 个　金额单位：元",
        PAPER_COLUMNS,
        widths,
    )
    _two_row_header(ws, columns)

    row = HEADER_ROWS[-1] + 1
    first_data = row
    subtotal_rows: list[int] = []
    number = 0
    last_line = HEADER_ROWS[-1]  # the last project row: the subtotal and totals keep it company
    for type_name, members in groups_by_type(projects):
        data_rows = []
        for project in members:
            number += 1
            _put_project_row(ws, row, number, project, columns)
            data_rows.append(row)
            last_line = row
            row += 1
        _totals_row(ws, cached, row, f"{type_name} 小计（{len(members)} 个）", columns, data_rows, members)
        subtotal_rows.append(row)
        row += 1
    _totals_row(ws, cached, row, f"合计（{len(projects)} 个项目）", columns, subtotal_rows, projects)
    frame(ws, first_data, row, width)
    fit_heights(ws, first_data, row, widths[:PAPER_COLUMNS])
    fit = setup_sheet(
        ws,
        landscape=True,
        title_rows=f"{HEADER_ROWS[0]}:{HEADER_ROWS[-1]}",
        widths=widths,
        key_columns=2,
        print_columns=PAPER_COLUMNS,
    )
    keep_closing_block(ws, last_line, fit)
    ws.freeze_panes = ws.cell(row=first_data, column=3)

    _breakdown_sheet(book.create_sheet("分类汇总"), cached, projects, heading)
    return book, cached


def _breakdown_sheet(
    ws: Worksheet, cached: CachedFormulas, projects: Sequence[Project], heading: BatchHeading
) -> None:
    """Totals by 项目类型 and by funding source, each with its 合计."""
    width = 5
    widths = [24, 12, 18, 18, 16]
    write_title(ws, 1, f"{heading.unit}{heading.year}年度项目资金分类汇总", width)
    info_line(ws, 2, f"填报单位：{heading.unit}", "金额单位：元", width, widths)

    row = 3
    _block_caption(ws, row, "一、按项目类型汇总", width)
    row += 1
    write_header(ws, row, ["项目类型", "项目个数", "总投资", "财政衔接资金", "其他资金"])
    first = row + 1
    for type_name, members in groups_by_type(projects):
        row += 1
        put_text(ws.cell(row=row, column=1), type_name)
        put_number(ws.cell(row=row, column=2), len(members), "0")
        put_money(ws.cell(row=row, column=3), yuan(sum((declared_total(p) for p in members), ZERO)))
        put_money(ws.cell(row=row, column=4), yuan(sum((p.linked_funds for p in members), ZERO)))
        put_money(ws.cell(row=row, column=5), yuan(sum((p.other_funds for p in members), ZERO)))
    row += 1
    put_text(ws.cell(row=row, column=1), "合计")
    data = range(first, row)
    sum_cells(cached, ws, row, 2, data, len(projects), money=False)
    sum_cells(cached, ws, row, 3, data, yuan(sum((declared_total(p) for p in projects), ZERO)), money=True)
    sum_cells(cached, ws, row, 4, data, yuan(sum((p.linked_funds for p in projects), ZERO)), money=True)
    sum_cells(cached, ws, row, 5, data, yuan(sum((p.other_funds for p in projects), ZERO)), money=True)
    bold_row(ws, row, width)
    frame(ws, first, row, width)

    row += 2
    _block_caption(ws, row, "二、按资金来源汇总", width)
    row += 1
    write_header(ws, row, ["资金来源", "项目个数", "金额", "占资金合计比例"])
    first = row + 1
    by_source = {
        name: [v for p in projects if (v := sources_of(p).get(name))] for name in source_names(projects)
    }
    grand = yuan(sum((sum(values, ZERO) for values in by_source.values()), ZERO))
    total_row = first + len(by_source)
    for name, values in by_source.items():
        row += 1
        amount = yuan(sum(values, ZERO))
        put_text(ws.cell(row=row, column=1), name)
        put_number(ws.cell(row=row, column=2), len(values), "0")
        put_money(ws.cell(row=row, column=3), amount)
        share = (amount / grand).quantize(Decimal("1E-10")) if grand else ZERO
        formula = f"=IF(C{total_row}=0,0,C{row}/C{total_row})"
        cached.put(ws.cell(row=row, column=4), formula, share, PERCENT_FORMAT)
    row += 1
    put_text(ws.cell(row=row, column=1), "合计")
    put_text(ws.cell(row=row, column=2), "—").alignment = CENTER
    sum_cells(cached, ws, row, 3, range(first, row), grand, money=True)
    bold_row(ws, row, 4)
    frame(ws, first, row, 4)
    declared = yuan(sum((declared_total(p) for p in projects), ZERO))
    if declared != grand:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put_text(
            ws.cell(row=row, column=1),
            f"注：各项目填报的总投资合计 {declared:,.2f} 元，与各资金来源合计相差 {abs(declared - grand):,.2f} 元，"
            "见审核问题清单「资金构成」",
        ).alignment = CENTER
        ws.row_dimensions[row].height = 32
    fit_heights(ws, 5, row, widths)
    setup_sheet(ws, landscape=False, title_rows=None, widths=widths)


def _block_caption(ws: Worksheet, row: int, text: str, width: int) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = put_text(ws.cell(row=row, column=1), text)
    cell.font = HEADER_FONT
    ws.row_dimensions[row].height = 24
