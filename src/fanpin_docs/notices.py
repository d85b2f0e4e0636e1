"""Notices as 公文 (GB/T 9704 layout): 公示 lists with a publicity period counted in working days.

`PublicityNotice` is what any document family hands over to be published (rows already masked and
formatted); `build_publicity` lays it out. The end of the publicity period is computed with
`fanpin_docs.dates.add_working_days` (weekends skipped; holidays and 调休 workdays from fanpin.toml
[calendar]).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx.document

from .context import RunContext
from .dates import add_working_days, chinese_date
from .errors import InputError, PolicyError, Problem, SettingsError, TemplateError
from .gongwen import OfficialDocument
from .models import Household, MeasureRecord, Roster, Trainee, TrainingClass
from .money import amount_in_words, format_amount, format_number
from .plan.content import area_word, tidy
from .plan.render import find_template, render_template
from .plan.setup import default_issuing_body, only_township
from .policy import (
    MissingInput,
    Policy,
    Rule,
    compute_household_measures,
    describe_eligibility,
    describe_standard,
)
from .readers import load_measures, load_roster, load_training
from .settings import Settings


@dataclass(frozen=True)
class PublicityNotice:
    title: str
    intro: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # already masked, formatted text
    total_line: str
    start: date  # first day of the publicity period
    working_days: int
    issuer: str  # 署名
    issued_on: date  # 成文日期
    contact: str = ""


def publicity_end(
    start: date, working_days: int, *, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> date:
    """The last day of the publicity period (a 5-working-day period starting on a Friday ends on Thursday)."""
    return add_working_days(start, working_days, holidays, workdays)


def publicity_sentence(
    start: date, working_days: int, *, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> str:
    """「公示期为2024年5月10日至2024年5月16日（5个工作日）」."""
    end = publicity_end(start, working_days, holidays=holidays, workdays=workdays)
    return f"公示期为{chinese_date(start)}至{chinese_date(end)}（{working_days}个工作日）"


def _intro_with_period(notice: PublicityNotice, *, holidays: Iterable[date], workdays: Iterable[date]) -> str:
    """The intro, then the period sentence and where to object — unless the intro already says them.

    An intro that states a period itself must state the computed end date, or it is refused."""
    end = publicity_end(notice.start, notice.working_days, holidays=holidays, workdays=workdays)
    intro = notice.intro.strip()
    if "公示期" in intro:
        if chinese_date(end) not in intro.replace(" ", ""):
            raise ValueError(f"公示说明中的公示期与计算结果（{chinese_date(end)}结束）不一致")
    else:
        if intro and not intro.endswith(("。", "！", "：")):
            intro += "。"
        period = publicity_sentence(notice.start, notice.working_days, holidays=holidays, workdays=workdays)
        intro += f"{period}。"
    if "异议" not in intro:
        intro += f"公示期间，如有异议，请以书面、电话或来访等方式向{notice.issuer}反映。"
    return intro


def build_publicity(
    notice: PublicityNotice, *, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> docx.document.Document:
    """A 公示 in 公文 layout: title, intro with the publicity period, the table, the total line, the
    contact, then the issuer and the date.

    The period sentence 「公示期为…至…（N个工作日）」 and the objection sentence are added to the intro
    unless it already has them (an intro's own period must end on the computed day)."""
    for row in notice.rows:
        if len(row) != len(notice.columns):
            raise ValueError("every row needs one value per column")
    doc = OfficialDocument(title_property=notice.title, author=notice.issuer)
    doc.title(notice.title)
    doc.blank()
    doc.body(_intro_with_period(notice, holidays=holidays, workdays=workdays))
    doc.table(notice.columns, notice.rows)
    if notice.total_line:
        doc.body(notice.total_line)
    if notice.contact:
        doc.body(f"联系人及电话：{notice.contact}")
    doc.signature(notice.issuer, notice.issued_on)
    return doc.document


# --- 公示 of the industry subsidies -----------------------------------------------------------

INDUSTRY_COLUMNS = ("序号", "村", "户主姓名", "身份证号", "家庭人口", "投入金额（元）", "补助金额（元）")
INDUSTRY_TEMPLATE = "产业补助公示.txt"
CLASS_NOTICE_TEMPLATE = "培训通知.txt"


@dataclass(frozen=True)
class IndustryPublicity:
    notice: PublicityNotice
    left_out: tuple[str, ...]  # households with ledger rows but nothing to pay, with the reason


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
    for household in households:
        ledger = by_household.get(household.household_id, [])
        if not any(record.name in rule.names() for record in ledger):
            continue
        try:
            results = compute_household_measures(policy, household, ledger)
        except MissingInput as error:
            problems.append(
                Problem(
                    source, str(error), household=household.household_id, hint="在台账中补全这一户的计算基数"
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
    return IndustryPublicity(notice=notice, left_out=tuple(left_out))


# --- wording from templates -----------------------------------------------------------------


@dataclass(frozen=True)
class NoticeWording:
    """A notice's title and text, rendered from an editable template (marked text, see 实施方案.txt)."""

    title: str
    intro: str  # the body lines joined (for a 公示)
    text: str  # the whole marked text (for a 通知)


def render_wording(
    name: str, context: dict[str, Any], *, template: Path | None = None, template_dirs: tuple[Path, ...] = ()
) -> NoticeWording:
    source, origin = find_template(template, template_dirs, name)
    text = render_template(source, origin, context)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = "".join(line[2:].strip() for line in lines if line.startswith("% "))
    if not title:
        raise TemplateError(f"模板「{origin}」没有标题行", hint="在模板第一行写「% 标题」")
    intro = "".join(line for line in lines if not line.startswith(("% ", "#", "|", ">")))
    return NoticeWording(title=title, intro=intro, text=text)


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
        "rule": _rule_words(rule)
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


def _rule_words(rule: Rule) -> dict[str, str]:
    return {
        "name": rule.name,
        "standard": tidy(describe_standard(rule)) if rule.computes else "",
        "eligibility": tidy(describe_eligibility(rule)),
        "source": rule.source,
        "lead_unit": rule.lead_unit,
        "description": tidy(rule.description),
    }


# --- 通知 of a training class -----------------------------------------------------------------

TRAINEE_COLUMNS = ("序号", "姓名", "性别", "人员类别", "户籍地址")


def class_notice(
    policy: Policy,
    training_class: TrainingClass,
    trainees: Sequence[Trainee],
    *,
    issuer: str,
    issued_on: date | None,
    contact: str = "",
    template: Path | None = None,
    template_dirs: tuple[Path, ...] = (),
) -> docx.document.Document:
    """The 通知 announcing one training class, its list of trainees (no IDs) attached."""
    rule = policy.rule_for("training")
    year = (training_class.start or issued_on or date(policy.year, 1, 1)).year
    context = {
        "year": year,
        "issuer": issuer,
        "contact": contact,
        "policy": {"title": policy.title, "sources": list(policy.sources)},
        "rule": _rule_words(rule) if rule else None,
        "training": {
            "name": training_class.name,
            "project": training_class.project,
            "place": training_class.place,
            "start": chinese_date(training_class.start) if training_class.start else "",
            "end": chinese_date(training_class.end) if training_class.end else "",
            "planned_days": format_number(training_class.planned_days) if training_class.planned_days else "",
            "trainees": len(trainees),
        },
    }
    wording = render_wording(CLASS_NOTICE_TEMPLATE, context, template=template, template_dirs=template_dirs)
    doc = OfficialDocument(title_property=wording.title, author=issuer)
    try:
        doc.render_marked(wording.text)
    except ValueError as error:
        raise TemplateError(f"通知模板生成的内容无法排版：{error}", hint="检查模板中的表格行") from None
    attachment = f"{training_class.name}参训学员名单"
    if trainees:
        doc.attachment_note([attachment])
    doc.signature(issuer, issued_on or f"{year}年　月　日")
    if trainees:
        rows = [
            (str(i), t.name, t.sex or "—", t.category or "—", t.address or "—")
            for i, t in enumerate(sorted(trainees, key=lambda t: t.source_row), 1)
        ]
        doc.attachment("附件", attachment, TRAINEE_COLUMNS, rows)
    return doc.document


# --- writing (what `fanpin notice` calls) -----------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class WrittenNotices:
    paths: tuple[Path, ...]
    notes: tuple[str, ...]  # defaulted settings and households left out, for the user


def _file_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._") or "_"


def _issuer(
    settings: Settings, roster: Roster | None, township: str | None, notes: list[str]
) -> tuple[str, str]:
    """(township, issuing body): settings and options first, then the roster, then an error."""
    chosen = township or settings.township.township
    if not chosen and roster is not None:
        chosen = only_township(roster)
        notes.append(f"乡镇：取自名单「{chosen}」")
    issuer = settings.documents.issuing_body
    if not issuer:
        if not chosen:
            raise SettingsError(
                "不知道通知由谁发出",
                hint="在 fanpin.toml 的 [documents] 中设置 issuing_body，"
                "或给出户籍监测名单（--roster）以取得乡镇名称",
            )
        issuer = default_issuing_body(chosen)
        notes.append(f"发文机关：默认为「{issuer}」（fanpin.toml [documents] issuing_body）")
    return chosen or "", issuer


def _start(settings: Settings, start: date | None) -> date:
    if start is not None:
        return start
    if settings.documents.date is not None:
        return settings.documents.date
    raise SettingsError(
        "没有公示开始日期",
        hint="用 --start 指定（如 --start 2024-05-10），或在 fanpin.toml 的 [documents] 中设置 date",
    )


def write_class_notices(context: RunContext, *, template: Path | None = None) -> WrittenNotices:
    """One 通知 per training class of the attendance workbook."""
    policy = context.require_policy()
    roster = _optional_roster(context)
    classes, trainees = load_training(context.require("training"), roster)
    notes: list[str] = []
    _, issuer = _issuer(context.settings, roster, None, notes)
    documents = {
        f"通知/关于举办{_file_name(c.name)}的通知.docx": class_notice(
            policy,
            c,
            [t for t in trainees if t.class_name == c.name],
            issuer=issuer,
            issued_on=context.settings.documents.date,
            contact=context.settings.documents.contact,
            template=template,
            template_dirs=context.settings.template_dirs(),
        )
        for c in classes
    }
    if context.settings.documents.date is None:
        notes.append("成文日期：未设置，落款留作「年　月　日」待填（fanpin.toml [documents] date）")
    return _write(context, documents, notes)


def write_industry_publicity(
    context: RunContext,
    *,
    township: str | None = None,
    start: date | None = None,
    template: Path | None = None,
) -> WrittenNotices:
    """The 公示 of the industry subsidies of one township's households."""
    policy = context.require_policy()
    roster = load_roster(context.require("roster"))
    measures_path = context.require("measures")
    records = load_measures(measures_path, roster)
    notes: list[str] = []
    chosen, issuer = _issuer(context.settings, roster, township, notes)
    households = [h for h in roster.households if h.township == chosen]
    settings = context.settings
    year = settings.township.year or policy.year
    wording = industry_wording(
        policy, township=chosen, year=year, template=template, template_dirs=settings.template_dirs()
    )
    first_day = _start(settings, start)
    publicity = industry_publicity(
        policy,
        households,
        records,
        wording=wording,
        start=first_day,
        working_days=settings.calendar.publicity_days,
        issuer=issuer,
        issued_on=settings.documents.date or first_day,
        contact=settings.documents.contact,
        source=measures_path.name,
    )
    if not publicity.notice.rows:
        raise InputError(
            [
                Problem(
                    measures_path.name,
                    f"台账中{chosen}没有应发放「{wording.title}」的记录",
                    hint="检查措施名称是否与政策文件中的产业补助规则一致，验收结果是否填写为合格",
                )
            ]
        )
    notes += [f"未列入公示：{line}" for line in publicity.left_out]
    document = build_publicity(
        publicity.notice, holidays=settings.calendar.holidays, workdays=settings.calendar.workdays
    )
    return _write(context, {f"公示/{_file_name(wording.title)}.docx": document}, notes)


def write_training_publicity(context: RunContext, *, start: date | None = None) -> WrittenNotices:
    """The 公示 of the training allowances, as the training documents compute them."""
    from .training import compute_payments
    from .training.publicity import default_start, training_publicity

    policy = context.require_policy()
    roster = _optional_roster(context)
    training_path = context.require("training")
    classes, trainees = load_training(training_path, roster)
    payments = compute_payments(policy, classes, trainees, roster=roster, source=training_path.name)
    settings = context.settings
    notice = training_publicity(policy, payments, settings, start or default_start(settings, payments))
    document = build_publicity(
        notice, holidays=settings.calendar.holidays, workdays=settings.calendar.workdays
    )
    return _write(context, {f"公示/{_file_name(notice.title)}.docx": document}, [])


def _optional_roster(context: RunContext) -> Roster | None:
    path = context.inputs.get("roster")
    return load_roster(path) if path is not None else None


def _write(
    context: RunContext, documents: dict[str, docx.document.Document], notes: list[str]
) -> WrittenNotices:
    output = context.output
    output.guard(list(documents))
    paths = tuple(output.write_office(relative, document) for relative, document in documents.items())
    output.save_manifest()
    return WrittenNotices(paths=paths, notes=tuple(notes))
