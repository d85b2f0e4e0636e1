"""Reading large national exports against the goals: `fanpin check` on the 10,000-household export
(≤ 1.5 s, and ≤ 2× the raw python-calamine read of the same file in the same run) and on the
100,000-person export (≤ 4 s at ≤ 300 MB peak memory); `load_roster` alone for each.

    python benchmarks/read_large.py                            # both exports
    python benchmarks/read_large.py --households 2000 --people 20000
    python benchmarks/read_large.py --exports /tmp/exports      # keep the exports for the next run

The exports are generated once into a temporary folder (synthetic.py: valid IDs, a title row above
the header, aliased headers). Each measurement runs in a fresh process, so its peak memory
(ru_maxrss) is its own; `fanpin check` is timed from outside, as a user waits for it (interpreter
start and imports included), with the CPU time it used beside the wall time. Timings depend on the
machine's load: the load is printed with them (under load, the CPU times compare better than the wall).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from synthetic import households_for, roster_export  # noqa: E402
from timing import run_script  # noqa: E402

CALAMINE = """
import resource, sys, time
import python_calamine
start = time.perf_counter()
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = [book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names]
elapsed = time.perf_counter() - start
print(f"{elapsed:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
"""
LOAD_ROSTER = """
import resource, sys, time
from fanpin_docs.readers import load_roster, sources
spent = {"scan": 0.0, "calamine": 0.0}
def timed(name, function):
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
    return run
sources.scan_and_read_xlsx = timed("scan", sources.scan_and_read_xlsx)
sources._read_with_calamine = timed("calamine", sources._read_with_calamine)
start = time.perf_counter()
roster = load_roster(sys.argv[1])
elapsed = time.perf_counter() - start
people = sum(len(h.members) for h in roster.households)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(roster.households)} {people} {elapsed:.3f} {peak:.0f} {spent['scan']:.3f} {spent['calamine']:.3f}")
"""
CHECK = """
import contextlib, io, resource, sys
sys.argv = ["fanpin", "check", "--roster", sys.argv[1]]
from fanpin_docs.cli import main
code = 0
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit as exit:
        code = exit.code or 0
print(f"{code} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
"""


def _load() -> str:
    if os.name != "posix":
        return ""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def measure(
    label: str, roster: Path, *, seconds_goal: float, ratio_goal: float | None, memory_goal: float | None
) -> None:
    (raw, raw_peak), _, _ = run_script(CALAMINE, roster)
    (households, people, loaded, load_peak, scan, parse), _, _ = run_script(LOAD_ROSTER, roster)
    (code, check_peak), check_wall, check_cpu = run_script(CHECK, roster)
    calamine = float(raw)
    print(
        f"{label}: {int(households):,} households, {int(people):,} people ({roster.stat().st_size / 1e6:.1f} MB)"
    )
    print(f"  python-calamine alone   {calamine:6.2f} s  peak {raw_peak} MB")
    print(f"  load_roster             {float(loaded):6.2f} s  peak {load_peak} MB")
    checking = float(loaded) - float(scan) - float(parse)
    print(
        f"    of which: sheet scan {float(scan):.2f} s (bounds the sheet before python-calamine may allocate"
        f" it; a large sheet's pieces are parsed by python-calamine in two threads meanwhile), the rest of"
        f" python-calamine and the rows {float(parse):.2f} s, checking the rows and building the"
        f" households {checking:.2f} s"
    )
    goals = [f"≤ {seconds_goal} s"]
    if ratio_goal is not None:
        goals.append(f"≤ {ratio_goal:.0f}× calamine")
    if memory_goal is not None:
        goals.append(f"≤ {memory_goal:.0f} MB")
    print(
        f"  fanpin check            {check_wall:6.2f} s  (CPU {check_cpu:.2f} s)  peak {check_peak} MB  exit {code}"
        f"  (goal {', '.join(goals)}; calamine alone {calamine:.2f} s → {check_wall / calamine:.1f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000, help="households of the first export")
    parser.add_argument("--people", type=int, default=100_000, help="person rows of the second (at least)")
    parser.add_argument(
        "--exports",
        type=Path,
        help="a folder to keep the generated exports in and take them from on the next run (same sizes)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fanpin-bench-") as temporary:
        folder = args.exports or Path(temporary)
        started = time.perf_counter()
        by_households = roster_export(folder / f"households-{args.households}", args.households)
        by_people = roster_export(folder / f"people-at-least-{args.people}", households_for(args.people))
        print(f"exports ready in {time.perf_counter() - started:.1f} s ({folder})")
        print(f"machine: {os.cpu_count()} cores; before: {_load()}")
        measure(
            f"{args.households:,}-household export",
            by_households,
            seconds_goal=1.5,
            ratio_goal=2,
            memory_goal=None,
        )
        measure(f"{args.people:,}-person export", by_people, seconds_goal=4, ratio_goal=None, memory_goal=300)
        print(f"after: {_load()}")


if __name__ == "__main__":
    main()
