"""Every page of the 工作台 on the demo township (`fanpin demo`: 320 households, every document made),
as a clerk sees it at 1366×768: a screenshot of each (browser_support.screenshot), its title as the
navigation names it, and nothing a user must not see — no traceback, no full ID number."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from browser_support import Server, screenshot
from fanpin_docs.idcard import check_digit

PAGES = (("工作区", "工作区"), ("检查", "检查"), ("生成", "生成"), ("结果", "结果"), ("台账", "台账"))
ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def full_id_numbers(text: str) -> list[str]:
    """18-character numbers in `text` whose check digit is right: unmasked ID numbers."""
    return [found for found in ID_LIKE.findall(text) if check_digit(found[:17]) == found[17].upper()]


def demo_workspace(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", "from fanpin_docs.cli import main; main()", "demo"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / "demo"


def test_every_page_reads_well_at_1366_by_768(serve, page: Page, tmp_path: Path) -> None:
    server: Server = serve(demo_workspace(tmp_path))
    page.goto(server.url)
    navigation = page.get_by_role("navigation", name="主导航")
    for number, (link, title) in enumerate(PAGES, start=1):
        navigation.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"页面{number}-{title}")
        html = page.content()
        assert "Traceback" not in html and "程序内部错误" not in html, title
        assert not full_id_numbers(html), (title, full_id_numbers(html)[:3])

    page.goto(server.url + "no-such-page")
    expect(page.get_by_role("alert")).to_contain_text("没有这个页面")
    screenshot(page, "页面6-找不到")
