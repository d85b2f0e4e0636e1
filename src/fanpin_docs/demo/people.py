"""The people of the demo township: villages, households, members, incomes (all fictional).

Everything comes from one `random.Random`, so a seed gives the same township every time. Names,
family shapes, ages, health, labour and incomes follow what a rural roster in south-east Chongqing
looks like; IDs carry a real region code, a birth date that fits the person and a correct GB 11643
check digit. The households themselves are put together in `roster`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from ..idcard import check_digit
from ..models import Income

COUNTY_CODE = "500114"  # 重庆市黔江区
NEIGHBOUR_CODES = ("500242", "500243", "500241", "422826")  # 酉阳、彭水、秀山、湖北咸丰: married in
TOWNSHIP_CODE = "109"
COMMON_SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭罗郑谢宋唐韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈卢姜崔钟谭陆汪范金石廖贾夏付方邹熊秦江尹段雷侯龙史陶黎贺顾毛龚邵万严覃冉向舒简"
MALE_OLD = "德明国华文成贵福富山海林军强平忠发祥荣昌松柏清光学春良云生正永兴全洪开宗元"
MALE_YOUNG = "浩宇轩涛杰俊鹏飞磊超鑫凯旭阳辉博斌星睿晨豪毅航子川宏伟"
FEMALE_OLD = "秀英兰芳珍翠玉梅琼凤素桂菊华莲群芬淑萍琴莉碧清"
FEMALE_YOUNG = "欣怡雨婷佳琪梦雪丽娜静敏倩悦思涵诗雅萱璐晓艳"
MOBILE_PREFIXES = (
    "135",
    "136",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "133",
    "153",
    "177",
    "180",
    "189",
    "199",
)
GROUP_NAMES = ("一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组")
DESTINATIONS = (
    "浙江省宁波市",
    "广东省东莞市",
    "福建省厦门市",
    "重庆市渝北区",
    "江苏省苏州市",
    "广东省深圳市",
    "浙江省温州市",
    "重庆市江北区",
    "上海市",
    "湖北省武汉市",
)
HELPER_UNITS = ("人民政府", "农业服务中心", "社会事务办公室", "财政所", "卫生院", "中心学校")


@dataclass(frozen=True)
class Village:
    number: int
    name: str
    groups: int
    surnames: str  # the big families of the village
    product: str  # what households grow or raise, for the ledger's notes


@dataclass
class DemoPerson:
    name: str
    id_number: str
    relation: str
    sex: str
    birth: dt.date
    health: str = "健康"
    labour: str = "普通劳动力"
    school: str = ""
    phone: str = ""
    migrant_to: str = ""  # where the person works outside the county

    def age(self, on: dt.date) -> int:
        return on.year - self.birth.year - ((on.month, on.day) < (self.birth.month, self.birth.day))


@dataclass(frozen=True)
class DemoHelper:
    name: str
    phone: str
    unit: str


@dataclass
class DemoHousehold:
    household_id: str
    village: Village
    group: str
    members: list[DemoPerson]
    household_type: str = "一般农户"
    category: str = ""
    resolved: bool | None = None
    identified: str = ""
    risks: tuple[str, ...] = ()
    helper: DemoHelper | None = None
    income: Income = field(default_factory=Income)
    story: str = ""

    @property
    def head(self) -> DemoPerson:
        return self.members[0]

    @property
    def monitored(self) -> bool:
        return bool(self.category)

    @property
    def unresolved(self) -> bool:
        return self.monitored and self.resolved is not True

    @property
    def helped(self) -> bool:
        return self.household_type == "脱贫户" or self.monitored

    @property
    def per_capita(self) -> Decimal:
        return self.income.per_capita(len(self.members))


VILLAGES = (
    Village(1, "青山村", 7, "向张李冉", "脆红李"),
    Village(2, "龙潭村", 6, "冉杨田龚", "中蜂"),
    Village(3, "桂花村", 6, "王罗何舒", "高山蔬菜"),
    Village(4, "石板村", 5, "彭陈谢简", "生猪"),
)
VILLAGE_SHARES = (0.3, 0.26, 0.24, 0.2)


class PeopleFactory:
    """Names, IDs and phones that are unique across the township."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def surname(self, village: Village | None = None) -> str:
        if village and self.rng.random() < 0.6:
            return self.rng.choice(village.surnames)
        return self.rng.choice(COMMON_SURNAMES)

    def given_name(self, sex: str, birth_year: int) -> str:
        young = birth_year >= 1985 or (birth_year >= 1972 and self.rng.random() < 0.5)
        pool = (MALE_YOUNG if young else MALE_OLD) if sex == "男" else (FEMALE_YOUNG if young else FEMALE_OLD)
        if self.rng.random() < 0.22:
            return self.rng.choice(pool)
        first, second = self.rng.sample(pool, 2)
        return first + second

    def id_number(self, birth: dt.date, sex: str, region: str = COUNTY_CODE) -> str:
        while True:
            sequence = self.rng.randrange(0, 100) * 10 + self.rng.choice(
                (1, 3, 5, 7, 9) if sex == "男" else (0, 2, 4, 6, 8)
            )
            first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(
        self,
        relation: str,
        sex: str,
        age: int,
        on: dt.date,
        surname: str,
        *,
        region: str = COUNTY_CODE,
        birth: dt.date | None = None,
    ) -> DemoPerson:
        if birth is None:
            birth = dt.date(on.year - age, on.month, min(on.day, 28)) - dt.timedelta(
                days=self.rng.randrange(1, 365)
            )
        name = surname + self.given_name(sex, birth.year)
        return DemoPerson(
            name=name, id_number=self.id_number(birth, sex, region), relation=relation, sex=sex, birth=birth
        )


