"""Inputs for the 明白卡 tests: a small township written as a messy national-style export, and a ledger."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from helpers import make_id, write_xlsx

# A title row above the header, aliases (身份证号码, 家庭人口数, 人均纯收入（元）), as the national system exports.
ROSTER_HEADER = [
    "户编号",
    "县(市、区)",
    "乡镇",
    "村(社区)",
    "组",
    "姓名",
    "身份证号码",
    "与户主关系",
    "家庭人口数",
    "户类型",
    "监测对象类别",
    "风险是否已消除",
    "识别监测时间",
    "致贫返贫风险1",
    "健康状况",
    "劳动技能",
    "户联系电话",
    "帮扶责任人",
    "帮扶责任人电话",
    "帮扶联系人单位",
    "工资性收入（元）",
    "生产经营性收入（元）",
    "财产性收入（元）",
    "转移性收入（元）",
    "生产经营性支出（元）",
]
MEASURES_HEADER = ["户编号", "措施名称", "计算基数", "金额", "验收结果", "落实日期", "备注"]

# household id → (village, head, other members, income, category)
HOUSEHOLDS = {
    "5001140010001": ("红岩村", "张大山", ["李小红", "张小明"], (20000, 5000, 0, 3000, 1000), "脱贫不稳定户"),
    "5001140010002": ("红岩村", "王二妹", ["刘强"], (9000, 2000, 0, 2500, 500), "边缘易致贫户"),
    "5001140010003": ("红岩村", "陈&<老三>", [], (3000, 0, 0, 2000, 0), ""),
    "5001140020001": ("石门村", "赵四", ["钱五", "孙六", "周七"], (30000, 10000, 500, 1000, 2000), ""),
    "5001140020002": ("石门村", "吴八", ["郑九"], (4000, 1000, 0, 1000, 0), "突发严重困难户"),
}
RELATIONS = ["配偶", "之子", "之女"]
LEDGER = [
    ["5001140010001", "产业到户补助", 3000, None, "合格", "2023-06-30", ""],
    ["5001140010001", "公益性岗位", None, 7200, None, "2023-12-31", ""],
    ["5001140010002", "医疗救助一事一议", 25000, None, None, "2023-09-10", ""],
    ["5001140010002", "产业到户补助", 3000, 2400, "合格", "2023-06-30", "台账按 80% 未封顶"],
    ["5001140020001", "医疗救助一事一议", 200000, None, None, "2023-10-01", ""],
    ["5001140020002", "产业到户补助", 3000, None, "不合格", "2023-06-30", ""],
    ["5001140020002", "低保金", None, 4920, None, "2023-12-31", ""],
]


def person_id(household: str, index: int) -> str:
    """A valid ID, unique for every (household, member) of the tests (up to 60,000 households)."""
    number = int(household[-5:])
    return make_id(f"{1940 + number // 1000:04d}03{index + 1:02d}", number % 1000)


def roster_rows(households: dict = HOUSEHOLDS, township: str = "城东街道") -> list[list[object]]:
    rows: list[list[object]] = [["黔江区防止返贫监测对象信息（导出）"], ROSTER_HEADER]
    for household, (village, head, others, income, category) in households.items():
        names = [head, *others]
        for index, name in enumerate(names):
            is_head = index == 0
            rows.append(
                [
                    household,
                    "黔江区",
                    township,
                    village,
                    "一组",
                    name,
                    person_id(household, index),
                    "户主" if is_head else RELATIONS[(index - 1) % len(RELATIONS)],
                    len(names) if is_head else None,
                    "监测户" if category else "脱贫户",
                    category,
                    "否" if category else "",
                    "202303" if category else "",
                    "因病" if category else "",
                    "健康",
                    "普通劳动力",
                    "13812345678" if is_head else "",
                    "王干部" if is_head else "",
                    "13900001111" if is_head else "",
                    "城东街道办事处" if is_head else "",
                    *(income if is_head else ("", "", "", "", "")),
                ]
            )
    return rows


def write_inputs(folder: Path, *, households: dict = HOUSEHOLDS, ledger: list = LEDGER) -> tuple[Path, Path]:
    roster = write_xlsx(folder / "户籍监测名单.xlsx", roster_rows(households))
    _keep_text(roster)
    measures = write_xlsx(folder / "帮扶措施台账.xlsx", [MEASURES_HEADER, *ledger])
    return roster, measures


def _keep_text(path: Path) -> None:
    """Cells typed as `=…` text stay text (openpyxl would otherwise store them as formulas)."""
    book = load_workbook(path)
    changed = False
    for row in book.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
                changed = True
    if changed:
        book.save(path)


def many_households(count: int, villages: int = 4) -> dict:
    return {
        f"50011400{index:05d}": (
            f"第{index % villages + 1}村",
            f"户主{index}",
            [f"成员{index}"],
            (8000 + index, 1000, 0, 500, 0),
            "",
        )
        for index in range(1, count + 1)
    }


def card_text(path: Path) -> str:
    """Everything a reader sees in a .docx: paragraphs and table cells, in order."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def document_xml(path: Path | bytes) -> str:
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with zipfile.ZipFile(source) as archive:
        return archive.read("word/document.xml").decode("utf-8")
