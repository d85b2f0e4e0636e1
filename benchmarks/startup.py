"""How long the command line takes to start: `fanpin --version` and `fanpin check --help`, each run
N times as a new process, against the goal of ≤ 0.3 s.

    python benchmarks/startup.py [N]

Prints the median and the fastest run of each; on a machine shared with other work the fastest run is
the fairer figure, and the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from timing import as_installed

GOAL_SECONDS = 0.3
COMMANDS = (["--version"], ["check", "--help"])


def seconds(arguments: list[str]) -> float:
    command = [sys.executable, "-c", "from fanpin_docs.cli import main; main()", *arguments]
    started = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=as_installed()
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=9)
    args = parser.parse_args()
    seconds(["--version"])  # the first run reads the files into the disk cache
    print(f"load average     {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")
    for arguments in COMMANDS:
        times = [seconds(arguments) for _ in range(args.runs)]
        median, best = statistics.median(times), min(times)
        met = (
            "met"
            if median <= GOAL_SECONDS
            else ("met by the fastest run" if best <= GOAL_SECONDS else "NOT met")
        )
        print(
            f"fanpin {' '.join(arguments):<13} median {median:.3f} s, fastest {best:.3f} s "
            f"of {args.runs} (goal ≤ {GOAL_SECONDS:g} s: {met})"
        )


if __name__ == "__main__":
    main()
