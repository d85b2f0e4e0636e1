"""Project workbooks built in code for the project-filing tests, and the reader's handling of funds.

`project_row(...)` gives one clean project (it passes every check under qianjiang-2023: filed by
30 April 2023, finished by 31 August 2023); keyword arguments break one field at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from fanpin_docs.readers import load_projects
from helpers import write_xlsx

PROJECT_HEADER = [
    "项目名称",
    "项目类型",
    "建设性质",
    "乡(镇)",
    "行政村",
    "建设内容及规模",
    "补助标准",
    "中央衔接资金",
    "市级衔接资金",
    "区县级衔接资金",
    "其他资金",
    "总投资",
    "受益户数",
    "受益脱贫户数",
    "受益监测户数",
    "受益人口",
    "联农带农机制",
    "产出指标",
    "效益指标",
    "满意度指标",
    "开工时间",
    "完工时间",
    "责任单位",
    "项目负责人",
    "联系电话",
    "申报单位",
    "申报日期",
]
DETAIL_HEADER = ["项目名称", "户编号", "户主姓名", "投入金额", "验收结果"]
CLEAN = {
    "项目类型": "产业发展",
    "建设性质": "新建",
    "乡(镇)": "城东街道",
    "行政村": "红岩村",
    "建设内容及规模": "新建柑橘标准化种植基地200亩，配套水肥一体化设施1套",
    "补助标准": "按农户投入的80%以奖代补，每户最高2000元",
    "中央衔接资金": 300000,
    "市级衔接资金": 100000,
    "区县级衔接资金": 50000,
    "其他资金": 50000,
    "总投资": 500000,
    "受益户数": 120,
    "受益脱贫户数": 45,
    "受益监测户数": 6,
    "受益人口": 410,
    "联农带农机制": "务工带动：优先聘用脱贫户和监测户；订单收购：合作社保底价收购",
    "产出指标": "新建基地200亩，验收合格率100%",
    "效益指标": "带动120户增收，户均增收1500元",
    "满意度指标": "受益群众满意度≥95%",
    "开工时间": "2023-05-01",
    "完工时间": "2023-08-31",
    "责任单位": "城东街道农业服务中心",
    "项目负责人": "李明",
    "联系电话": "13812345678",
    "申报单位": "城东街道办事处",
    "申报日期": "2023-04-20",
}

# the done-when set: one clean project and five that each break one rule, with the rule they break
SIX = (
    ("红岩村柑橘产业园", {}, None),
    ("青杠村蜂蜜加工坊", {"申报日期": "2023-05-06"}, "filing_deadline"),
    ("石桥村生猪代养场", {"联农带农机制": ""}, "linkage"),
    ("大田村冷链仓储", {"总投资": 520000}, "funds_add_up"),
    ("新民村茶叶基地", {"受益户数": 30, "受益脱贫户数": 45}, "beneficiaries"),
    ("白岩村产业路", {"完工时间": "2023-09-15"}, "implementation_deadline"),
)


def project_row(name: str, **changes: object) -> list[object]:
    values = {**CLEAN, "项目名称": name, **changes}
    return [values.get(header) for header in PROJECT_HEADER]


def write_projects(
    path: Path, rows: Sequence[Sequence[object]], details: Sequence[Sequence[object]] | None = None
) -> Path:
    extra = {"到户明细": [DETAIL_HEADER, *details]} if details is not None else None
    return write_xlsx(
        path, [["城东街道2023年项目申报"], PROJECT_HEADER, *rows], sheet="项目申报", extra_sheets=extra
    )


def write_six(path: Path, details: Sequence[Sequence[object]] | None = None) -> Path:
    return write_projects(path, [project_row(name, **changes) for name, changes, _ in SIX], details)


def test_clean_row_reads_back_with_its_funds(tmp_path: Path) -> None:
    projects, subsidies = load_projects(write_projects(tmp_path / "p.xlsx", [project_row("甲")]))
    (project,) = projects
    assert project.funds == {"中央衔接资金": 300000, "市级衔接资金": 100000, "区县级衔接资金": 50000}
    assert project.other_funds == Decimal(50000) and project.total_investment == 500000
    assert project.declared_linked_funds is None
    assert project.source_row == 3 and subsidies == []


def test_total_kept_when_level_columns_are_blank_on_a_row(tmp_path: Path) -> None:
    header = ["项目名称", "财政衔接资金", "中央衔接资金", "市级衔接资金", "其他资金"]
    path = write_xlsx(
        tmp_path / "p.xlsx", [header, ["甲", 100000, None, None, None], ["乙", 100000, 60000, 30000, 0]]
    )
    first, second = load_projects(path)[0]
    assert first.linked_funds == 100000 and first.funds == {"财政衔接资金": 100000}
    assert isinstance(first.other_funds, Decimal) and first.other_funds == 0
    assert second.funds == {"中央衔接资金": 60000, "市级衔接资金": 30000}
    assert second.declared_linked_funds == 100000 and second.linked_funds == 90000


def test_free_text_keeps_chinese_punctuation(tmp_path: Path) -> None:
    row = project_row(
        "甲",
        联农带农机制="务工带动：优先聘用脱贫户（监测户）；订单收购，保底价",
        产出指标="  基地 200 亩\n\n  验收合格率100%  ",
    )
    (project,), _ = load_projects(write_projects(tmp_path / "p.xlsx", [row]))
    assert project.linkage == "务工带动：优先聘用脱贫户（监测户）；订单收购，保底价"
    assert project.output_target == "基地 200 亩\n验收合格率100%"
