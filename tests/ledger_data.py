"""Quarterly exports of the demo township for the ledger tests, changed by hand in known ways.

2023Q1 is the demo roster as it is (数据日期 2023-03-31). 2023Q2 (数据日期 2023-06-30) differs in
exactly these ways: 3 households entered monitoring (识别 2023年4月), 2 had their risk eliminated
(one 帮扶消除 2 months after identification, one 自然消除 after more than 6 months), 1 脱贫户's
per-capita income fell under the line (by less than the policy's 30 %), 1 member moved to a household
of another village. 2023Q3 repeats 2023Q2 with 数据日期 2023-09-30.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fanpin_docs.demo import build_township
from fanpin_docs.workspace.layout import MEASURES, ROSTER, build_workbook, save_workbook

Rows = list[dict]


@dataclass
class Story:
    entered: list[str]  # 户编号
    assisted: str  # 帮扶消除 within 2 months
    natural: str  # 自然消除 after 6 months or more
    assisted_identified: str
    natural_identified: str
    fallen: str
    fallen_before: Decimal
    fallen_after: Decimal
    mover_name: str
    mover_from: str
    mover_to: str


@dataclass
class Quarters:
    folder: Path
    files: dict[str, Path]  # "2023Q1" … → roster workbook
    measures: Path
    story: Story
    line: Decimal
    rows: dict[str, Rows]


def _by_household(rows: Rows) -> dict[str, Rows]:
    grouped: dict[str, Rows] = defaultdict(list)
    for row in rows:
        grouped[row["户编号"]].append(row)
    return grouped


def _head(rows: Rows) -> dict:
    return next(r for r in rows if r["与户主关系"] == "户主")


def _per_capita(rows: Rows) -> Decimal:
    return Decimal(_head(rows)["人均纯收入"])


def _mobile(rows: Rows) -> bool:
    phone = str(_head(rows).get("联系电话") or "")
    return len(phone) == 11


def build_quarters(folder: Path) -> Quarters:
    township = build_township()
    line = township.policy.monitoring_line
    base = [dict(row, 数据日期="2023-03-31") for row in township.roster_rows()]
    measures = township.measures
    noted = " ".join(str(m.get("备注", "")) for m in measures)
    with_measures = {m["户编号"] for m in measures}
    households = _by_household(base)
    order = list(households)

    def plain(hid: str) -> bool:
        rows = households[hid]
        head = _head(rows)
        return (
            not head["监测对象类别"]
            and hid not in with_measures
            and _mobile(rows)
            and _per_capita(rows) > line * Decimal("1.3")
        )

    entered = [hid for hid in order if plain(hid) and _head(households[hid])["户类型"] == "一般农户"][:3]
    unresolved = [
        hid
        for hid in order
        if _head(households[hid])["风险是否已消除"] == "否"
        and _mobile(households[hid])
        and hid not in entered
    ]
    assisted, natural = unresolved[0], unresolved[1]
    fallen = next(
        hid
        for hid in order
        if _head(households[hid])["户类型"] == "脱贫户"
        and not _head(households[hid])["监测对象类别"]
        and line < _per_capita(households[hid]) <= line * Decimal("1.3")
    )
    taken = {*entered, assisted, natural, fallen}
    mover_from = next(
        hid
        for hid in order
        if plain(hid)
        and hid not in taken
        and len(households[hid]) >= 3
        and any(r["与户主关系"] != "户主" and r["姓名"] not in noted for r in households[hid])
    )
    from_village = _head(households[mover_from])["行政村"]
    mover_to = next(
        hid
        for hid in order
        if plain(hid)
        and hid not in taken | {mover_from}
        and len(households[hid]) >= 4
        and _head(households[hid])["行政村"] != from_village
    )

    # the same identification months in both quarters (only the elimination is new in 2023Q2)
    for row in households[assisted]:
        row["识别监测时间"] = "202302"
    for row in households[natural]:
        row["识别监测时间"] = "202209"

    second = copy.deepcopy(base)
    grouped = _by_household(second)
    for row in second:
        row["数据日期"] = "2023-06-30"
    for hid in entered:
        for row in grouped[hid]:
            row.update(
                监测对象类别="边缘易致贫户", 风险是否已消除="否", 识别监测时间="202304", 致贫返贫风险1="因病"
            )
    for row in grouped[assisted]:
        row.update(风险是否已消除="是", 风险消除方式="帮扶消除", 消除监测时间="202304")
    for row in grouped[natural]:
        row.update(风险是否已消除="是", 风险消除方式="自然消除", 消除监测时间="202306")
    head = _head(grouped[fallen])
    size = int(head["人数"])
    fallen_before = Decimal(head["人均纯收入"])
    fallen_after = (line * Decimal("0.95")).quantize(Decimal("0.01"))
    net = fallen_after * size
    head.update(
        工资性收入=net, 生产经营性收入=Decimal(0), 财产性收入=Decimal(0), 转移性收入=Decimal(0),
        生产经营性支出=Decimal(0), 家庭纯收入=net, 人均纯收入=fallen_after,
    )  # fmt: skip
    mover = next(r for r in grouped[mover_from] if r["与户主关系"] != "户主" and r["姓名"] not in noted)
    target_head = _head(grouped[mover_to])
    for key in ("户编号", "行政村", "自然村", "户类型", "监测对象类别", "风险是否已消除", "识别监测时间"):
        mover[key] = target_head.get(key, "")
    mover["与户主关系"] = "其他"
    for hid, delta in ((mover_from, -1), (mover_to, 1)):
        h = _head(grouped[hid])
        h["人数"] = int(h["人数"]) + delta
        h["人均纯收入"] = (Decimal(h["家庭纯收入"]) / h["人数"]).quantize(Decimal("0.01"))
    second.remove(mover)
    index = max(i for i, r in enumerate(second) if r["户编号"] == mover_to)
    second.insert(index + 1, mover)

    third = [dict(row, 数据日期="2023-09-30") for row in second]
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    rows = {"2023Q1": base, "2023Q2": second, "2023Q3": third}
    for label, quarter_rows in rows.items():
        files[label] = write_roster(folder / f"名单{label}.xlsx", quarter_rows)
    measures_path = folder / "帮扶措施台账.xlsx"
    save_workbook(
        build_workbook("measures", {MEASURES.name: measures}), measures_path, timestamp="2023-01-01T00:00:00Z"
    )
    story = Story(
        entered=entered,
        assisted=assisted,
        natural=natural,
        assisted_identified="202302",
        natural_identified="202209",
        fallen=fallen,
        fallen_before=fallen_before,
        fallen_after=fallen_after,
        mover_name=mover["姓名"],
        mover_from=mover_from,
        mover_to=mover_to,
    )
    return Quarters(folder, files, measures_path, story, line, rows)


def write_roster(path: Path, rows: Rows) -> Path:
    return save_workbook(
        build_workbook("roster", {ROSTER.name: rows}), path, timestamp="2023-01-01T00:00:00Z"
    )
