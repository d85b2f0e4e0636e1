"""Synthetic national-style exports for benchmarks: N households with valid IDs, plus a measures ledger.

Deterministic for a given N and seed, so two runs compare the same data.
"""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

from fanpin_docs.idcard import check_digit

ROSTER_HEADER = [
    "户编号",
    "县(市、区、旗)",
    "乡(镇)",
    "行政村",
    "自然村",
    "姓名",
    "证件号码",
    "与户主关系",
    "人数",
    "户类型",
    "监测对象类别",
    "风险是否已消除",
    "识别监测时间",
    "致贫返贫风险1",
    "健康状况",
    "劳动技能",
    "在校生状况",
    "联系电话",
    "帮扶联系人",
    "帮扶联系人电话",
    "帮扶联系人单位",
    "工资性收入（元）",
    "生产经营性收入（元）",
    "财产性收入（元）",
    "转移性收入（元）",
    "生产经营性支出（元）",
    "家庭纯收入",
    "人均纯收入（元）",
]
MEASURES_HEADER = ["户编号", "措施名称", "计算基数", "金额", "验收结果", "落实日期", "备注"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰德福春生文明志强海燕"
TOWNSHIPS = ["城东街道", "濯水镇", "石会镇", "黄溪镇"]
VILLAGES = [
    "红岩村",
    "石门村",
    "黄溪村",
    "杉岭村",
    "白土村",
    "金洞村",
    "马喇村",
    "新华村",
    "太极村",
    "水田村",
    "官庄村",
    "沙坝村",
    "濯水村",
    "蓬东村",
    "冯家村",
    "正阳村",
    "舟白村",
    "五里村",
    "石会村",
    "鹅池村",
]
RELATIONS = ["配偶", "之子", "之女", "之儿媳", "之孙子", "之孙女", "之父", "之母"]
HEALTH = ["健康", "健康", "健康", "长期慢性病", "大病", "残疾"]
SKILLS = ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _id(rng: random.Random, serial: int) -> str:
    year = rng.randint(1940, 2015)
    first17 = f"500114{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{serial % 1000:03d}"
    return first17 + check_digit(first17)


def households(n: int, *, seed: int = 7, townships: int = 2, villages_per_township: int = 20):
    """Yield (roster rows of one household, measure rows of it)."""
    rng = random.Random(seed)
    used_ids: set[str] = set()
    for index in range(n):
        township = TOWNSHIPS[index % townships % len(TOWNSHIPS)]
        number = (index // townships) % villages_per_township
        village = VILLAGES[number % len(VILLAGES)] + (
            str(number // len(VILLAGES) + 1) if number >= len(VILLAGES) else ""
        )
        household_id = f"5001140{index + 1:08d}"
        size = rng.choice((1, 2, 3, 3, 4, 4, 5, 6))
        monitored = rng.random() < 0.3
        category = rng.choice(("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")) if monitored else ""
        income = [
            rng.randint(0, 40000),
            rng.randint(0, 15000),
            rng.randint(0, 2000),
            rng.randint(0, 9000),
            rng.randint(0, 4000),
        ]
        helper = _name(rng)
        rows = []
        for member in range(size):
            while (id_number := _id(rng, rng.randint(0, 999))) in used_ids:
                pass
            used_ids.add(id_number)
            head = member == 0
            rows.append(
                [
                    household_id,
                    "黔江区",
                    township,
                    village,
                    f"{rng.randint(1, 6)}组",
                    _name(rng),
                    id_number,
                    "户主" if head else RELATIONS[(member - 1) % len(RELATIONS)],
                    size if head else None,
                    "监测户" if monitored else rng.choice(("脱贫户", "一般农户")),
                    category,
                    ("否" if rng.random() < 0.6 else "是") if monitored else "",
                    "202303" if monitored else "",
                    "因病" if monitored else "",
                    rng.choice(HEALTH),
                    rng.choice(SKILLS),
                    "",
                    f"138{rng.randint(10000000, 99999999)}" if head else "",
                    helper if head else "",
                    f"139{rng.randint(10000000, 99999999)}" if head else "",
                    "城东街道办事处" if head else "",
                    *(income if head else ["", "", "", "", ""]),
                    "",
                    "",
                ]
            )
        measures = []
        if rng.random() < 0.8:
            investment = rng.choice((3000, 2500, 1200, 5000, 800))
            measures.append(
                [
                    household_id,
                    "产业到户补助",
                    investment,
                    "",
                    rng.choice(("合格", "合格", "不合格")),
                    "2023-06-30",
                    "",
                ]
            )
        if rng.random() < 0.2:
            measures.append(
                [
                    household_id,
                    "医疗救助一事一议",
                    rng.choice((25000, 8000, 200000, 14000)),
                    "",
                    "",
                    "2023-09-10",
                    "",
                ]
            )
        if rng.random() < 0.3:
            measures.append(
                [household_id, "公益性岗位", "", rng.choice((6000, 7200, 4800)), "", "2023-12-31", ""]
            )
        if rng.random() < 0.4:
            measures.append(
                [household_id, "低保金", "", rng.choice((3600, 4920, 2400)), "", "2023-12-31", ""]
            )
        yield rows, measures


def households_for(people: int, *, seed: int = 7) -> int:
    """How many households `households` makes (with this seed) before it has made `people` person rows:
    an export "of 100,000 people" has 100,000 of them, a title and a header row."""
    made = 0
    for count, (rows, _) in enumerate(households(10 * people + 1, seed=seed), start=1):
        made += len(rows)
        if made >= people:
            return count
    raise ValueError(people)


def write_inputs(folder: Path, n: int, *, seed: int = 7) -> tuple[Path, Path]:
    """Write 户籍监测名单.xlsx and 帮扶措施台账.xlsx for n households into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    roster_book = Workbook(write_only=True)
    roster_sheet = roster_book.create_sheet("户籍监测名单")
    roster_sheet.append(["黔江区防返贫监测对象信息（系统导出）"])
    roster_sheet.append(ROSTER_HEADER)
    measures_book = Workbook(write_only=True)
    measures_sheet = measures_book.create_sheet("帮扶措施台账")
    measures_sheet.append(MEASURES_HEADER)
    for rows, measures in households(n, seed=seed):
        for row in rows:
            roster_sheet.append(row)
        for row in measures:
            measures_sheet.append(row)
    roster, ledger = folder / "户籍监测名单.xlsx", folder / "帮扶措施台账.xlsx"
    roster_book.save(roster)
    measures_book.save(ledger)
    return roster, ledger


def roster_export(folder: Path, households: int) -> Path:
    """The roster export of `households` households in `folder`, written unless it is there already."""
    roster = folder / "户籍监测名单.xlsx"
    if not roster.exists():
        roster, _ = write_inputs(folder, households)
    return roster
