"""Benchmark the 工作台's 工作区 and 检查 pages on a large workspace.

    python benchmarks/pages.py [N]

Makes a workspace with `fanpin init`, writes N synthetic households (and their measures ledger) as
its roster and ledger, and times in-process (the ASGI app through httpx, no network): the 工作区
page before anything is checked, the check of every workbook (`/api/check`, what the page's script
asks for; `fanpin check` in the same workspace for comparison), then the 工作区 and 检查 pages from
the cache (median of 20), and the check after one workbook changed. Goal: the page itself under 200 ms with 10,000 households.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fastapi.testclient import TestClient
from synthetic import write_inputs
from timing import timed

from fanpin_docs.web.app import ServerConfig, create_app
from fanpin_docs.workspace import init_workspace


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder) / "ws"
        init_workspace(workspace, township="城东街道", policy="qianjiang-2023")
        write_inputs(workspace, n)
        client = TestClient(create_app(ServerConfig(workspace=workspace)), base_url="http://127.0.0.1:8765")
        first, page = timed(lambda: client.get("/"))
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        check, answer = timed(lambda: client.post("/api/check", headers={"X-CSRF-Token": token}))
        roster = next(k for k in answer.json()["kinds"] if k["kind"] == "roster")
        pages = {
            url: [timed(lambda url=url: client.get(url))[0] for _ in range(20)] for url in ("/", "/check")
        }
        (workspace / "项目申报表.xlsx").touch()  # one workbook changed: only it is read again
        again, _ = timed(lambda: client.post("/api/check", headers={"X-CSRF-Token": token}))
        command = [str(Path(sys.executable).with_name("fanpin")), "check"]
        cli, _ = timed(lambda: subprocess.run(command, cwd=workspace, capture_output=True, check=False))
    print(f"{n} 户（名单：{roster['text']}）")
    print(f"工作区页面，尚未检查：{first * 1000:.0f} ms")
    print(f"/api/check 检查全部工作簿：{check:.2f} s（同一次运行中 fanpin check：{cli:.2f} s）")
    for url, times in pages.items():
        print(f"{url} 从缓存显示（20 次中位数）：{statistics.median(times) * 1000:.0f} ms（目标 < 200 ms）")
    print(f"/api/check 只有项目申报表改过：{again * 1000:.0f} ms")


if __name__ == "__main__":
    main()
