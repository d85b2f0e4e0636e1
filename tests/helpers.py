"""Building small input workbooks in code, and reading produced documents back."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook

from fanpin_docs.idcard import check_digit


def make_id(birth: str = "19800101", sequence: int = 123, region: str = "500114") -> str:
    """A valid 18-digit ID with the right check digit, e.g. make_id("19900215", 45)."""
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + check_digit(first17)


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Sheet1",
    extra_sheets: dict[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    """Write rows (the header row included, title rows above it if wanted) to a new workbook."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for name, sheet_rows in (extra_sheets or {}).items():
        extra = book.create_sheet(name)
        for row in sheet_rows:
            extra.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


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
    "联系电话",
    "帮扶联系人",
    "帮扶联系人电话",
    "帮扶联系人单位",
    "工资性收入",
    "生产经营性收入",
    "财产性收入",
    "转移性收入",
    "生产经营性支出",
]


def roster_row(
    household: str,
    name: str,
    id_number: str,
    relation: str,
    *,
    size: int | None = 2,
    village: str = "红岩村",
    township: str = "城东街道",
    household_type: str = "脱贫户",
    category: str = "",
    resolved: str = "",
    income: Sequence[object] = (20000, 5000, 0, 3000, 1000),
    phone: str = "13812345678",
    helper: str = "王干部",
) -> list[object]:
    is_head = relation == "户主"
    return [
        household,
        "黔江区",
        township,
        village,
        "一组",
        name,
        id_number,
        relation,
        size if is_head else None,
        household_type,
        category,
        resolved,
        "202303" if category else "",
        "因病" if category else "",
        "健康",
        "普通劳动力",
        phone,
        helper if is_head else "",
        "13900001111" if is_head else "",
        "城东街道办事处" if is_head else "",
        *(income if is_head else ("", "", "", "", "")),
    ]


def rewrite_part(path: Path, part: str, change: Callable[[str], str]) -> Path:
    """Edit one part's XML in a saved workbook (what a hand-made or hostile file holds)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def rewrite_sheet(path: Path, change: Callable[[str], str]) -> Path:
    """Edit the first worksheet's XML in a saved workbook."""
    return rewrite_part(path, "xl/worksheets/sheet1.xml", change)


def damaged_inside(path: Path, part: str) -> Path:
    """`path` with the compressed bytes of `part` flipped (a file broken in a copy, its zip directory
    whole): reading the part stops in the middle of inflating it."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 40
    data[start : start + 200] = bytes(b ^ 0x55 for b in data[start : start + 200])
    path.write_bytes(bytes(data))
    return path
