"""The county's data checks (疑点数据核查) and the ledger's change thresholds, as a policy file states them.

Each `[[audit]]` table names one check the county runs on the national data before the province
does, with its threshold and its source; `check` says which of the known checks it is (the code in
`fanpin_docs.ledger.audit` that evaluates it), the other keys are that check's parameters. Values the
source text does not give are listed in `assumed` and explained in `assumed_note`, as for rules.
The optional `[changes]` table sets how large a fall in per-capita income the 动态监测变化表 lists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AuditCheck = Literal[
    "no_measure",
    "quick_assisted_elimination",
    "short_monitoring",
    "high_income_new",
    "poor_under_line",
    "elderly_public_post",
    "phone_not_mobile",
    "elimination_candidate",
    "plan_overdue",
]

# which parameters each check needs (the rest of a table's keys must be absent or are ignored)
PARAMETERS: dict[str, tuple[str, ...]] = {
    "no_measure": ("months",),
    "quick_assisted_elimination": ("months",),
    "short_monitoring": ("months",),
    "high_income_new": ("amount",),
    "poor_under_line": (),
    "elderly_public_post": ("age", "measures"),
    "phone_not_mobile": (),
    "elimination_candidate": ("periods",),
    "plan_overdue": ("new_days", "draw_month", "review_month"),
}
PARAMETER_LABELS = {
    "months": "月数",
    "amount": "金额",
    "age": "年龄",
    "measures": "措施名称",
    "periods": "期数",
    "new_days": "新识别户天数",
    "draw_month": "制定月份",
    "review_month": "核查月份",
    "income_drop": "收入下降比例",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuditRule(_Strict):
    """One named data check with its threshold and source."""

    name: str = Field(min_length=1)  # what the 疑点数据清单 calls it
    check: AuditCheck
    source: str = Field(min_length=1)
    description: str = ""
    months: int | None = Field(default=None, ge=0, le=120)
    amount: Decimal | None = Field(default=None, ge=0)
    age: int | None = Field(default=None, ge=1, le=120)
    measures: tuple[str, ...] = ()  # 措施名称 that mean a 公益性岗位 (with the policy's aliases)
    periods: int | None = Field(default=None, ge=2, le=12)
    new_days: int | None = Field(default=None, ge=1, le=90)
    draw_month: int | None = Field(default=None, ge=1, le=12)
    review_month: int | None = Field(default=None, ge=1, le=12)
    assumed: tuple[str, ...] = ()
    assumed_note: str = ""

    @model_validator(mode="after")
    def _parameters_given(self) -> AuditRule:
        missing = [p for p in PARAMETERS[self.check] if getattr(self, p) in (None, ())]
        if missing:
            labels = "、".join(f"{p}（{PARAMETER_LABELS[p]}）" for p in missing)
            raise ValueError(f"核查规则「{self.name}」（check = {self.check}）必须给出 {labels}")
        if self.assumed and not self.assumed_note:
            raise ValueError(f"核查规则「{self.name}」有补充设定（assumed），必须用 assumed_note 说明")
        return self

    def assumption_note(self) -> str:
        if not self.assumed:
            return ""
        labels = "、".join(f"{PARAMETER_LABELS.get(f, f)}（{f}）" for f in self.assumed)
        return f"核查规则「{self.name}」的{labels}为补充设定：{self.assumed_note}"


class ChangeSettings(_Strict):
    """What the 动态监测变化表 lists beyond the facts: a fall in per-capita income larger than a share."""

    income_drop: Decimal | None = None  # 0.3: per-capita income fell by more than 30 %
    source: str = ""
    assumed: tuple[str, ...] = ()
    assumed_note: str = ""

    @field_validator("income_drop")
    @classmethod
    def _fraction(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and not (0 < value < 1):
            raise ValueError("income_drop（收入下降比例）应在 0 到 1 之间，例如 30% 写作 0.3")
        return value

    @model_validator(mode="after")
    def _noted(self) -> ChangeSettings:
        if self.assumed and not self.assumed_note:
            raise ValueError("[changes] 有补充设定（assumed），必须用 assumed_note 说明")
        return self

    def assumption_note(self) -> str:
        if not self.assumed:
            return ""
        labels = "、".join(f"{PARAMETER_LABELS.get(f, f)}（{f}）" for f in self.assumed)
        return f"变化表的{labels}为补充设定：{self.assumed_note}"
