"""The checks a county reviewer makes on a township's project filing.

Each check is a small named rule. A rule looks at one project (or at the whole filing) and gives
findings: which project, which rule, what was found and what was expected. Findings never stop the
documents; the command decides what to do with them (`--strict`). A check that cannot run (the
policy has no such deadline, no allocation is set) is reported as skipped, not silently passed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..dates import chinese_date
from ..models import Project
from ..money import ZERO, format_amount, format_number, yuan
from ..policy import Policy, deadline
from .subsidies import SubsidySheet, over_cap

WHOLE_FILING = "（全部项目）"
INDUSTRY_MARK = "产业"


@dataclass(frozen=True)
class Rule:
    """A reviewer's rule: an identifier for code, a Chinese title and what to do about a finding."""

    code: str
    title: str
    hint: str

    def finding(self, project: Project | None, found: str, expected: str) -> Finding:
        return Finding(
            rule=self,
            project=project.name if project else WHOLE_FILING,
            row=project.source_row if project else None,
            sheet=project.source_sheet if project else "",
            found=found,
            expected=expected,
        )


@dataclass(frozen=True)
class Finding:
    rule: Rule
    project: str
    row: int | None  # the project's row in the workbook, None for the filing as a whole
    found: str
    expected: str
    sheet: str = ""  # the project's sheet when the projects are on several sheets

    @property
    def place(self) -> str:
        """The project and, when it has one, its row: 「村道硬化（第 5 行）」, 「村道硬化（工作表「红岩村」第 5 行）」."""
        if self.row is None:
            return self.project
        return self.project + (
            f"（工作表「{self.sheet}」第 {self.row} 行）" if self.sheet else f"（第 {self.row} 行）"
        )


FILING_DEADLINE = Rule("filing_deadline", "申报时限", "在截止日期前申报，逾期的须说明原因")
IMPLEMENTATION_DEADLINE = Rule("implementation_deadline", "实施期限", "调整实施计划，在规定日期前完工")
FUNDS_ADD_UP = Rule("funds_add_up", "资金构成", "核对总投资、各级衔接资金和其他资金")
BENEFICIARIES = Rule("beneficiaries", "受益对象", "核对受益户数及其中脱贫户、监测户数")
LINKAGE = Rule("linkage", "联农带农", "产业项目须写明联农带农机制（如务工带动、订单收购、入股分红）")
PERFORMANCE_TARGETS = Rule("performance_targets", "绩效目标", "补齐产出、效益、满意度指标")
ALLOCATION = Rule("allocation", "资金额度", "调减项目资金或项目数量，使衔接资金不超过分配额度")
SUBSIDY_CAP = Rule("subsidy_cap", "到户补助上限", "核实该户是否重复申报；补助明细已按上限核减")
SUBSIDY_HOUSEHOLD = Rule(
    "subsidy_household",
    "到户明细的户不在名单中",
    "核对户编号是否填错；确属补助对象的，先补录进户籍监测名单再重新生成",
)
DUPLICATE_NAME = Rule("duplicate_name", "项目重名", "修改项目名称，使每个项目名称唯一")

RULES: tuple[Rule, ...] = (
    FILING_DEADLINE,
    IMPLEMENTATION_DEADLINE,
    FUNDS_ADD_UP,
    BENEFICIARIES,
    LINKAGE,
    PERFORMANCE_TARGETS,
    ALLOCATION,
    SUBSIDY_CAP,
    SUBSIDY_HOUSEHOLD,
    DUPLICATE_NAME,
)


@dataclass(frozen=True)
class ReviewInputs:
    """What the checks may look at besides the projects."""

    policy: Policy
    allocation: Decimal | None = None  # 本年度衔接资金分配额度 from fanpin.toml
    subsidies: SubsidySheet | None = None
    year: int | None = None  # the working year (fanpin.toml): the deadlines are in it, else the policy's


