"""One `fanpin training` run: read, compute, then write every training document under `培训/`.

    培训/<培训班>/花名册.xlsx, 签到表.xlsx, 误工补贴发放花名册.xlsx
    培训/培训补贴汇总表.xlsx, and the 误工补贴公示 in 公示/ (the one `fanpin notice allowance` writes)

The per-class workbooks are independent, so a large batch is spread over worker processes; each
file is still written atomically through `OutputDir`, and the manifest records whatever was written
even when the batch stops half way. A run makes the documents of every class, so what an earlier run
wrote under 培训/ and this one did not (the folder of a class no longer in the attendance workbook) is
removed, unless a user edited it since.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path, PurePosixPath

from .. import sheetxml
from ..context import RunContext
from ..docdates import (
    PAID_AFTER_CLASS,
    PAID_AFTER_PUBLICITY,
    Given,
    Limit,
    class_ended,
    given,
    last_class_ended,
    later,
    paid_after_publicity_hint,
    payment_date,
    publicity_over,
    with_date,
)
from ..documents import Progress, Report, writing
from ..errors import Problem
from ..filenames import Names, renamed_note, unique_names
from ..gongwen.issuer import working_year
from ..models import Roster, TrainingClass
from ..money import ZERO
from ..output import Outdated, OutputDir
from ..policy import Policy
from ..processes import start_pool, worker_count
from ..readers import load_roster, load_training
from ..settings import Settings
from .common import township_name
from .namelist import build_namelist
from .payments import NO_ROSTER, ClassPayments, compute_payments, training_rule
from .payroll import build_payroll
from .publicity import (
    PUBLICITY_DOCUMENT,
    publicity_document,
    publicity_issuer,
    publicity_rest_day_note,
    publicity_source,
    undated,
    write_allowance_publicity,
)
from .publicity import publicity_start as allowance_publicity_start
from .signin import build_signin, training_days
from .summary import build_summary

ROOT = "培训"
NAMELIST = "花名册.xlsx"
SIGNIN = "签到表.xlsx"
PAYROLL_DOCUMENT = "误工补贴发放花名册"
PAYROLL = f"{PAYROLL_DOCUMENT}.xlsx"
SUMMARY = f"{ROOT}/培训补贴汇总表.xlsx"
CLASSES_PER_TASK = 10
PARALLEL_FROM = 20  # classes; smaller batches are faster in one process


@dataclass(frozen=True)
class TrainingResult:
    output_root: Path
    classes: int
    enrolments: int  # trainee rows (人次)
    paid: int
    total: Decimal
    files: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    outdated: Outdated = Outdated()  # an earlier run's files this run no longer makes


@dataclass(frozen=True)
class TrainingOptions:
    """What `fanpin training` (or, with `publicity_only`, `fanpin notice allowance`) is asked for."""

    publicity_start: date | None = None  # --start
    dated: date | None = None  # --date
    workers: int | None = None
    publicity_only: bool = False  # only the 误工补贴公示


def run(
    context: RunContext, options: TrainingOptions, progress: Progress | None = None
) -> Report[TrainingResult]:
    """The training family's entry point: every training document (`generate_training`), or only the
    公示 of the allowances (`write_allowance_publicity`, no detail)."""
    if options.publicity_only:
        written = write_allowance_publicity(context, start=options.publicity_start, dated=options.dated)
        return Report(files=written.files, notes=written.notes)
    result = generate_training(
        context, publicity_start=options.publicity_start, workers=options.workers, dated=options.dated
    )
    return Report(
        files=tuple(context.output.path(relative) for relative in result.files),
        notes=result.notes,
        outdated=result.outdated,
        totals={"classes": result.classes, "paid": result.paid, "total": result.total},
        detail=result,
    )


def generate_training(
    context: RunContext,
    *,
    publicity_start: date | None = None,
    workers: int | None = None,
    dated: date | None = None,
) -> TrainingResult:
    """Everything `fanpin training` does, from the input paths in `context` to the written files."""
    policy = context.require_policy()
    training_path = context.require("training")
    roster_path = context.inputs.get("roster")
    roster = load_roster(roster_path) if roster_path is not None else None
    warnings: list[Problem] = list(roster.warnings) if roster is not None else []
    classes, trainees = load_training(training_path, roster, warnings=warnings)
    all_payments = compute_payments(policy, classes, trainees, roster=roster, source=training_path.name)
    notes = [
        *_relevant(context.notes, policy),
        *(w.describe() for w in warnings),
        *_input_notes(classes, all_payments, roster),
    ]
    result = write_training_documents(
        all_payments,
        policy=policy,
        settings=context.settings,
        output=context.output,
        publicity_start=publicity_start,
        workers=workers,
        dated=dated,
    )
    return replace(result, notes=(*notes, *result.notes))


def class_files(all_payments: Sequence[ClassPayments]) -> dict[str, str]:
    """Class name → its folder under 培训/, unique even when two names clean up to the same folder."""
    names = class_folder_names(all_payments)
    return {value: f"{ROOT}/{name}" for value, name in names.names.items()}


def class_folder_names(all_payments: Sequence[ClassPayments]) -> Names:
    """The classes' folder names under 培训/ (beside its summary), with what was renamed."""
    fixed = (PurePosixPath(SUMMARY).name,)
    return unique_names((c.name for c in all_payments), taken=fixed)


