"""A clerk's first morning with the 工作台, in a real browser: a new workspace, the policy chosen in the
settings form, a roster with a wrong ID number uploaded and its problem read on the 检查 page (file,
sheet, row and column apart, no full ID number anywhere), the fixed roster and the ledger uploaded,
生成明白卡 pressed, the progress followed to its end, 下载全部 on the 结果 page: the zip holds one card
per household, the same bytes `fanpin cards` writes for the same workspace, with the right amounts."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect

from browser_support import Server, screenshot, table_rows
from cards_support import HOUSEHOLDS, write_inputs

# 刘强 (户 5001140010002) is on row 7 of the roster: a title row, the header, then 张大山's three people
WRONG_ROW = 7
WRONG_COLUMN = "身份证号码"


def wrong_id_roster(folder: Path) -> tuple[Path, str]:
    """The test roster with 刘强's ID number given a wrong check digit; (file, the wrong number)."""
    from openpyxl import load_workbook

    roster, _ = write_inputs(folder)
    book = load_workbook(roster)
    sheet = book.active
    header = [cell.value for cell in sheet[2]]
    cell = sheet.cell(row=WRONG_ROW, column=header.index(WRONG_COLUMN) + 1)
    assert sheet.cell(row=WRONG_ROW, column=header.index("姓名") + 1).value == "刘强"
    right = str(cell.value)
    wrong = right[:-1] + ("0" if right[-1] != "0" else "1")
    cell.value = wrong
    book.save(roster)
    return roster, wrong


def household_cards(names: list[str]) -> dict[str, str]:
    """The per-household cards among a list of paths: {household id: path} (the village print files
    and the list workbook are not cards of one household)."""
    cards = {}
    for name in names:
        path = Path(name)
        if path.suffix == ".docx" and "明白卡" in path.parts and "_" in path.stem:
            household = path.stem.split("_", 1)[0]
            if household.isdigit():
                cards[household] = name
    return cards


def cli_cards(workspace: Path, copy: Path) -> Path:
    """`fanpin cards` run in a copy of the workspace (its fanpin.toml, workbooks, templates, policies;
    not its output): the command's output folder."""
    shutil.copytree(workspace, copy, ignore=shutil.ignore_patterns("output"))
    done = subprocess.run(
        [sys.executable, "-c", "from fanpin_docs.cli import main; main()", "cards"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return copy / "output"


def test_new_workspace_to_downloaded_cards(serve, page: Page, tmp_path: Path) -> None:
    server: Server = serve()
    page.goto(server.url)
    screenshot(page, "01-工作区-新建")

    # the policy, in the settings form (checked by fanpin.toml's own model)
    policy = page.get_by_role("textbox", name="适用的政策", exact=True)
    policy.or_(page.get_by_role("combobox", name="适用的政策", exact=True)).fill("qianjiang-2023")
    with page.expect_navigation():  # to the page again, whose scripts (the uploads') run by `load`
        page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_text("设置已保存")).to_be_visible()
    assert 'policy = "qianjiang-2023"' in (server.workspace / "fanpin.toml").read_text(encoding="utf-8")

    # a roster with a wrong ID number: its problem on the 检查 page, every place apart
    wrong_roster, wrong_id = wrong_id_roster(tmp_path / "错的")
    page.get_by_label("户籍监测名单", exact=True).set_input_files(wrong_roster)
    expect(page.get_by_text("已保存为户籍监测名单")).to_be_visible()
    page.get_by_role("button", name="检查", exact=True).click()
    page.wait_for_url("**/check")
    problems = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="怎么改"))
    expect(problems.get_by_role("row").filter(has_text=WRONG_COLUMN)).not_to_have_count(0)
    rows = table_rows(problems)
    wrong = [row for row in rows if row["列"] == WRONG_COLUMN]
    assert wrong, rows
    assert wrong[0]["文件"] == "户籍监测名单.xlsx"
    assert wrong[0]["工作表"] == "Sheet1"
    assert wrong[0]["行"] == str(WRONG_ROW)
    assert wrong[0]["问题"] and wrong[0]["怎么改"]
    assert wrong_id not in page.content()  # ID numbers are masked in pages
    screenshot(page, "02-检查-有错误")

    # the fixed roster and the ledger
    roster, ledger = write_inputs(tmp_path / "改好的")
    with page.expect_navigation():
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作区").click()
    page.get_by_label("户籍监测名单", exact=True).set_input_files(roster)
    expect(page.get_by_text("已保存为户籍监测名单")).to_be_visible()
    page.get_by_label("帮扶措施台账", exact=True).set_input_files(ledger)
    expect(page.get_by_text("已保存为帮扶措施台账")).to_be_visible()
    assert (server.workspace / "户籍监测名单.xlsx").read_bytes() == roster.read_bytes()
    assert (server.workspace / "帮扶措施台账.xlsx").read_bytes() == ledger.read_bytes()
    for label in ("户籍监测名单", "帮扶措施台账"):
        expect(page.get_by_role("row").filter(has=page.get_by_label(label, exact=True))).to_contain_text("✓")
    screenshot(page, "03-工作区-已上传")

    # 生成明白卡: the progress bar, followed to its end, then the summary
    page.get_by_role("button", name="生成明白卡").click()
    progress = page.get_by_role("progressbar", name="进度")
    summary = page.get_by_role("status").filter(has_text="明白卡 5 户")
    expect(summary).to_be_visible(timeout=120_000)
    if progress.count():
        values = progress.evaluate(
            "bar => [Number(bar.value ?? bar.getAttribute('aria-valuenow')),"
            " Number(bar.max ?? bar.getAttribute('aria-valuemax'))]"
        )
        assert values[1] > 0 and values[0] == values[1], values
    expect(page.get_by_role("button", name="取消")).to_have_count(0)
    screenshot(page, "04-工作区-生成完成")

    # 下载全部 on the 结果 page
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="结果").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("结果")
    screenshot(page, "05-结果")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载全部").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert archive.testzip() is None
    in_zip = household_cards(archive.namelist())
    assert sorted(in_zip) == sorted(HOUSEHOLDS)  # one card per household

    command_output = cli_cards(server.workspace, tmp_path / "命令行")
    by_command = household_cards([str(p.relative_to(command_output)) for p in command_output.rglob("*")])
    assert sorted(by_command) == sorted(HOUSEHOLDS)
    for household, name in in_zip.items():
        assert archive.read(name) == (command_output / by_command[household]).read_bytes(), household

    card = Document(io.BytesIO(archive.read(in_zip["5001140010001"])))
    text = "\n".join(
        [p.text for p in card.paragraphs]
        + [cell.text for table in card.tables for row in table.rows for cell in row.cells]
    )
    for expected in ("张大山", "产业到户补助", "2,000.00", "公益性岗位", "7,200.00", "9,200.00"):
        assert expected in text, expected
