"""实施方案: the township's implementation plan, issued as a 公文 — 「关于印发《…实施方案》的通知」 with
the 方案 as its attachment — its numbers from the roster, the projects workbook and the policy.

>>> result = build_plan(policy, roster, settings, projects=funds)
>>> output.write_office(PLAN_FILE, result.document)
>>> result.defaulted   # settings that were not given, in Chinese, for the user to check
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx.document

from ..dates import unfilled_date
from ..errors import LayoutError, TemplateError
from ..gongwen import Letterhead, OfficialDocument
from ..gongwen.imprint import add_imprint
from ..gongwen.issuer import default_issuing_body
from ..gongwen.pagination import estimate, estimate_pages
from ..models import Roster
from ..policy import Policy
from ..settings import Settings
from ..templating.text import find_text_template, render_text_template
from .content import Deadline, Measure, ProjectFunds, deadlines_of, measure_of, plan_context, tidy
from .cover import COVER_TEMPLATE, Cover, cover_context, read_cover
from .facts import RosterFacts, VillageCount, count_roster
from .setup import PlanSettings, resolve_plan_settings

PLAN_FILE = "实施方案.docx"
PLAN_TEMPLATE = "实施方案.txt"


@dataclass(frozen=True)
class PlanResult:
    document: docx.document.Document
    settings: PlanSettings
    facts: RosterFacts
    text: str  # the rendered template of the 方案 (marked-up text)
    defaulted: list[str]  # one sentence per setting that was defaulted
    template: str  # where the wording came from
    cover: Cover | None = None  # the 印发通知 that issues the 方案


def build_plan(
    policy: Policy,
    roster: Roster,
    settings: Settings,
    *,
    township: str | None = None,
    year: int | None = None,
    template: Path | None = None,
    projects: ProjectFunds | None = None,
) -> PlanResult:
    """The 实施方案 of one township as issued: the 印发通知 (版头, title, 主送机关, text, 附件说明,
    signature), the 方案 as its attachment, the 版记 on the last, even page. Counts come from its
    households in `roster`, money from `projects` (the projects workbook) and fanpin.toml, measures,
    standards and deadlines from `policy`, names and dates from `settings` (defaulted where missing)."""
    plan, households, defaulted = resolve_plan_settings(
        settings, roster, policy, township=township, year=year
    )
    facts = count_roster(households, policy.monitoring_line)
    source, origin = find_text_template(template, settings.template_dirs(), PLAN_TEMPLATE)
    text = render_text_template(source, origin, plan_context(policy, facts, plan, projects))
    plan_title = (
        "".join(line.strip()[2:].strip() for line in text.splitlines() if line.strip().startswith("% "))
        or "实施方案"
    )
    cover_source, cover_origin = find_text_template(None, settings.template_dirs(), COVER_TEMPLATE)
    cover = read_cover(
        render_text_template(cover_source, cover_origin, cover_context(plan, plan_title)), cover_origin
    )
    try:
        document = _cover_page(plan, cover, plan_title, seal_lines=2)
        if estimate_pages(document.document) > 1:  # keep the signature on the first page (7.3.5.4)
            document = _cover_page(plan, cover, plan_title, seal_lines=1)
        document.attachment_page()
        document.render_marked(text)
    except LayoutError as error:
        raise TemplateError(f"模板「{origin}」生成的内容无法排版：{error.message}", hint=error.hint) from None
    text_pages, room = estimate(document.document)
    add_imprint(
        document.document,
        cover.imprint(plan.issued_on, unfilled_date(plan.year)),
        text_pages=text_pages,
        room_pt=room,
    )
    if projects is None:
        defaulted.append(
            "资金：没有项目申报表（--projects），方案只写 fanpin.toml 的衔接资金分配额度，不写项目库的金额"
        )
    return PlanResult(
        document=document.document,
        settings=plan,
        facts=facts,
        text=text,
        defaulted=defaulted,
        template=origin,
        cover=cover,
    )


def _cover_page(plan: PlanSettings, cover: Cover, plan_title: str, *, seal_lines: int) -> OfficialDocument:
    """The 印发通知: 版头, title, 主送机关, text, 附件说明, signature and date."""
    document = OfficialDocument(title_property=cover.title, author=plan.issuing_body)
    document.letterhead(Letterhead(issuer_mark=f"{plan.issuing_body}文件", number=plan.document_number))
    document.render_marked(cover.text)
    document.attachment_note([plan_title])
    document.signature(plan.signatory, plan.issued_on or unfilled_date(plan.year), seal_lines=seal_lines)
    return document


__all__ = [
    "PLAN_FILE",
    "Deadline",
    "Measure",
    "PlanResult",
    "PlanOptions",
    "PlanSettings",
    "ProjectFunds",
    "RosterFacts",
    "VillageCount",
    "build_plan",
    "count_roster",
    "deadlines_of",
    "default_issuing_body",
    "measure_of",
    "plan_context",
    "resolve_plan_settings",
    "run",
    "tidy",
]

from .write import PlanOptions, run  # noqa: E402  (write.py builds on the names above)
