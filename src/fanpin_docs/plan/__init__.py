"""实施方案: the township's implementation plan as a 公文, its numbers from the roster and the policy.

>>> result = build_plan(policy, roster, settings)
>>> output.write_office(PLAN_FILE, result.document)
>>> result.defaulted   # settings that were not given, in Chinese, for the user to check
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx.document

from ..errors import TemplateError
from ..gongwen import Letterhead, OfficialDocument
from ..models import Roster
from ..policy import Policy
from ..settings import Settings
from .content import Deadline, Measure, deadlines_of, measure_of, plan_context, tidy
from .facts import RosterFacts, VillageCount, count_roster
from .render import find_template, render_template
from .setup import PlanSettings, default_issuing_body, resolve_plan_settings

PLAN_FILE = "实施方案.docx"


@dataclass(frozen=True)
class PlanResult:
    document: docx.document.Document
    settings: PlanSettings
    facts: RosterFacts
    text: str  # the rendered template (marked-up text)
    defaulted: list[str]  # one sentence per setting that was defaulted
    template: str  # where the wording came from


def build_plan(
    policy: Policy,
    roster: Roster,
    settings: Settings,
    *,
    township: str | None = None,
    year: int | None = None,
    template: Path | None = None,
) -> PlanResult:
    """The 实施方案 of one township: counts from its households in `roster`, measures, standards and
    deadlines from `policy`, names and dates from `settings` (defaulted where missing)."""
    plan, households, defaulted = resolve_plan_settings(
        settings, roster, policy, township=township, year=year
    )
    facts = count_roster(households, policy.monitoring_line)
    source, origin = find_template(template, settings.template_dirs())
    text = render_template(source, origin, plan_context(policy, facts, plan))
    title = next(
        (line[2:].strip() for line in text.splitlines() if line.strip().startswith("% ")), "实施方案"
    )
    document = OfficialDocument(title_property=title, author=plan.issuing_body)
    document.letterhead(Letterhead(issuer_mark=f"{plan.issuing_body}文件", number=plan.document_number))
    try:
        document.render_marked(text)
    except ValueError as error:
        raise TemplateError(
            f"模板「{origin}」生成的内容无法排版：{error}", hint="检查模板中的表格行"
        ) from None
    document.signature(plan.signatory, plan.issued_on or f"{plan.year}年　月　日")
    return PlanResult(
        document=document.document,
        settings=plan,
        facts=facts,
        text=text,
        defaulted=defaulted,
        template=origin,
    )


__all__ = [
    "PLAN_FILE",
    "Deadline",
    "Measure",
    "PlanResult",
    "PlanSettings",
    "RosterFacts",
    "VillageCount",
    "build_plan",
    "count_roster",
    "deadlines_of",
    "default_issuing_body",
    "measure_of",
    "plan_context",
    "resolve_plan_settings",
    "tidy",
]