def write_training_documents(
    all_payments: Sequence[ClassPayments],
    *,
    policy: Policy,
    settings: Settings,
    output: OutputDir,
    publicity_start: date | None = None,
    workers: int | None = None,
    dated: date | None = None,
) -> TrainingResult:
    """Write every training document; each is dated by `fanpin_docs.docdates` (`dated` is --date),
    and a date that breaks the rules is refused before anything is written."""
    folders = class_files(all_payments)
    chosen = given(settings, dated)
    for c in all_payments:  # first the classes' own ends, then the 公示, then the 公示期 (see below)
        payment_date(_payroll_document(c), class_ended(c.training_class), chosen)
    summary_date = payment_date(
        SUMMARY.removeprefix(f"{ROOT}/").removesuffix(".xlsx"),
        last_class_ended(c.training_class for c in all_payments),
        chosen,
    )
    notice_start = allowance_publicity_start(settings, all_payments, start=publicity_start, dated=dated)
    skipped = _why_no_notice(all_payments, settings, notice_start)
    calendar = settings.calendar
    start_source = publicity_source(settings, start=publicity_start, dated=dated)
    over = None
    rest_day = ""
    if notice_start is not None and not skipped:  # the run makes the 公示: payment follows it
        rest_day = publicity_rest_day_note(settings, start=publicity_start, dated=dated)
        over = publicity_over(
            PUBLICITY_DOCUMENT,
            notice_start,
            start_source,
            calendar.publicity_days,
            holidays=calendar.holidays,
            workdays=calendar.workdays,
        )
    payroll_dates = {c.name: _payroll_date(c, chosen, over, start_source) for c in all_payments}
    for c in all_payments:  # the 签到表's days: a year no calendar covers stops the run before writing
        training_days(c.training_class, calendar.holidays, calendar.workdays)
    renamed = renamed_note("培训班", class_folder_names(all_payments).renamed)
    per_class = [f"{folders[c.name]}/{name}" for c in all_payments for name in (NAMELIST, SIGNIN, PAYROLL)]
    notice = None
    if notice_start is not None and not skipped:
        notice = publicity_document(policy, all_payments, settings, notice_start)
    planned = [*per_class, SUMMARY, *([notice[0]] if notice else [])]
    notes: list[str] = [note for note in (renamed, skipped, rest_day) if note]
    with writing(output, planned):
        _write_classes(
            all_payments,
            folders,
            payroll_dates,
            policy,
            settings,
            output,
            worker_count(workers, len(all_payments), parallel_from=PARALLEL_FROM),
        )
        prefix = f"{township_name(settings, all_payments)}{working_year(settings, policy)}年"
        book, cached = build_summary(all_payments, with_date(settings, summary_date), title_prefix=prefix)
        output.write_workbook(SUMMARY, book, cached)
        if notice:
            output.write_office(*notice)
        outdated = output.remove_outdated(ROOT)
        notes += outdated.notes()
    paid = sum(c.paid_count for c in all_payments)
    total = sum((c.total for c in all_payments), ZERO)
    return TrainingResult(
        output.root,
        len(all_payments),
        sum(len(c.payments) for c in all_payments),
        paid,
        total,
        tuple(sorted(output.written)),
        tuple(notes),
        outdated,
    )


def _payroll_document(class_payments: ClassPayments) -> str:
    return f"培训班「{class_payments.name}」的{PAYROLL_DOCUMENT}"


def _payroll_date(
    class_payments: ClassPayments,
    chosen: Given | None,
    over: Limit | None,
    start_source: str,
) -> date | None:
    """A class's payment roster: on or after the class ends and, when the run makes the 公示 and the
    class has allowances in it, on or after the first working day after the 公示期 (`over`)."""
    ended = class_ended(class_payments.training_class)
    if over is None or not class_payments.paid_count:
        return payment_date(_payroll_document(class_payments), ended, chosen)
    due = later(over, ended)
    if due is over and chosen is not None and chosen.source == start_source:
        # the one date given is the 公示's first day (and the 汇总表's date): the rosters people sign
        # when paid come after the 公示期, by rule, rather than refusing the only date the office gave
        payment_date(_payroll_document(class_payments), ended, chosen)
        return over.day
    hint = ""
    if due is over and chosen is not None:
        hint = paid_after_publicity_hint(chosen, over)
    why = PAID_AFTER_PUBLICITY if due is over else PAID_AFTER_CLASS
    return payment_date(_payroll_document(class_payments), due, chosen, why=why, hint=hint)


