"""Writing the notices: what `fanpin notice` calls (公示 of industry subsidies and training
allowances, 通知 of training classes), through the run's output folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx.document

from ..context import RunContext
from ..errors import InputError, Problem, SettingsError
from ..models import Roster, TrainingClass
from ..plan.setup import default_issuing_body, number_to_assign, only_township
from ..readers import load_measures, load_roster, load_training
from ..settings import Settings
from .class_notice import class_notice
from .industry import industry_publicity, industry_wording
from .publicity import build_publicity

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class WrittenNotices:
    paths: tuple[Path, ...]
    notes: tuple[str, ...]  # defaulted settings and households left out, for the user


def _file_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._") or "_"


def publicity_path(title: str) -> str:
    """Where a 公示 is written: 公示/<title>.docx (the same file whichever command writes it)."""
    return f"公示/{_file_name(title)}.docx"


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
    township, issuer = _issuer(context.settings, roster, None, notes)
    settings = context.settings
    year = settings.township.year or policy.year

    def number(training_class: TrainingClass) -> str:
        on = training_class.start or settings.documents.date
        return number_to_assign(
            settings.documents.document_number, township or issuer, on.year if on else year
        )

    documents = {
        f"通知/关于举办{_file_name(c.name)}的通知.docx": class_notice(
            policy,
            c,
            [t for t in trainees if t.class_name == c.name],
            issuer=issuer,
            issued_on=context.settings.documents.date,
            number=number(c),
            contact=context.settings.documents.contact,
            template=template,
            template_dirs=context.settings.template_dirs(),
        )
        for c in classes
    }
    if context.settings.documents.date is None:
        notes.append("成文日期：未设置，落款留作「年　月　日」待填（fanpin.toml [documents] date）")
    if classes:
        notes.append(f"发文字号：版头写作「{number(classes[0])}」，序号待编")
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
    return _write(context, {publicity_path(wording.title): document}, notes)


def write_training_publicity(context: RunContext, *, start: date | None = None) -> WrittenNotices:
    """The 公示 of the training allowances, as the training documents compute them (the same document
    `fanpin training` writes, in the same place)."""
    from ..training import compute_payments
    from ..training.publicity import default_start, publicity_document

    policy = context.require_policy()
    roster = _optional_roster(context)
    training_path = context.require("training")
    classes, trainees = load_training(training_path, roster)
    payments = compute_payments(policy, classes, trainees, roster=roster, source=training_path.name)
    settings = context.settings
    relative, document = publicity_document(
        policy, payments, settings, start or default_start(settings, payments)
    )
    return _write(context, {relative: document}, [])


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
