"""The settings of one 实施方案: fanpin.toml and the command line first, then the roster and the policy,
then defaults — and the list of what was defaulted, for the user to check."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..errors import SettingsError
from ..gongwen import normalize_document_number
from ..gongwen.issuer import issuing_body, number_to_assign, only_township, signatory, working_year
from ..models import Household, Roster
from ..policy import Policy
from ..settings import Settings


@dataclass(frozen=True)
class PlanSettings:
    county: str
    township: str
    year: int
    issuing_body: str  # 发文机关
    document_number: str  # 发文字号, 〔year〕 form; the sequence number may be blank (待编)
    signatory: str  # 发文机关署名
    issued_on: date | None  # 成文日期; None leaves 「2024年　月　日」 to be filled in by hand
    allocation: Decimal | None  # 本年度衔接资金, yuan


def resolve_plan_settings(
    settings: Settings,
    roster: Roster,
    policy: Policy,
    *,
    township: str | None = None,
    year: int | None = None,
) -> tuple[PlanSettings, list[Household], list[str]]:
    """The plan's settings, the township's households, and one sentence per defaulted setting."""
    defaulted: list[str] = []
    chosen = township or settings.township.township
    if not chosen:
        chosen = only_township(roster)
        defaulted.append(f"乡镇：取自名单「{chosen}」")
    households = [h for h in roster.households if h.township == chosen]
    if not households:
        present = "、".join(sorted({h.township for h in roster.households}))
        raise SettingsError(
            f"名单「{roster.source}」中没有乡镇「{chosen}」的农户（名单中的乡镇：{present}）",
            hint="用 --township 指定名单中的乡镇，或修改 fanpin.toml 的 [township] township",
        )

    county = settings.township.county
    if not county:
        named = Counter(h.county for h in households if h.county)
        county = named.most_common(1)[0][0] if named else policy.county
        defaulted.append(f"县区：取自{'名单' if named else '政策文件'}「{county}」")

    plan_year = year or working_year(settings, policy)
    if not (year or settings.township.year):
        defaulted.append(f"年度：取政策文件的年度 {plan_year} 年")

    documents = settings.documents
    issuer = issuing_body(settings, chosen)
    if not documents.issuing_body:
        defaulted.append(f"发文机关：默认为「{issuer}」（fanpin.toml [documents] issuing_body）")

    number = normalize_document_number(documents.document_number) if documents.document_number else ""
    if not number:
        number = number_to_assign("", chosen, plan_year)
        defaulted.append(
            f"发文字号：未设置，版头写作「{number}」，序号待编（fanpin.toml [documents] document_number）"
        )

    signer = signatory(settings, issuer)
    if not documents.signatory:
        defaulted.append("署名：默认为发文机关（fanpin.toml [documents] signatory）")

    if documents.date is None:
        defaulted.append(
            f"成文日期：未设置，落款留作「{plan_year}年　月　日」待填（fanpin.toml [documents] date）"
        )

    if settings.allocation is None:
        defaulted.append(
            "资金安排：未设置本年度衔接资金额度，方案中不写金额（fanpin.toml [funds] allocation）"
        )

    if plan_year != policy.year:
        defaulted.append(f"时间安排：政策文件为 {policy.year} 年度，方案按 {plan_year} 年推算各时间节点")

    plan = PlanSettings(
        county=county,
        township=chosen,
        year=plan_year,
        issuing_body=issuer,
        document_number=number,
        signatory=signer,
        issued_on=documents.date,
        allocation=settings.allocation,
    )
    return plan, households, defaulted