@dataclass(frozen=True)
class Review:
    findings: tuple[Finding, ...]
    skipped: tuple[str, ...] = ()  # checks that were not made, with the reason
    project_count: int = 0

    def for_row(self, row: int, sheet: str = "") -> list[Finding]:
        return [f for f in self.findings if f.row == row and f.sheet == sheet]

    @property
    def flagged_rows(self) -> set[tuple[str, int]]:
        """The (sheet, row) of each project with a finding (the sheet "" when they are on one sheet)."""
        return {(f.sheet, f.row) for f in self.findings if f.row is not None}

    @property
    def passed_count(self) -> int:
        return self.project_count - len(self.flagged_rows)


ProjectCheck = Callable[[Project, ReviewInputs], Iterable[Finding]]
FilingCheck = Callable[[Sequence[Project], ReviewInputs], Iterable[Finding]]


# --- one project at a time -------------------------------------------------------------------


def check_filing_date(project: Project, inputs: ReviewInputs) -> Iterable[Finding]:
    last_day = deadline(inputs.policy, "filing", inputs.year)
    if last_day is None:
        return
    expected = f"不晚于{chinese_date(last_day)}"
    if project.filed_on is None:
        yield FILING_DEADLINE.finding(project, "未填写申报日期", expected)
    elif project.filed_on > last_day:
        late = (project.filed_on - last_day).days
        yield FILING_DEADLINE.finding(
            project, f"申报日期{chinese_date(project.filed_on)}，逾期 {late} 天", expected
        )


def check_completion_date(project: Project, inputs: ReviewInputs) -> Iterable[Finding]:
    last_day = deadline(inputs.policy, "implementation", inputs.year)
    if last_day is None:
        return
    expected = f"完工时间不晚于{chinese_date(last_day)}"
    if project.end is None:
        yield IMPLEMENTATION_DEADLINE.finding(project, "未填写完工时间", expected)
        return
    if project.end > last_day:
        yield IMPLEMENTATION_DEADLINE.finding(project, f"计划完工时间{chinese_date(project.end)}", expected)
    if project.start is not None and project.start > project.end:
        yield IMPLEMENTATION_DEADLINE.finding(
            project,
            f"开工时间{chinese_date(project.start)}晚于完工时间{chinese_date(project.end)}",
            "开工在前，完工在后",
        )


def check_funds(project: Project, inputs: ReviewInputs) -> Iterable[Finding]:
    linked = yuan(project.linked_funds)
    other = yuan(project.other_funds)
    levels = {k: v for k, v in project.funds.items() if k != "财政衔接资金"}
    declared = project.declared_linked_funds
    if levels and declared is not None and yuan(declared) != linked:
        split = " + ".join(f"{k} {format_amount(v)}" for k, v in levels.items())
        yield FUNDS_ADD_UP.finding(
            project,
            f"财政衔接资金填 {format_amount(declared)} 元，各级之和 {split} = {format_amount(linked)} 元",
            "各级衔接资金之和等于财政衔接资金",
        )
    parts = yuan(linked + other)
    if project.total_investment is None:
        if parts == ZERO:
            yield FUNDS_ADD_UP.finding(project, "未填写总投资和任何资金", "填写总投资及资金来源")
        return
    total = yuan(project.total_investment)
    if total != parts:
        yield FUNDS_ADD_UP.finding(
            project,
            f"总投资 {format_amount(total)} 元，财政衔接资金 {format_amount(linked)} 元 + 其他资金 "
            f"{format_amount(other)} 元 = {format_amount(parts)} 元，相差 {format_amount(abs(total - parts))} 元",
            "总投资 = 财政衔接资金 + 其他资金",
        )


