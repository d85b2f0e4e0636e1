"""Typed records built once from the input workbooks; everything after the readers trusts them.

Money is Decimal. `source_row` is the Excel row number the record came from, kept for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .money import ZERO, yuan

HEAD_RELATION = "户主"
MONITORING_CATEGORIES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
HOUSEHOLD_TYPES = ("脱贫户", "一般农户", "监测户")
ELIMINATION_METHODS = ("帮扶消除", "自然消除")
TRAINEE_CATEGORIES = ("脱贫人口", "监测对象", "低保对象", "其他")
# every name `Household.categories` gives a household: what a rule's eligibility list may name
HOUSEHOLD_CATEGORIES = (
    *HOUSEHOLD_TYPES,
    *MONITORING_CATEGORIES,
    "监测对象",
    "未消除风险监测对象",
    "脱贫人口",
)
RISK_TYPES = (
    "因病",
    "因学",
    "因残",
    "因自然灾害",
    "因意外事故",
    "因产业项目失败",
    "因务工就业不稳",
    "缺劳动力",
    "因安全住房",
    "因安全饮水",
    "其他",
)
HEALTH_STATES = ("健康", "长期慢性病", "大病", "残疾")
LABOUR_SKILLS = ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力")


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    relation: str
    source_row: int
    health: str = ""
    labour_skill: str = ""
    school_status: str = ""
    phone: str | None = None

    @property
    def is_head(self) -> bool:
        return self.relation == HEAD_RELATION


@dataclass(frozen=True)
class Helper:
    """帮扶联系人: the cadre responsible for the household."""

    name: str
    phone: str | None = None
    unit: str = ""


@dataclass(frozen=True)
class Income:
    """Household income for the income period, in yuan."""

    wage: Decimal = ZERO
    business: Decimal = ZERO
    property_income: Decimal = ZERO
    transfer: Decimal = ZERO
    business_expense: Decimal = ZERO
    # 家庭纯收入 as the export gives it, when it gives no breakdown (the fields above are then unknown)
    reported_net: Decimal | None = None

    @property
    def has_breakdown(self) -> bool:
        return self.reported_net is None

    @property
    def net(self) -> Decimal:
        """家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出 (or the reported figure)."""
        if self.reported_net is not None:
            return self.reported_net
        return yuan(self.wage + self.business + self.property_income + self.transfer - self.business_expense)

    def per_capita(self, size: int) -> Decimal:
        """人均纯收入 = 家庭纯收入 ÷ 家庭人口数, to the fen."""
        if size <= 0:
            raise ValueError("household size must be positive")
        return yuan(self.net / size)


@dataclass(frozen=True)
class IncomePeriod:
    """收入计算期间: the first and last day the roster's income figures cover."""

    start: date
    end: date

    def text(self) -> str:
        """`2022年7月至2023年6月` for whole months, else `2022年7月15日至2023年7月14日`."""
        whole_months = self.start.day == 1 and (self.end + timedelta(days=1)).day == 1
        if whole_months:
            return f"{self.start.year}年{self.start.month}月至{self.end.year}年{self.end.month}月"
        return (
            f"{self.start.year}年{self.start.month}月{self.start.day}日至"
            f"{self.end.year}年{self.end.month}月{self.end.day}日"
        )


@dataclass(frozen=True)
class Household:
    household_id: str
    township: str
    village: str
    head: Person
    members: tuple[Person, ...]  # the head first, then in sheet order
    income: Income | None  # None: the roster has no income columns at all
    source_rows: tuple[int, ...]
    county: str = ""
    group: str = ""
    declared_size: int | None = None
    household_type: str = ""
    monitoring_category: str = ""
    risk_resolved: bool | None = None
    identified_month: date | None = None
    eliminated_month: date | None = None  # 消除监测时间
    elimination_method: str = ""  # 风险消除方式: 帮扶消除 / 自然消除
    data_date: date | None = None  # 数据日期: the date of the export, when it says
    risks: tuple[str, ...] = ()
    phone: str | None = None
    helper: Helper | None = None
    income_period: IncomePeriod | None = None  # None: the roster does not say

    @property
    def size(self) -> int:
        """家庭人口数: the declared size when given (members may be absent from the export)."""
        return self.declared_size or len(self.members)

    @property
    def is_monitored(self) -> bool:
        return bool(self.monitoring_category) or self.household_type == "监测户"

    @property
    def risk_unresolved(self) -> bool:
        return self.is_monitored and self.risk_resolved is not True

    @property
    def per_capita_income(self) -> Decimal | None:
        return None if self.income is None else self.income.per_capita(self.size)

    @property
    def address(self) -> str:
        return "".join(part for part in (self.county, self.township, self.village, self.group) if part)

    def categories(self) -> set[str]:
        """Every name this household answers to in a rule's eligibility list."""
        names = {self.household_type} if self.household_type else set()
        if self.monitoring_category:
            names |= {self.monitoring_category, "监测户", "监测对象"}
        if self.household_type == "监测户":
            names.add("监测对象")
        if self.risk_unresolved:
            names.add("未消除风险监测对象")
        if self.household_type == "脱贫户":
            names.add("脱贫人口")
        return names


