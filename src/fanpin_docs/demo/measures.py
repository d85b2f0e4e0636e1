"""The demo township's measures ledger: what each household received in the year (all fictional).

Rows are dicts keyed by the canonical column names of `fanpin_docs.workspace.layout`. Rule names
come from the policy, so the amounts the documents print are computed by the policy's rules; items
the policy does not compute (公益性岗位, 跨区域交通补贴, 低保金, 雨露计划) carry their given amount.
The training and project ledgers are in `training` and `projects`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from ..policy import Policy
from .people import DemoHousehold

PRODUCTS = {
    "脆红李": ("种植脆红李 {n} 亩", 2, 6),
    "中蜂": ("养殖中蜂 {n} 桶", 8, 30),
    "高山蔬菜": ("种植高山蔬菜 {n} 亩", 2, 8),
    "生猪": ("养殖生猪 {n} 头", 3, 12),
}
PUBLIC_POSTS = ("村级保洁员", "生态护林员", "农村公路养护员", "河道巡查员", "公益设施管护员")
EDUCATION_ITEM = "雨露计划"
LIVELIHOOD_ITEM = "低保金"


@dataclass(frozen=True)
class RuleNames:
    """The names the ledgers use, taken from the policy where it has the rule."""

    industry: str
    medical: str
    transport: str
    public_job: str

    @classmethod
    def of(cls, policy: Policy) -> RuleNames:
        rules = (
            policy.rule_for("industry"),
            policy.rule_for("medical"),
            policy.rule("跨区域交通补贴"),
            policy.rule("公益性岗位"),
        )
        fallbacks = ("产业到户补助", "医疗救助一事一议", "跨区域交通补贴", "公益性岗位")
        return cls(
            *(rule.name if rule else fallback for rule, fallback in zip(rules, fallbacks, strict=True))
        )


def _day(rng: random.Random, year: int, first_month: int, last_month: int) -> dt.date:
    return dt.date(year, rng.randint(first_month, last_month), rng.randint(1, 28))


def _yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100


def measure_rows(
    rng: random.Random, households: list[DemoHousehold], names: RuleNames, year: int, monitoring_line: Decimal
) -> list[dict]:
    """One row per item a household received in the year, grouped by household as offices keep it."""
    rows: list[tuple[int, dt.date, dict]] = []
    industry_count = 0
    for index, household in enumerate(households):

        def add(
            name: str, on: dt.date, h: DemoHousehold = household, i: int = index, **values: object
        ) -> None:
            rows.append(
                (
                    i,
                    on,
                    {
                        "户编号": h.household_id,
                        "户主姓名": h.head.name,
                        "措施名称": name,
                        "落实日期": on,
                        **values,
                    },
                )
            )

        farm = household.income.business > 0
        if household.helped and farm and rng.random() < (0.75 if household.monitored else 0.3):
            industry_count += 1
            template, low, high = PRODUCTS[household.village.product]
            investment = Decimal({1: 3500, 2: 1500}.get(industry_count, rng.randint(8, 50) * 100))
            accepted = "不合格" if industry_count == 3 or rng.random() < 0.04 else "合格"
            add(
                names.industry,
                _day(rng, year, 9, 11),
                计算基数=investment,
                验收结果=accepted,
                备注=template.format(n=rng.randint(low, high))
                + ("，验收时未达到标准" if accepted == "不合格" else ""),
            )
        medical = {"large_medical_bill": 18365040, "small_medical_bill": 860000}.get(household.story)
        if medical is None and household.monitored and "因病" in household.risks:
            medical = rng.randint(1050000, 4800000)
        if medical is not None:
            add(
                names.medical,
                _day(rng, year, 4, 11),
                计算基数=_yuan(medical),
                备注=f"住院 {rng.randint(1, 4)} 次，经基本医保、大病保险、医疗救助后的政策范围内自付费用",
            )
        weak = [
            p
            for p in household.members
            if p.labour == "弱劳动力或半劳动力" and 40 <= p.age(dt.date(year, 1, 1)) <= 65
        ]
        if household.helped and weak and rng.random() < 0.35:
            monthly, months = rng.choice((500, 600, 800)), rng.choice((6, 10, 12))
            add(
                names.public_job,
                dt.date(year, 12, 20),
                金额=Decimal(monthly * months),
                备注=f"{weak[0].name}：{rng.choice(PUBLIC_POSTS)}，每月 {monthly} 元 × {months} 个月",
            )
        migrants = [p for p in household.members if p.migrant_to]
        if household.helped and migrants and rng.random() < 0.35:
            amount = sum(500 if p.migrant_to.startswith("重庆") else 1000 for p in migrants)
            add(
                names.transport,
                _day(rng, year, 3, 7),
                金额=Decimal(amount),
                备注="；".join(f"{p.name} 在{p.migrant_to}务工" for p in migrants),
            )
        if household.unresolved and household.per_capita < monitoring_line:
            monthly = rng.randint(25, 60) * 10
            add(
                LIVELIHOOD_ITEM,
                dt.date(year, 12, 25),
                金额=Decimal(monthly * 12),
                备注=f"农村低保，每月 {monthly} 元",
            )
        for student in (p for p in household.members if p.school in ("中职", "高职", "大专")):
            if household.helped:
                add(
                    EDUCATION_ITEM,
                    _day(rng, year, 10, 11),
                    金额=Decimal(3000),
                    备注=f"{student.name} 就读{student.school}",
                )
    rows.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in rows]
