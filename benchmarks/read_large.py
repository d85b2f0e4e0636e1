"""Reading a large national export: time and peak memory of the roster reader and of `fanpin check`.

    python benchmarks/read_large.py              # 100,000 people
    python benchmarks/read_large.py --people 20000

The export is generated once into a temporary folder (synthetic.py: valid IDs, a title row above
the header, aliased headers). Each measurement runs in a fresh process so its peak memory
(ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from synthetic import write_inputs  # noqa: E402

MEASURE = """
import resource, sys, time
from fanpin_docs.readers import load_roster
start = time.perf_counter()
roster = load_roster(sys.argv[1])
elapsed = time.perf_counter() - start
people = sum(len(h.members) for h in roster.households)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(roster.households)} {people} {elapsed:.2f} {peak:.0f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="about how many person rows")
    args = parser.parse_args()
    households = round(args.people / 3.5)  # synthetic households average 3.5 people
    with tempfile.TemporaryDirectory(prefix="fanpin-bench-") as folder:
        started = time.perf_counter()
        roster, _ = write_inputs(Path(folder), households)
        print(
            f"generated {roster.name}: {roster.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        )
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, str(roster)], capture_output=True, text=True, check=True
        )
        count, people, seconds, peak = result.stdout.split()
        print(f"load_roster: {count} households, {people} people in {seconds} s, peak memory {peak} MB")
        fanpin = Path(sys.executable).with_name("fanpin")
        started = time.perf_counter()
        check = subprocess.run(
            [str(fanpin), "check", "--roster", str(roster)], capture_output=True, text=True
        )
        print(f"fanpin check: exit {check.returncode} in {time.perf_counter() - started:.2f} s wall")


if __name__ == "__main__":
    main()
