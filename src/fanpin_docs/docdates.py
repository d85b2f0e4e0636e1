"""The date of each document, by rule — a payment is not dated before the work it pays for, nor before
the 公示 of it is over.

    误工补贴发放花名册 (one class)   on or after the class ends (结业日期, or 考核日期 when later;
                                     开班日期 when no end is given); when the run makes the 误工补贴公示
                                     and the class is in it, on or after the first working day after
                                     its 公示期 (money is paid, and signed for, once the 公示 is over)
    误工补贴公示                     on or after the last class with allowances ends
    培训补贴汇总表                   on or after the last class ends: it sums up what the 公示 lists
                                     as to be paid (拟发放), so it need not wait for the 公示期; without
                                     --start it takes the 公示's date, with --start the --date given
    产业到户补助公示                 on or after the latest 落实日期 among the rows it lists
    培训通知 (one class)             before the class starts
    实施方案                         not after the first time limit it sets (e.g. 项目申报 by 4月30日)

A date the user gives (`--date`, `--start`, else fanpin.toml `[documents] date`) is used when it keeps
the rule; when it breaks it, a SettingsError names the document, the date and where it was given, and
the date it must not precede (or must precede) and where that comes from. Without a given date a
document takes the earliest date its rule allows; a 公示 the first working day from then on (its 公示期
starts that day); a payment roster after a 公示 the first working day after the 公示期; a 通知
`[calendar] notice_days` working days before the class starts. One date given alone to a training run
starts the 公示 (and dates the 汇总表); its payment rosters then follow the 公示期 by rule. A document
with nothing to go by (a class without dates) stays undated: its date line is left to be filled in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from .dates import add_working_days, chinese_date, first_working_day, working_days_after
from .errors import SettingsError
from .gongwen.publicity import publicity_end
from .models import TrainingClass
from .settings import Settings

SETTINGS_DATE = "fanpin.toml [documents] date"


@dataclass(frozen=True)
class Given:
    """A date the user set, and where: "--date", "--start" or fanpin.toml."""

    day: date
    source: str


@dataclass(frozen=True)
class Limit:
    """A date a document must not precede (or must precede), and where it comes from."""

    day: date
    source: str


def given(settings: Settings, option: date | None = None, option_name: str = "--date") -> Given | None:
    """The date given on the command line, else fanpin.toml's, else None."""
    if option is not None:
        return Given(option, option_name)
    if settings.documents.date is not None:
        return Given(settings.documents.date, SETTINGS_DATE)
    return None


def class_ended(training_class: TrainingClass, source: str = "培训考勤表") -> Limit | None:
    """When a class's payments become due: its 考核日期 when later than its end, else its 结业日期,
    else its 开班日期, else unknown."""
    assessed, end = training_class.assessed_on, training_class.end
    if assessed is not None and (end is None or assessed > end):
        return Limit(assessed, f"培训班「{training_class.name}」的考核日期（{source}）")
    if training_class.end is not None:
        return Limit(training_class.end, f"培训班「{training_class.name}」的结业日期（{source}）")
    if training_class.start is not None:
        return Limit(
            training_class.start, f"培训班「{training_class.name}」的开班日期（{source}，未填结业日期）"
        )
    return None


def last_class_ended(classes: Iterable[TrainingClass], source: str = "培训考勤表") -> Limit | None:
    """The latest `class_ended` of `classes` (the first such class on a tie)."""
    limits = [limit for c in classes if (limit := class_ended(c, source)) is not None]
    return max(limits, key=lambda limit: limit.day, default=None)


def publicity_over(
    publicity: str,
    start: date,
    start_source: str,
    working_days: int,
    *,
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
) -> Limit:
    """The first working day after the 公示期 of `publicity` (`working_days` working days from `start`,
    as the 公示 itself prints it): the earliest day what it lists as 拟发放 can be paid and signed for."""
    off, on = list(holidays), list(workdays)
    end = publicity_end(start, working_days, holidays=off, workdays=on)
    return Limit(
        working_days_after(end, 1, off, on),
        f"{publicity}的公示期（{chinese_date(start)}（{start_source}）至{chinese_date(end)}，"
        f"{working_days}个工作日）期满后的第一个工作日",
    )


def later(*limits: Limit | None) -> Limit | None:
    """The latest of `limits` (the first on a tie), None when none is known."""
    known = [limit for limit in limits if limit is not None]
    return max(known, key=lambda limit: limit.day, default=None)


PAID_AFTER_CLASS = "发放依据出勤和考核结果，不能早于培训结束"
PAID_AFTER_PUBLICITY = "补贴在公示期满后发放，领取人签字领款的花名册不能早于公示期满"


def payment_date(
    document: str, due: Limit | None, chosen: Given | None, *, why: str = PAID_AFTER_CLASS, hint: str = ""
) -> date | None:
    """A payment document's date: the given one when it is not before `due`, else `due` itself;
    None when neither is known. `why` and `hint` (instead of the usual one) go into the refusal."""
    if chosen is not None:
        _not_before(document, chosen, due, why, hint)
        return chosen.day
    return due.day if due is not None else None


