"""误工补贴公示: the public list of the training allowances paid, IDs and bank cards masked.

`training_publicity()` gives the notice's content; `publicity_document()` lays it out with
`fanpin_docs.gongwen.publicity.build_publicity()` and says where it goes, 公示/<title>.docx: `fanpin
training` and `fanpin notice allowance` (`write_allowance_publicity()`) both write it through this one
function, so there is one such document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import docx.document

from ..context import RunContext
from ..docdates import Given, given, last_class_ended, publicity_date, rest_day_note
from ..documents import Report, write_documents
from ..errors import SettingsError
from ..gongwen.issuer import issuing_body, working_year
from ..gongwen.publicity import PublicityNotice, build_publicity, publicity_path
from ..money import ZERO, amount_in_words, format_amount, format_number
from ..policy import Policy, describe_eligibility, describe_standard
from ..readers import load_roster, load_training
from ..settings import Settings
from .common import township_name
from .payments import ClassPayments, compute_payments, training_rule

PUBLICITY_DOCUMENT = "误工补贴公示"
COLUMNS = ("序号", "姓名", "身份证号", "培训班", "实际出勤天数", "补贴金额（元）", "银行卡号")
VILLAGE_COLUMN = "所在村"
BY_RULE = "按规则确定"


def publicity_start(
    settings: Settings,
    all_payments: Sequence[ClassPayments],
    *,
    start: date | None = None,
    dated: date | None = None,
) -> date | None:
    """The 公示's date and the first day of its 公示期 (`fanpin_docs.docdates`): --start, else --date,
    else fanpin.toml's date, when it is not before the last class with allowances paid ends; without
    one, the first working day from that end on. None when no date is given and no class has dates."""
    chosen = publicity_given(settings, start=start, dated=dated)
    paid = [c.training_class for c in all_payments if c.paid_count]
    return publicity_date(
        PUBLICITY_DOCUMENT,
        last_class_ended(paid),
        chosen,
        why="公示的补贴依据出勤和考核结果，不能早于培训结束",
        holidays=settings.calendar.holidays,
        workdays=settings.calendar.workdays,
    )


def publicity_rest_day_note(
    settings: Settings, *, start: date | None = None, dated: date | None = None
) -> str:
    """A note when the 公示's first day, as the user gave it, is a day off (`docdates.rest_day_note`)."""
    calendar = settings.calendar
    return rest_day_note(
        PUBLICITY_DOCUMENT,
        publicity_given(settings, start=start, dated=dated),
        working_days=calendar.publicity_days,
        holidays=calendar.holidays,
        workdays=calendar.workdays,
    )


def publicity_given(
    settings: Settings, *, start: date | None = None, dated: date | None = None
) -> Given | None:
    """The 公示's date as the user gave it: --start, else --date, else fanpin.toml's date; None when the
    rule is to date it."""
    return given(settings, start, "--start") if start is not None else given(settings, dated)


def publicity_source(settings: Settings, *, start: date | None = None, dated: date | None = None) -> str:
    """Where the 公示's first day comes from, for messages: "--start", "--date", fanpin.toml or the rule."""
    chosen = publicity_given(settings, start=start, dated=dated)
    return chosen.source if chosen is not None else BY_RULE


def undated() -> SettingsError:
    """Why the 公示 cannot be dated: no class has dates and no date is given."""
    return SettingsError(
        "培训班都没有日期，无法确定误工补贴公示的日期",
        hint="用 --start 指定公示开始日期，或在 fanpin.toml 的 [documents] 中设置 date",
    )


def publicity_issuer(settings: Settings, all_payments: Sequence[ClassPayments]) -> str:
    """Who publishes the notice: fanpin.toml's issuing body, else the township's government or 办事处
    (township from fanpin.toml or the roster), else ''."""
    return issuing_body(settings, township_name(settings, all_payments))


