"""Benchmark the 工作台's 台账 page on a ledger of two 10,000-household periods.

    python benchmarks/ledger_page.py [N]

Makes a workspace with `fanpin init`, stores a synthetic N-household export twice (the second time with
about a tenth of the incomes changed, as benchmarks/ledger.py does) and times in-process (the ASGI app
through httpx, no network): the first GET /ledger after the server started (nothing computed yet; the
test client is started by a request for a stylesheet first), the same page 20 times more before the
tables are made (median), the tables the page's script then asks for (/api/ledger/tables: the changes
and the audit), and GET /ledger again (from the cache, median of 20). Goal: the page under 200 ms with
10,000 households.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fastapi.testclient import TestClient
from ledger import store_quarters
from synthetic import write_inputs
from timing import timed

from fanpin_docs.context import resolve
from fanpin_docs.ledger import LedgerStore, database_path, read_export
from fanpin_docs.web.app import ServerConfig, create_app
from fanpin_docs.workspace import init_workspace


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder) / "ws"
        init_workspace(workspace, township="城东街道", policy="qianjiang-2023")
        roster, measures = write_inputs(Path(folder) / "export", n)
        snapshot = read_export(roster, period="2023Q1", measures_path=measures).snapshot
        with LedgerStore.open(database_path(resolve(workspace=workspace).settings)) as store:
            store_quarters(store, ("2023Q1", "2023Q2"), snapshot, roster=roster.name, measures=measures.name)
        client = TestClient(create_app(ServerConfig(workspace=workspace)), base_url="http://127.0.0.1:8765")
        client.get("/static/app.css")
        first, page = timed(lambda: client.get("/ledger"))
        waiting = [timed(lambda: client.get("/ledger"))[0] for _ in range(20)]
        tables, answer = timed(lambda: client.get("/api/ledger/tables"))
        again = [timed(lambda: client.get("/ledger"))[0] for _ in range(20)]
    print(f"{n} 户 × 2 期；首页回答 {len(page.text) // 1000} kB，表格 {answer.status_code}")
    print(f"GET /ledger 启动后第一次（尚未计算）：{first * 1000:.0f} ms（目标 < 200 ms）")
    print(f"GET /ledger 表格算好之前（20 次中位数）：{statistics.median(waiting) * 1000:.0f} ms")
    print(f"GET /api/ledger/tables 计算变化和疑点：{tables:.2f} s")
    print(f"GET /ledger 从缓存显示（20 次中位数）：{statistics.median(again) * 1000:.0f} ms（目标 < 200 ms）")
    if os.name == "posix":
        print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
