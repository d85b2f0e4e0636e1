"""The demo township's projects ledger: the April filing and the 到户明细 of its industry projects.

Rows are dicts keyed by the canonical column names of `fanpin_docs.workspace.layout`; the employment
and education projects add up what the measures ledger paid (all fictional).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from .measures import EDUCATION_ITEM, RuleNames
from .people import DemoHousehold, PeopleFactory


def project_rows(
    rng: random.Random,
    people: PeopleFactory,
    households: list[DemoHousehold],
    measures: list[dict],
    names: RuleNames,
    standard: str,
    year: int,
    township: str,
) -> tuple[list[dict], list[dict]]:
    """A dozen projects for the April filing, and the 到户明细 of the two industry projects."""
    by_id = {h.household_id: h for h in households}
    villages = list(dict.fromkeys(h.village for h in households))
    ledger = {
        name: [r for r in measures if r["措施名称"] == name]
        for name in (names.industry, names.transport, names.public_job, EDUCATION_ITEM)
    }

    def total(name: str) -> Decimal:
        return sum((r["金额"] for r in ledger[name]), Decimal(0))

    def served(rows: list[dict] | list[DemoHousehold]) -> dict:
        group = [r if isinstance(r, DemoHousehold) else by_id[r["户编号"]] for r in rows]
        group = list({h.household_id: h for h in group}.values())
        return {
            "受益户数": len(group),
            "受益脱贫户数": sum(h.household_type == "脱贫户" for h in group),
            "受益监测户数": sum(h.monitored for h in group),
            "受益人口": sum(len(h.members) for h in group),
        }

    def part_of(village, share: float) -> dict:
        living = [h for h in households if h.village == village]
        return served(rng.sample(living, max(1, round(len(living) * share))))

    subsidies: list[dict] = []
    details: dict[str, list[dict]] = {}
    for village, title in (
        (villages[0], "精品脆红李提质增效项目"),
        (villages[1 % len(villages)], "中蜂养殖产业到户项目"),
    ):
        name = f"{village.name}{year}年{title}"
        rows = [r for r in ledger[names.industry] if by_id[r["户编号"]].village == village]
        details[name] = rows
        subsidies += [
            {
                "项目名称": name,
                "户编号": r["户编号"],
                "户主姓名": r["户主姓名"],
                "投入金额": r["计算基数"],
                "验收结果": r["验收结果"],
            }
            for r in rows
        ]

    def with_detail(name: str, village, share: float) -> dict:
        living = [h for h in households if h.village == village]
        extra = rng.sample(living, max(1, round(len(living) * share)))
        return served([by_id[r["户编号"]] for r in details[name]] + extra)

    v = [villages[i % len(villages)] for i in range(4)]
    linkage = "“合作社+农户”模式：优先吸纳脱贫户、监测户务工，保底价订单收购产品，带动增收"
    specs: list[tuple[Any, ...]] = [
        (
            f"{v[0].name}{year}年精品脆红李提质增效项目",
            "产业发展",
            "扩建",
            v[0],
            "改造提升脆红李园 320 亩，配套生产便道 1.2 公里、蓄水池 2 口",
            standard,
            (320000, 80000, 50000, 65000),
            linkage,
            "改造李园 320 亩",
            "受益户户均增收 1500 元以上",
            with_detail(f"{v[0].name}{year}年精品脆红李提质增效项目", v[0], 0.2),
        ),
        (
            f"{v[1].name}{year}年中蜂养殖产业到户项目",
            "产业发展",
            "新建",
            v[1],
            "发展中蜂养殖 600 桶，建设蜂蜜初加工车间 1 处",
            standard,
            (150000, 40000, 20000, 38000),
            "“村集体经济组织+农户”模式：统一提供蜂种和技术服务，统一收购销售蜂蜜",
            "新增中蜂 600 桶",
            "受益户户均增收 1200 元以上",
            with_detail(f"{v[1].name}{year}年中蜂养殖产业到户项目", v[1], 0.1),
        ),
        (
            f"{v[2].name}{year}年高山蔬菜保供基地建设项目",
            "产业发展",
            "新建",
            v[2],
            "建设高山蔬菜基地 260 亩，配套喷灌设施 1 套",
            "按实际建设内容据实补助",
            (260000, 60000, 40000, 100000),
            "",
            "建成蔬菜基地 260 亩",
            "年产蔬菜 800 吨",
            part_of(v[2], 0.25),
        ),
        (
            f"{v[3].name}{year}年产业路硬化项目",
            "乡村建设行动",
            "新建",
            v[3],
            "硬化产业路 2.6 公里，路面宽 4.5 米，C25 混凝土",
            "据实结算",
            (0, 380000, 120000, 0),
            "项目建设优先聘用本村脱贫户、监测户务工",
            "硬化道路 2.6 公里",
            "解决 3 个组群众出行和农产品运输",
            part_of(v[3], 0.6),
        ),
        (
            f"{v[1].name}{year}年人饮管网改造项目",
            "巩固三保障成果",
            "改建",
            v[1],
            "更换供水主管 3.2 公里、入户支管 4.5 公里，新建 100 立方米蓄水池 1 口",
            "据实结算",
            (100000, 0, 180000, 0),
            "工程务工优先聘用脱贫户、监测户",
            "改造管网 7.7 公里",
            "稳定解决群众安全饮水",
            part_of(v[1], 0.7),
        ),
        (
            f"{v[3].name}{year}年便民桥新建项目",
            "乡村建设行动",
            "新建",
            v[3],
            "新建钢筋混凝土便民桥 1 座，长 24 米、宽 4.5 米",
            "据实结算",
            (200000, 50000, 0, 0),
            "务工优先聘用本村脱贫户、监测户",
            "新建便民桥 1 座",
            "解决两个组群众过河难",
            part_of(v[3], 0.4),
        ),
        (
            f"{v[2].name}{year}年农产品冷链仓储设施建设项目",
            "产业发展",
            "新建",
            v[2],
            "新建冷藏库 500 立方米及分拣车间 300 平方米",
            "按实际建设内容据实补助",
            (300000, 50000, 50000, 120000),
            "资产归村集体所有，年收益的 30% 用于脱贫户、监测户分红",
            "新建冷库 500 立方米",
            "村集体经济年增收 5 万元以上",
            part_of(v[2], 0.3),
        ),
        (
            f"{township}{year}年跨区域务工交通补助",
            "就业项目",
            "新建",
            None,
            "对外出务工的脱贫人口、监测对象发放跨区域交通补贴",
            "市内跨区 500 元/人，跨省 1000 元/人",
            (0, 0, int(total(names.transport)), 0),
            "直接补助到人，鼓励稳定外出就业",
            "补助务工人员交通费",
            "稳定脱贫人口务工就业",
            served(ledger[names.transport]),
        ),
        (
            f"{township}{year}年乡村公益性岗位补助",
            "就业项目",
            "新建",
            None,
            "开发村级保洁、护林、道路养护等公益性岗位，安置弱劳动力、半劳动力",
            "每月 500–800 元",
            (int(total(names.public_job)), 0, 0, 0),
            "岗位优先安置有劳动能力但无法外出的脱贫人口、监测对象",
            "开发公益性岗位",
            "受益户人均增收 1000 元以上",
            served(ledger[names.public_job]),
        ),
        (
            f"{township}{year}年雨露计划职业教育补助",
            "巩固三保障成果",
            "新建",
            None,
            "对脱贫家庭、监测家庭就读中职、高职的学生给予补助",
            "每生每年 3000 元",
            (int(total(EDUCATION_ITEM)), 0, 0, 0),
            "直接补助到学生家庭",
            "补助学生",
            "减轻家庭教育负担",
            served(ledger[EDUCATION_ITEM]),
        ),
        (
            f"{township}{year}年脱贫人口小额信贷贴息",
            "产业发展",
            "续建",
            None,
            "对脱贫户、监测户发展产业的小额信贷予以贴息",
            "按贷款基础利率全额贴息",
            (0, 0, 82800, 0),
            "支持脱贫户、监测户发展产业增收",
            "贴息贷款 240 万元",
            "带动贷款户发展产业增收",
            served(
                rng.sample([h for h in households if h.helped], min(48, sum(h.helped for h in households)))
            ),
        ),
        (
            f"{v[0].name}{year}年农村生活垃圾收运设施改造项目",
            "乡村建设行动",
            "改建",
            v[0],
            "新建垃圾收集房 12 座，配置分类垃圾桶 300 个",
            "据实结算",
            (90000, 0, 30000, 0),
            "聘用脱贫人口担任保洁员",
            "新建垃圾收集房 12 座",
            "改善村容村貌",
            part_of(v[0], 0.8),
        ),
    ]
    projects = []
    for index, (
        name,
        kind,
        nature,
        village,
        content,
        rule,
        funds,
        link,
        output,
        benefit,
        counts,
    ) in enumerate(specs):
        central, city, county, other = (Decimal(x) for x in funds)
        manager = people.person(
            "", rng.choice("男女"), rng.randint(30, 52), dt.date(year, 4, 1), people.surname()
        )
        start = dt.date(year, 5, 1) + dt.timedelta(days=rng.randint(3, 40))
        late = index == 3  # a review finding: ends after the implementation deadline
        end = dt.date(year, 10, 31) if late else dt.date(year, rng.choice((7, 8)), rng.randint(10, 31))
        projects.append(
            {
                "项目名称": name,
                "项目类型": kind,
                "建设性质": nature,
                "乡(镇)": township,
                "行政村": village.name if village else "各行政村",
                "建设内容及规模": content,
                "补助标准": rule,
                "中央衔接资金": central,
                "市级衔接资金": city,
                "区县级衔接资金": county,
                "其他资金": other,
                "总投资": central + city + county + other,
                **counts,
                "联农带农机制": link,
                "产出指标": output,
                "效益指标": benefit,
                "满意度指标": "受益群众满意度≥90%",
                "开工时间": start,
                "完工时间": end,
                "责任单位": f"{township}人民政府" if village else f"{township}社会事务办公室",
                "项目负责人": manager.name,
                "联系电话": people.phone(),
                "申报单位": f"{village.name}村民委员会" if village else f"{township}人民政府",
                "申报日期": dt.date(year, 4, rng.randint(6, 26)),
            }
        )
    return projects, subsidies
