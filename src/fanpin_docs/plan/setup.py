"""The settings of one 实施方案: fanpin.toml and the command line first, then the roster and the policy,
then defaults — and the list of what was defaulted, for the user to check."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..errors import SettingsError
from ..gongwen import normalize_document_number
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


def default_issuing_body(township: str) -> str:
    """「<乡镇>人民政府」; a 街道 is run by its 办事处."""
    return f"{township}办事处" if township.endswith("街道") else f"{township}人民政府"


_SEQUENCE = re.compile(r"^(.*?)〔\d{4}〕\s*\d*\s*号?$")


def number_to_assign(document_number: str, fallback_agency: str, year: int) -> str:
    """The 发文字号 of another document of the same issuer, its sequence number left for the office to
    assign: 「青山府发〔2023〕12号」 → 「青山府发〔2024〕　号」; without a configured number,
    「<fallback_agency>发〔year〕　号」."""
    agency = ""
    if document_number:
        match = _SEQUENCE.match(normalize_document_number(document_number))
        agency = match.group(1).strip() if match else ""
    return f"{agency or fallback_agency + '发'}〔{year}〕　号"


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

    plan_year = year or settings.township.year
    if not plan_year:
        plan_year = policy.year
        defaulted.append(f"年度：取政策文件的年度 {plan_year} 年")

    documents = settings.documents
    issuing_body = documents.issuing_body
    if not issuing_body:
        issuing_body = default_issuing_body(chosen)
        defaulted.append(f"发文机关：默认为「{issuing_body}」（fanpin.toml [documents] issuing_body）")

    number = normalize_document_number(documents.document_number) if documents.document_number else ""
    if not number:
        number = f"{chosen}发〔{plan_year}〕　号"
        defaulted.append(
            f"发文字号：未设置，版头写作「{number}」，序号待编（fanpin.toml [documents] document_number）"
        )

    signatory = documents.signatory
    if not signatory:
        signatory = issuing_body
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
        issuing_body=issuing_body,
        document_number=number,
        signatory=signatory,
        issued_on=documents.date,
        allocation=settings.allocation,
    )
    return plan, households, defaulted


def only_township(roster: Roster) -> str:
    townships = Counter(h.township for h in roster.households)
    if len(townships) == 1:
        return next(iter(townships))
    listed = "、".join(f"{name}（{count} 户）" for name, count in sorted(townships.items()))
    raise SettingsError(
        f"名单「{roster.source}」包含多个乡镇：{listed}，不知道为哪个乡镇编写实施方案",
        hint="用 --township 指定乡镇，或在 fanpin.toml 的 [township] 中设置 township",
    )