def publicity_date(
    document: str,
    due: Limit | None,
    chosen: Given | None,
    *,
    why: str,
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
) -> date | None:
    """A 公示's date, which is also the first day of its 公示期: the given one when it is not before
    `due`, else the first working day from `due` on; None when neither is known."""
    if chosen is not None:
        _not_before(document, chosen, due, why)
        return chosen.day
    if due is None:
        return None
    return first_working_day(due.day, list(holidays), list(workdays))


def rest_day_note(
    document: str,
    chosen: Given | None,
    *,
    working_days: int,
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
) -> str:
    """A note when the user gave a 公示 a first day that is not a working day (a holiday or a weekend):
    it is printed as given, and its 公示期, counted in working days, only begins on the next one. ''
    when none was given (the rule never starts a 公示 on a day off) or the day is a working day."""
    if chosen is None:
        return ""
    day, off, on = chosen.day, list(holidays), list(workdays)
    next_day = first_working_day(day, off, on)
    if next_day == day:
        return ""
    end = publicity_end(day, working_days, holidays=off, workdays=on)
    kind = f"星期{'六日'[day.weekday() - 5]}" if day.weekday() >= 5 else "节假日"
    return (
        f"{document}的日期{chinese_date(day)}（{chosen.source}）是休息日（{kind}），按给出的日期印出；"
        f"公示期按工作日计算，自{chinese_date(next_day)}起至{chinese_date(end)}止。"
        f"要在工作日发布，把 {chosen.source} 改为工作日，如{chinese_date(next_day)}"
    )


def notice_date(
    document: str,
    training_class: TrainingClass,
    chosen: Given | None,
    *,
    lead_days: int,
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
    source: str = "培训考勤表",
) -> date | None:
    """A class's 通知: the given date when it is before the class starts, else `lead_days` working days
    before the start; None (to be filled in) when the start is not known."""
    start = training_class.start
    if chosen is not None:
        if start is not None and chosen.day >= start:
            raise SettingsError(
                f"{document}的日期{chinese_date(chosen.day)}（{chosen.source}）不在培训班「{training_class.name}」"
                f"的开班日期{chinese_date(start)}（{source}）之前：通知要在开班之前发出",
                hint=_fix(chosen, f"{chinese_date(start)}之前的日期"),
            )
        return chosen.day
    if start is None:
        return None
    return add_working_days(start, -lead_days, list(holidays), list(workdays))


def plan_date(chosen: Given | None, first_deadline: Limit | None) -> date | None:
    """The 实施方案's 成文日期: the given one when it is not after the first time limit the 方案 sets (a
    方案 cannot ask for work to be done before it was issued); None (to be filled in) when none is given."""
    if chosen is None:
        return None
    if first_deadline is not None and chosen.day > first_deadline.day:
        raise SettingsError(
            f"实施方案的日期{chinese_date(chosen.day)}（{chosen.source}）晚于方案自己规定的时间节点："
            f"{first_deadline.source}{chinese_date(first_deadline.day)}",
            hint=f"把实施方案的日期改为{chinese_date(first_deadline.day)}或更早（fanpin plan --date）",
        )
    return chosen.day


def with_date(settings: Settings, day: date | None) -> Settings:
    """`settings` for writing one document: its own date as the [documents] date its writer prints."""
    documents = settings.data.documents.model_copy(update={"date": day})
    return replace(settings, data=settings.data.model_copy(update={"documents": documents}))


def _not_before(document: str, chosen: Given, due: Limit | None, why: str, hint: str = "") -> None:
    if due is not None and chosen.day < due.day:
        raise SettingsError(
            f"{document}的日期{chinese_date(chosen.day)}（{chosen.source}）早于{due.source}"
            f"{chinese_date(due.day)}：{why}",
            hint=hint or _fix(chosen, f"{chinese_date(due.day)}或以后的日期"),
        )


def paid_after_publicity_hint(chosen: Given, over: Limit) -> str:
    """How to mend a payment date given before the 公示期 is over (`over`, from `publicity_over`) when the
    公示 started on a day given apart (--start): one date alone starts the 公示 and is not refused."""
    allowed = f"{chinese_date(over.day)}或以后的日期"
    if chosen.source == SETTINGS_DATE:
        return (
            f"删去 {SETTINGS_DATE}，让每份文书按规则确定日期（发放花名册排在公示期满之后）；或用 --start "
            f"指定公示的开始日期，用 --date 给发放花名册指定{allowed}"
        )
    return f"把 {chosen.source} 改为{allowed}，或把公示提前（--start），或不指定，由程序按规则确定"


def _fix(chosen: Given, allowed: str) -> str:
    if chosen.source == SETTINGS_DATE:
        return (
            f"删去 {SETTINGS_DATE}，让每份文书按规则确定日期；或把它改为{allowed}；"
            "或用 --date（公示用 --start）只给这次生成的文书指定日期"
        )
    return f"把 {chosen.source} 改为{allowed}，或不指定，由程序按规则确定"
