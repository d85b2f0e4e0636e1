"""The 台账 page in a real browser: a roster with a wrong ID number uploaded to 存入一期 is not stored,
and the answer lists the problem as the 检查 page does — file, sheet, row and column in their own
cells, the masked value, 错误 with the message, and how to fix it; the two tables download under
names that carry their periods."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from browser_support import Server, screenshot, table_rows
from fanpin_docs.cli import app
from fanpin_docs.ledger import DB_NAME
from fanpin_docs.masking import mask_id
from fanpin_docs.workspace import init_workspace
from ledger_data import build_quarters
from test_browser_cards_flow import WRONG_COLUMN, WRONG_ROW, wrong_id_roster


def test_a_refused_export_lists_its_problems_in_place(serve, page: Page, tmp_path: Path) -> None:
    workspace = tmp_path / "城东街道"
    init_workspace(workspace, township="城东街道", county="重庆市黔江区", policy="qianjiang-2023")
    roster, wrong = wrong_id_roster(tmp_path / "名单")
    server: Server = serve(workspace)
    page.goto(server.url + "ledger")

    page.get_by_label("户籍监测名单").set_input_files(roster)
    page.get_by_label("期间").fill("2024Q1")
    page.get_by_role("button", name="存入台账").click()

    result = page.locator("#ledger-add-result")
    expect(result).to_contain_text("没有存入台账")
    problems = result.get_by_role("table")
    expect(problems.get_by_role("row").filter(has_text=WRONG_COLUMN)).not_to_have_count(0)
    screenshot(page, "台账-存入被拒")
    rows = [row for row in table_rows(problems) if row["列"] == WRONG_COLUMN]
    assert rows, table_rows(problems)
    row = rows[0]
    assert (row["文件"], row["行"]) == (roster.name, str(WRONG_ROW))
    assert row["工作表"] and row["怎么改"]
    assert row["原值"] == mask_id(wrong)
    assert row["问题"].startswith("错误")
    assert wrong not in page.content()
    assert not (workspace / "台账导入").exists() or not any((workspace / "台账导入").iterdir())


def test_the_tables_download_under_names_with_their_periods(serve, page: Page, tmp_path: Path) -> None:
    workspace = tmp_path / "城东街道"
    init_workspace(workspace, township="城东街道", county="重庆市黔江区", policy="qianjiang-2023")
    quarters = build_quarters(tmp_path / "季度")
    for label in ("2023Q1", "2023Q2"):
        stored = CliRunner().invoke(
            app,
            ["ledger", "add", str(quarters.files[label]), "--measures", str(quarters.measures)]
            + ["--period", label, "--db", str(workspace / DB_NAME), "--policy", "qianjiang-2023"],
        )
        assert stored.exit_code == 0, stored.output
    server: Server = serve(workspace)
    page.goto(server.url + "ledger")

    for button, name in (
        ("下载动态监测变化表.xlsx", "动态监测变化表（2023Q1至2023Q2）.xlsx"),
        ("下载疑点数据清单.xlsx", "疑点数据清单（2023Q2）.xlsx"),
    ):
        with page.expect_download() as download:
            page.get_by_role("button", name=button).click()
        assert download.value.suggested_filename == name
        saved = tmp_path / "下载" / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.stat().st_size > 0
    screenshot(page, "台账-下载")
