"""Writing the notices: what `fanpin notice training` and `fanpin notice industry` call (通知 of training
classes, 公示 of industry subsidies), through the run's output folder. The 公示 of the training
allowances is the training family's (`fanpin_docs.training.publicity`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from ..context import RunContext
from ..docdates import Limit, given, notice_date, publicity_date, rest_day_note
from ..documents import Progress, Report, write_documents
from ..errors import InputError, Problem, SettingsError
from ..filenames import LIMIT, clean, renamed_note, unique_names
from ..gongwen.issuer import issuing_body, number_to_assign, only_township, working_year
from ..gongwen.publicity import build_publicity, publicity_path
from ..models import Roster, TrainingClass
from ..readers import load_measures, load_roster, load_training
from ..settings import Settings
from .class_notice import class_notice
from .industry import industry_publicity, industry_wording

_UNDATED = date.min

WrittenNotices = Report[None]


@dataclass(frozen=True)
class NoticeOptions:
    """What `fanpin notice training` / `fanpin notice industry` are asked for."""

    kind: Literal["training", "industry"]
    township: str | None = None  # --township (industry)
    start: date | None = None  # --start (industry)
    dated: date | None = None  # --date (training)
    template: Path | None = None  # --template


def run(context: RunContext, options: NoticeOptions, progress: Progress | None = None) -> WrittenNotices:
    """The notices family's entry point: the 通知 of every training class, or the 公示 of the industry
    subsidies. (The 公示 of the training allowances is the training family's.)"""
    if options.kind == "training":
        return write_class_notices(context, template=options.template, dated=options.dated)
    return write_industry_publicity(
        context, township=options.township, start=options.start, template=options.template
    )


def _issuer(
    settings: Settings, roster: Roster | None, township: str | None, notes: list[str]
) -> tuple[str, str]:
    """(township, issuing body): settings and options first, then the roster, then an error."""
    chosen = township or settings.township.township
    if not chosen and roster is not None:
        chosen = only_township(roster)
        notes.append(f"乡镇：取自名单「{chosen}」")
    issuer = issuing_body(settings, chosen or "")
    if not issuer:
        raise SettingsError(
            "不知道通知由谁发出",
            hint="在 fanpin.toml 的 [documents] 中设置 issuing_body，"
            "或给出户籍监测名单（--roster）以取得乡镇名称",
        )
    if not settings.documents.issuing_body:
        notes.append(f"发文机关：默认为「{issuer}」（fanpin.toml [documents] issuing_body）")
    return chosen or "", issuer


def write_class_notices(
    context: RunContext, *, template: Path | None = None, dated: date | None = None
) -> WrittenNotices:
    """One 通知 per training class of the attendance workbook, each dated before its class starts
    (`fanpin_docs.docdates.notice_date`; `dated` is --date)."""
    policy = context.require_policy()
    roster = _optional_roster(context)
    training_path = context.require("training")
    classes, trainees = load_training(training_path, roster)
    notes: list[str] = []
    township, issuer = _issuer(context.settings, roster, None, notes)
    settings = context.settings
    year = working_year(settings, policy)

    def number(training_class: TrainingClass) -> str:
        on = training_class.start or settings.documents.date
        return number_to_assign(
            settings.documents.document_number, township or issuer, on.year if on else year
        )

    chosen = given(settings, dated)
    calendar = settings.calendar
    dates = {
        c.name: notice_date(
            f"培训班「{c.name}」的通知",
            c,
            chosen,
            lead_days=calendar.notice_days,
            holidays=calendar.holidays,
            workdays=calendar.workdays,
            source=training_path.name,
        )
        for c in classes
    }
    names = unique_names(
        (c.name for c in classes),
        name_of=lambda name: f"关于举办{clean(name)}的通知",
        limit=LIMIT + len("关于举办的通知"),
        claims=lambda stem: (f"{stem}.docx",),
    )
    if note := renamed_note("培训班", names.renamed):
        notes.append(note)
    documents = {
        f"通知/{names[c.name]}.docx": class_notice(
            policy,
            c,
            [t for t in trainees if t.class_name == c.name],
            issuer=issuer,
            issued_on=dates[c.name],
            number=number(c),
            contact=settings.documents.contact,
            township=township,
            template=template,
            template_dirs=settings.template_dirs(),
        )
        for c in classes
    }
    undated = [name for name, day in dates.items() if day is None]
    if undated:
        notes.append(
            f"成文日期：培训班「{'、'.join(undated)}」没有开班日期，通知落款留作「年　月　日」待填"
            "（--date 或 fanpin.toml [documents] date）"
        )
    if classes:
        notes.append(f"发文字号：版头写作「{number(classes[0])}」，序号待编")
    return write_documents(context.output, documents, notes)


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
    year = working_year(settings, policy)
    wording = industry_wording(
        policy, township=chosen, year=year, template=template, template_dirs=settings.template_dirs()
    )
    publicity = industry_publicity(
        policy,
        households,
        records,
        wording=wording,
        start=_UNDATED,  # dated below, from the rows it lists
        working_days=settings.calendar.publicity_days,
        issuer=issuer,
        issued_on=_UNDATED,
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
    latest = publicity.latest_on
    calendar = settings.calendar
    chosen_day = given(settings, start, "--start")
    first_day = publicity_date(
        wording.title,
        Limit(latest[0], f"公示所列台账「{measures_path.name}」第 {latest[1]} 行的落实日期")
        if latest
        else None,
        chosen_day,
        why="公示的补助在验收合格、落实之后才能确定",
        holidays=calendar.holidays,
        workdays=calendar.workdays,
    )
    if first_day is None:
        raise SettingsError(
            f"台账「{measures_path.name}」中公示所列的记录都没有落实日期，无法确定公示开始日期",
            hint="在台账的「落实日期」列填写日期，或用 --start 指定（如 --start 2024-05-10），"
            "或在 fanpin.toml 的 [documents] 中设置 date",
        )
    rest_day = rest_day_note(
        wording.title,
        chosen_day,
        working_days=calendar.publicity_days,
        holidays=calendar.holidays,
        workdays=calendar.workdays,
    )
    notes += [rest_day] if rest_day else []
    notice = replace(publicity.notice, start=first_day, issued_on=first_day)
    document = build_publicity(notice, holidays=calendar.holidays, workdays=calendar.workdays)
    return write_documents(context.output, {publicity_path(wording.title): document}, notes)


def _optional_roster(context: RunContext) -> Roster | None:
    path = context.inputs.get("roster")
    return load_roster(path) if path is not None else None