def _why_no_notice(all_payments: Sequence[ClassPayments], settings: Settings, start: date | None) -> str:
    """Why the run does not write the 误工补贴公示, '' when it does."""
    if not any(c.paid_count for c in all_payments):
        return "没有学员领取误工补贴，未生成误工补贴公示"
    if not publicity_issuer(settings, all_payments):
        places = {p.township for c in all_payments for p in c.payments}
        why = (
            "也没有户籍监测名单（--roster）可以确定乡镇"
            if places == {NO_ROSTER}
            else "学员不都在户籍名单中同一个乡镇"
        )
        return (
            f"未生成误工补贴公示：不知道由谁发布（fanpin.toml 没有设置发布单位，{why}）。"
            "在 fanpin.toml 的 [documents] 中设置 issuing_body，或在 [township] 中设置 township"
        )
    if start is None:
        return f"未生成误工补贴公示：{undated()}"
    return ""


def _write_classes(
    all_payments: Sequence[ClassPayments],
    folders: dict[str, str],
    payroll_dates: dict[str, date | None],
    policy: Policy,
    settings: Settings,
    output: OutputDir,
    workers: int,
) -> None:
    tasks = [
        [(c, folders[c.name], payroll_dates[c.name]) for c in all_payments[i : i + CLASSES_PER_TASK]]
        for i in range(0, len(all_payments), CLASSES_PER_TASK)
    ]
    if workers == 1:
        for task in tasks:
            _write_task(task, policy, settings, output)
        return
    pool, futures = start_pool(
        workers,
        partial(_write_task, policy=policy, settings=settings, output=output),
        tasks,
        initializer=_leave_interrupts_to_parent,
    )
    try:
        for future in futures:
            future.result()  # the first error (or Ctrl-C) stops the batch
    finally:
        # tasks already running finish their files (each written atomically); the rest are dropped,
        # and everything that reached the disk goes into the manifest
        pool.shutdown(wait=True, cancel_futures=True)
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                for relative, digest in future.result().items():
                    output.record(relative, digest)


def _leave_interrupts_to_parent() -> None:
    """Workers ignore Ctrl-C: the parent stops the batch and reports it once, without tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _write_task(
    task: Sequence[tuple[ClassPayments, str, date | None]],
    policy: Policy,
    settings: Settings,
    output: OutputDir,
) -> dict[str, str]:
    """Write the three workbooks of each class in `task` (the payroll dated `payroll_date`); returns
    what was written (path → hash)."""
    calendar = settings.calendar
    for class_payments, folder, payroll_date in task:
        namelist = build_namelist(class_payments, settings)
        output.write_bytes(f"{folder}/{NAMELIST}", sheetxml.workbook_bytes(namelist, output.timestamp))
        signin = build_signin(class_payments, policy, holidays=calendar.holidays, workdays=calendar.workdays)
        output.write_bytes(f"{folder}/{SIGNIN}", sheetxml.workbook_bytes(signin, output.timestamp))
        payroll = build_payroll(class_payments, with_date(settings, payroll_date))
        output.write_bytes(f"{folder}/{PAYROLL}", sheetxml.workbook_bytes(payroll, output.timestamp))
    return output.written


def _relevant(notes: Sequence[str], policy: Policy) -> list[str]:
    """The run's notes without the policy's assumptions that do not concern the training rule."""
    rule = training_rule(policy)
    others = set(policy.assumptions()) - {n for n in policy.assumptions() if f"规则「{rule.name}」" in n}
    return [note for note in notes if note not in others]


def _input_notes(
    classes: Sequence[TrainingClass], all_payments: Sequence[ClassPayments], roster: Roster | None
) -> list[str]:
    notes = []
    with_trainees = {c.name for c in all_payments}
    empty = [c.name for c in classes if c.name not in with_trainees]
    if empty:
        notes.append(f"培训班「{'、'.join(empty)}」没有学员，未生成文书")
    missing = [p for c in all_payments for p in c.payments if not p.trainee.category]
    if missing:
        where = "户籍名单中也找不到" if roster is not None else "未提供户籍名单（--roster）可供补全"
        notes.append(f"{len(missing)} 名学员没有填写人员类别，{where}，按不符合条件处理（金额 0.00 元）")
    if roster is None:
        notes.append("未提供户籍名单：汇总表无法按乡镇村分列，列为「" + NO_ROSTER + "」")
    return notes