def _spouse_region(rng: random.Random) -> str:
    return rng.choice(NEIGHBOUR_CODES) if rng.random() < 0.12 else COUNTY_CODE


def compose_family(
    people: PeopleFactory, village: Village, on: dt.date, shape: str, head_birth: dt.date | None = None
) -> list[DemoPerson]:
    """The members of one household, the head first, by family shape."""
    rng = people.rng
    surname = people.surname(village)
    members: list[DemoPerson] = []

    def add(
        relation: str,
        sex: str,
        age: int,
        family_name: str | None = None,
        region: str = COUNTY_CODE,
        birth: dt.date | None = None,
    ) -> DemoPerson:
        person = people.person(
            relation, sex, max(age, 0), on, family_name or surname, region=region, birth=birth
        )
        while any(p.name == person.name for p in members):
            person.name = (family_name or surname) + people.given_name(sex, person.birth.year)
        members.append(person)
        return person

    def children(mother_age: int, relation_son: str, relation_daughter: str, count: int, family: str) -> None:
        for _ in range(count):
            if mother_age < 21:
                return
            sex = rng.choice("男女")
            age = mother_age - rng.randint(21, min(34, mother_age))
            add(relation_son if sex == "男" else relation_daughter, sex, age, family)

    if shape == "elderly_single":
        sex = "女" if rng.random() < 0.6 else "男"
        add("户主", sex, rng.randint(66, 89), people.surname(village) if sex == "女" else surname)
    elif shape == "elderly_couple":
        head = add("户主", "男", rng.randint(60, 84), birth=head_birth)
        add("配偶", "女", max(head.age(on) - rng.randint(-2, 5), 56), people.surname(), _spouse_region(rng))
        if rng.random() < 0.2:  # an unmarried son still at home
            add("之子", "男", rng.randint(28, min(45, head.age(on) - 22)))
    elif shape == "nuclear":
        if rng.random() < 0.1:
            mother = add("户主", "女", rng.randint(34, 56), people.surname(village))
            children(mother.age(on), "之子", "之女", rng.choice((1, 2, 2)), surname)
        else:
            head = add("户主", "男", rng.randint(30, 56))
            wife = add(
                "配偶",
                "女",
                max(head.age(on) - rng.randint(-1, 5), 24),
                people.surname(),
                _spouse_region(rng),
            )
            children(wife.age(on), "之子", "之女", rng.choices((1, 2, 3), (35, 45, 20))[0], surname)
    elif shape == "three_generation":
        head = add("户主", "男", rng.randint(52, 74))
        wife = add(
            "配偶", "女", max(head.age(on) - rng.randint(-1, 5), 48), people.surname(), _spouse_region(rng)
        )
        son = add("之子", "男", wife.age(on) - rng.randint(21, 30))
        if son.age(on) >= 22 and rng.random() < 0.85:
            daughter_in_law = add(
                "之儿媳", "女", son.age(on) - rng.randint(-2, 4), people.surname(), _spouse_region(rng)
            )
            children(daughter_in_law.age(on), "之孙子", "之孙女", rng.choice((1, 1, 2)), surname)
        if rng.random() < 0.2:
            add("之女", "女", rng.randint(18, 25))
    else:  # with_parents
        head = add("户主", "男", rng.randint(32, 52))
        wife = add(
            "配偶", "女", max(head.age(on) - rng.randint(-1, 5), 24), people.surname(), _spouse_region(rng)
        )
        children(wife.age(on), "之子", "之女", rng.choice((1, 2)), surname)
        mother_age = head.age(on) + rng.randint(22, 32)
        if rng.random() < 0.6:
            add("之父", "男", mother_age + rng.randint(0, 4))
        add("之母", "女", mother_age, people.surname())
    return members


