"""What a card's template is given: every field of `fields.FIELDS`, all of it text — amounts with two
decimals and thousands separators, IDs masked, 「—」 for what the roster does not record and
「未提供」 for an income it does not give. Made from a card's `CardFill` in the process that renders
the card (`Card.passing_context`)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..dates import BLANK_DATE, chinese_date
from ..idcard import sex_of
from ..models import Income
from ..money import format_amount
from ..policy import Policy, Rule, describe_standard
from .trend import income_trend

if TYPE_CHECKING:
    from .data import CardFill, PolicyLine

NOT_RECORDED = "—"
NOT_PROVIDED = "未提供"


def card_context(fill: CardFill) -> dict[str, Any]:
    """The fields the template prints (`fields.FIELDS`), all of them text."""
    household, policy, year, on = fill.household, fill.policy, fill.year, fill.on
    against_line = fill.comparison
    per_capita = against_line.per_capita
    line_text = format_amount(policy.monitoring_line)
    per_capita_text = format_amount(per_capita) if per_capita is not None else NOT_PROVIDED
    policies = [
        {
            "no": index,
            "name": line.name,
            "standard": _standard(policy, line),
            "amount": format_amount(line.amount),
            "lead_unit": _lead_unit(policy, line),
            "explanation": line.explanation,
            "computed": line.computed,
            "date": chinese_date(line.on) if line.on else "",
            "note": line.note,
        }
        for index, line in enumerate(fill.lines, 1)
    ]
    income = household.income
    helper = household.helper
    masks = policy.masks()
    return {
        "county": household.county or NOT_RECORDED,
        "township": household.township,
        "village": household.village,
        "year": str(year),
        "policy_title": policy.title,
        "date": chinese_date(on) if on else BLANK_DATE,
        "household": {
            "id": household.household_id,
            "head": household.head.name,
            "size": str(household.size),
            "type": household.household_type or NOT_RECORDED,
            "category": household.monitoring_category
            or ("监测户" if household.is_monitored else "非监测对象"),
            "address": household.address or NOT_RECORDED,
            "phone": household.phone or NOT_RECORDED,
            "risks": "、".join(household.risks) or "无",
            "group": household.group or NOT_RECORDED,
        },
        "members": [
            {
                "no": index,
                "name": person.name,
                "relation": person.relation,
                "id": masks.id_number(person.id_number),
                "sex": sex_of(person.id_number),
                "health": person.health or NOT_RECORDED,
                "labour": person.labour_skill or NOT_RECORDED,
                "school": person.school_status or NOT_RECORDED,
            }
            for index, person in enumerate(household.members, 1)
        ],
        "helper": {
            "name": helper.name if helper else "未登记",
            "unit": (helper.unit if helper else "") or NOT_RECORDED,
            "phone": (helper.phone if helper else None) or NOT_RECORDED,
        },
        "policies": policies,
        "explained": [p for p in policies if p["computed"]],
        "policy_total": format_amount(fill.total),
        "policy_total_words": fill.total_words,
        "income": {
            "period": household.income_period.text() if household.income_period else f"{year}年度",
            **_income_breakdown(income),
            "net": format_amount(income.net) if income else NOT_PROVIDED,
            "per_capita": per_capita_text,
            "line": line_text,
            "below_line": against_line.below,
            "comparison": against_line.explanation,
            "trend": income_trend(fill.stored_incomes, per_capita_text),
        },
    }


def _standard(policy: Policy, line: PolicyLine) -> str:
    rule = policy.rule(line.name)
    return _describe(rule) if rule else "按实际发放"


@lru_cache(maxsize=256)
def _describe(rule: Rule) -> str:
    return describe_standard(rule)


def _lead_unit(policy: Policy, line: PolicyLine) -> str:
    rule = policy.rule(line.name)
    return rule.lead_unit if rule else NOT_RECORDED


def _income_breakdown(income: Income | None) -> dict[str, str]:
    """The four incomes and the expense as printed; 「未提供」 when the roster gives only the net income or none."""
    fields = {
        "wage": "wage",
        "business": "business",
        "property": "property_income",
        "transfer": "transfer",
        "expense": "business_expense",
    }
    if income is None or not income.has_breakdown:
        return dict.fromkeys(fields, NOT_PROVIDED)
    return {key: format_amount(getattr(income, name)) for key, name in fields.items()}
