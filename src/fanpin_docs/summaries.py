"""The sentences a finished run is summed up in — one wording for the command line (`commands/`) and
the 工作台's 生成 page (`generate`), so the two never tell the same run differently. Plain text: a
front end adds its own marks (the command line's ✓ and colours)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .money import format_amount

if TYPE_CHECKING:
    from .cards import CardsReport
    from .plan import PlanResult
    from .projects.checks import Review
    from .training import TrainingResult


def cards_summary(report: CardsReport, *, pdf: bool) -> tuple[str, str]:
    """「明白卡 N 户，全村打印文件 N 个，清单「…」」 and the amounts line."""
    return (
        f"明白卡 {report.cards} 户，全村打印文件 {report.print_files} 个"
        + (f"，PDF {report.pdfs} 个" if pdf else "")
        + f"，清单「{report.manifest}」",
        f"政策金额合计 {format_amount(report.total)} 元；人均纯收入低于监测线 {report.below_line} 户；"
        f"提醒 {report.warnings} 条（见清单「提醒」列）",
    )


def training_summary(result: TrainingResult) -> tuple[str, str]:
    """「N 个培训班的文书，共 N 个文件」 and the trainees and allowances line."""
    return (
        f"{result.classes} 个培训班的文书，共 {len(result.files)} 个文件",
        f"学员 {result.enrolments} 人次，发放误工补贴 {result.paid} 人次，合计 {format_amount(result.total)} 元",
    )


def projects_summary(review: Review) -> str:
    """「共 N 个项目：N 个通过审核，N 个有问题，问题 N 条」"""
    return (
        f"共 {review.project_count} 个项目：{review.passed_count} 个通过审核，"
        f"{len(review.flagged_rows)} 个有问题，问题 {len(review.findings)} 条"
    )


def plan_summary(result: PlanResult) -> str:
    """The township's counts the 实施方案 was written from."""
    facts = result.facts
    return (
        f"{result.settings.township}：农户 {facts.households} 户，监测对象 {facts.monitored} 户"
        f"（风险未消除 {facts.unresolved} 户），人均纯收入低于监测范围 {facts.below_line} 户"
    )
