"""项目申报表: one Word form per project, laid out as the county form.

Every field of the filing is printed; a field the workbook leaves empty prints as （未填写） so the
reviewer sees the gap instead of a blank — except the 联农带农机制 box, a free-text box the township
may still fill in by hand: it prints blank (the review lists a missing one as a finding). The last three boxes are for the opinions of the
village, the township and the department, each with a signature/seal and a date line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docx.document import Document
from docx.shared import Pt

from ..dates import chinese_date
from ..models import Project
from ..money import format_amount, yuan
from ..readers.projects import FUND_LEVELS
from .docx_form import (
    TITLE_FONT,
    FormRow,
    add_form_table,
    add_line,
    add_split_line,
    continued,
    label,
    new_document,
    value,
)

MISSING = "（未填写）"
ROW_HEIGHT_CM = 0.75
FORM_TITLE = "巩固拓展脱贫攻坚成果和乡村振兴项目申报表"
WIDTHS_CM = (1.9, 3.0, 4.0, 3.0, 5.1)  # group label, label, value, label, value: 17 cm
OPINIONS = (
    ("村（社区）意见", "村（社区）负责人（签字）："),
    ("乡镇（街道）意见", "乡镇（街道）负责人（签字）："),
    ("行业主管部门意见", "主管部门负责人（签字）："),
)
SIGNATURE_GAP = "\u3000" * 6
DATE_BLANKS = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"


@dataclass(frozen=True)
class FormHeading:
    """What stands above every form of the batch."""

    county: str
    year: int
    author: str = "fanpin-docs"


def shown(text: str | None) -> str:
    return text if text else MISSING


def shown_date(day: date | None) -> str:
    return chinese_date(day) if day else MISSING


def shown_count(count: int | None, unit: str) -> str:
    return f"{count} {unit}" if count is not None else MISSING


def fund_items(project: Project) -> list[tuple[str, str]]:
    """(label, amount) pairs after 总投资 and 财政衔接资金: each level given, then 其他资金."""
    items = [(level, format_amount(project.funds[level])) for level in FUND_LEVELS if level in project.funds]
    items.append(("其他资金", format_amount(project.other_funds)))
    return items


def total_investment(project: Project) -> str:
    if project.total_investment is not None:
        return format_amount(project.total_investment)
    return f"{format_amount(yuan(project.linked_funds + project.other_funds))}（按各项资金合计）"


def place(project: Project) -> str:
    return "".join(part for part in (project.township, project.village) if part) or MISSING


def build_form(project: Project, heading: FormHeading) -> Document:
    document = new_document(title=f"项目申报表：{project.name}", author=heading.author)
    add_line(document, FORM_TITLE, font=TITLE_FONT, size=Pt(18), space_after=2)
    add_line(document, f"（{heading.county}　{heading.year}年度）", font="楷体", size=Pt(14), space_after=8)
    add_split_line(
        document, f"申报单位（盖章）：{shown(project.applicant)}", f"申报日期：{shown_date(project.filed_on)}"
    )
    add_form_table(document, WIDTHS_CM, form_rows(project))
    return document


def wide(caption: str, text: str, height: float = ROW_HEIGHT_CM) -> FormRow:
    """A label over the first two columns and its value over the other three."""
    return FormRow([label(caption, span=2), value(text, span=3)], height)


def pair(first: tuple[str, str], second: tuple[str, str] | None, *, in_group: bool = False) -> FormRow:
    """Two label/value pairs on one row (or one pair over the row); `in_group` leaves the first
    column for the label of a group of rows (see `grouped`)."""
    lead = [continued(), label(first[0])] if in_group else [label(first[0], span=2)]
    if second is None:
        return FormRow([*lead, value(first[1], span=3)])
    return FormRow([*lead, value(first[1]), label(second[0]), value(second[1])])


def grouped(caption: str, rows: list[FormRow]) -> list[FormRow]:
    """Rows whose first column is one label spanning them all (资金规模, 受益对象, 绩效目标)."""
    out = []
    for index, row in enumerate(rows):
        first = label(caption, starts_merge=True) if index == 0 else continued()
        out.append(FormRow([first, *row.cells[1:]], row.min_height_cm))
    return out


def form_rows(project: Project) -> list[FormRow]:
    funds = fund_items(project)
    fund_rows = [
        pair(
            ("总投资", total_investment(project)),
            ("财政衔接资金", format_amount(project.linked_funds)),
            in_group=True,
        )
    ]
    fund_rows += [
        pair(funds[i], funds[i + 1] if i + 1 < len(funds) else None, in_group=True)
        for i in range(0, len(funds), 2)
    ]
    beneficiaries = [
        pair(
            ("受益户数", shown_count(project.households, "户")),
            ("受益人口", shown_count(project.population, "人")),
            in_group=True,
        ),
        pair(
            ("其中脱贫户", shown_count(project.poor_households, "户")),
            ("其中监测户", shown_count(project.monitored_households, "户")),
            in_group=True,
        ),
    ]
    targets = [
        FormRow([continued(), label(caption), value(shown(text), span=3)], 0.9)
        for caption, text in (
            ("产出指标", project.output_target),
            ("效益指标", project.benefit_target),
            ("满意度指标", project.satisfaction_target),
        )
    ]
    opinions = [
        FormRow(
            [
                label(caption, span=2),
                value(
                    ["", f"（盖章）{SIGNATURE_GAP}", f"{signer}{SIGNATURE_GAP}{DATE_BLANKS}"],
                    span=3,
                    align="right",
                    valign="bottom",
                ),
            ],
            2.4,
        )
        for caption, signer in OPINIONS
    ]
    return [
        wide("项目名称", project.name),
        pair(("项目类型", shown(project.project_type)), ("建设性质", shown(project.nature))),
        wide("实施地点", place(project)),
        wide("建设内容及规模", shown(project.content), 1.8),
        wide("补助标准", shown(project.subsidy_standard)),
        *grouped("资金规模（元）", fund_rows),
        *grouped("受益对象", beneficiaries),
        wide("联农带农机制", project.linkage or "", 1.4),
        *grouped("绩效目标", targets),
        wide("实施期限", f"{shown_date(project.start)} 至 {shown_date(project.end)}"),
        pair(("责任单位", shown(project.responsible_unit)), ("项目负责人", manager(project))),
        *opinions,
    ]


def manager(project: Project) -> str:
    if not project.manager:
        return MISSING
    return f"{project.manager}（{project.phone}）" if project.phone else project.manager
