"""取消 during a 生成明白卡 run stops it the way Ctrl-C stops `fanpin cards`: the page says it was
cancelled, and the output folder holds only complete cards, each recorded in the manifest, and no
temporary file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from browser_support import Server, screenshot
from cards_support import many_households, write_inputs
from fanpin_docs.output import MANIFEST, TEMP_MARK, sha256

HOUSEHOLDS = 3000  # long enough (several seconds on two cores) to be cancelled part way


def test_cancelled_run_leaves_only_complete_files(serve, page: Page, tmp_path: Path) -> None:
    workspace = tmp_path / "工作区"
    server: Server = serve(workspace)
    settings = workspace / "fanpin.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('policy = ""', 'policy = "qianjiang-2023"', 1),
        encoding="utf-8",
    )
    write_inputs(workspace, households=many_households(HOUSEHOLDS, villages=6), ledger=[])
    page.goto(server.url)

    page.get_by_role("button", name="生成明白卡").click()
    progress = page.get_by_role("progressbar", name="进度")
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('progress, [role=progressbar]');
            if (!bar) return false;
            const done = Number(bar.value ?? bar.getAttribute('aria-valuenow'));
            const total = Number(bar.max ?? bar.getAttribute('aria-valuemax'));
            return done > 0 && done < total;
        }""",
        timeout=120_000,
    )
    expect(progress).to_be_visible()
    screenshot(page, "工作区-生成中")
    page.get_by_role("button", name="取消").click()
    expect(page.get_by_role("button", name="取消")).to_have_count(0, timeout=60_000)  # the run ended
    told = page.get_by_role("alert").or_(page.get_by_role("status"))
    expect(told.filter(has_text="已取消").first).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="明白卡 ")).to_have_count(0)  # no summary of a done run
    screenshot(page, "工作区-已取消")

    out = workspace / "output"
    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.startswith(TEMP_MARK)]
    cards = [p for p in files if p.suffix == ".docx"]
    assert 0 < len(cards) < HOUSEHOLDS, len(cards)  # stopped part way
    recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    for card in cards:
        with zipfile.ZipFile(card) as archive:
            assert archive.testzip() is None
            assert b"</w:document>" in archive.read("word/document.xml")
        relative = str(card.relative_to(out))
        # a complete card the manifest does not know would be refused as edited by the next run
        assert recorded.get(relative) == sha256(card.read_bytes()), f"{relative} 不在清单中或指纹不符"
