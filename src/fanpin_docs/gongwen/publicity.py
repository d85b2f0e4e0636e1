"""公示 as 公文 (GB/T 9704 layout): a list with a publicity period counted in working days.

`PublicityNotice` is what any document family hands over to be published (rows already masked and
formatted); `build_publicity` lays it out; `publicity_path` says where it goes. The end of the publicity period is computed with
`fanpin_docs.dates.add_working_days` (the official holidays and 调休, `fanpin_docs.holidays`, with
fanpin.toml [calendar]'s local changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import docx.document

from ..dates import add_working_days, chinese_date
from ..errors import TemplateError
from ..filenames import clean
from .document import OfficialDocument
from .tables import column_layout


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
    group_by: str = ""  # a column whose value heads a table of its own (e.g. 培训班), instead of a column


def publicity_path(title: str) -> str:
    """Where a 公示 is written: 公示/<title>.docx (the same file whichever command writes it)."""
    return f"公示/{clean(title)}.docx"


def publicity_end(
    start: date, working_days: int, *, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> date:
    """The last day of the publicity period (a 5-working-day period starting on a Friday ends on Thursday)."""
    return add_working_days(start, working_days, holidays, workdays)


def publicity_sentence(
    start: date, working_days: int, *, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> str:
    """「公示期为2024年11月15日至2024年11月21日（5个工作日）」."""
    end = publicity_end(start, working_days, holidays=holidays, workdays=workdays)
    return f"公示期为{chinese_date(start)}至{chinese_date(end)}（{working_days}个工作日）"


def _intro_with_period(notice: PublicityNotice, *, holidays: Iterable[date], workdays: Iterable[date]) -> str:
    """The intro, then the period sentence and where to object — unless the intro already says them.

    An intro that states a period itself must state the computed end date, or it is refused."""
    end = publicity_end(notice.start, notice.working_days, holidays=holidays, workdays=workdays)
    intro = notice.intro.strip()
    if "公示期" in intro:
        if chinese_date(end) not in intro.replace(" ", ""):
            raise TemplateError(
                f"公示「{notice.title}」的说明文字自己写了公示期，与按工作日算出的公示期"
                f"（{chinese_date(notice.start)}至{chinese_date(end)}，{notice.working_days}个工作日）不一致",
                hint="删去公示模板说明中写公示期的句子（程序会按工作日自动写上），或把结束日期改为"
                f"{chinese_date(end)}",
            )
    else:
        if intro and not intro.endswith(("。", "！", "：")):
            intro += "。"
        period = publicity_sentence(notice.start, notice.working_days, holidays=holidays, workdays=workdays)
        intro += f"{period}。"
    if "异议" not in intro:
        intro += f"公示期间，如有异议，请以书面、电话或来访等方式向{notice.issuer}反映。"
    return intro


def _tables(doc: OfficialDocument, notice: PublicityNotice) -> None:
    """The list: one table, or with `group_by` one table per value of that column under a heading
    「（一）<value>（N人）」, the column left out; all tables with the same column widths."""
    if notice.group_by not in notice.columns:
        doc.table(notice.columns, notice.rows)
        return
    index = notice.columns.index(notice.group_by)
    columns = notice.columns[:index] + notice.columns[index + 1 :]
    groups: dict[str, list[tuple[str, ...]]] = {}
    for row in notice.rows:
        groups.setdefault(row[index], []).append(row[:index] + row[index + 1 :])
    widths, size = column_layout(columns, [row for rows in groups.values() for row in rows])
    for name, rows in groups.items():
        doc.heading(2, f"{name}（{len(rows)}人）")
        doc.table(columns, rows, widths_mm=widths, size=size)


def build_publicity(
    notice: PublicityNotice, *, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> docx.document.Document:
    """A 公示 in 公文 layout: title, intro with the publicity period, the table, the total line, the
    contact, then the issuer and the date — the last rows of the table kept on one page with everything
    after them, so no page holds only the closing lines and the signature.

    The period sentence 「公示期为…至…（N个工作日）」 and the objection sentence are added to the intro
    unless it already has them (an intro's own period must end on the computed day)."""
    for row in notice.rows:
        if len(row) != len(notice.columns):
            raise ValueError("every row needs one value per column")
    doc = OfficialDocument(title_property=notice.title, author=notice.issuer)
    doc.title(notice.title)
    doc.blank()
    doc.body(_intro_with_period(notice, holidays=holidays, workdays=workdays))
    _tables(doc, notice)
    if notice.rows:
        doc.keep_table_with_next()  # the total, contact and signature end the page the table ends on
    closing = [notice.total_line] if notice.total_line else []
    if notice.contact:
        closing.append(f"联系人及电话：{notice.contact}")
    for line in closing:
        doc.body(line).paragraph_format.keep_with_next = True
    doc.signature(notice.issuer, notice.issued_on)
    return doc.document
