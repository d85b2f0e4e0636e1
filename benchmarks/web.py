"""Benchmark the 工作台 against the command line on one 10,000-household workspace.

    python benchmarks/web.py [N] [--rounds R] [--loads L] [--keep DIR]

Makes a workspace (`fanpin init`, policy qianjiang-2023) with N synthetic households and a measures
ledger (benchmarks/synthetic.py), and a copy of it. Then, R times in turn, into an emptied output folder:
`fanpin cards` in the first copy (a subprocess, wall time), and in the second copy the same HTTP calls the
工作区 page's 生成明白卡 button makes against a live `fanpin serve` (POST /api/runs with the page's CSRF
token, then GET /api/runs/{id} every 0.4 s as the page polls, until the run ends). Goal: the page's run
within 10 % of the command's (best of each). The two output folders must hold the same cards, byte for
byte. Last, with the 10,000 cards in the output folder, every page of the navigation is loaded L times
(after one first load, which is shown apart): goal median under 200 ms each.

Each figure is printed against its goal; the machine's load average is printed beside them, since the
timings of a busy machine say little.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import write_inputs

from fanpin_docs.workspace import init_workspace

POLICY = "qianjiang-2023"
PAGES = ("/", "/check", "/runs", "/results", "/ledger")  # the navigation bar's pages
POLL = 0.4  # seconds between the page's looks at a running run (runs.js)
RUN_GOAL = 1.10  # the page's run / the command's
LOAD_GOAL_MS = 200.0
ADDRESS = re.compile(r"工作台已启动：(http://[^/\s（]+/)")
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def make_workspace(folder: Path, households: int) -> Path:
    init_workspace(folder, township="城东街道", county="重庆市黔江区", year=2023, policy=POLICY)
    write_inputs(folder, households)  # over the blank 户籍监测名单.xlsx and 帮扶措施台账.xlsx
    return folder


def fresh_output(workspace: Path) -> Path:
    output = workspace / "output"
    shutil.rmtree(output, ignore_errors=True)
    return output


def command_run(workspace: Path) -> float:
    """`fanpin cards` in the workspace, as a clerk at a terminal runs it: wall seconds."""
    fresh_output(workspace)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from fanpin_docs.cli import main; main()", "cards"],
        cwd=workspace,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"fanpin cards failed:\n{done.stdout}{done.stderr}")
    return wall


class Serve:
    """A live `fanpin serve WORKSPACE --no-browser --port 0` in its own process group."""

    def __init__(self, workspace: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from fanpin_docs.cli import main; main()", "serve", str(workspace)]
            + ["--no-browser", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ, COLUMNS="400", PYTHONUNBUFFERED="1"),
            start_new_session=True,
        )
        assert self.process.stdout is not None
        printed = []
        for line in self.process.stdout:
            printed.append(line)
            found = ADDRESS.search(line)
            if found:
                self.url = found.group(1)
                break
        else:
            raise SystemExit("fanpin serve did not start:\n" + "".join(printed))
        self.client = httpx.Client(base_url=self.url, timeout=600)
        page = self.client.get("/")
        page.raise_for_status()
        token = CSRF.search(page.text)
        if token is None:
            raise SystemExit("the 工作区 page carries no CSRF token")
        self.token = token.group(1)

    def cards(self) -> float:
        """The 生成明白卡 button's calls, from the press until the page sees the run end: seconds."""
        started = time.perf_counter()
        answer = self.client.post("/api/runs", json={"kind": "cards"}, headers={"X-CSRF-Token": self.token})
        if answer.status_code != 202:
            raise SystemExit(f"POST /api/runs: {answer.status_code} {answer.text}")
        run_id = answer.json()["id"]
        while True:
            run = self.client.get(f"/api/runs/{run_id}").json()
            if run["state"] != "running":
                break
            time.sleep(POLL)
        wall = time.perf_counter() - started
        if run["state"] != "done":
            raise SystemExit(f"the page's run ended {run['state']}: {run.get('error')}")
        return wall

    def check(self) -> None:
        """What the 工作区 page's script asks once a workbook changed: the check of every workbook."""
        self.client.post("/api/check", json={"force": True}, headers={"X-CSRF-Token": self.token})

    def load(self, path: str) -> float:
        started = time.perf_counter()
        response = self.client.get(path)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: {response.status_code}")
        return elapsed * 1000

    def stop(self) -> None:
        self.client.close()
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def cards_digest(output: Path) -> dict[str, str]:
    return {
        str(path.relative_to(output)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(output.rglob("*.docx"))
    }


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def verdict(ok: bool) -> str:
    return "✓" if ok else "✗"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", nargs="?", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, in turn (best is compared)")
    parser.add_argument("--loads", type=int, default=7, help="loads of each page after the first")
    parser.add_argument("--keep", type=Path, default=None, help="keep the workspaces in this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fanpin-bench-web-") as scratch:
        folder = args.keep or Path(scratch)
        print(f"generating {args.households:,} households … ({load_average()})", flush=True)
        terminal = make_workspace(folder / "命令行", args.households)
        page = folder / "工作台"
        shutil.copytree(terminal, page)

        server = Serve(page)
        try:
            command_times: list[float] = []
            page_times: list[float] = []
            for round_number in range(1, args.rounds + 1):
                command_times.append(command_run(terminal))
                fresh_output(page)
                page_times.append(server.cards())
                print(
                    f"round {round_number}: fanpin cards {command_times[-1]:.2f} s, "
                    f"page {page_times[-1]:.2f} s ({load_average()})",
                    flush=True,
                )
            same = cards_digest(terminal / "output") == cards_digest(page / "output")
            cards = len(list((page / "output").rglob("*.docx")))

            server.check()
            first = {path: server.load(path) for path in PAGES}
            loads = {path: [server.load(path) for _ in range(args.loads)] for path in PAGES}
        finally:
            server.stop()

    best_command, best_page = min(command_times), min(page_times)
    ratio = best_page / best_command
    print()
    print(f"households             {args.households:,}; {cards:,} .docx in the output folder")
    print(f"fanpin cards           {best_command:.2f} s (best of {len(command_times)})")
    print(
        f"生成明白卡 (page)      {best_page:.2f} s (best of {len(page_times)}) = {ratio:.2f}× the command"
        f"   goal ≤ {RUN_GOAL:.2f}×  {verdict(ratio <= RUN_GOAL)}"
    )
    print(f"same cards, byte for byte: {verdict(same)}")
    for path in PAGES:
        median = statistics.median(loads[path])
        print(
            f"GET {path:<9} median {median:6.1f} ms of {len(loads[path])} (first {first[path]:6.1f} ms)"
            f"   goal < {LOAD_GOAL_MS:.0f} ms  {verdict(median < LOAD_GOAL_MS)}"
        )
    print(load_average())


if __name__ == "__main__":
    main()