def training_publicity(
    policy: Policy, all_payments: Sequence[ClassPayments], settings: Settings, start: date
) -> PublicityNotice:
    """The 公示 of the training allowances paid (trainees with an amount above zero), in class and sheet
    order, IDs and bank cards masked as the policy's [privacy] says. `build_publicity` adds the
    publicity period and where to object. Raises SettingsError when nobody is known to publish it."""
    issuer = publicity_issuer(settings, all_payments)
    if not issuer:
        raise SettingsError(
            "不知道误工补贴公示由谁发布",
            hint="在 fanpin.toml 的 [documents] 中设置 issuing_body（或 [township] township），"
            "或给出户籍监测名单（--roster）以取得乡镇名称",
        )
    rule = training_rule(policy)
    masks = policy.masks()
    paid = [(c, p) for c in all_payments for p in c.payments if p.paid]
    with_village = any(p.village for _, p in paid)
    rows = tuple(
        (
            str(number),
            p.trainee.name,
            masks.id_number(p.trainee.id_number),
            *((p.village or "—",) if with_village else ()),
            c.name,
            format_number(p.trainee.attended_days),
            format_amount(p.amount),
            masks.card_tail(p.trainee.card_number) or "—",
        )
        for number, (c, p) in enumerate(paid, start=1)
    )
    columns = (*COLUMNS[:3], VILLAGE_COLUMN, *COLUMNS[3:]) if with_village else COLUMNS
    total = sum((p.amount for _, p in paid), ZERO)
    people = len({p.trainee.id_number for _, p in paid})
    counted = f"{people} 人" if people == len(rows) else f"{len(rows)} 人次（{people} 人）"
    township = township_name(settings, all_payments)
    year = working_year(settings, policy)
    classes = sum(1 for c in all_payments if c.paid_count)
    intro = (
        f"根据{rule.source}，对参加{year}年技能培训、符合条件（{describe_eligibility(rule)}）的学员，"
        f"按{describe_standard(rule)}的标准据实给予误工补贴。经审核，{classes} 个培训班共 {counted}"
        f"拟发放误工补贴 {format_amount(total)} 元，现将名单予以公示。"
    )
    return PublicityNotice(
        title=f"{township}{year}年培训误工补贴发放公示",
        intro=intro,
        columns=columns,
        rows=rows,
        total_line=f"合计：{counted}，{format_amount(total)} 元（{amount_in_words(total)}）",
        start=start,
        working_days=settings.calendar.publicity_days,
        issuer=issuer,
        issued_on=start,
        contact=settings.documents.contact,
        group_by="培训班",  # a table per class: the long class name is a heading, not a wrapped column
    )


def publicity_document(
    policy: Policy, all_payments: Sequence[ClassPayments], settings: Settings, start: date
) -> tuple[str, docx.document.Document]:
    """(where it goes under the output folder, the document) of the 误工补贴公示."""
    notice = training_publicity(policy, all_payments, settings, start)
    calendar = settings.calendar
    document = build_publicity(notice, holidays=calendar.holidays, workdays=calendar.workdays)
    return publicity_path(notice.title), document


def write_allowance_publicity(
    context: RunContext, *, start: date | None = None, dated: date | None = None
) -> Report[None]:
    """What `fanpin notice allowance` writes: the 公示 of the training allowances, as the training
    documents compute them, dated on or after the last class ends (`publicity_start`); the same
    document `fanpin training` writes, in the same place."""
    policy = context.require_policy()
    roster_path = context.inputs.get("roster")
    roster = load_roster(roster_path) if roster_path is not None else None
    training_path = context.require("training")
    classes, trainees = load_training(training_path, roster)
    payments = compute_payments(policy, classes, trainees, roster=roster, source=training_path.name)
    settings = context.settings
    first_day = publicity_start(settings, payments, start=start, dated=dated)
    if first_day is None:
        raise undated()
    relative, document = publicity_document(policy, payments, settings, first_day)
    rest_day = publicity_rest_day_note(settings, start=start, dated=dated)
    return write_documents(context.output, {relative: document}, [rest_day] if rest_day else [])
