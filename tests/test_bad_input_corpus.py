"""The bad-input corpus: one broken workbook, policy or setting for each kind of refusal.

Every case runs a real command on a real file and must give exit code 1, a Chinese message naming
where the problem is (file and, where there is one, sheet, row and column), no traceback, and no
output file left behind.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from fanpin_docs.cli import app
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

HEAD_ID = make_id("19700101", 11)
SPOUSE_ID = make_id("19720304", 22)
CHILD_ID = make_id("20000505", 33)


def good_roster_rows() -> list[list[object]]:
    return [
        list(ROSTER_HEADER),
        roster_row("001", "张三", HEAD_ID, "户主", size=3, category="脱贫不稳定户", resolved="否"),
        roster_row("001", "李四", SPOUSE_ID, "配偶"),
        roster_row("001", "张小", CHILD_ID, "之子"),
    ]


def roster_with(change: Callable[[list[list[object]]], None]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        rows = good_roster_rows()
        change(rows)
        return write_xlsx(folder / "名单.xlsx", rows)

    return build


def set_cell(row: int, column: str, value: object) -> Callable[[list[list[object]]], None]:
    def change(rows: list[list[object]]) -> None:
        rows[row][ROSTER_HEADER.index(column)] = value

    return change


def duplicate_id_column(rows: list[list[object]]) -> None:
    index = ROSTER_HEADER.index("证件号码")
    for row in rows:
        row.append(row[index])
    rows[0][-1] = "身份证号"


def drop_column(column: str) -> Callable[[list[list[object]]], None]:
    def change(rows: list[list[object]]) -> None:
        index = ROSTER_HEADER.index(column)
        for row in rows:
            del row[index]

    return change


MEASURE_HEADER = ["户编号", "措施名称", "计算基数", "金额", "验收结果", "落实日期"]
TRAINING_HEADER = [
    "培训班",
    "培训项目",
    "培训地点",
    "开班日期",
    "结业日期",
    "应出勤天数",
    "姓名",
    "证件号码",
    "人员类别",
    "实际出勤天数",
    "考核结果",
    "开户银行",
    "银行卡号",
]
PROJECT_HEADER = [
    "项目名称",
    "项目类型",
    "乡(镇)",
    "行政村",
    "财政衔接资金",
    "其他资金",
    "总投资",
    "受益户数",
    "受益脱贫户数",
    "受益监测户数",
    "联农带农机制",
    "产出指标",
    "效益指标",
    "满意度指标",
    "开工时间",
    "完工时间",
    "申报日期",
]


def trainee(name: str, id_number: str, days: object, planned: object = 7) -> list[object]:
    return [
        "电商班",
        "电子商务",
        "镇文化站",
        "2023-05-08",
        "2023-05-16",
        planned,
        name,
        id_number,
        "脱贫人口",
        days,
        "合格",
        "农商行",
        "6217000011112222",
    ]


def project(name: str, funds: object = 100000) -> list[object]:
    return [
        name,
        "产业发展",
        "城东街道",
        "红岩村",
        funds,
        0,
        100000,
        10,
        5,
        2,
        "入股分红",
        "种植100亩",
        "户均增收500元",
        "≥90%",
        "2023-05-01",
        "2023-08-20",
        "2023-04-20",
    ]


def write_policy(text: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "本县政策.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return build


SHIPPED = (Path(__file__).parents[1] / "src/fanpin_docs/policies/qianjiang-2023.toml").read_text(
    encoding="utf-8"
)


@dataclass(frozen=True)
class Case:
    name: str
    command: str  # check | cards | training | projects | plan
    build: Callable[[Path], Path]  # writes the broken input, returns its path
    expect: tuple[str, ...]  # fragments the message must contain
    kind: str = "roster"  # which option the built file is given as (or "policy" / "settings" / "template")


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def _text_file(name: str, text: str) -> Callable[[Path], Path]:
    return _bytes(name, text.encode("utf-8"))


def _measures(rows: list[list[object]]) -> Callable[[Path], Path]:
    return lambda folder: write_xlsx(folder / "台账.xlsx", [MEASURE_HEADER, *rows])


def _training(rows: list[list[object]], header: list[str] = TRAINING_HEADER) -> Callable[[Path], Path]:
    return lambda folder: write_xlsx(folder / "考勤.xlsx", [header, *rows])


def _projects(rows: list[list[object]]) -> Callable[[Path], Path]:
    return lambda folder: write_xlsx(folder / "项目.xlsx", [PROJECT_HEADER, *rows])


def _template(paragraph: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        document = Document()
        document.add_paragraph(paragraph)
        document.add_paragraph("户主：{{ household.head }}")  # a card's field: the template is one
        path = folder / "我的明白卡.docx"
        document.save(path)
        return path

    return build


def masked_ids(rows: list[list[object]]) -> None:
    for row in rows[1:]:
        id_number = str(row[ROSTER_HEADER.index("证件号码")])
        row[ROSTER_HEADER.index("证件号码")] = id_number[:6] + "********" + id_number[-4:]


def far_value(folder: Path) -> Path:
    """A good roster with one stray value at the last cell of the sheet (XFD1048576)."""
    path = write_xlsx(folder / "名单.xlsx", good_roster_rows())
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    stray = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", stray.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# inputs as offices really make them, and hostile files: `check` and `cards` must give the same refusal
AGREEING: list[Case] = [
    Case(
        "formula without a stored result",
        "cards",
        roster_with(set_cell(1, "转移性收入", "=VLOOKUP(A2,Sheet2!A:B,2,0)")),
        ("名单.xlsx", "工作表「Sheet1」", "第 2 行", "转移性收入", "=VLOOKUP(A2,Sheet2!A:B,2,0)", "保存一次"),
    ),
    Case(
        "masked export",
        "cards",
        roster_with(masked_ids),
        ("名单.xlsx", "第 2 行", "证件号码", "打码", "共 3 行", "明文"),
    ),
    Case(
        "lost leading zeros in the ledger",
        "cards",
        _measures([[1, "公益性岗位", None, 1000, None, "2023-06-01"]]),
        ("台账.xlsx", "第 2 行", "户编号", "001", "开头的 0"),
        kind="measures",
    ),
    Case("a value at XFD1048576", "cards", far_value, ("名单.xlsx", "Sheet1", "XFD1048576", "删除")),
    Case(
        "xls that is really an encrypted workbook",
        "cards",
        _bytes(
            "名单.xls",
            bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le"),
        ),
        ("名单.xls", "密码"),
    ),
    Case(
        "web page without a table saved as xls",
        "cards",
        _bytes("名单.xls", "<html><body>会话已过期，请重新登录</body></html>".encode()),
        ("名单.xls", "网页", "没有表格"),
    ),
]

CASES: list[Case] = [
    *AGREEING,
    # files that are not usable workbooks
    Case("wrong file type", "check", _text_file("名单.txt", "户编号,姓名"), ("名单.txt", "不支持的文件类型")),
    Case("text renamed to xlsx", "check", _text_file("名单.xlsx", "just text"), ("名单.xlsx", "损坏")),
    Case(
        "encrypted workbook",
        "check",
        _bytes(
            "名单.xlsx",
            bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le"),
        ),
        ("名单.xlsx", "密码"),
    ),
    Case("corrupt zip", "check", _bytes("名单.xlsx", b"PK\x03\x04" + b"\x00" * 64), ("名单.xlsx",)),
    Case("empty sheet", "check", lambda f: write_xlsx(f / "名单.xlsx", []), ("名单.xlsx", "空")),
    Case(
        "header only",
        "cards",
        lambda f: write_xlsx(f / "名单.xlsx", [ROSTER_HEADER]),
        ("名单.xlsx", "没有任何人员"),
    ),
    Case(
        "csv in an unknown encoding",
        "check",
        _bytes("名单.csv", "户编号".encode("utf-16")),
        ("名单.csv", "编码"),
    ),
    # columns
    Case("missing column 行政村", "cards", roster_with(drop_column("行政村")), ("名单.xlsx", "行政村")),
    Case("duplicated header", "cards", roster_with(duplicate_id_column), ("名单.xlsx", "身份证号", "重复")),
    # IDs
    Case(
        "bad check digit",
        "cards",
        roster_with(set_cell(2, "证件号码", SPOUSE_ID[:-1] + ("1" if SPOUSE_ID[-1] != "1" else "2"))),
        ("名单.xlsx", "第 3 行", "证件号码", "校验位"),
    ),
    Case(
        "ID stored as a number",
        "cards",
        roster_with(set_cell(2, "证件号码", int(SPOUSE_ID[:15]) * 1000)),
        (
            "名单.xlsx",
            "第 3 行",
            "证件号码",
            "数字",
            f"当前值：{SPOUSE_ID[0]}.{SPOUSE_ID[1:6].rstrip('0')}E+17",
        ),
    ),
    Case(
        "ID in scientific notation",
        "cards",
        roster_with(set_cell(2, "证件号码", "5.00114E+17")),
        ("名单.xlsx", "第 3 行", "科学计数法", "当前值：5.00114E+17"),
    ),
    Case(
        "ID of wrong length",
        "cards",
        roster_with(set_cell(2, "证件号码", SPOUSE_ID[:16])),
        ("第 3 行", "18 位"),
    ),
    Case("duplicate ID", "cards", roster_with(set_cell(3, "证件号码", SPOUSE_ID)), ("第 4 行", "重复")),
    # households
    Case(
        "two heads",
        "cards",
        roster_with(set_cell(2, "与户主关系", "户主")),
        ("名单.xlsx", "户编号 001", "户主"),
    ),
    Case(
        "no head",
        "cards",
        roster_with(set_cell(1, "与户主关系", "配偶")),
        ("名单.xlsx", "户编号 001", "没有户主"),
    ),
    Case(
        "household size mismatch", "cards", roster_with(set_cell(1, "人数", 2)), ("第 2 行", "人数", "3 人")
    ),
    # amounts and dates
    Case(
        "negative income",
        "cards",
        roster_with(set_cell(1, "工资性收入", -500)),
        ("第 2 行", "工资性收入", "负数"),
    ),
    Case(
        "textual income",
        "cards",
        roster_with(set_cell(1, "转移性收入", "三千")),
        ("第 2 行", "转移性收入", "不是数字"),
    ),
    Case(
        "impossible date",
        "cards",
        roster_with(set_cell(1, "识别监测时间", "2023-02-30")),
        ("第 2 行", "识别监测时间", "不是实际存在的日期"),
    ),
    Case(
        "invalid code value",
        "cards",
        roster_with(set_cell(1, "户类型", "贫困户")),
        ("第 2 行", "户类型", "规定的选项"),
    ),
    # measures ledger
    Case(
        "measure for an unknown household",
        "cards",
        _measures([["999", "产业到户补助", 3000, None, "合格", "2023-06-01"]]),
        ("台账.xlsx", "第 2 行", "户编号"),
        kind="measures",
    ),
    Case(
        "unknown measure without amount",
        "cards",
        _measures([["001", "神秘补助", None, None, None, "2023-06-01"]]),
        ("神秘补助", "第 2 行"),
        kind="measures",
    ),
    Case(
        "computed measure without base",
        "cards",
        _measures([["001", "产业到户补助", None, None, "合格", "2023-06-01"]]),
        ("产业到户补助", "第 2 行"),
        kind="measures",
    ),
    Case(
        "textual measure amount",
        "cards",
        _measures([["001", "公益性岗位", None, "一千", None, "2023-06-01"]]),
        ("台账.xlsx", "第 2 行", "金额", "不是数字"),
        kind="measures",
    ),
    # training attendance
    Case(
        "attendance over planned days",
        "training",
        _training([trainee("张三", HEAD_ID, 8)]),
        ("考勤.xlsx", "第 2 行", "实际出勤天数", "超过"),
        kind="training",
    ),
    Case(
        "duplicate trainee in a class",
        "training",
        _training([trainee("张三", HEAD_ID, 5), trainee("张三", HEAD_ID, 6)]),
        ("考勤.xlsx", "第 2 行", "第 3 行"),
        kind="training",
    ),
    Case(
        "attendance not in half days",
        "training",
        _training([trainee("张三", HEAD_ID, 6.3)]),
        ("第 2 行", "半天"),
        kind="training",
    ),
    Case(
        "class without planned days",
        "training",
        _training(
            [t[:5] + t[6:] for t in [trainee("张三", HEAD_ID, 5)]], TRAINING_HEADER[:5] + TRAINING_HEADER[6:]
        ),
        ("考勤.xlsx", "应出勤天数"),
        kind="training",
    ),
    Case(
        "bank card with letters",
        "training",
        _training([trainee("张三", HEAD_ID, 5)[:12] + ["62170000ABC"]]),
        ("第 2 行", "银行卡号"),
        kind="training",
    ),
    # projects
    Case(
        "textual project funds",
        "projects",
        _projects([project("茶叶基地", "十万")]),
        ("项目.xlsx", "第 2 行", "财政衔接资金", "不是数字"),
        kind="projects",
    ),
    Case(
        "project without name",
        "projects",
        _projects([project("")]),
        ("项目.xlsx", "第 2 行", "项目名称"),
        kind="projects",
    ),
    # policy files
    Case(
        "broken policy file",
        "cards",
        write_policy('title = "未闭合的引号\n'),
        ("本县政策.toml", "格式错误"),
        kind="policy",
    ),
    Case(
        "unknown key in policy",
        "cards",
        write_policy(SHIPPED.replace("rate = 0.8", "rate = 0.8\nrat = 0.7", 1)),
        ("本县政策.toml", "rat"),
        kind="policy",
    ),
    Case(
        "rate above 100%",
        "cards",
        write_policy(SHIPPED.replace("rate = 0.8", "rate = 80", 1)),
        ("本县政策.toml", "rate"),
        kind="policy",
    ),
    Case(
        "exclusion of an unknown rule",
        "cards",
        write_policy(
            SHIPPED.replace(
                "requires_acceptance = true", 'requires_acceptance = true\nexcludes = ["不存在的规则"]', 1
            )
        ),
        ("本县政策.toml", "不存在的规则"),
        kind="policy",
    ),
    Case(
        "unknown policy name",
        "cards",
        lambda f: Path("no-such-county-2099"),
        ("no-such-county-2099",),
        kind="policy",
    ),
    # settings
    Case(
        "broken fanpin.toml",
        "cards",
        _text_file("fanpin.toml", "[township\ncounty = 1"),
        ("fanpin.toml", "格式错误"),
        kind="settings",
    ),
    Case(
        "bad date in fanpin.toml",
        "cards",
        _text_file("fanpin.toml", '[documents]\ndate = "2024-13-01"\n'),
        ("fanpin.toml", "date"),
        kind="settings",
    ),
    Case(
        "unknown setting",
        "cards",
        _text_file("fanpin.toml", '[township]\ntownship_name = "城东街道"\n'),
        ("fanpin.toml", "township_name"),
        kind="settings",
    ),
    # templates
    Case(
        "template with an unknown field",
        "cards",
        _template("户主：{{ 户主姓名不存在 }}"),
        ("我的明白卡.docx", "户主姓名不存在"),
        kind="template",
    ),
    Case(
        "template with a Jinja syntax error",
        "cards",
        _template("{% for x in %}"),
        ("我的明白卡.docx",),
        kind="template",
    ),
    Case(
        "template with an unknown filter",
        "cards",
        _template('{{ household.phone|default_if_none("无") }}'),
        ("我的明白卡.docx", "default_if_none", "过滤器"),
        kind="template",
    ),
    Case(
        "template with a stray endif",
        "cards",
        _template("{% if village %}村{% endif %}{% endif %}"),
        ("我的明白卡.docx", "{% endif %}"),
        kind="template",
    ),
    Case(
        "template with a full-width tag left open",
        "cards",
        _template("电话：｛｛ household.phone ｝"),
        ("我的明白卡.docx", "全角括号"),
        kind="template",
    ),
    Case(
        "template with nested range loops",
        "cards",
        _template("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
        ("我的明白卡.docx", "第 1 段", "range"),
        kind="template",
    ),
    Case("template with a huge power", "cards", _template("{{ 7**(7**10) }}"), ("乘方",), kind="template"),
    Case("template repeating a string", "cards", _template("{{ 'x'*10**10 }}"), ("重复",), kind="template"),
    Case(
        "template printing a literal tag",
        "cards",
        _template('{{ "{" * 2 }} household.phone'),
        ("我的明白卡.docx", "原样印出"),
        kind="template",
    ),
]


def _arguments(case: Case, built: Path, folder: Path) -> list[str]:
    roster = write_xlsx(folder / "good" / "名单.xlsx", good_roster_rows())
    out = ["--out", str(folder / "out")]
    if case.command == "check":
        return ["check", str(built)]
    if case.command == "training":
        return ["training", "--training", str(built), "--policy", "qianjiang-2023", *out]
    if case.command == "projects":
        return ["projects", "--projects", str(built), "--policy", "qianjiang-2023", *out]
    policy = str(built) if case.kind == "policy" else "qianjiang-2023"
    arguments = ["cards", "--policy", policy, *out]
    arguments += ["--roster", str(built if case.kind == "roster" else roster)]
    if case.kind == "measures":
        arguments += ["--measures", str(built)]
    if case.kind == "template":
        arguments += ["--template", str(built)]
    return arguments


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_refusal(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    built = case.build(work)
    monkeypatch.chdir(work)  # a fanpin.toml written by a settings case is this folder's workspace
    result = CliRunner().invoke(app, _arguments(case, built, tmp_path))
    output = result.output
    assert result.exit_code == 1, output
    assert "Traceback" not in output and 'File "' not in output
    assert re.search(r"[\u4e00-\u9fff]", output), "the message must be in Chinese"
    for fragment in case.expect:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    for id_number in (HEAD_ID, SPOUSE_ID, CHILD_ID):
        assert id_number not in output, "a full ID number must never be printed"
    produced = (
        [p for p in (tmp_path / "out").rglob("*") if p.is_file()] if (tmp_path / "out").exists() else []
    )
    assert produced == [], f"output written despite the refusal: {produced}"


def test_the_corpus_has_at_least_thirty_kinds_of_refusal() -> None:
    assert len({c.name for c in CASES}) >= 30


@pytest.mark.parametrize("case", AGREEING, ids=[c.name for c in AGREEING])
def test_check_and_cards_agree(case: Case, tmp_path: Path) -> None:
    """What `cards` refuses, `check` refuses with the same message (and writes nothing)."""
    built = case.build(tmp_path)
    roster = write_xlsx(tmp_path / "good" / "名单.xlsx", good_roster_rows())
    option = "--measures" if case.kind == "measures" else "--roster"
    check = ["check", option, str(built)] + (["--roster", str(roster)] if case.kind == "measures" else [])
    checked = CliRunner().invoke(app, check)
    made = CliRunner().invoke(app, _arguments(case, built, tmp_path))
    assert checked.exit_code == 1 and made.exit_code == 1, checked.output + made.output
    for fragment in case.expect:
        assert fragment in checked.output, f"{fragment!r} not in:\n{checked.output}"
    assert checked.output.count("打码") == made.output.count("打码") <= 1
    assert not (tmp_path / "out").exists() or not any(p.is_file() for p in (tmp_path / "out").rglob("*"))
