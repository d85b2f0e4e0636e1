"""Quarters (`2023Q2`): the periods the ledger stores, from the command line or the export's 数据日期."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import SettingsError

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-_ ]?\s*[Qq]([1-4])$"),
    re.compile(r"^(\d{4})年第?([一二三四1-4])季度?$"),
)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str, *, option: str = "--period") -> Period:
        cleaned = text.strip()
        for pattern in _PATTERNS:
            match = pattern.match(cleaned)
            if match:
                return cls(int(match.group(1)), _NUMERALS[match.group(2)])
        raise SettingsError(
            f"{option} 的期间「{text}」无法识别", hint="写作 年份+Q+季度，如 2023Q2（2023年第二季度）"
        )

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def chinese(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    @property
    def start(self) -> date:
        return date(self.year, self.quarter * 3 - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter: the day the period's state is judged on."""
        if self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, self.quarter * 3 + 1, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return self.label
