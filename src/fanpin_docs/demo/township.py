"""`fanpin demo`: a synthetic but realistic township, as a workspace ready for every command.

`build_township()` draws the township from a fixed seed (people in `people` and `roster`, ledgers
in `measures`, `training` and `projects`); `write_inputs()` writes its four input workbooks in the
shape of `fanpin init`; `build_demo_workspace()` adds fanpin.toml and the templates and policies. All
names, IDs, phones and card numbers are fictional (the IDs are valid in form only).
`write_sample_data()` makes the small sample inputs in the repository's `data/` from the same
generator. The demo never overwrites a file that is not its own (`placement`).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..constants import DEMO_HOUSEHOLDS
from ..output import normalize_office_zip, write_atomic
from ..policy import Policy, describe_standard, load_policy
from ..settings import SETTINGS_FILE, SettingsFile
from ..workspace import (
    POLICIES_DIR,
    TEMPLATES_DIR,
    InitResult,
    default_files,
    measure_names,
    render_settings,
)
from ..workspace.layout import (
    CLASSES,
    INPUT_FILES,
    MEASURES,
    PROJECTS,
    ROSTER,
    SUBSIDIES,
    TRAINEES,
    build_workbook,
)
from .measures import RuleNames, measure_rows
from .people import DemoHousehold, PeopleFactory
from .placement import check_folder, place_files
from .projects import project_rows
from .roster import generate_roster
from .training import training_rows

DEMO_SEED = 2023
DEMO_POLICY = "qianjiang-2023"
DEMO_TOWNSHIP = "青山镇"
SAMPLE_HOUSEHOLDS = 60
DEMO_MARK = "# 演示工作区"
DEMO_HEADER = (
    f"{DEMO_MARK}（由 fanpin demo 生成，人物、身份证号、电话、银行卡号均为虚构）\n"
    "# 重新运行 fanpin demo 会重写本文件、输入工作簿和模板、政策文件的副本（改过的不会重写，演示会停下并列出）。\n"
)


@dataclass
class DemoTownship:
    """One generated township: its people and the rows of its four workbooks."""

    township: str
    county: str  # as the policy names it, e.g. 重庆市黔江区
    year: int
    policy: Policy
    households: list[DemoHousehold]
    measures: list[dict]
    classes: list[dict]
    trainees: list[dict]
    projects: list[dict]
    subsidies: list[dict]
    officials: dict[str, str] = field(default_factory=dict)

    @property
    def county_short(self) -> str:
        return self.county.removeprefix(self.policy.province) if self.policy.province else self.county

    def roster_rows(self) -> list[dict]:
        rows = []
        lowercase_done = False
        for household in self.households:
            shared: dict[str, object] = {
                "户编号": household.household_id,
                "县(市、区、旗)": self.county_short,
                "乡(镇)": self.township,
                "行政村": household.village.name,
                "自然村": household.group,
                "户类型": household.household_type,
                "监测对象类别": household.category,
                "风险是否已消除": "" if not household.category else "是" if household.resolved else "否",
                "识别监测时间": household.identified,
                **{f"致贫返贫风险{i}": risk for i, risk in enumerate(household.risks, start=1)},
            }
            for person in household.members:
                id_number = person.id_number
                if id_number.endswith("X") and not lowercase_done:  # typed with a lowercase x, as it happens
                    id_number, lowercase_done = id_number[:-1] + "x", True
                row = {
                    **shared,
                    "姓名": person.name,
                    "证件号码": id_number,
                    "与户主关系": person.relation,
                    "健康状况": person.health,
                    "劳动技能": person.labour,
                    "在校生状况": person.school,
                    "联系电话": person.phone,
                }
                if person is household.head:
                    income = household.income
                    row |= {
                        "人数": len(household.members),
                        "工资性收入": income.wage,
                        "生产经营性收入": income.business,
                        "财产性收入": income.property_income,
                        "转移性收入": income.transfer,
                        "生产经营性支出": income.business_expense,
                        "家庭纯收入": income.net,
                        "人均纯收入": household.per_capita,
                        # the previous calendar year, written as YYYYMM-YYYYMM as exports often do
                        "收入计算期间": f"{self.year - 1}01-{self.year - 1}12",
                    }
                    if household.helper:
                        row |= {
                            "帮扶联系人": household.helper.name,
                            "帮扶联系人电话": household.helper.phone,
                            "帮扶联系人单位": household.helper.unit,
                        }
                rows.append(row)
        return rows

    def workbooks(self) -> dict[str, dict[str, list[dict]]]:
        return {
            "roster": {ROSTER.name: self.roster_rows()},
            "measures": {MEASURES.name: self.measures},
            "training": {TRAINEES.name: self.trainees, CLASSES.name: self.classes},
            "projects": {PROJECTS.name: self.projects, SUBSIDIES.name: self.subsidies},
        }

    def titles(self) -> dict[str, dict[str, str]]:
        note = "（演示数据，人物均为虚构）"
        return {
            "roster": {ROSTER.name: f"{self.county_short}{self.township}{self.year}年防返贫监测信息{note}"},
            "measures": {MEASURES.name: f"{self.township}{self.year}年帮扶措施落实台账{note}"},
            "training": {TRAINEES.name: f"{self.township}{self.year}年技能培训考勤登记表{note}"},
            "projects": {
                PROJECTS.name: f"{self.township}{self.year}年巩固拓展脱贫攻坚成果和乡村振兴项目申报表{note}"
            },
        }

    def linked_funds(self) -> Decimal:
        return sum(
            (p["中央衔接资金"] + p["市级衔接资金"] + p["区县级衔接资金"] for p in self.projects), Decimal(0)
        )


def build_township(
    *,
    seed: int = DEMO_SEED,
    households: int = DEMO_HOUSEHOLDS,
    policy: str = DEMO_POLICY,
    township: str = DEMO_TOWNSHIP,
) -> DemoTownship:
    """The township drawn from `seed`: the same arguments always give the same township."""
    loaded = load_policy(policy)
    rng = random.Random(seed)
    year = loaded.year
    line = loaded.monitoring_line
    roster = generate_roster(rng, township=township, year=year, count=households, monitoring_line=line)
    names = RuleNames.of(loaded)
    measures = measure_rows(rng, roster, names, year, line)
    county_short = loaded.county.removeprefix(loaded.province) if loaded.province else loaded.county
    classes, trainees = training_rows(rng, roster, year, township, county_short)
    industry = loaded.rule_for("industry")
    people = PeopleFactory(rng)
    projects, subsidies = project_rows(
        rng, people, roster, measures, names, describe_standard(industry) if industry else "", year, township
    )
    officials = {
        role: people.person(
            "", rng.choice("男女"), rng.randint(30, 55), dt.date(year, 1, 1), people.surname()
        ).name
        for role in ("prepared_by", "reviewed_by", "responsible")
    }
    return DemoTownship(
        township,
        loaded.county,
        year,
        loaded,
        roster,
        measures,
        classes,
        trainees,
        projects,
        subsidies,
        officials,
    )


def demo_settings(township: DemoTownship) -> SettingsFile:
    year = township.year
    allocation = Decimal(math.ceil(township.linked_funds() / 100000) * 100000)
    body = f"{township.township}人民政府"
    officials = township.officials
    return SettingsFile.model_validate(
        {
            "township": {
                "county": township.county,
                "township": township.township,
                "year": year,
                "policy": township.policy.key,
            },
            "documents": {
                "issuing_body": body,
                "document_number": f"{township.township[:2]}府发〔{year}〕12号",
                "signatory": body,
                **officials,
                "contact": f"{township.township}乡村振兴办 {officials['prepared_by']} 023-79225186",
            },
            "funds": {"allocation": allocation},
            "inputs": dict(INPUT_FILES),
            "calendar": {"publicity_days": 5},  # holidays: the official calendar (chinese-calendar)
        }
    )


def input_bytes(township: DemoTownship) -> dict[str, bytes]:
    """The four workbooks by kind (roster, measures, …), byte-identical for the same township."""
    timestamp = f"{township.year}-04-01T00:00:00Z"
    titles = township.titles()
    choices = {"措施名称": measure_names(township.policy)}
    books = {}
    for kind, rows in township.workbooks().items():
        book = build_workbook(kind, rows, titles=titles.get(kind), choices=choices)
        buffer = io.BytesIO()
        book.save(buffer)
        books[kind] = normalize_office_zip(buffer.getvalue(), timestamp)
    return books


def write_inputs(township: DemoTownship, folder: Path) -> dict[str, Path]:
    """The four workbooks written into `folder` (atomically)."""
    written = {}
    for kind, data in input_bytes(township).items():
        written[kind] = folder / INPUT_FILES[kind]
        write_atomic(written[kind], data)
    return written


def demo_files(township: DemoTownship) -> dict[str, bytes]:
    """Every file of the demo workspace by its path in the folder: fanpin.toml, the four input
    workbooks, and the copies of the shipped templates and policies."""
    settings = render_settings(demo_settings(township), header=DEMO_HEADER).encode("utf-8")
    inputs = {INPUT_FILES[kind]: data for kind, data in input_bytes(township).items()}
    return {SETTINGS_FILE: settings, **inputs, **dict(default_files())}


@dataclass
class DemoWorkspace:
    root: Path
    township: DemoTownship
    inputs: dict[str, Path]
    copies: InitResult


def build_demo_workspace(
    folder: Path, *, force: bool = False, seed: int = DEMO_SEED, households: int = DEMO_HOUSEHOLDS
) -> DemoWorkspace:
    """The demo township as a workspace in `folder`: a new or empty folder, or a previous demo
    workspace; any other folder only with `force`. Raises SettingsError, writing nothing, when the
    folder is refused or when a file the demo would write is already there and is not the demo's own
    (not even with `force`)."""
    check_folder(folder, mark=DEMO_MARK, force=force)
    township = build_township(seed=seed, households=households)
    written = place_files(folder, demo_files(township), mark=DEMO_MARK)
    inputs = {kind: folder / name for kind, name in INPUT_FILES.items()}
    copied = [p for p in written if p.relative_to(folder).parts[0] in (TEMPLATES_DIR, POLICIES_DIR)]
    copies = InitResult(root=folder, written=copied)
    return DemoWorkspace(folder, township, inputs, copies)


def write_sample_data(
    folder: Path, *, households: int = SAMPLE_HOUSEHOLDS, seed: int = DEMO_SEED
) -> dict[str, Path]:
    """The small sample inputs kept in the repository's data/ folder."""
    return write_inputs(build_township(seed=seed, households=households), folder)
