"""What a policy file says, validated: one county, one year, its monitoring line, rules and deadlines.

A policy file is TOML (see the shipped ones in `fanpin_docs/policies/`). Every rule reads like the
policy text: who is eligible, what the base is, the rate / threshold / per-unit amount, the cap, the
rounding, exclusions, the lead unit and the source document. Values that the source text does not
give are filled in by the file's author and must be marked `assumed` with a note, so they are shown
to the user whenever they are used.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..masking import Masks
from ..models import HOUSEHOLD_CATEGORIES, TRAINEE_CATEGORIES
from .audit import AuditRule, ChangeSettings

Formula = Literal["rate", "per_unit", "given"]
Role = Literal["industry", "medical", "training", "education", "elderly", "employment", "other"]
ROUNDING_STEPS = {"分": Decimal("0.01"), "角": Decimal("0.1"), "元": Decimal("1")}
MEASURE_CATEGORIES = (
    "产业帮扶",
    "就业帮扶",
    "健康帮扶",
    "教育帮扶",
    "综合保障",
    "住房安全",
    "饮水安全",
    "扶志扶智",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Eligibility(_Strict):
    """Who may receive the rule's amount. Empty lists mean "no condition"."""

    household_categories: tuple[
        str, ...
    ] = ()  # any of: 脱贫户, 监测对象, 未消除风险监测对象, 边缘易致贫户, …
    person_categories: tuple[str, ...] = ()  # trainees: 脱贫人口, 监测对象, …
    requires_acceptance: bool = False  # 验收达标 before payment
    requires_passed: bool = False  # passed the final assessment (training)
    age_min: int | None = None
    age_max: int | None = None
    age_at: Literal["开班日期", "结业日期", "落实日期"] = "开班日期"
    excludes: tuple[str, ...] = ()  # not for a household that received any of these rules

    @field_validator("household_categories")
    @classmethod
    def _known_household_categories(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        return _known(names, HOUSEHOLD_CATEGORIES, "户类别", "户籍监测名单的户类型、监测对象类别")

    @field_validator("person_categories")
    @classmethod
    def _known_person_categories(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        return _known(names, TRAINEE_CATEGORIES, "人员类别", "培训考勤表的人员类别")

    @model_validator(mode="after")
    def _ages_in_order(self) -> Eligibility:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min（最低年龄）大于 age_max（最高年龄）")
        return self


def _known(names: tuple[str, ...], known: tuple[str, ...], what: str, where: str) -> tuple[str, ...]:
    """`names` when each is one the data can hold; a name nothing in the data matches (a typo such as
    监测对像) would leave the rule paying no one without a word."""
    unknown = [name for name in names if name not in known]
    if unknown:
        listed = "、".join(f"「{name}」" for name in unknown)
        raise ValueError(
            f"{listed}不是程序认识的{what}（{where}不会是它，按它判断没有人符合），"
            f"应为 {'、'.join(known)} 之一"
        )
    return names


class Rule(_Strict):
    name: str = Field(min_length=1)  # 措施名称 as written in the ledger
    aliases: tuple[str, ...] = ()
    role: Role = "other"
    category: str = "综合保障"  # one of the eight measure categories of a 实施方案
    description: str = Field(min_length=1)  # the policy sentence, for the 实施方案 and the card
    lead_unit: str = Field(min_length=1)  # 牵头单位
    source: str = Field(min_length=1)  # source document
    formula: Formula
    base_label: str = "计算基数"  # what the ledger's 计算基数 is: 投入, 自付医疗费用, 每月赡养金, …
    rate: Decimal | None = None
    threshold: Decimal = Decimal(0)  # only the part of the base above it counts
    unit_amount: Decimal | None = None
    unit: str = "天"  # what the quantity counts: 天, 人, 月
    half_units: bool = False  # 0.5 of a unit allowed (half days)
    quantity_label: str = ""  # for rate rules paid per month: 月
    cap: Decimal | None = None
    cap_label: str = "每户"  # 每户每年, 每人每月, …
    # "each": the cap bounds each ledger row; "household": it bounds the household's total for this
    # rule over the ledger (每户每年: two 3,000 investments in one year still get 2,000 in all)
    cap_scope: Literal["each", "household"] = "each"
    annual_person_cap: Decimal | None = None  # training: at most this much per person per year
    minimum: bool = False  # the amount is a floor (不低于), not a fixed sum; said in the explanation
    rounding: Literal["分", "角", "元"] = "分"
    eligibility: Eligibility = Eligibility()
    assumed: tuple[str, ...] = ()  # fields the source text does not give; filled in by the file's author
    assumed_note: str = ""

    @field_validator("rate")
    @classmethod
    def _rate_is_fraction(cls, rate: Decimal | None) -> Decimal | None:
        if rate is not None and not (0 < rate <= 1):
            raise ValueError("rate（比例）应在 0 到 1 之间，例如 80% 写作 0.8")
        return rate

    @field_validator("threshold", "unit_amount", "cap", "annual_person_cap")
    @classmethod
    def _not_negative(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value < 0:
            raise ValueError("金额不能为负数")
        return value

    @model_validator(mode="after")
    def _formula_complete(self) -> Rule:
        if self.formula == "rate" and self.rate is None:
            raise ValueError(f"规则「{self.name}」的 formula 为 rate，必须给出 rate（比例）")
        if self.formula == "per_unit" and self.unit_amount is None:
            raise ValueError(f"规则「{self.name}」的 formula 为 per_unit，必须给出 unit_amount（单价）")
        if self.category not in MEASURE_CATEGORIES:
            raise ValueError(f"规则「{self.name}」的 category 应为 {'、'.join(MEASURE_CATEGORIES)} 之一")
        if self.assumed and not self.assumed_note:
            raise ValueError(f"规则「{self.name}」有补充设定（assumed），必须用 assumed_note 说明")
        return self

    @property
    def computes(self) -> bool:
        return self.formula != "given"

    def round(self, amount: Decimal) -> Decimal:
        step = ROUNDING_STEPS[self.rounding]
        return amount.quantize(step, rounding=ROUND_HALF_UP).quantize(Decimal("0.01"))

    def names(self) -> set[str]:
        return {self.name, *self.aliases}

    def assumption_note(self) -> str:
        """The sentence that tells the user which values of this rule the source text does not give."""
        return (
            f"规则「{self.name}」的{_labels(self.assumed)}为补充设定：{self.assumed_note}"
            if self.assumed
            else ""
        )


class Deadlines(_Strict):
    """Month-day deadlines in the policy's year, written "04-30"."""

    filing: str | None = None  # 项目申报截止
    implementation: str | None = None  # 项目实施完成
    plan_review: str | None = None  # 一户一策核查 etc.
    notes: tuple[str, ...] = ()

    @field_validator("filing", "implementation", "plan_review")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            month, day = (int(part) for part in value.split("-"))
            date(2024, month, day)
        except ValueError:
            raise ValueError(f"「{value}」不是月-日格式，应写作 04-30") from None
        return f"{month:02d}-{day:02d}"


class Privacy(_Strict):
    id_keep_start: int = 6
    id_keep_end: int = 4
    card_keep_end: int = 4


class Policy(_Strict):
    key: str = ""  # the file name without extension, set by the loader
    title: str = Field(min_length=1)
    county: str = Field(min_length=1)
    province: str = ""
    year: int = Field(ge=2015, le=2100)
    issuer: str = ""  # who issued the rules
    sources: tuple[str, ...] = Field(min_length=1)
    monitoring_line: Decimal = Field(gt=0)  # 监测范围: per-capita yuan per year
    monitoring_line_basis: str = ""
    target: str = ""  # 对象范围 sentence
    rules: tuple[Rule, ...] = Field(min_length=1)
    deadlines: Deadlines = Deadlines()
    privacy: Privacy = Privacy()
    audit: tuple[AuditRule, ...] = ()  # the county's data checks (疑点数据核查), see policy.audit
    changes: ChangeSettings = ChangeSettings()
    assumed: tuple[str, ...] = ()
    assumed_note: str = ""

    @model_validator(mode="after")
    def _unique_audit_names(self) -> Policy:
        names = [a.name for a in self.audit]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"核查规则名称「{'、'.join(repeated)}」重复")
        return self

    @model_validator(mode="after")
    def _unique_rule_names(self) -> Policy:
        seen: dict[str, str] = {}
        for rule in self.rules:
            for name in rule.names():
                if name in seen:
                    raise ValueError(f"措施名称「{name}」在规则「{seen[name]}」和「{rule.name}」中重复")
                seen[name] = rule.name
        known = set(seen)
        for rule in self.rules:
            for other in rule.eligibility.excludes:
                if other not in known:
                    raise ValueError(f"规则「{rule.name}」的 excludes 引用了不存在的规则「{other}」")
        if self.assumed and not self.assumed_note:
            raise ValueError("政策文件有补充设定（assumed），必须用 assumed_note 说明")
        return self

    def masks(self) -> Masks:
        """How IDs and bank cards are masked on what other people see, per [privacy]."""
        return Masks(self.privacy.id_keep_start, self.privacy.id_keep_end, self.privacy.card_keep_end)

    def rule(self, name: str) -> Rule | None:
        """The rule a measure name (a rule's name or one of its aliases) stands for."""
        return self.rules_by_name.get(name)

    @cached_property
    def rules_by_name(self) -> dict[str, Rule]:
        """Every rule name and alias → its rule (names are unique across rules), built once per policy."""
        by_name: dict[str, Rule] = {}
        for rule in self.rules:
            for name in rule.names():
                by_name.setdefault(name, rule)
        return by_name

    def rule_for(self, role: Role) -> Rule | None:
        return next((r for r in self.rules if r.role == role), None)

    def assumptions(self) -> list[str]:
        """Every value in this file that the source text does not give, as a sentence for the user."""
        notes = []
        if self.assumed:
            notes.append(f"政策「{self.title}」的{_labels(self.assumed)}为补充设定：{self.assumed_note}")
        notes += [r.assumption_note() for r in self.rules if r.assumed]
        return notes

    def ledger_assumptions(self) -> list[str]:
        """The assumed values of the data checks and change thresholds (told by `fanpin ledger`)."""
        notes = [a.assumption_note() for a in self.audit if a.assumed]
        if self.changes.assumed:
            notes.append(self.changes.assumption_note())
        return notes


FIELD_LABELS = {
    "monitoring_line": "监测范围",
    "rate": "比例",
    "cap": "上限",
    "threshold": "起付线",
    "unit_amount": "单价",
    "lead_unit": "牵头单位",
    "eligibility": "享受条件",
    "annual_person_cap": "每人每年上限",
    "rounding": "取整方式",
}


def _labels(fields: tuple[str, ...]) -> str:
    return "、".join(f"{FIELD_LABELS.get(f, f)}（{f}）" for f in fields)
