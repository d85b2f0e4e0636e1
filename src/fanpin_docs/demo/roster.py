"""The demo township's roster: households in villages, planted stories, helpers, incomes (all fictional).

The first households of the first village carry set stories (a 63-year-old trainee, a large and a
small medical bill, households under the monitoring line, …) so every document shows those cases,
whatever the size of the township; the rest are drawn at random.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from .people import (
    COUNTY_CODE,
    FAMILY_SHAPES,
    FAMILY_WEIGHTS,
    GROUP_NAMES,
    HELPER_UNITS,
    TOWNSHIP_CODE,
    VILLAGE_SHARES,
    VILLAGES,
    DemoHelper,
    DemoHousehold,
    DemoPerson,
    PeopleFactory,
    Village,
    assign_health_and_labour,
    compose_family,
    fit_income,
    yearly_income,
)

# --- the roster -------------------------------------------------------------------------------

STORIES = {  # planted at the start of the first village: shape, type, category, resolved, risks
    "trainee_aged_63": ("elderly_couple", "脱贫户", "", None, ()),
    "large_medical_bill": ("three_generation", "脱贫户", "脱贫不稳定户", False, ("因病",)),
    "small_medical_bill": ("nuclear", "一般农户", "边缘易致贫户", False, ("因病", "缺劳动力")),
    "sudden_hardship": ("with_parents", "一般农户", "突发严重困难户", True, ("因意外事故",)),
    "under_the_line": ("nuclear", "一般农户", "", None, ()),
    "under_the_line_too": ("elderly_couple", "一般农户", "", None, ()),
}
OTHER_RISKS = ("因意外事故", "因自然灾害", "因务工就业不稳", "因产业项目失败", "因安全住房")


def generate_roster(
    rng: random.Random, *, township: str, year: int, count: int, monitoring_line: Decimal
) -> list[DemoHousehold]:
    """`count` households spread over the villages, the planted stories first."""
    on = dt.date(year, 3, 31)  # the roster is the end-of-March export
    people = PeopleFactory(rng)
    helpers = {v.name: _helpers(people, township, v, on) for v in VILLAGES}
    sizes = [max(1, round(count * share)) for share in VILLAGE_SHARES]
    sizes[0] += count - sum(sizes)
    stories = list(STORIES)
    households: list[DemoHousehold] = []
    for village, size in zip(VILLAGES, sizes, strict=True):
        for sequence in range(1, size + 1):
            story = stories.pop(0) if stories else ""
            household = _household(people, village, sequence, on, story)
            pool = helpers[village.name]  # every household has a cadre as its 帮扶联系人 (seed 000)
            household.helper = pool[(sequence - 1) * len(pool) // size]
            _set_income(rng, household, on, monitoring_line)
            households.append(household)
    return households


def _helpers(people: PeopleFactory, township: str, village: Village, on: dt.date) -> list[DemoHelper]:
    rng = people.rng
    units = [f"{township}{unit}" for unit in HELPER_UNITS] + ["区农业农村委驻村工作队"]
    chosen = []
    for index in range(6):
        sex = "男" if rng.random() < 0.6 else "女"
        person = people.person("", sex, rng.randint(26, 55), on, people.surname())
        chosen.append(DemoHelper(person.name, people.phone(), units[(village.number + index) % len(units)]))
    return chosen


def _household(
    people: PeopleFactory, village: Village, sequence: int, on: dt.date, story: str
) -> DemoHousehold:
    rng = people.rng
    if story:
        shape, household_type, category, resolved, risks = STORIES[story]
    else:
        shape = rng.choices(FAMILY_SHAPES, FAMILY_WEIGHTS)[0]
        household_type = "脱贫户" if rng.random() < 0.33 else "一般农户"
        category, resolved, risks = "", None, ()
        if household_type == "脱贫户" and rng.random() < 0.16:
            category = "脱贫不稳定户"
        elif household_type == "一般农户" and rng.random() < 0.06:
            category = "边缘易致贫户" if rng.random() < 0.75 else "突发严重困难户"
        if category:
            resolved = rng.random() < 0.4
    head_birth = dt.date(on.year - 64, 11, 16) if story == "trainee_aged_63" else None
    members = compose_family(people, village, on, shape, head_birth)
    for person in members:
        assign_health_and_labour(rng, person, on)
    _apply_story(story, members)
    _give_phones(people, members, on)
    household = DemoHousehold(
        household_id=f"{COUNTY_CODE}{TOWNSHIP_CODE}{village.number:03d}{sequence:04d}",
        village=village,
        group=GROUP_NAMES[rng.randrange(village.groups)],
        members=members,
        household_type=household_type,
        category=category,
        resolved=resolved,
        story=story,
    )
    if category:
        household.risks = risks or _risks(rng, members)
        household.identified = _identified(rng, on, resolved is True)
    return household


def _apply_story(story: str, members: list[DemoPerson]) -> None:
    head = members[0]
    if story == "trainee_aged_63":
        head.health, head.labour = "健康", "普通劳动力"
    elif story == "large_medical_bill":
        members[1].health, members[1].labour = "大病", "丧失劳动力"
    elif story == "small_medical_bill":
        head.health, head.labour = "长期慢性病", "弱劳动力或半劳动力"


def _give_phones(people: PeopleFactory, members: list[DemoPerson], on: dt.date) -> None:
    rng = people.rng
    for index, person in enumerate(members):
        age = person.age(on)
        chance = (0.7 if age >= 70 else 0.95) if index == 0 else 0.5 if 18 <= age <= 65 else 0.0
        if rng.random() < chance:
            person.phone = people.phone()


def _risks(rng: random.Random, members: list[DemoPerson]) -> tuple[str, ...]:
    options: list[str] = list(OTHER_RISKS)
    if any(p.health in ("大病", "长期慢性病") for p in members):
        options += ["因病"] * 4
    if any(p.health == "残疾" for p in members):
        options += ["因残"] * 4
    if any(p.school in ("高中", "中职", "高职", "大专", "本科") for p in members):
        options += ["因学"] * 2
    if not any(p.labour in ("普通劳动力", "技能劳动力") for p in members):
        options += ["缺劳动力"] * 4
    first = rng.choice(options)
    if rng.random() < 0.3:
        second = rng.choice([o for o in options if o != first])
        return first, second
    return (first,)


def _identified(rng: random.Random, on: dt.date, resolved: bool) -> str:
    months = 24 if resolved else 12
    back = rng.randint(1, months) + (11 if resolved else 0)
    total = on.year * 12 + on.month - 1 - back
    return f"{total // 12}{total % 12 + 1:02d}"


def _set_income(rng: random.Random, household: DemoHousehold, on: dt.date, line: Decimal) -> None:
    income = yearly_income(rng, household, on)
    size = len(household.members)

    def share(factor: str) -> int:
        return int(line * Decimal(factor))

    if household.story.startswith("under_the_line"):
        income = fit_income(income, size, rng, share("0.86"), share("0.98"))
    elif household.unresolved:
        income = fit_income(income, size, rng, share("0.6"), share("1.3"))
    elif household.monitored:
        income = fit_income(income, size, rng, share("1.17"), share("1.85"))
    elif household.household_type == "脱贫户":
        income = fit_income(income, size, rng, share("1.15"), share("1.65"), only_raise=True)
    else:
        income = fit_income(income, size, rng, share("1.2"), share("2.0"), only_raise=True)
    household.income = income
