"""Opening a user's file and finding its table: refusals of what is not a workbook, header search,
aliases, and the typed cell readers every workbook reader shares."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from fanpin_docs.errors import InputError, Problem
from fanpin_docs.readers.rows import RowReader, raise_if_errors
from fanpin_docs.readers.workbook import Column, open_workbook, read_table
from helpers import make_id, write_xlsx

COLUMNS = (
    Column("姓名", required=True),
    Column("证件号码", ("身份证号", "身份证号码"), required=True, is_id=True),
    Column("金额", ("补助金额",)),
    Column("日期"),
    Column("结果"),
    Column("电话"),
)


def refusal(path: Path) -> Problem:
    with pytest.raises(InputError) as caught:
        open_workbook(path)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.file == path.name
    assert problem.hint
    return problem


# --- files that are not workbooks --------------------------------------------------------------


def test_text_file_renamed_xlsx_refused(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("这是一段说明文字\n没有表格\n", encoding="utf-8")
    problem = refusal(path)
    assert "不是 Excel 工作簿" in problem.message and ".xlsx" in problem.message
    assert "纯文本" in problem.message and "另存为" in problem.hint


def test_comma_or_tab_separated_text_under_an_excel_name_is_read(tmp_path: Path) -> None:
    csv_named_xlsx = tmp_path / "名单.xlsx"
    csv_named_xlsx.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    assert open_workbook(csv_named_xlsx) == {"名单": [["姓名", "身份证号"], ["张三", "1"]]}
    tsv_named_xls = tmp_path / "导出.xls"
    tsv_named_xls.write_bytes("姓名\t金额\n李四\t1,500\n".encode("gb18030"))
    assert open_workbook(tsv_named_xls) == {"导出": [["姓名", "金额"], ["李四", "1,500"]]}


def test_empty_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    assert "不是 Excel 工作簿" in refusal(path).message


def test_encrypted_workbook_refused(tmp_path: Path) -> None:
    # Excel saves a password-protected .xlsx as an OLE compound file holding an EncryptedPackage stream
    path = tmp_path / "加密.xlsx"
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    )
    problem = refusal(path)
    assert "密码" in problem.message
    assert "取消密码" in problem.hint


def test_broken_ole_file_is_not_called_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "旧表.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024)
    problem = refusal(path)
    assert "密码" not in problem.message and "无法作为工作簿读取" in problem.message


def test_web_page_saved_as_xls_is_read(tmp_path: Path) -> None:
    path = tmp_path / "系统导出.xls"
    page = (
        '<html><head><meta charset="gbk"></head><body><table border="1">'
        "<tr><th>姓名</th><th>金额</th></tr><tr><td>张三</td><td> 1,500 </td></tr>"
        "<tr><td>李&amp;四</td><td></td></tr></table></body></html>"
    )
    path.write_bytes(page.encode("gbk"))
    assert open_workbook(path) == {"系统导出": [["姓名", "金额"], ["张三", "1,500"], ["李&四", ""]]}


def test_word_document_renamed_xlsx_refused(tmp_path: Path) -> None:
    path = tmp_path / "文书.xlsx"
    docx.Document().save(path)
    assert "无法作为工作簿读取" in refusal(path).message


def test_zip_that_is_not_a_workbook_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    path = tmp_path / "压缩包.xlsx"
    path.write_bytes(buffer.getvalue())
    assert "无法作为工作簿读取" in refusal(path).message


def test_fake_xls_refused(tmp_path: Path) -> None:
    path = tmp_path / "旧格式.xls"
    path.write_text("not an xls", encoding="utf-8")
    assert "不是 Excel 工作簿" in refusal(path).message


def test_unsupported_file_type_refused(tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"
    path.write_text("张三", encoding="utf-8")
    problem = refusal(path)
    assert ".txt" in problem.message and ".xlsx" in problem.hint


def test_missing_file_and_folder_refused(tmp_path: Path) -> None:
    assert "不存在" in refusal(tmp_path / "没有这个文件.xlsx").message
    assert "文件夹" in refusal(tmp_path).message


def test_all_sheets_are_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "多表.xlsx", [["a", 1]], sheet="甲", extra_sheets={"乙": [["b", 2.5]]})
    sheets = open_workbook(path)
    assert list(sheets) == ["甲", "乙"]
    assert sheets["甲"][0][0] == "a"
    assert sheets["乙"][0][1] == 2.5


# --- the header row -----------------------------------------------------------------------------


def test_header_found_under_title_rows_with_aliases_and_odd_spacing(tmp_path: Path) -> None:
    rows = [
        ["某某表"],
        ["单位：某镇", None, "日期"],
        [" 姓 名 ", "身份证号码\n", "补助金额（元）"],
        ["张三", make_id(), "1,500"],
    ]
    table = read_table(write_xlsx(tmp_path / "t.xlsx", rows), COLUMNS)
    assert table.header_row == 3
    assert table.headers == {"姓名": "姓 名", "证件号码": "身份证号码", "金额": "补助金额(元)"}
    assert table.rows == [(4, {"姓名": "张三", "证件号码": make_id(), "金额": "1,500"})]
    assert table.column_letters == {"姓名": "A", "证件号码": "B", "金额": "C"}


def test_full_width_header_matches(tmp_path: Path) -> None:
    rows = [["姓名", "证件号码", "金额（元）"], ["张三", make_id(), 1]]
    assert read_table(write_xlsx(tmp_path / "t.xlsx", rows), COLUMNS).has("金额")


def test_header_beyond_the_search_window_is_not_found(tmp_path: Path) -> None:
    rows = [[f"说明 {i}"] for i in range(30)] + [["姓名", "证件号码"], ["张三", make_id()]]
    with pytest.raises(InputError) as caught:
        read_table(write_xlsx(tmp_path / "t.xlsx", rows), COLUMNS)
    assert "找不到必需的列" in caught.value.problems[0].message


def test_missing_required_column_names_it_and_its_aliases(tmp_path: Path) -> None:
    rows = [["标题"], ["姓名", "金额"], ["张三", 1]]
    with pytest.raises(InputError) as caught:
        read_table(write_xlsx(tmp_path / "t.xlsx", rows), COLUMNS)
    problem = caught.value.problems[0]
    assert "「证件号码」" in problem.message and "身份证号" in problem.message
    assert "姓名" not in problem.message
    assert problem.row == 2


def test_duplicated_column_under_two_names_refused(tmp_path: Path) -> None:
    rows = [["姓名", "证件号码", "身份证号"], ["张三", make_id(), make_id()]]
    with pytest.raises(InputError) as caught:
        read_table(write_xlsx(tmp_path / "t.xlsx", rows), COLUMNS)
    problem = caught.value.problems[0]
    assert problem.column == "身份证号" and "重复" in problem.message and problem.row == 1


def test_empty_sheet_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_table(write_xlsx(tmp_path / "t.xlsx", [[None, "  "]]), COLUMNS)
    assert "空" in caught.value.problems[0].message


def test_wanted_sheet_name_preferred(tmp_path: Path) -> None:
    good = [["姓名", "证件号码"], ["张三", make_id()]]
    other = [["姓名", "证件号码"], ["李四", make_id(sequence=5)]]
    path = write_xlsx(tmp_path / "t.xlsx", other, sheet="旧数据", extra_sheets={" 名单 ": good})
    assert read_table(path, COLUMNS, sheet_names=("名单",)).rows[0][1]["姓名"] == "张三"
    assert read_table(path, COLUMNS).rows[0][1]["姓名"] == "李四"


def test_csv_with_title_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"名单\n姓名,身份证号\n张三,{make_id()}\n", encoding="utf-8-sig")
    table = read_table(path, COLUMNS)
    assert table.header_row == 2 and table.rows[0][1]["姓名"] == "张三"


# --- typed cells ---------------------------------------------------------------------------------


def reader_for(tmp_path: Path, values: dict[str, object]) -> tuple[RowReader, list[Problem]]:
    header = ["姓名", "证件号码", "金额", "日期", "结果", "电话"]
    row = [values.get(name) for name in header]
    table = read_table(write_xlsx(tmp_path / "t.xlsx", [header, ["张三", make_id()], row]), COLUMNS)
    problems: list[Problem] = []
    return RowReader(table, 3, table.rows[-1][1], problems), problems


def test_decimal_cell(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"金额": "１，５００.５"})
    assert reader.decimal("金额") == Decimal("1500.5")
    assert problems == []


def test_decimal_refusals_are_located(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"金额": "一千"})
    assert reader.decimal("金额") is None
    assert problems[0].row == 3 and problems[0].column == "金额" and problems[0].value == "一千"
    assert problems[0].sheet == "Sheet1" and problems[0].file == "t.xlsx"


def test_negative_decimal_refused_unless_allowed(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"金额": -3})
    assert reader.decimal("金额") is None
    assert "负数" in problems[0].message and problems[0].value == "-3"
    assert reader.decimal("金额", negative_ok=True) == Decimal(-3)


def test_required_blank_decimal_refused(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {})
    assert reader.decimal("金额") is None and problems == []
    assert reader.decimal("金额", required=True) is None
    assert "必填项为空" in problems[0].message


def test_integer_cell(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"金额": "3.5"})
    assert reader.integer("金额") is None
    assert "整数" in problems[0].message
    reader, problems = reader_for(tmp_path, {"金额": "3.0"})
    assert reader.integer("金额") == 3 and problems == []


def test_date_cell(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"日期": "2024.4.30"})
    assert reader.date("日期") == date(2024, 4, 30)
    reader, problems = reader_for(tmp_path, {"日期": "2024-04-31"})
    assert reader.date("日期") is None
    assert "不是实际存在的日期" in problems[0].message and problems[0].hint


def test_month_only_date_refused_where_a_day_is_needed(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"日期": "202404"})
    assert reader.date("日期", month_only_ok=False) is None
    assert problems[0].column == "日期"


def test_id_cell_masks_its_value(tmp_path: Path) -> None:
    bad = make_id()[:17] + ("1" if make_id()[17] != "1" else "2")
    reader, problems = reader_for(tmp_path, {"证件号码": bad})
    assert reader.id_number("证件号码") is None
    assert problems[0].value == bad[:6] + "********" + bad[-4:]
    assert bad not in problems[0].describe()


def test_choice_and_yes_no(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"结果": " 合格 "})
    assert reader.choice("结果", ("合格", "不合格")) == "合格"
    assert reader.yes_no("结果", ("合格",), ("不合格",)) is True
    reader, problems = reader_for(tmp_path, {"结果": "优秀"})
    assert reader.choice("结果", ("合格", "不合格")) == ""
    assert reader.yes_no("结果", ("合格",), ("不合格",)) is None
    assert len(problems) == 2 and all("不是规定的选项" in p.message for p in problems)


def test_phone_cell_normalised_or_warned(tmp_path: Path) -> None:
    reader, problems = reader_for(tmp_path, {"电话": "138-1234-5678"})
    assert reader.phone("电话") == "13812345678" and problems == []
    reader, problems = reader_for(tmp_path, {"电话": "123"})
    assert reader.phone("电话") is None
    assert problems[0].severity == "warning"


def test_raise_if_errors_keeps_warnings_beside_errors() -> None:
    warning = Problem("f.xlsx", "提醒", severity="warning")
    raise_if_errors([warning])  # warnings alone do not refuse the file
    error = Problem("f.xlsx", "错误", row=3)
    with pytest.raises(InputError) as caught:
        raise_if_errors([warning, error])
    assert caught.value.problems == [error] and caught.value.warnings == [warning]
    assert "1 处问题" in str(caught.value) and "提醒" not in str(caught.value)


def test_problem_describe_reads_as_one_sentence() -> None:
    problem = Problem(
        "名单.xlsx",
        "不是数字",
        hint="只填写数字",
        sheet="Sheet1",
        row=7,
        column="工资性收入",
        value="三千",
        household="H1",
    )
    assert problem.describe() == (
        "文件「名单.xlsx」 工作表「Sheet1」 第 7 行 列「工资性收入」 户编号 H1："
        "不是数字（当前值：三千）。处理办法：只填写数字"
    )