@dataclass(frozen=True)
class Roster:
    """The household roster read from one workbook."""

    source: str
    households: tuple[Household, ...]
    warnings: tuple = ()

    def by_id(self) -> dict[str, Household]:
        return {h.household_id: h for h in self.households}

    def person_index(self) -> dict[str, tuple[Household, Person]]:
        return {p.id_number: (h, p) for h in self.households for p in h.members}


@dataclass(frozen=True)
class StoredIncome:
    """A household's per-capita net income as the 动态监测台账 stored it for one quarter (`2024Q1`)."""

    period: str
    per_capita: Decimal


# by 户编号, each household's stored quarters oldest first (what a 明白卡 shows as its income trend)
IncomeHistory = dict[str, tuple[StoredIncome, ...]]


@dataclass(frozen=True)
class MeasureRecord:
    """One policy item a household received (帮扶措施台账 row)."""

    household_id: str
    name: str
    source_row: int
    base: Decimal | None = None
    quantity: Decimal | None = None
    given_amount: Decimal | None = None
    accepted: bool | None = None  # 验收结果: True 合格, False 不合格, None not recorded
    on: date | None = None
    note: str = ""
    plan_date: date | None = None  # 一户一策日期: when the household's plan was drawn up or checked


@dataclass(frozen=True)
class TrainingClass:
    name: str
    project: str = ""
    place: str = ""
    start: date | None = None
    end: date | None = None
    planned_days: Decimal | None = None
    assessed_on: date | None = None  # 考核日期 (结业考核), when given


@dataclass(frozen=True)
class Trainee:
    class_name: str
    name: str
    id_number: str
    source_row: int
    sex: str = ""
    category: str = ""
    attended_days: Decimal = ZERO
    passed: bool | None = None
    bank: str = ""
    card_number: str = ""
    phone: str | None = None
    address: str = ""
    note: str = ""


@dataclass(frozen=True)
class Project:
    name: str
    source_row: int
    project_type: str = ""
    nature: str = ""
    township: str = ""
    village: str = ""
    content: str = ""
    subsidy_standard: str = ""
    funds: dict[str, Decimal] = field(default_factory=dict)  # 衔接资金 by level / source
    declared_linked_funds: Decimal | None = (
        None  # the 财政衔接资金 cell as written (checked against the levels)
    )
    other_funds: Decimal = ZERO
    total_investment: Decimal | None = None
    households: int | None = None
    poor_households: int | None = None
    monitored_households: int | None = None
    population: int | None = None
    linkage: str = ""  # 联农带农机制
    output_target: str = ""
    benefit_target: str = ""
    satisfaction_target: str = ""
    start: date | None = None
    end: date | None = None
    responsible_unit: str = ""
    manager: str = ""
    phone: str | None = None
    applicant: str = ""
    filed_on: date | None = None
    source_sheet: str = ""  # the sheet of `source_row` when the projects are on several sheets, else ""

    @property
    def linked_funds(self) -> Decimal:
        """财政衔接资金 in total, all levels."""
        return sum(self.funds.values(), ZERO)


@dataclass(frozen=True)
class HouseholdSubsidy:
    """到户明细 row: one household's investment in an industry project."""

    project_name: str
    household_id: str
    head_name: str
    investment: Decimal
    source_row: int
    accepted: bool | None = None
