"""Benchmark `fanpin cards` end to end against a plain docxtpl loop, in the same run.

    python benchmarks/cards.py [N] [--workers W] [--sample K] [--keep DIR] [--rerun] [--pdf]

Generates N synthetic households (valid IDs) and a measures ledger, runs the real command in a
subprocess (wall time, peak memory of the process tree), then times a plain docxtpl loop
(DocxTemplate(path), render, save per household) on a sample of K households of the same data
with the same template, and prints where the time goes and each figure against its goal: 10,000
households in ≤ 8 s wall on 2 cores, peak memory ≤ 500 MB, ≥ 40× the docxtpl loop's throughput.
With --pdf the command also converts the village print files through the warm LibreOffice pool (goal:
10,000 households' cards + print files + PDF ≤ 5 minutes, peak ≤ 1.5 GB including LibreOffice).
Machines shared with other work give slower, noisier figures: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import write_inputs
from timing import as_installed

from fanpin_docs.cards.data import VILLAGE_FIELDS, build_cards
from fanpin_docs.cards.render import CardRenderer
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_measures, load_roster
from fanpin_docs.settings import Settings
from fanpin_docs.templating import environment, find_template, load_docx_template

POLICY = "qianjiang-2023"
GOAL_SECONDS = 8.0  # 10,000 households end to end
GOAL_MB = 500.0  # peak memory of all processes
GOAL_RATIO = 40.0  # × the docxtpl loop's throughput
GOAL_PDF_SECONDS = 300.0
GOAL_PDF_MB = 1500.0


def against(value: float, goal: float, unit: str, *, at_most: bool = True) -> str:
    """「goal ≤ 8 s: met」 (or 「NOT met」)."""
    met = value <= goal if at_most else value >= goal
    return f"goal {'≤' if at_most else '≥'} {goal:g}{unit}: {'met' if met else 'NOT met'}"


def _memory_kb(pid: int) -> int:
    """Proportional set size (shared pages split between the processes sharing them), else RSS, in kB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tree_memory_mb(pid: int) -> float:
    """Memory of a process and all its descendants (Linux /proc), in MB: forked workers share pages
    with their parent, so proportional set sizes are summed rather than resident sizes."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            total += _memory_kb(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def run_command(
    roster: Path, measures: Path, out: Path, workers: int | None, pdf: bool = False
) -> tuple[float, float, float, str]:
    """(wall seconds, peak sampled RSS of the process tree MB, largest single process MB, output)."""
    command = [
        sys.executable,
        "-c",
        "from fanpin_docs.cli import main; main()",
        "cards",
        "--roster",
        str(roster),
        "--measures",
        str(measures),
        "--policy",
        POLICY,
        "--out",
        str(out),
        "--force",
    ]
    if workers:
        command += ["--workers", str(workers)]
    if pdf:
        command.append("--pdf")
    peak = [0.0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=as_installed()
    )

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_memory_mb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"fanpin cards failed:\n{output}")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak[0], largest, output


def phases(roster_path: Path, measures_path: Path) -> tuple[dict[str, float], list]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    roster = load_roster(roster_path)
    timings["read roster (python-calamine + validation)"] = time.perf_counter() - started
    started = time.perf_counter()
    records = load_measures(measures_path, roster)
    timings["read ledger"] = time.perf_counter() - started
    started = time.perf_counter()
    cards = build_cards(roster, records, load_policy(POLICY), year=2023)
    timings["rule engine + card data"] = time.perf_counter() - started
    return timings, cards


def fast_per_card_ms(cards: list, folder: Path) -> float:
    """The fast path on one core: render, write the zip, per card."""
    template = find_template("明白卡.docx", Settings())
    renderer = CardRenderer(
        load_docx_template(template), timestamp="2023-01-01T00:00:00Z", shared_fields=VILLAGE_FIELDS
    )
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for index, card in enumerate(cards):
        data, _ = renderer.card(card.context)
        (folder / f"{index}.docx").write_bytes(data)
    return (time.perf_counter() - started) / len(cards) * 1000


def docxtpl_per_card_ms(cards: list, folder: Path) -> float:
    """The plain docxtpl loop: load the template, render, save, per household."""
    from docxtpl import DocxTemplate

    template = find_template("明白卡.docx", Settings())
    env = environment()
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for index, card in enumerate(cards):
        document = DocxTemplate(str(template))
        document.render(card.context, jinja_env=env)
        document.save(str(folder / f"{index}.docx"))
    return (time.perf_counter() - started) / len(cards) * 1000


def disk_per_file_us(folder: Path, files: int = 400, size: int = 12_000) -> float:
    """What this disk takes to create, write and move into place one card-sized file, as the cards run
    writes each (µs). A virtual disk mounted with `discard` can take ten times longer for a minute
    after many files were deleted (an earlier run's output): printed beside the run's figures. The
    files stay until the scratch folder is removed, after the measurements."""
    folder.mkdir(parents=True, exist_ok=True)
    data = os.urandom(size)
    started = time.perf_counter()
    for index in range(files):
        temporary = folder / f".tmp-{index}"
        temporary.write_bytes(data)
        os.replace(temporary, folder / f"{index}.docx")
    return (time.perf_counter() - started) / files * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", nargs="?", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--sample", type=int, default=200, help="households in the docxtpl baseline sample")
    parser.add_argument("--keep", type=Path, default=None, help="keep inputs and output in this folder")
    parser.add_argument(
        "--rerun", action="store_true", help="also time a second run over the first one's output"
    )
    parser.add_argument("--pdf", action="store_true", help="run the command with --pdf (LibreOffice pool)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fanpin-bench-") as scratch:
        folder = args.keep or Path(scratch)
        print(f"generating {args.households:,} households …", flush=True)
        roster, measures = write_inputs(folder / "inputs", args.households)
        size_mb = roster.stat().st_size / 1e6
        out = folder / "out"

        disk_us = disk_per_file_us(folder / "disk-probe")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, tree_peak, largest, output = run_command(roster, measures, out, args.workers, args.pdf)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
        files = sum(1 for p in out.rglob("*.docx"))
        pdfs = sum(1 for p in out.rglob("*.pdf"))
        rerun = run_command(roster, measures, out, args.workers, args.pdf)[0] if args.rerun else None

        timings, cards = phases(roster, measures)
        sample = cards[:: max(1, len(cards) // args.sample)][: args.sample]
        fast_ms = fast_per_card_ms(sample, folder / "fast-sample")
        slow_ms = docxtpl_per_card_ms(sample, folder / "docxtpl-sample")

    per_card = wall / args.households * 1000
    ratio = slow_ms * args.households / 1000 / wall
    goals = args.households == 10_000  # the goals are for 10,000 households

    def goal(text: str) -> str:
        return f" ({text})" if goals else ""

    print("\n".join(line for line in output.splitlines() if "用时" in line or line.startswith("✓")))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average           {load} (1, 5, 15 min; an idle 2-core machine: < 0.5)")
    print(
        f"households             {args.households:,}  (roster {size_mb:.1f} MB)"
        + ("" if goals else "; the goals are for 10,000")
    )
    print(f"files written          {files:,} .docx (cards + village print files) + list workbook")
    print(
        f"disk, before the run   {disk_us:.0f} µs to create, write and rename a 12 KB file "
        f"(≈ {disk_us * files / 1e6:.1f} s of the run's {files:,} files, shared by the workers)"
    )
    if args.pdf:
        print(
            f"PDF                    {pdfs:,} village print files; whole run {wall:.1f} s"
            + goal(against(wall, GOAL_PDF_SECONDS, " s"))
            + f", peak {tree_peak:.0f} MB"
            + goal(against(tree_peak, GOAL_PDF_MB, " MB"))
        )
    print(
        f"wall, end to end       {wall:.2f} s"
        + goal(against(wall, GOAL_SECONDS, " s"))
        + (f"; rerun over it {rerun:.2f} s" if rerun else "")
    )
    print(f"per card               {per_card:.2f} ms (wall / households)")
    print(
        f"CPU time               {user + system:.2f} s all processes (user {user:.2f} + system {system:.2f}): "
        "steadier than wall time on a busy machine"
    )
    print(
        f"peak memory            {tree_peak:.0f} MB all processes (sampled every 50 ms, PSS)"
        + goal(against(tree_peak, GOAL_MB, " MB"))
        + f"; largest single process {largest:.0f} MB RSS"
    )
    print(
        f"docxtpl loop           {slow_ms:.1f} ms per card on a sample of {len(sample)} "
        f"→ {slow_ms * args.households / 1000:.0f} s for {args.households:,}"
    )
    print(f"fast path, one core    {fast_ms:.2f} ms per card (render + zip + write)")
    print(
        f"throughput ratio       {ratio:.1f}× the docxtpl loop, end to end"
        + goal(against(ratio, GOAL_RATIO, "×", at_most=False))
        + f"; {slow_ms / fast_ms:.1f}× per card on one core"
    )
    for name, seconds in timings.items():
        print(f"  {name:<42} {seconds:.2f} s (in this process)")


if __name__ == "__main__":
    main()