FAMILY_SHAPES = ("elderly_couple", "elderly_single", "nuclear", "three_generation", "with_parents")
FAMILY_WEIGHTS = (16, 9, 33, 28, 14)


def assign_health_and_labour(rng: random.Random, person: DemoPerson, on: dt.date) -> None:
    age = person.age(on)
    roll = rng.random()
    if age >= 60:
        person.health = (
            "健康" if roll < 0.6 else "长期慢性病" if roll < 0.9 else "大病" if roll < 0.95 else "残疾"
        )
    else:
        person.health = (
            "健康" if roll < 0.94 else "长期慢性病" if roll < 0.97 else "大病" if roll < 0.98 else "残疾"
        )
    if 3 <= age <= 5:
        person.school = "学前教育"
    elif 6 <= age <= 11:
        person.school = "小学"
    elif 12 <= age <= 14:
        person.school = "初中"
    elif 15 <= age <= 17:
        person.school = "中职" if rng.random() < 0.3 else "高中"
    elif 18 <= age <= 21 and rng.random() < 0.4:
        person.school = rng.choice(("高职", "大专", "本科"))
    if age < 16 or person.school:
        person.labour = "无劳动力"
    elif person.health in ("大病", "残疾"):
        person.labour = "丧失劳动力" if rng.random() < 0.6 else "弱劳动力或半劳动力"
    elif age >= 70:
        person.labour = "无劳动力"
    elif age >= 60 or person.health == "长期慢性病":
        person.labour = "弱劳动力或半劳动力"
    else:
        person.labour = "技能劳动力" if rng.random() < 0.18 else "普通劳动力"


def yearly_income(rng: random.Random, household: DemoHousehold, on: dt.date) -> Income:
    """Last year's income, household-level, in yuan (wage, business, property, transfer, expense)."""
    wage = business = property_income = transfer = expense = Decimal(0)
    for person in household.members:
        age = person.age(on)
        if person.labour in ("普通劳动力", "技能劳动力") and 16 <= age < 60:
            roll = rng.random()
            if roll < 0.6:
                person.migrant_to = rng.choice(DESTINATIONS)
                wage += Decimal(rng.randint(22, 50) * 1000 + (8000 if person.labour == "技能劳动力" else 0))
            elif roll < 0.85:
                wage += Decimal(rng.randint(6, 18) * 1000)
        elif person.labour == "弱劳动力或半劳动力" and age < 70 and rng.random() < 0.4:
            wage += Decimal(rng.randint(20, 80) * 100)
        if age >= 60:
            transfer += Decimal(rng.choice((1620, 1740, 1860, 2040)))  # 城乡居民基础养老金
        if person.health == "残疾":
            transfer += Decimal(1200)  # 困难残疾人生活补贴和重度残疾人护理补贴
    farmers = [
        p for p in household.members if 18 <= p.age(on) <= 75 and p.labour not in ("无劳动力", "丧失劳动力")
    ]
    if farmers and rng.random() < 0.85:
        business = Decimal(rng.randint(30, 220) * 100)
        expense = round_to(business * Decimal(rng.randint(30, 55)) / 100, 10)
    if rng.random() < 0.3:
        property_income = Decimal(rng.randint(2, 15) * 100)  # 土地流转租金、集体经济分红
    if household.household_type == "脱贫户":
        transfer += Decimal(rng.randint(3, 10) * 100)  # 生态护林、到户补助等
    return Income(
        wage=wage,
        business=business,
        property_income=property_income,
        transfer=transfer,
        business_expense=expense,
    )


def round_to(value: Decimal, step: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """`value` to a multiple of `step` yuan (100 → hundreds)."""
    return (value / step).quantize(Decimal(1), rounding=rounding) * step


def fit_income(
    income: Income, size: int, rng: random.Random, low: int, high: int, *, only_raise: bool = False
) -> Income:
    """Move the income so the per-capita figure lands in [low, high) (only up when `only_raise`):
    wages are added, or cut first and then the farm's net, as a household's real year would differ."""
    current = income.per_capita(size)
    if current >= low and (only_raise or current < high):
        return income
    diff = income.net - Decimal(rng.randint(low, high - 1)) * size
    wage, business, expense = income.wage, income.business, income.business_expense
    if diff < 0:
        wage = round_to(wage - diff, 100, ROUND_UP)
    else:
        cut = min(diff, wage)
        wage, diff = round_to(wage - cut, 100, ROUND_DOWN), diff - cut
        farm_net = business - expense
        if diff > 0 and farm_net > 0:
            ratio = max(Decimal(0), 1 - diff / farm_net)
            business, expense = round_to(business * ratio, 10), round_to(expense * ratio, 10)
    return Income(wage, business, income.property_income, income.transfer, expense)