def check_beneficiaries(project: Project, inputs: ReviewInputs) -> Iterable[Finding]:
    if project.households is None:
        if project.poor_households is not None or project.monitored_households is not None:
            yield BENEFICIARIES.finding(project, "填了其中脱贫户或监测户数，未填写受益户数", "填写受益户数")
        else:
            yield BENEFICIARIES.finding(project, "未填写受益户数", "填写受益户数及其中脱贫户、监测户数")
        return
    for label, count in (
        ("受益脱贫户", project.poor_households),
        ("受益监测户", project.monitored_households),
    ):
        if count is not None and count > project.households:
            yield BENEFICIARIES.finding(
                project,
                f"{label} {count} 户，多于受益户数 {project.households} 户",
                f"{label}不超过受益户数 {project.households} 户",
            )


def is_industry(project: Project) -> bool:
    return INDUSTRY_MARK in project.project_type


def check_linkage(project: Project, inputs: ReviewInputs) -> Iterable[Finding]:
    if is_industry(project) and not project.linkage:
        yield LINKAGE.finding(
            project, f"项目类型为{project.project_type}，未填写联农带农机制", "产业项目写明联农带农机制"
        )


def check_targets(project: Project, inputs: ReviewInputs) -> Iterable[Finding]:
    missing = [
        label
        for label, text in (
            ("产出指标", project.output_target),
            ("效益指标", project.benefit_target),
            ("满意度指标", project.satisfaction_target),
        )
        if not text
    ]
    if missing:
        yield PERFORMANCE_TARGETS.finding(
            project, f"未填写{'、'.join(missing)}", "产出、效益、满意度指标齐全"
        )


PROJECT_CHECKS: tuple[ProjectCheck, ...] = (
    check_filing_date,
    check_completion_date,
    check_funds,
    check_beneficiaries,
    check_linkage,
    check_targets,
)


# --- the filing as a whole ---------------------------------------------------------------------


def check_duplicate_names(projects: Sequence[Project], inputs: ReviewInputs) -> Iterable[Finding]:
    rows: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for project in projects:
        rows[project.name].append((project.source_sheet, project.source_row))
    for project in projects:
        here = (project.source_sheet, project.source_row)
        others = [place for place in rows[project.name] if place != here]
        if others:
            yield DUPLICATE_NAME.finding(project, f"与{_rows_named(others)}的项目同名", "每个项目名称唯一")


def _rows_named(places: list[tuple[str, int]]) -> str:
    """「第 3、5 行」, or 「工作表「红岩村」第 3 行、工作表「青山村」第 5 行」 when on several sheets."""
    if not any(sheet for sheet, _ in places):
        return f"第 {'、'.join(str(row) for _, row in places)} 行"
    return "、".join(f"工作表「{sheet}」第 {row} 行" for sheet, row in places)


def check_allocation(projects: Sequence[Project], inputs: ReviewInputs) -> Iterable[Finding]:
    if inputs.allocation is None:
        return
    total = yuan(sum((p.linked_funds for p in projects), ZERO))
    if total > inputs.allocation:
        yield ALLOCATION.finding(
            None,
            f"{len(projects)} 个项目财政衔接资金合计 {format_amount(total)} 元，"
            f"超出 {format_amount(total - inputs.allocation)} 元",
            f"不超过本年度分配额度 {format_amount(inputs.allocation)} 元",
        )


def check_subsidy_cap(projects: Sequence[Project], inputs: ReviewInputs) -> Iterable[Finding]:
    """A household in several 到户明细 rows whose subsidies, row by row, would exceed the cap per
    household: the sheet pays only up to the cap, the reviewer sees whom it cut and by how much."""
    sheet = inputs.subsidies
    if sheet is None or sheet.rule.cap is None:
        return
    by_name = {p.name: p for p in projects}
    households = sheet.by_household()
    for household_id, total in over_cap(sheet).items():
        lines = households[household_id]
        names = "、".join(dict.fromkeys(line.subsidy.project_name for line in lines))
        head = lines[0].subsidy.head_name
        who = f"户编号 {household_id}" + (f"（{head}）" if head else "")
        paid = sum((line.amount for line in lines), ZERO)
        yield SUBSIDY_CAP.finding(
            by_name.get(lines[-1].subsidy.project_name),
            f"{who}在{names}中共 {len(lines)} 笔补助，逐笔计算合计 {format_amount(total)} 元",
            f"{sheet.rule.cap_label}不超过 {format_number(sheet.rule.cap)} 元（{sheet.rule.name}），"
            f"明细中已按上限核减为 {format_amount(paid)} 元",
        )


