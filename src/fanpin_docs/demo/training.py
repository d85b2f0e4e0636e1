"""The demo township's training ledger: two classes and their trainees (all fictional).

Rows are dicts keyed by the canonical column names of `fanpin_docs.workspace.layout`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from .people import DemoHousehold, DemoPerson

BANKS = (("重庆农村商业银行", "623190"), ("中国邮政储蓄银行", "621799"))


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def training_rows(
    rng: random.Random, households: list[DemoHousehold], year: int, township: str, county: str
) -> tuple[list[dict], list[dict]]:
    """Two classes (8 and 5 days) and their trainees, drawn from the roster."""
    first = _monday_on_or_after(dt.date(year, 5, 8))
    second = _monday_on_or_after(dt.date(year, 6, 12))
    classes: list[dict[str, Any]] = [
        {
            "培训班": f"{township}{year}年第1期中式烹调师培训班",
            "培训项目": "中式烹调师",
            "培训地点": f"{township}便民服务中心",
            "开班日期": first,
            "结业日期": first + dt.timedelta(days=9),
            "应出勤天数": 8,
        },
        {
            "培训班": f"{township}{year}年第2期农村电商培训班",
            "培训项目": "农村电商",
            "培训地点": f"{households[-1].village.name}党群服务中心",
            "开班日期": second,
            "结业日期": second + dt.timedelta(days=4),
            "应出勤天数": 5,
        },
    ]
    helped: list[tuple[DemoHousehold, DemoPerson]] = []
    others: list[tuple[DemoHousehold, DemoPerson]] = []
    for household in households:
        for person in household.members:
            age = person.age(first)
            if (
                18 <= age <= 58
                and not person.school
                and not person.migrant_to
                and person.labour in ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力")
            ):
                (helped if household.helped else others).append((household, person))
    rng.shuffle(helped)
    rng.shuffle(others)
    sizes = (min(36, max(6, len(households) // 9)), min(24, max(5, len(households) // 13)))
    chosen: list[list[tuple[DemoHousehold, DemoPerson, str]]] = [[], []]
    for number, size in enumerate(sizes):
        from_others = max(1, size // 10)
        for household, person in helped[: size - from_others]:
            chosen[number].append((household, person, "监测对象" if household.monitored else "脱贫人口"))
        for household, person in others[:from_others]:
            chosen[number].append((household, person, "其他"))
        helped, others = helped[size - from_others :], others[from_others:]
    aged = next(h for h in households if h.story == "trainee_aged_63")
    chosen[0].insert(3, (aged, aged.head, "脱贫人口"))
    if others:
        chosen[1].insert(2, (others[0][0], others[0][1], "低保对象"))
    trainees: list[dict] = []
    for training_class, group in zip(classes, chosen, strict=True):
        planned = Decimal(training_class["应出勤天数"])
        for position, (household, person, category) in enumerate(group):
            attended, note = _attendance(rng, planned, position)
            failed = attended <= planned - 3 or (position == 5 and training_class is classes[0])
            bank, prefix = BANKS[0] if rng.random() < 0.85 else BANKS[1]
            trainees.append(
                {
                    "培训班": training_class["培训班"],
                    "姓名": person.name,
                    "证件号码": person.id_number,
                    "性别": person.sex,
                    "人员类别": category,
                    "实际出勤天数": attended,
                    "考核结果": "不合格" if failed else "合格",
                    "开户银行": bank,
                    "银行卡号": card_number(rng, prefix),
                    "联系电话": person.phone or household.head.phone,
                    "户籍地址": f"{county}{township}{household.village.name}{household.group}",
                    "备注": note,
                }
            )
    return classes, trainees


def _attendance(rng: random.Random, planned: Decimal, position: int) -> tuple[Decimal, str]:
    roll = rng.random()
    if position == 2 or 0.72 <= roll < 0.86:
        return planned - Decimal("0.5"), "请假半天"
    if position == 4 or 0.86 <= roll < 0.95:
        return planned - 1, "请假 1 天"
    if roll >= 0.95:
        return planned - 3, "因病请假 3 天"
    return planned, ""


def card_number(rng: random.Random, prefix: str) -> str:
    """A 19-digit debit card number with a valid Luhn check digit."""
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(18 - len(prefix)))
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)
