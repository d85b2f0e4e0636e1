"""The demo township's ledgers: measures received, training classes, projects (all fictional).

Rows are dicts keyed by the canonical column names of `input_workbooks`. Rule names come from the
policy, so the amounts the documents print are computed by the policy's rules; items the policy
does not compute (公益性岗位, 跨区域交通补贴, 低保金, 雨露计划) carry their given amount.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .demo_people import DemoHousehold, DemoPerson, PeopleFactory
from .policy import Policy

PRODUCTS = {
    "脆红李": ("种植脆红李 {n} 亩", 2, 6),
    "中蜂": ("养殖中蜂 {n} 桶", 8, 30),
    "高山蔬菜": ("种植高山蔬菜 {n} 亩", 2, 8),
    "生猪": ("养殖生猪 {n} 头", 3, 12),
}
PUBLIC_POSTS = ("村级保洁员", "生态护林员", "农村公路养护员", "河道巡查员", "公益设施管护员")
BANKS = (("重庆农村商业银行", "623190"), ("中国邮政储蓄银行", "621799"))
EDUCATION_ITEM = "雨露计划"
LIVELIHOOD_ITEM = "低保金"


@dataclass(frozen=True)
class RuleNames:
    """The names the ledgers use, taken from the policy where it has the rule."""

    industry: str
    medical: str
    transport: str
    public_job: str

    @classmethod
    def of(cls, policy: Policy) -> RuleNames:
        rules = (
            policy.rule_for("industry"),
            policy.rule_for("medical"),
            policy.rule("跨区域交通补贴"),
            policy.rule("公益性岗位"),
        )
        fallbacks = ("产业到户补助", "医疗救助一事一议", "跨区域交通补贴", "公益性岗位")
        return cls(
            *(rule.name if rule else fallback for rule, fallback in zip(rules, fallbacks, strict=True))
        )


def _day(rng: random.Random, year: int, first_month: int, last_month: int) -> dt.date:
    return dt.date(year, rng.randint(first_month, last_month), rng.randint(1, 28))


def _yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100


# --- measures ledger --------------------------------------------------------------------------


def measure_rows(
    rng: random.Random, households: list[DemoHousehold], names: RuleNames, year: int, monitoring_line: Decimal
) -> list[dict]:
    """One row per item a household received in the year, grouped by household as offices keep it."""
    rows: list[tuple[int, dt.date, dict]] = []
    industry_count = 0
    for index, household in enumerate(households):

        def add(
            name: str, on: dt.date, h: DemoHousehold = household, i: int = index, **values: object
        ) -> None:
            rows.append(
                (
                    i,
                    on,
                    {
                        "户编号": h.household_id,
                        "户主姓名": h.head.name,
                        "措施名称": name,
                        "落实日期": on,
                        **values,
                    },
                )
            )

        farm = household.income.business > 0
        if household.helped and farm and rng.random() < (0.75 if household.monitored else 0.3):
            industry_count += 1
            template, low, high = PRODUCTS[household.village.product]
            investment = Decimal({1: 3500, 2: 1500}.get(industry_count, rng.randint(8, 50) * 100))
            accepted = "不合格" if industry_count == 3 or rng.random() < 0.04 else "合格"
            add(
                names.industry,
                _day(rng, year, 9, 11),
                计算基数=investment,
                验收结果=accepted,
                备注=template.format(n=rng.randint(low, high))
                + ("，验收时未达到标准" if accepted == "不合格" else ""),
            )
        medical = {"large_medical_bill": 18365040, "small_medical_bill": 860000}.get(household.story)
        if medical is None and household.monitored and "因病" in household.risks:
            medical = rng.randint(1050000, 4800000)
        if medical is not None:
            add(
                names.medical,
                _day(rng, year, 4, 11),
                计算基数=_yuan(medical),
                备注=f"住院 {rng.randint(1, 4)} 次，经基本医保、大病保险、医疗救助后的政策范围内自付费用",
            )
        weak = [
            p
            for p in household.members
            if p.labour == "弱劳动力或半劳动力" and 40 <= p.age(dt.date(year, 1, 1)) <= 65
        ]
        if household.helped and weak and rng.random() < 0.35:
            monthly, months = rng.choice((500, 600, 800)), rng.choice((6, 10, 12))
            add(
                names.public_job,
                dt.date(year, 12, 20),
                金额=Decimal(monthly * months),
                备注=f"{weak[0].name}：{rng.choice(PUBLIC_POSTS)}，每月 {monthly} 元 × {months} 个月",
            )
        migrants = [p for p in household.members if p.migrant_to]
        if household.helped and migrants and rng.random() < 0.35:
            amount = sum(500 if p.migrant_to.startswith("重庆") else 1000 for p in migrants)
            add(
                names.transport,
                _day(rng, year, 3, 7),
                金额=Decimal(amount),
                备注="；".join(f"{p.name} 在{p.migrant_to}务工" for p in migrants),
            )
        if household.unresolved and household.per_capita < monitoring_line:
            monthly = rng.randint(25, 60) * 10
            add(
                LIVELIHOOD_ITEM,
                dt.date(year, 12, 25),
                金额=Decimal(monthly * 12),
                备注=f"农村低保，每月 {monthly} 元",
            )
        for student in (p for p in household.members if p.school in ("中职", "高职", "大专")):
            if household.helped:
                add(
                    EDUCATION_ITEM,
                    _day(rng, year, 10, 11),
                    金额=Decimal(3000),
                    备注=f"{student.name} 就读{student.school}",
                )
    rows.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in rows]


# --- training ---------------------------------------------------------------------------------


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


# --- projects ---------------------------------------------------------------------------------


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

    def part_of(village, share: float) -> dict:  # type: ignore[no-untyped-def]
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

    def with_detail(name: str, village, share: float) -> dict:  # type: ignore[no-untyped-def]
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