def check_subsidy_households(projects: Sequence[Project], inputs: ReviewInputs) -> Iterable[Finding]:
    """A 到户明细 row whose household the roster does not have: it is not paid (0.00 元, out of the
    totals), and the reviewer is told which row and household."""
    sheet = inputs.subsidies
    if sheet is None or sheet.roster is None:
        return
    by_name = {p.name: p for p in projects}
    roster = Path(sheet.roster).name
    for line in sheet.lines:
        if not line.unlisted:
            continue
        subsidy = line.subsidy
        who = subsidy.household_id + (f"（{subsidy.head_name}）" if subsidy.head_name else "")
        yield SUBSIDY_HOUSEHOLD.finding(
            by_name.get(subsidy.project_name),
            f"到户明细第 {subsidy.source_row} 行户编号 {who}不在户籍监测名单「{roster}」中，"
            f"投入 {format_amount(subsidy.investment)} 元",
            "到户明细的户在户籍监测名单中；该行未计补助（0.00 元），不计入合计",
        )


FILING_CHECKS: tuple[FilingCheck, ...] = (
    check_duplicate_names,
    check_allocation,
    check_subsidy_cap,
    check_subsidy_households,
)


def skipped_checks(inputs: ReviewInputs) -> list[str]:
    """The checks this run cannot make, each with the reason and how to enable it."""
    policy = inputs.policy
    notes = []
    if deadline(policy, "filing") is None:
        notes.append(f"政策「{policy.title}」没有规定项目申报截止日期（[deadlines] filing），未检查申报时限")
    if deadline(policy, "implementation") is None:
        notes.append(
            f"政策「{policy.title}」没有规定项目实施完成日期（[deadlines] implementation），未检查实施期限"
        )
    if inputs.allocation is None:
        notes.append("fanpin.toml 中没有设置本年度衔接资金分配额度（[funds] allocation），未检查衔接资金总额")
    if inputs.subsidies is not None and inputs.subsidies.roster is None:
        notes.append(
            "没有提供户籍监测名单（--roster），未核对到户明细中的户是否在名单中"
            "（或在 fanpin.toml 的 [inputs] 中设置 roster）"
        )
    if inputs.subsidies is None:
        notes.append("没有计算到户补助，未检查到户补助上限")
    elif inputs.subsidies.rule.cap is None:
        notes.append(f"规则「{inputs.subsidies.rule.name}」没有上限，未检查到户补助上限")
    elif inputs.subsidies.rule.cap_scope != "household":
        notes.append(
            f'规则「{inputs.subsidies.rule.name}」的上限按每笔计算（cap_scope = "each"），'
            "未检查同一户多笔补助的合计"
        )
    return notes


def review_projects(projects: Sequence[Project], inputs: ReviewInputs) -> Review:
    """Every finding on the filing, ordered by project row (filing-wide findings last)."""
    found: list[Finding] = []
    for project in projects:
        for check in PROJECT_CHECKS:
            found.extend(check(project, inputs))
    for filing_check in FILING_CHECKS:
        found.extend(filing_check(projects, inputs))
    order = {rule.code: index for index, rule in enumerate(RULES)}
    sheets = {sheet: index for index, sheet in enumerate(dict.fromkeys(p.source_sheet for p in projects))}
    findings = sorted(
        found, key=lambda f: (f.row is None, sheets.get(f.sheet, 0), f.row or 0, order[f.rule.code])
    )
    return Review(tuple(findings), tuple(skipped_checks(inputs)), len(projects))
