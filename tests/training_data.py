"""Attendance workbooks for the training tests, built in code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from helpers import make_id, write_xlsx

HEADER = [
    "培训班",
    "培训项目",
    "培训地点",
    "开班日期",
    "结业日期",
    "应出勤天数",
    "姓名",
    "证件号码",
    "人员类别",
    "实际出勤天数",
    "考核结果",
    "开户银行",
    "银行卡号",
    "联系电话",
    "户籍地址",
]
CLASS = ("2023年第一期电工培训班", "电工", "区职教中心", "2023-03-06", "2023-03-12", 7)

# the worked example class: amounts 200, 280, 0, 260, 0, 0 → 740
DONE_WHEN = [
    ("张一", make_id("19830512", 11), "脱贫人口", 5, "合格"),
    ("李二", make_id("19900101", 22), "监测对象", 7, "合格"),
    ("王三", make_id("19851120", 33), "低保对象", 7, "合格"),
    ("赵四", make_id("19921003", 44), "脱贫人口", 6.5, "合格"),
    ("钱五", make_id("19600101", 55), "脱贫人口", 7, "合格"),  # 63 at class start
    ("孙六", make_id("19880808", 66), "监测对象", 7, "不合格"),
]
DONE_WHEN_AMOUNTS = [200, 280, 0, 260, 0, 0]


def card(number: int) -> str:
    return f"6217{number:015d}"


def trainee_rows(
    people: Sequence[tuple[str, str, str, float, str]], klass: Sequence[object] = CLASS, first_card: int = 1
) -> list[list[object]]:
    return [
        [
            *klass,
            name,
            id_number,
            category,
            days,
            result,
            "重庆农村商业银行",
            card(first_card + i),
            "13800000000",
            "黔江区城东街道红岩村",
        ]
        for i, (name, id_number, category, days, result) in enumerate(people)
    ]


def write_training(
    path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER, **kwargs
) -> Path:
    return write_xlsx(path, [list(header), *rows], sheet="培训考勤", **kwargs)
