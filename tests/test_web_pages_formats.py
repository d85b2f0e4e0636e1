"""An upload is stored under the extension its content calls for (a CSV as 户籍监测名单.csv, not .xlsx),
named so in fanpin.toml for the commands, with the previous file kept as a dated copy; restoring that
copy puts its own name back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from fanpin_docs.readers.suffixes import content_suffix
from fanpin_docs.settings import load_settings
from helpers import ROSTER_HEADER, roster_row
from test_readers_hostile import write_ods
from web_pages_support import GOOD_IDS, Page, new_workspace, roster_bytes

PEOPLE = [
    roster_row("001", "张大山", GOOD_IDS[0], "户主", size=1),
    roster_row("002", "李二", GOOD_IDS[1], "户主"),
    roster_row("002", "李小妹", GOOD_IDS[2], "之女"),
]


def roster_text(delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(
        [ROSTER_HEADER, *([str(v) for v in row] for row in PEOPLE)]
    )
    return out.getvalue().encode("utf-8")


def test_a_csv_replacing_the_xlsx_is_stored_as_csv_and_restoring_puts_the_xlsx_back(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    first = (workspace / "户籍监测名单.xlsx").read_bytes()
    page = Page(workspace)
    answer = page.upload("/api/inputs/roster", roster_text(), "十二月名单.csv")
    assert answer.status_code == 200, answer.text
    message = answer.json()["message"]
    assert message.startswith(
        "已保存为户籍监测名单「户籍监测名单.csv」，原来的文件保存为旧版本「户籍监测名单-"
    )
    assert message.endswith(".xlsx」，并在 fanpin.toml 的 [inputs] 中设为 roster。")
    assert (workspace / "户籍监测名单.csv").read_bytes() == roster_text()
    assert not (workspace / "户籍监测名单.xlsx").exists()
    assert load_settings(workspace).input_path("roster", None) == workspace / "户籍监测名单.csv"
    [kept] = (workspace / "旧版本").iterdir()
    assert kept.suffix == ".xlsx" and kept.read_bytes() == first
    assert page.check()["roster"]["text"] == "✓ 2 条记录"
    # the .xlsx is listed among the versions and can be put back under its own name
    buttons = [b for b in page.html("/").iter("button") if b.get("data-restore") == "roster"]
    assert [b.get("data-version") for b in buttons] == [kept.name]
    answer = page.post("/api/inputs/roster/restore", json={"version": kept.name})
    assert answer.status_code == 200, answer.text
    assert answer.json()["file"] == "户籍监测名单.xlsx"
    assert (workspace / "户籍监测名单.xlsx").read_bytes() == first
    assert not (workspace / "户籍监测名单.csv").exists()
    assert load_settings(workspace).input_path("roster", None) == workspace / "户籍监测名单.xlsx"
    [csv_copy] = (workspace / "旧版本").iterdir()
    assert csv_copy.suffix == ".csv" and csv_copy.read_bytes() == roster_text()
    assert page.check()["roster"]["text"] == "✓ 1 条记录，1 处提醒"  # the blank roster again: its example row


def test_a_csv_saved_under_an_xls_name_is_stored_as_csv(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    answer = page.upload("/api/inputs", roster_text(), "导出.xls")
    assert answer.status_code == 200, answer.text
    assert answer.json()["file"] == "户籍监测名单.csv"
    assert load_settings(workspace).input_path("roster", None) == workspace / "户籍监测名单.csv"
    assert page.check()["roster"]["text"] == "✓ 2 条记录"


def test_a_tab_separated_export_under_an_xls_name_stays_xls(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    answer = page.upload("/api/inputs/roster", roster_text("\t"), "导出.xls")
    assert answer.status_code == 200, answer.text
    assert answer.json()["file"] == "户籍监测名单.xls"
    assert page.check()["roster"]["text"] == "✓ 2 条记录"


def test_an_xlsx_under_an_xls_name_is_stored_as_xlsx_in_place(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    answer = page.upload("/api/inputs/roster", roster_bytes(tmp_path, bad=False), "名单.xls")
    assert answer.status_code == 200, answer.text
    assert "fanpin.toml" not in answer.json()["message"]  # the same name: the setting is unchanged
    assert load_workbook(workspace / "户籍监测名单.xlsx").active["F3"].value == "李二"


def test_an_ods_is_stored_as_ods_and_read(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    rows = [list(ROSTER_HEADER), *([str(v) for v in row] for row in PEOPLE)]
    ods = write_ods(tmp_path / "名单.ods", rows)
    answer = page.upload("/api/inputs/roster", ods.read_bytes(), "名单.ods")
    assert answer.status_code == 200, answer.text
    assert answer.json()["file"] == "户籍监测名单.ods"
    assert page.check()["roster"]["text"] == "✓ 2 条记录"


def test_content_suffix_of_each_format(tmp_path: Path) -> None:
    files = {
        "a.xls": roster_text(),
        "b.csv": roster_text("\t"),
        "c.xlsx": roster_bytes(tmp_path, bad=False),
        "d.xls": b"<html><body><table><tr><td>1</td><td>2</td></tr></table></body></html>",
    }
    found = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        found[name] = content_suffix(tmp_path / name)
    assert found == {"a.xls": ".csv", "b.csv": ".xls", "c.xlsx": ".xlsx", "d.xls": ".xls"}
    assert content_suffix(write_ods(tmp_path / "e.xlsx", [["x"]])) == ".ods"
