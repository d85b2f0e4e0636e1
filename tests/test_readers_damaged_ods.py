"""A damaged OpenDocument spreadsheet (its content.xml cut off): a Chinese message naming the file, in
`fanpin check` and on the 工作台's upload, never an internal error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from fanpin_docs.cli import app
from helpers import ROSTER_HEADER
from test_readers_hostile import write_ods
from web_pages_support import Page, leftovers, new_workspace

CUT_OFF = "<table:table-row><table:table-cell>"  # the file ends inside a row: content.xml is not whole XML


def damaged(tmp_path: Path) -> Path:
    return write_ods(tmp_path / "名单.ods", [list(ROSTER_HEADER)], far=CUT_OFF)


def test_fanpin_check_says_the_ods_is_damaged(tmp_path: Path) -> None:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["check", "--roster", str(damaged(tmp_path))])
    assert result.exit_code == 1, result.output
    assert "名单.ods" in result.output and "文件已损坏" in result.output
    assert "另存为「Excel 工作簿 (.xlsx)」" in result.output
    assert "程序内部错误" not in result.output and "Traceback" not in result.output


def test_an_upload_of_a_damaged_ods_is_refused_with_the_reason(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    before = (workspace / "户籍监测名单.xlsx").read_bytes()
    page = Page(workspace)
    for url in ("/api/inputs", "/api/inputs/roster"):
        answer = page.upload(url, damaged(tmp_path).read_bytes(), "名单.ods")
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert "「名单.ods」没有保存" in error and "文件已损坏" in error and "程序内部错误" not in error
    assert (workspace / "户籍监测名单.xlsx").read_bytes() == before
    assert leftovers(workspace) == []


def test_the_ledger_page_refuses_a_damaged_ods_with_the_reason(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    for url in ("/api/ledger/periods?period=2023Q2", "/api/ledger/measures"):
        answer = page.upload(url, damaged(tmp_path).read_bytes(), "名单.ods")
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"] + str(answer.json().get("problems", ""))
        assert "文件已损坏" in error and "程序内部错误" not in error
    assert page.get("/ledger").status_code == 200
