"""The 公示 of the industry subsidies: one row per paid ledger row, amounts from the rule engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..errors import InputError, PolicyError, Problem
from ..gongwen.publicity import PublicityNotice
from ..gongwen.words import area_word
from ..models import Household, MeasureRecord
from ..money import amount_in_words, format_amount
from ..policy import MissingInput, Policy, compute_household_measures
from .wording import NoticeWording, render_wording, rule_words

INDUSTRY_COLUMNS = ("序号", "村", "户主姓名", "身份证号", "家庭人口", "投入金额（元）", "补助金额（元）")
INDUSTRY_TEMPLATE = "产业补助公示.txt"


@dataclass(frozen=True)
class IndustryPublicity:
    notice: PublicityNotice
    left_out: tuple[str, ...]  # households with ledger rows but nothing to pay, with the reason
    latest_on: tuple[date, int] | None = None  # the latest 落实日期 of the rows listed, and its ledger row


def industry_publicity(
    policy: Policy,
    households: Sequence[Household],
    records: Sequence[MeasureRecord],
    *,
    wording: NoticeWording,
    start: date,
    working_days: int,
    issuer: str,
    issued_on: date,
    contact: str = "",
    source: str = "帮扶措施台账",
) -> IndustryPublicity:
    """The 公示 of the policy's industry subsidy: one row per ledger row of that rule with an amount, the
    amount computed by the rule engine over the household's whole ledger (so exclusions apply)."""
    rule = policy.rule_for("industry")
    if rule is None or not rule.computes:
        raise PolicyError(
            f"政策「{policy.title}」没有计算金额的产业补助规则",
            hint='在政策文件中加一条 role = "industry"、formula = "rate" 的规则',
        )
    by_household: dict[str, list[MeasureRecord]] = {}
    for record in records:
        by_household.setdefault(record.household_id, []).append(record)
    mask = policy.masks().id_number
    rows: list[tuple[str, ...]] = []
    left_out: list[str] = []
    problems: list[Problem] = []
    total = Decimal(0)
    paid_households: set[str] = set()
    latest_on: tuple[date, int] | None = None
    for household in households:
        ledger = by_household.get(household.household_id, [])
        if not any(record.name in rule.names() for record in ledger):
            continue
        try:
            results = compute_household_measures(policy, household, ledger)
        except MissingInput as error:
            problems.append(
                Problem(
                    source,
                    str(error),
                    row=error.record.source_row if error.record is not None else None,
                    column=error.column,
                    household=household.household_id,
                    hint="在台账中补全这一户的计算基数",
                )
            )
            continue
        for result in results:
            if result.rule is not rule:
                continue
            if result.amount <= 0:
                reason = result.calculation.reason if result.calculation else "金额为 0"
                left_out.append(
                    f"{household.village} {household.head.name}（台账第 {result.record.source_row} 行）：{reason}"
                )
                continue
            base = format_amount(result.record.base) if result.record.base is not None else "—"
            rows.append(
                (
                    str(len(rows) + 1),
                    household.village,
                    household.head.name,
                    mask(household.head.id_number),
                    str(household.size),
                    base,
                    format_amount(result.amount),
                )
            )
            total += result.amount
            paid_households.add(household.household_id)
            on = result.record.on
            if on is not None and (latest_on is None or on > latest_on[0]):
                latest_on = (on, result.record.source_row)
    if problems:
        raise InputError(problems)
    total_line = (
        f"合计：{len(paid_households)}户，补助金额{format_amount(total)}元（{amount_in_words(total)}）。"
    )
    notice = PublicityNotice(
        title=wording.title,
        intro=wording.intro,
        columns=INDUSTRY_COLUMNS,
        rows=tuple(rows),
        total_line=total_line,
        start=start,
        working_days=working_days,
        issuer=issuer,
        issued_on=issued_on,
        contact=contact,
    )
    return IndustryPublicity(notice=notice, left_out=tuple(left_out), latest_on=latest_on)


def industry_wording(
    policy: Policy,
    *,
    township: str,
    year: int,
    template: Path | None = None,
    template_dirs: tuple[Path, ...] = (),
) -> NoticeWording:
    rule = policy.rule_for("industry")
    context = {
        "township": township,
        "year": year,
        "area": area_word(township),
        "policy": {"title": policy.title, "sources": list(policy.sources)},
        "rule": rule_words(rule)
        if rule
        else {
            "name": "产业到户补助",
            "standard": "",
            "eligibility": "",
            "source": policy.title,
            "lead_unit": "",
            "description": "",
        },
    }
    return render_wording(INDUSTRY_TEMPLATE, context, template=template, template_dirs=template_dirs)
