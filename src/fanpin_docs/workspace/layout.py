"""The shape of the four input workbooks as `fanpin init` hands them out.

One layout per kind: the sheets, their columns in the order staff expect, a note for each column
(written as a cell comment on the header), the code list a column takes its values from (written as
a drop-down list), and which columns are text (IDs, phones, bank cards, codes keep every digit).
`build_workbook` fills a layout with rows; the blank workbooks of `fanpin init` and the demo
township's workbooks are both made by it, so they always have the shape the readers expect.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import (
    ELIMINATION_METHODS,
    HEALTH_STATES,
    HOUSEHOLD_TYPES,
    LABOUR_SKILLS,
    MONITORING_CATEGORIES,
    RISK_TYPES,
    TRAINEE_CATEGORIES,
)
from ..output import normalize_office_zip, write_atomic
from ..xlsx import put_text, text_width

INPUT_FILES = {
    "roster": "户籍监测名单.xlsx",
    "measures": "帮扶措施台账.xlsx",
    "training": "培训考勤表.xlsx",
    "projects": "项目申报表.xlsx",
}

RELATIONS = (
    "户主",
    "配偶",
    "之子",
    "之女",
    "之儿媳",
    "之女婿",
    "之孙子",
    "之孙女",
    "之外孙子",
    "之外孙女",
    "之父",
    "之母",
    "之祖父",
    "之祖母",
    "之兄弟姐妹",
    "其他",
)
SCHOOL_STATES = ("学前教育", "小学", "初中", "高中", "中职", "高职", "大专", "本科", "研究生", "非在校生")
YES_NO = ("是", "否")
PASS_FAIL = ("合格", "不合格")
SEXES = ("男", "女")
PROJECT_TYPES = (
    "产业发展",
    "就业项目",
    "乡村建设行动",
    "易地搬迁后扶",
    "巩固三保障成果",
    "乡村治理和精神文明建设",
    "项目管理费",
    "其他",
)
PROJECT_NATURES = ("新建", "续建", "改建", "扩建")
GIVEN_MEASURES = ("低保金", "特困供养金", "临时救助", "雨露计划", "小额信贷贴息", "残疾人两项补贴")

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
VALIDATION_ROWS = 2000  # drop-down lists and text format reach this far below the header
HEADER_FONT = Font(name="宋体", size=11, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="黑体", size=14)


@dataclass(frozen=True)
class Field:
    """One column of an input sheet."""

    name: str
    note: str
    choices: tuple[str, ...] = ()
    open_choices: bool = False  # the list suggests values; others are allowed (with a warning in Excel)
    text: bool = False  # stored as text so no digit is lost
    kind: str = ""  # "date", "money", "number" for the cell format
    read: bool = True  # False: a column for people (e.g. 户主姓名 beside 户编号); the reader ignores it


@dataclass(frozen=True)
class SheetLayout:
    name: str
    fields: tuple[Field, ...]

    @property
    def headers(self) -> list[str]:
        return [f.name for f in self.fields]


_MONEY_NOTE = "单位：元，只填数字（可带两位小数），户主所在行填写全户的数额，其他成员行留空"

ROSTER = SheetLayout(
    "户籍监测名单",
    (
        Field(
            "户编号",
            "必填。每户唯一的编号，同一户的每个成员填相同的户编号。按文本保存，开头的 0 不会丢失",
            text=True,
        ),
        Field("县(市、区、旗)", "区县名称，如 黔江区"),
        Field("乡(镇)", "必填。乡镇（街道）名称"),
        Field("行政村", "必填。行政村（社区）名称"),
        Field("自然村", "自然村或村民小组，如 三组"),
        Field("姓名", "必填。每人一行"),
        Field(
            "证件号码",
            "必填。18 位身份证号，最后一位可为 X。本列已设为文本格式，请勿改成数字格式，否则后几位会丢失",
            text=True,
        ),
        Field("与户主关系", "必填。每户必须有且只有一个「户主」", RELATIONS, open_choices=True),
        Field("人数", "家庭人口数，填在户主所在行。与成员行数不一致时会提醒", kind="number"),
        Field("户类型", "脱贫户 / 一般农户（也可填 监测户）", HOUSEHOLD_TYPES),
        Field(
            "监测对象类别",
            "纳入监测的户填写：脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户；未纳入监测的留空",
            MONITORING_CATEGORIES,
        ),
        Field("风险是否已消除", "监测户填写：是 / 否", YES_NO),
        Field("识别监测时间", "监测户的识别纳入时间，写作 202303 这样的年月，或写日期", text=True),
        Field("风险消除方式", "风险已消除的监测户填写：帮扶消除 / 自然消除", ELIMINATION_METHODS),
        Field("消除监测时间", "风险已消除的监测户填写消除时间，写作 202309 这样的年月，或写日期", text=True),
        Field("致贫返贫风险1", "主要风险类型，从下拉列表选择", RISK_TYPES),
        Field(
            "致贫返贫风险2",
            "第二项风险（没有可留空）；需要时可再加「致贫返贫风险3」至「致贫返贫风险5」列",
            RISK_TYPES,
        ),
        Field("健康状况", "每个成员填写", HEALTH_STATES),
        Field("劳动技能", "每个成员填写", LABOUR_SKILLS),
        Field("在校生状况", "在校学生填写学段，其他人留空", SCHOOL_STATES, open_choices=True),
        Field("联系电话", "11 位手机号，或带区号的固定电话如 023-87654321", text=True),
        Field("帮扶联系人", "帮扶联系人（帮扶责任人）姓名，填在户主所在行，印在明白卡上"),
        Field("帮扶联系人电话", "帮扶联系人的手机号", text=True),
        Field("帮扶联系人单位", "帮扶联系人的工作单位"),
        Field("工资性收入", _MONEY_NOTE, kind="money"),
        Field("生产经营性收入", _MONEY_NOTE, kind="money"),
        Field("财产性收入", _MONEY_NOTE, kind="money"),
        Field("转移性收入", _MONEY_NOTE, kind="money"),
        Field("生产经营性支出", _MONEY_NOTE, kind="money"),
        Field(
            "家庭纯收入",
            "可不填：程序按 工资性+生产经营性+财产性+转移性−生产经营性支出 计算；"
            "填写时与计算结果相差超过 1 元会提醒",
            kind="money",
        ),
        Field(
            "人均纯收入",
            "可不填：程序按 家庭纯收入÷家庭人口数 计算；填写时与计算结果相差超过 1 元会提醒",
            kind="money",
        ),
        Field(
            "收入计算期间",
            "上面各项收入所属的期间，印在明白卡上，填在户主所在行：写起止年月如 2022年7月至2023年6月"
            "（或 202207-202306），或只写年份表示全年；不填时印明白卡的年度",
            text=True,
        ),
        Field(
            "数据日期",
            "可不填：导出数据的日期；fanpin ledger add 按它确定这份名单属于哪个季度（也可用 --period 指定）",
            kind="date",
        ),
    ),
)

MEASURES = SheetLayout(
    "帮扶措施台账",
    (
        Field("户编号", "必填。与户籍监测名单中的户编号一致", text=True),
        Field("户主姓名", "方便核对，程序不读取", read=False),
        Field(
            "措施名称",
            "必填。政策文件中的规则名称（如 产业到户补助、医疗救助一事一议），由程序按政策计算金额；"
            "其他项目（如 低保金、公益性岗位）在「金额」列填写实际金额",
            open_choices=True,
        ),
        Field(
            "计算基数",
            "按政策计算的措施填写计算基数：产业到户补助填农户投入金额，医疗救助填政策范围内自付费用（元）",
            kind="money",
        ),
        Field("数量", "按月或按天计算的措施填写月数或天数（如 孝扶共助 的月数），其他留空", kind="number"),
        Field(
            "金额",
            "政策不计算的项目填写实际兑现金额（元）；按政策计算的项目可不填，填写时与计算结果核对",
            kind="money",
        ),
        Field(
            "验收结果",
            "需要验收的措施（如 产业到户补助）填写：合格 / 不合格；未验收合格的不予补助",
            PASS_FAIL,
        ),
        Field("落实日期", "兑现（落实）日期，如 2024-04-30", kind="date"),
        Field(
            "一户一策日期",
            "可不填：这一户的一户一策制定或核查日期（同一户写在任一行即可），动态监测台账按它检查是否按时制定、核查",
            kind="date",
        ),
        Field("备注", "补充说明，如 养殖规模、务工地点"),
    ),
)

TRAINEES = SheetLayout(
    "培训考勤",
    (
        Field("培训班", "必填。培训班名称，与「培训班」工作表中的名称一致"),
        Field("姓名", "必填"),
        Field("证件号码", "必填。18 位身份证号，本列已设为文本格式", text=True),
        Field("性别", "可不填，按身份证号判断", SEXES),
        Field(
            "人员类别", "脱贫人口 / 监测对象 / 低保对象 / 其他；不填时按户籍监测名单判断", TRAINEE_CATEGORIES
        ),
        Field("实际出勤天数", "必填。可以是半天，如 6.5；不能超过应出勤天数", kind="number"),
        Field("考核结果", "结业考核：合格 / 不合格", PASS_FAIL),
        Field("开户银行", "误工补贴打卡发放的银行，如 重庆农村商业银行"),
        Field(
            "银行卡号",
            "只填数字；本列已设为文本格式，请勿改成数字格式，否则超过 15 位的部分会丢失",
            text=True,
        ),
        Field("联系电话", "11 位手机号", text=True),
        Field("户籍地址", "如 黔江区城东街道红岩村一组"),
        Field("备注", "补充说明"),
    ),
)

CLASSES = SheetLayout(
    "培训班",
    (
        Field("培训班", "必填。每个培训班一行，名称与「培训考勤」工作表一致"),
        Field("培训项目", "工种或培训专业，如 中式烹调师"),
        Field("培训地点", "培训地点"),
        Field("开班日期", "如 2024-05-08", kind="date"),
        Field("结业日期", "如 2024-05-17", kind="date"),
        Field("应出勤天数", "计划培训天数", kind="number"),
        Field(
            "考核日期", "结业考核的日期（结业后考核时填写），误工补贴发放花名册等不早于这一天", kind="date"
        ),
    ),
)

PROJECTS = SheetLayout(
    "项目申报",
    (
        Field("项目名称", "必填。每个项目一行"),
        Field("项目类型", "按项目库分类选择", PROJECT_TYPES, open_choices=True),
        Field("建设性质", "新建 / 续建 / 改建 / 扩建", PROJECT_NATURES),
        Field("乡(镇)", "实施地点：乡镇（街道）"),
        Field("行政村", "实施地点：行政村"),
        Field("建设内容及规模", "建设内容和数量，如 新建产业路 2.5 公里"),
        Field("补助标准", "如 按农户投入的 80% 以奖代补，每户不超过 2000 元"),
        Field("中央衔接资金", "单位：元。只有合计数时，可把三列换成一列「财政衔接资金」", kind="money"),
        Field("市级衔接资金", "单位：元", kind="money"),
        Field("区县级衔接资金", "单位：元", kind="money"),
        Field("其他资金", "单位：元。群众自筹、社会资金等", kind="money"),
        Field("总投资", "单位：元。应等于各级衔接资金与其他资金之和", kind="money"),
        Field("受益户数", "受益总户数", kind="number"),
        Field("受益脱贫户数", "其中脱贫户数，不能多于受益户数", kind="number"),
        Field("受益监测户数", "其中监测户数", kind="number"),
        Field("受益人口", "受益总人数", kind="number"),
        Field("联农带农机制", "产业项目必填：如何带动脱贫户、监测户增收（务工、入股分红、订单收购等）"),
        Field("产出指标", "绩效目标：数量、质量、时效等产出"),
        Field("效益指标", "绩效目标：带动增收等效益"),
        Field("满意度指标", "绩效目标：如 受益群众满意度≥90%"),
        Field("开工时间", "计划开工日期", kind="date"),
        Field("完工时间", "计划完工日期，不能晚于政策规定的实施期限", kind="date"),
        Field("责任单位", "项目实施责任单位"),
        Field("项目负责人", "负责人姓名"),
        Field("联系电话", "负责人电话", text=True),
        Field("申报单位", "如 某某村村民委员会"),
        Field("申报日期", "不能晚于政策规定的申报截止日期", kind="date"),
    ),
)

SUBSIDIES = SheetLayout(
    "到户明细",
    (
        Field("项目名称", "必填。与「项目申报」工作表中的项目名称一致"),
        Field("户编号", "必填。与户籍监测名单中的户编号一致", text=True),
        Field("户主姓名", "户主姓名"),
        Field("投入金额", "必填。农户自己投入的资金（元），按政策的产业补助规则计算到户补助", kind="money"),
        Field("验收结果", "合格 / 不合格；未验收合格的不予补助", PASS_FAIL),
    ),
)

LAYOUTS: dict[str, tuple[SheetLayout, ...]] = {
    "roster": (ROSTER,),
    "measures": (MEASURES,),
    "training": (TRAINEES, CLASSES),
    "projects": (PROJECTS, SUBSIDIES),
}

Row = Mapping[str, object]


def build_workbook(
    kind: str,
    rows: Mapping[str, Sequence[Row]],
    *,
    titles: Mapping[str, str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> Workbook:
    """A workbook of `kind` with `rows` (by sheet name; each row by column name) under the header.

    `titles` puts a title row above a sheet's header; `choices` adds or replaces drop-down lists
    (e.g. the policy's rule names for 措施名称). A row naming a column the layout does not have is a
    programming error and raises KeyError.
    """
    book = Workbook()
    book.remove(book.active)
    for layout in LAYOUTS[kind]:
        _fill_sheet(
            book.create_sheet(layout.name),
            layout,
            rows.get(layout.name, ()),
            (titles or {}).get(layout.name),
            choices or {},
        )
    return book


def save_workbook(book: Workbook, path: Path, *, timestamp: str) -> Path:
    """Save atomically and byte-deterministically (same rows → same file)."""
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, normalize_office_zip(buffer.getvalue(), timestamp))
    return path


def _fill_sheet(
    ws,
    layout: SheetLayout,
    rows: Sequence[Row],
    title: str | None,
    choices: Mapping[str, Sequence[str]],
) -> None:
    header_row = 2 if title else 1
    if title:
        ws.cell(row=1, column=1, value=title).font = TITLE_FONT
        ws.row_dimensions[1].height = 24
    positions = {f.name: index for index, f in enumerate(layout.fields, start=1)}
    for field in layout.fields:
        cell = put_text(ws.cell(row=header_row, column=positions[field.name]), field.name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = Comment(_comment_text(field, choices.get(field.name)), "fanpin", width=260, height=120)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for offset, row in enumerate(rows, start=header_row + 1):
        unknown = set(row) - positions.keys()
        if unknown:
            raise KeyError(f"columns not in the {layout.name} layout: {sorted(unknown)}")
        for name, value in row.items():
            _put(ws.cell(row=offset, column=positions[name]), layout.fields[positions[name] - 1], value)
    last_row = header_row + max(len(rows), 0) + VALIDATION_ROWS
    for field in layout.fields:
        letter = get_column_letter(positions[field.name])
        width = max(text_width(field.name) + 4, 10.0)
        for row in rows[:200]:
            value = row.get(field.name)
            if value is not None:
                width = max(width, min(text_width(str(value)) + 2, 40.0))
        ws.column_dimensions[letter].width = width
        if field.text:
            ws.column_dimensions[letter].number_format = "@"
        listed = tuple(choices.get(field.name, field.choices))
        if listed:
            _add_list(ws, field, listed, f"{letter}{header_row + 1}:{letter}{last_row}")


def _put(cell, field: Field, value: object) -> None:
    if value is None or value == "":
        if field.text:
            cell.number_format = "@"
        return
    if field.text or isinstance(value, str):
        put_text(cell, value)
        if field.text:
            cell.number_format = "@"
        return
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    if isinstance(value, Decimal | int | float):
        cell.value = value
        if field.kind == "money":
            cell.number_format = MONEY_FORMAT
        return
    raise TypeError(f"cannot write {type(value).__name__} into {field.name}")


def _add_list(ws, field: Field, listed: Sequence[str], sqref: str) -> None:
    formula = '"' + ",".join(listed) + '"'
    if len(formula) > 257:  # Excel's limit for a list typed into the validation itself
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    validation.showErrorMessage = True
    if field.open_choices:
        validation.errorStyle = "warning"
        validation.errorTitle = "不在常用选项中"
        validation.error = "该值不在下拉列表中，确认无误可点「是」继续。"
    else:
        validation.errorStyle = "stop"
        validation.errorTitle = "请从下拉列表选择"
        validation.error = f"只能填写：{'、'.join(listed)}"
    validation.promptTitle = field.name
    validation.prompt = "从下拉列表选择" if len(listed) > 1 else ""
    validation.showInputMessage = False
    validation.add(sqref)
    ws.add_data_validation(validation)


def _comment_text(field: Field, listed: Sequence[str] | None) -> str:
    text = f"{field.name}：{field.note}"
    values = listed or field.choices
    if values:
        text += f"。可选：{'、'.join(values)}"
    return text
