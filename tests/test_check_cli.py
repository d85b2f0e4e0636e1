"""`fanpin check` through the command line: exit codes, messages, --mark."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from fanpin_docs.check import RED, check_workbooks, detect_kind
from fanpin_docs.cli import app
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from test_readers_roster import HEAD_X, national_rows

RUNNER = CliRunner(env={"COLUMNS": "300"})  # one problem per line, as a wide terminal shows it

HEAD = make_id("19700101", 11)
SPOUSE = make_id("19720101", 22)
OTHER = make_id("19650505", 33)


def run(*args: object) -> Result:
    result = RUNNER.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert "程序内部错误" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def roster(tmp_path: Path, *people: list[object], name: str = "名单.xlsx", title: bool = True) -> Path:
    rows = ([["城东街道防返贫监测名单"]] if title else []) + [ROSTER_HEADER, *people]
    return write_xlsx(tmp_path / name, rows)


def good_people() -> list[list[object]]:
    return [
        roster_row("0012", "张三", HEAD, "户主", size=2),
        roster_row("0012", "李四", SPOUSE, "配偶"),
        roster_row("0013", "赵六", OTHER, "户主", size=1),
    ]


def bad_id(good: str) -> str:
    return good[:17] + ("1" if good[17] != "1" else "2")


# --- a clean national export ----------------------------------------------------------------------


def test_national_export_reports_no_problem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "全国系统导出.xlsx", national_rows(), sheet="户籍监测名单")
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert "户籍监测名单「全国系统导出.xlsx」：没有发现问题（2 条记录）" in result.output
    assert HEAD_X not in result.output


def test_same_file_given_with_the_roster_option(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "全国系统导出.xlsx", national_rows())
    assert run("check", "--roster", path).exit_code == 0


# --- every refusal of the Done-when: file, row, column (or household), exit 1 ----------------------


def test_bad_check_digit(tmp_path: Path) -> None:
    wrong = bad_id(OTHER)
    people = good_people()
    people[2] = roster_row("0013", "赵六", wrong, "户主", size=1)
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1
    assert "✗ 户籍监测名单「名单.xlsx」：1 处错误" in result.output
    assert "文件「名单.xlsx」 工作表「Sheet1」 第 5 行 列「证件号码」：身份证号校验位不正确" in result.output
    assert wrong not in result.output and f"{wrong[:6]}********{wrong[-4:]}" in result.output
    assert "处理办法" in result.output


def test_numeric_id(tmp_path: Path) -> None:
    people = good_people()
    people[1] = roster_row("0012", "李四", int(SPOUSE) if SPOUSE[-1] != "X" else 500114197201010220, "配偶")
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1
    assert "第 4 行 列「证件号码」：身份证号被存成了数字" in result.output
    assert "文本" in result.output


def test_id_in_scientific_notation(tmp_path: Path) -> None:
    people = good_people()
    people[1] = roster_row("0012", "李四", "5.00114E+17", "配偶")
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1 and "第 4 行 列「证件号码」：身份证号显示为科学计数法" in result.output


def test_two_heads_in_a_household(tmp_path: Path) -> None:
    people = good_people()
    people[1] = roster_row("0012", "李四", SPOUSE, "户主", size=2)
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1
    assert (
        "第 3 行 列「与户主关系」 户编号 0012：一户只能有一个户主，这一户有 2 个（第 3 行、第 4 行）"
        in result.output
    )


def test_household_without_head(tmp_path: Path) -> None:
    people = good_people()
    people[2] = roster_row("0013", "赵六", OTHER, "配偶", size=1)
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1 and "户编号 0013：这一户" in result.output and "没有户主" in result.output


@pytest.mark.parametrize("option", [None, "--roster"])
def test_missing_village_column(tmp_path: Path, option: str | None) -> None:
    header = [h for h in ROSTER_HEADER if h != "行政村"]
    people = []
    for person in good_people():
        del person[ROSTER_HEADER.index("行政村")]
        people.append(person)
    path = write_xlsx(tmp_path / "缺列.xlsx", [["标题"], header, *people])
    result = run("check", *([option] if option else []), path)
    assert result.exit_code == 1
    assert "文件「缺列.xlsx」 工作表「Sheet1」 第 2 行：找不到必需的列 「行政村」" in result.output


@pytest.mark.parametrize(
    ("income", "message"), [(-1200, "不能为负数（当前值：-1200）"), ("两万", "不是数字（当前值：两万）")]
)
def test_negative_or_textual_income(tmp_path: Path, income: object, message: str) -> None:
    people = good_people()
    people[0] = roster_row("0012", "张三", HEAD, "户主", size=2, income=(income, 0, 0, 0, 0))
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1
    assert f"第 3 行 列「工资性收入」：{message}" in result.output


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("工资性收入", "15,00", "数字写法不对：逗号的位置不是千位分隔，无法确定是多少（当前值：15,00）"),
        ("识别监测时间", 2023.1, "日期无法识别：数字 2023.1 像是把「年.月」当作数字录入的"),
    ],
)
def test_values_that_were_read_as_another_number_are_refused(
    tmp_path: Path, column: str, value: object, message: str
) -> None:
    # 15,00 was read as 1500 yuan and 2023.1 (2023.10 typed in a General cell) as 1905-07-15
    people = good_people()
    people[0][ROSTER_HEADER.index(column)] = value
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1
    assert f"第 3 行 列「{column}」：{message}" in result.output


def test_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("户编号 姓名 张三\n", encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert "文件「名单.xlsx」：文件已损坏，或者并不是 Excel 工作簿" in result.output


def test_encrypted_workbook(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le"))
    result = run("check", "--roster", path)
    assert result.exit_code == 1 and "密码" in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = run("check", "--roster", tmp_path / "没有.xlsx")
    assert result.exit_code == 1 and "文件不存在" in result.output


def test_unrecognisable_workbook(tmp_path: Path) -> None:
    result = run("check", write_xlsx(tmp_path / "杂表.xlsx", [["甲", "乙"], [1, 2]]))
    assert result.exit_code == 1 and "看不出是哪一种工作簿" in result.output


def test_empty_workbook(tmp_path: Path) -> None:
    result = run("check", write_xlsx(tmp_path / "空.xlsx", []))
    assert result.exit_code == 1 and "空" in result.output


def test_several_problems_all_listed(tmp_path: Path) -> None:
    people = [
        roster_row("0012", "张三", bad_id(HEAD), "户主", size=2, income=(-1, 0, 0, 0, 0)),
        roster_row("0012", "李四", SPOUSE, "户主"),
        roster_row("0013", "赵六", OTHER, "户主", size=1, income=("多", 0, 0, 0, 0)),
    ]
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 1
    # the household with two heads cannot be built, yet its head row's income is checked in the same run
    assert "4 处错误" in result.output
    for fragment in (
        "第 3 行 列「证件号码」",
        "第 3 行 列「与户主关系」 户编号 0012",
        "第 3 行 列「工资性收入」",
        "第 5 行 列「工资性收入」",
    ):
        assert fragment in result.output


def test_warnings_only_exit_zero(tmp_path: Path) -> None:
    people = good_people()
    people[0] = roster_row("0012", "张三", HEAD, "户主", size=3)  # one member absent from the export
    result = run("check", roster(tmp_path, *people))
    assert result.exit_code == 0
    assert "0 处错误，1 处提醒" in result.output and "[提醒]" in result.output


# --- the other workbooks ----------------------------------------------------------------------------


def test_measures_checked_against_the_roster(tmp_path: Path) -> None:
    names = roster(tmp_path, *good_people())
    ledger = write_xlsx(
        tmp_path / "台账.xlsx",
        [["户编号", "措施名称", "金额"], ["0012", "低保金", 100], ["0099", "低保金", 100]],
    )
    result = run("check", "--roster", names, "--measures", ledger)
    assert result.exit_code == 1
    assert "户籍监测名单「名单.xlsx」：没有发现问题" in result.output
    assert "帮扶措施台账「台账.xlsx」：1 处错误" in result.output
    assert "第 3 行 列「户编号」：户编号在户籍名单中找不到（当前值：0099）" in result.output


def test_kinds_detected_from_headers(tmp_path: Path) -> None:
    names = roster(tmp_path, *good_people())
    training = write_xlsx(
        tmp_path / "考勤.xlsx",
        [["培训班", "应出勤天数", "姓名", "身份证号", "出勤天数"], ["电工班", 5, "张三", HEAD, 5]],
    )
    projects = write_xlsx(tmp_path / "项目.xlsx", [["项目名称", "衔接资金"], ["村道硬化", 100]])
    ledger = write_xlsx(tmp_path / "台账.xlsx", [["户编号", "政策名称", "金额"], ["0012", "低保金", 100]])
    assert [detect_kind(p) for p in (names, training, projects, ledger)] == [
        "roster",
        "training",
        "projects",
        "measures",
    ]
    result = run("check", ledger, training, projects, names)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("提示")]
    assert [line.split("「")[0] for line in lines] == [
        "✓ 户籍监测名单",
        "✓ 帮扶措施台账",
        "✓ 培训考勤表",
        "✓ 项目申报表",
    ]
    assert "没有指定政策" in result.output  # the ledger and attendance were not checked against rules


def test_with_a_policy_the_ledger_and_attendance_are_checked_against_its_rules(tmp_path: Path) -> None:
    """What cards/training would refuse, check refuses too: a computed measure without its base, a
    class without the start date the age rule needs."""
    names = roster(tmp_path, *good_people())
    ledger = write_xlsx(
        tmp_path / "台账.xlsx",
        [["户编号", "措施名称", "计算基数", "验收结果"], ["0012", "产业到户补助", None, "合格"]],
    )
    training = write_xlsx(
        tmp_path / "考勤.xlsx",
        [
            ["培训班", "应出勤天数", "姓名", "身份证号", "人员类别", "出勤天数", "考核结果"],
            ["电工班", 5, "张三", HEAD, "脱贫人口", 5, "合格"],
        ],
    )
    assert run("check", names, ledger, training).exit_code == 0  # format only
    result = run("check", names, ledger, training, "--policy", "qianjiang-2023")
    assert result.exit_code == 1
    assert "台账.xlsx" in result.output and "第 2 行" in result.output and "计算基数" in result.output
    assert "考勤.xlsx" in result.output and "开班日期" in result.output


def test_training_missing_a_column_is_still_a_training_file(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "考勤.xlsx", [["培训班", "姓名", "身份证号"], ["电工班", "张三", HEAD]])
    assert detect_kind(path) == "training"
    result = run("check", path)
    assert result.exit_code == 1 and "「实际出勤天数」" in result.output


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the ledger is parsed aside on two cores or more")
def test_a_ledger_parsed_in_another_process_is_checked_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`readers.together` in `fanpin check`: the measures ledger parsed in a second process while the
    roster is read gives the very output of a read in one process — with a ledger row whose household
    the roster lacks, and with a roster refused (the ledger then checked without it)."""
    from fanpin_docs.readers import together

    names = roster(tmp_path, *good_people())
    broken = roster(
        tmp_path / "坏", *good_people()[:2], roster_row("0013", "赵六", bad_id(OTHER), "户主", size=1)
    )
    ledger = write_xlsx(
        tmp_path / "台账.xlsx",
        [["户编号", "措施名称", "金额"], ["0012", "低保金", 100], ["0099", "低保金", -5], ["0012", "", 1]],
    )
    used: list[bool] = []
    real_check = together.check_measures

    def check(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        used.append(True)
        return real_check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(together, "check_measures", check)
    for names_file in (names, broken):
        outputs = []
        for aside_from in (1 << 62, 0):
            monkeypatch.setattr(together, "ASIDE_FROM", aside_from)
            used.clear()
            result = run("check", "--roster", names_file, "--measures", ledger, "--policy", "qianjiang-2023")
            assert result.exit_code == 1
            assert used == ([True] if aside_from == 0 else [])
            outputs.append(result.output)
        assert outputs[0] == outputs[1]
        assert "户编号在户籍名单中找不到" in outputs[0] or names_file == broken
        assert "第 4 行" in outputs[0] and "帮扶措施台账「台账.xlsx」" in outputs[0]


def test_check_workbooks_as_a_library_call(tmp_path: Path) -> None:
    report = check_workbooks({"roster": [roster(tmp_path, *good_people())]})
    assert report.ok and report.files[0].records == 2 and report.files[0].problems == []


# --- workspace and arguments ------------------------------------------------------------------------


def test_inside_a_workspace_no_arguments_are_needed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    people = good_people()
    people[2] = roster_row("0013", "赵六", bad_id(OTHER), "户主", size=1)
    roster(tmp_path / "data", *people)
    (tmp_path / "fanpin.toml").write_text('[inputs]\nroster = "data/名单.xlsx"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 1 and "第 5 行 列「证件号码」" in result.output


def test_nothing_to_check_outside_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 1
    assert "没有要检查的文件" in result.output and "fanpin check" in result.output


def test_help_is_in_chinese() -> None:
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "检查输入工作簿" in result.output and "--mark" in result.output and "标红" in result.output


# --- --mark -------------------------------------------------------------------------------------------


def test_mark_writes_a_copy_with_red_cells_and_comments(tmp_path: Path) -> None:
    wrong = bad_id(OTHER)
    people = good_people()
    people[0] = roster_row("0012", "张三", HEAD, "户主", size=2, income=("两万", 0, 0, 0, 0))
    people[2] = roster_row("0013", "赵六", wrong, "户主", size=1)
    source = roster(tmp_path, *people)
    original = source.read_bytes()
    marked = tmp_path / "标注" / "名单-标注.xlsx"
    result = run("check", source, "--mark", marked)
    assert result.exit_code == 1
    assert f"已另存标注文件「{marked}」，标出 2 个单元格" in result.output
    assert source.read_bytes() == original

    sheet = load_workbook(marked).active
    id_column = ROSTER_HEADER.index("证件号码") + 1
    wage_column = ROSTER_HEADER.index("工资性收入") + 1
    id_cell, wage_cell = sheet.cell(row=5, column=id_column), sheet.cell(row=3, column=wage_column)
    for cell in (id_cell, wage_cell):
        assert cell.fill.fgColor.rgb.endswith(RED.fgColor.rgb[-6:])
        assert cell.comment is not None and "处理办法" in cell.comment.text
    assert "校验位" in id_cell.comment.text and wrong not in id_cell.comment.text
    assert "不是数字" in wage_cell.comment.text
    assert id_cell.value == wrong and wage_cell.value == "两万"  # the values stay for the user to fix
    untouched = sheet.cell(row=4, column=id_column)
    assert untouched.comment is None and untouched.fill.fgColor.rgb != id_cell.fill.fgColor.rgb
    assert sheet["A1"].value == "城东街道防返贫监测名单"


def test_mark_puts_a_household_problem_on_the_relation_cell(tmp_path: Path) -> None:
    people = good_people()
    people[1] = roster_row("0012", "李四", SPOUSE, "户主")
    marked = tmp_path / "标注.xlsx"
    assert run("check", roster(tmp_path, *people), "--mark", marked).exit_code == 1
    cell = load_workbook(marked).active.cell(row=3, column=ROSTER_HEADER.index("与户主关系") + 1)
    assert cell.comment is not None and "只能有一个户主" in cell.comment.text


def test_mark_of_a_missing_column_notes_the_header_row(tmp_path: Path) -> None:
    header = [h for h in ROSTER_HEADER if h != "行政村"]
    path = write_xlsx(tmp_path / "缺列.xlsx", [["标题"], header])
    marked = tmp_path / "标注.xlsx"
    assert run("check", path, "--mark", marked).exit_code == 1
    cell = load_workbook(marked).active["A2"]
    assert cell.comment is not None and "行政村" in cell.comment.text


def test_mark_of_a_clean_file_is_a_plain_copy(tmp_path: Path) -> None:
    marked = tmp_path / "标注.xlsx"
    result = run("check", roster(tmp_path, *good_people()), "--mark", marked)
    assert result.exit_code == 0 and "标出 0 个单元格" in result.output
    assert all(cell.comment is None for row in load_workbook(marked).active.iter_rows() for cell in row)


def test_mark_needs_exactly_one_file(tmp_path: Path) -> None:
    first = roster(tmp_path, *good_people())
    second = roster(tmp_path, *good_people(), name="二.xlsx")
    result = run("check", first, second, "--mark", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "--mark 只能在检查一个文件时使用" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_mark_of_a_file_that_is_not_a_workbook_says_so(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    result = run("check", "--roster", path, "--mark", tmp_path / "x.xlsx")
    assert result.exit_code == 1
    assert "并不是 Excel 工作簿" in result.output and "无法标注「名单.xlsx」" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_mark_of_a_csv_says_only_xlsx_can_be_marked(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text(",".join(ROSTER_HEADER) + "\n", encoding="utf-8")
    result = run("check", "--roster", path, "--mark", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "只能标注 .xlsx 工作簿" in result.output


def test_file_names_with_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    path = roster(tmp_path, *good_people(), name="名单[red]2024[b].xlsx")
    result = run("check", path, "--mark", tmp_path / "[b]标注.xlsx")
    assert result.exit_code == 0
    assert "「名单[red]2024[b].xlsx」：没有发现问题" in result.output
    assert "[b]标注.xlsx" in result.output


def test_warnings_of_the_other_workbooks_are_shown(tmp_path: Path) -> None:
    projects = write_xlsx(
        tmp_path / "项目.xlsx",
        [["项目名称", "财政衔接资金", "中央衔接资金", "市级衔接资金"], ["村道硬化", 500, 300, 100]],
    )
    training = write_xlsx(
        tmp_path / "考勤.xlsx",
        [
            ["培训班", "应出勤天数", "姓名", "身份证号", "出勤天数", "联系电话"],
            ["电工班", 5, "张三", HEAD, 5, "123"],
        ],
    )
    result = run("check", projects, training)
    assert result.exit_code == 0
    assert "项目申报表「项目.xlsx」：0 处错误，1 处提醒" in result.output
    assert "培训考勤表「考勤.xlsx」：0 处错误，1 处提醒" in result.output
    assert "第 2 行 列「联系电话」：电话号码格式不对" in result.output


# --- values pasted from other systems -----------------------------------------------------------------


@pytest.mark.parametrize("quoted", ["'{}", "{}'", "＇{}", "‘{}’", '"{}"'])
def test_id_with_a_pasted_quote_is_read_and_the_quote_noted(tmp_path: Path, quoted: str) -> None:
    people = good_people()
    people[1] = roster_row("0012", "李四", quoted.format(SPOUSE), "配偶")
    path = roster(tmp_path, *people)
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert "1 处提醒" in result.output and "第 4 行" in result.output and "引号或撇号" in result.output
    assert SPOUSE not in result.output
    from fanpin_docs.readers import load_roster

    spouse = load_roster(path).households[0].members[1]
    assert spouse.id_number == SPOUSE


def test_an_invalid_phone_is_masked_in_the_message(tmp_path: Path) -> None:
    people = good_people()
    people[2] = roster_row("0013", "赵六", OTHER, "户主", size=1, phone="1381234567")
    result = run("check", roster(tmp_path, *people))
    assert "电话号码格式不对" in result.output and "当前值：138***4567" in result.output
    assert "1381234567" not in result.output


def test_mark_never_overwrites_without_force_and_never_the_checked_file(tmp_path: Path) -> None:
    source = roster(tmp_path, *good_people())
    original = source.read_bytes()
    for target in (source, tmp_path / "." / source.name):
        for extra in ((), ("--force",)):
            result = run("check", source, "--mark", target, *extra)
            assert result.exit_code == 1 and "不能是被检查的文件本身" in result.output
            assert source.read_bytes() == original

    existing = tmp_path / "上次的标注.xlsx"
    existing.write_bytes(b"the user's file")
    refused = run("check", source, "--mark", existing)
    assert refused.exit_code == 1 and "已经存在，没有覆盖" in refused.output and "--force" in refused.output
    assert existing.read_bytes() == b"the user's file"
    forced = run("check", source, "--mark", existing, "--force")
    assert forced.exit_code == 0 and load_workbook(existing).active["A1"].value == "城东街道防返贫监测名单"

    letter = tmp_path / "我的通知.docx"
    result = run("check", source, "--mark", letter)
    assert result.exit_code == 1 and ".xlsx" in result.output and not letter.exists()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + ']><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
    "<cp:keywords>&lol9;</cp:keywords></cp:coreProperties>"
)


def test_a_billion_laughs_part_is_refused_in_chinese_with_or_without_mark(tmp_path: Path) -> None:
    import zipfile

    source = roster(tmp_path, *good_people())
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = BILLION_LAUGHS.encode()
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    marked = tmp_path / "标注.xlsx"
    result = run("check", "--roster", source, "--mark", marked)
    assert result.exit_code == 1
    assert "docProps/core.xml" in result.output and "DOCTYPE" in result.output
    assert "无法标注" in result.output and not marked.exists()
    detected = run("check", source, "--mark", marked)
    assert detected.exit_code == 1 and "DOCTYPE" in detected.output and not marked.exists()


def test_mark_of_a_workbook_too_large_to_hold_is_refused_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fanpin_docs.check.MARK_MAX_CELLS", 50)  # the 4 × 26 cells of this roster are more
    marked = tmp_path / "标注.xlsx"
    result = run("check", roster(tmp_path, *good_people()), "--mark", marked)
    assert result.exit_code == 1 and "无法标注" in result.output and "工作簿太大" in result.output
    assert "没有发现问题" in result.output and not marked.exists()


def test_check_without_a_card_template_imports_no_card_or_office_library(tmp_path: Path) -> None:
    """Outside a workspace there is no card template to try: checking a roster loads neither the card
    package nor python-docx, openpyxl or numpy (what the template check needs)."""
    import json
    import subprocess
    import sys

    path = roster(tmp_path, *good_people())
    probe = (
        "import contextlib, io, json, sys\nfrom fanpin_docs.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    try:\n        app(['check', {str(path)!r}])\n    except SystemExit as exit:\n        code = exit.code\n"
        "print(json.dumps([code, out.getvalue(), sorted(sys.modules)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    code, output, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert code in (0, None) and "没有发现问题（2 条记录）" in output
    assert [m for m in ("fanpin_docs.cards", "docx", "docxtpl", "openpyxl", "numpy") if m in loaded] == []
