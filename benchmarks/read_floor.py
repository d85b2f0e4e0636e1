"""Where `fanpin check` of a large export spends its time, and the least its parts could cost: why
issue 16's reading goals (10,000 households ≤ 1.5 s, 100,000 people ≤ 4 s) are out of reach.

    python benchmarks/read_floor.py                        # both exports of read_large.py
    python benchmarks/read_floor.py --exports /tmp/exports  # keep the exports for the next run

For each export, in fresh processes:
  start-up      `fanpin check` of the bundled 60-person sample: interpreter, imports, settings and
                command line, a small read (what every check pays before a large file's first row)
  read          the workbook to rows (`read_tables`: the safety scan with python-calamine parsing its
                pieces in two threads), beside python-calamine alone reading the same file
  row checks    `load_roster` after the read: every cell checked, the people and households made
  no checks     the same Person, Income and Household objects made straight from the read cells, with
                nothing checked beyond the ID's check digit: the least any roster reader in Python pays
The last line adds start-up + read + no checks: what `fanpin check` would take if the checks cost
nothing, against the goal.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from read_large import CALAMINE, _export  # noqa: E402
from synthetic import households_for  # noqa: E402
from timing import as_installed  # noqa: E402

SAMPLE = HERE.parent / "data" / "户籍监测名单.xlsx"
START_UP = """
import contextlib, io, sys, time
start = time.perf_counter()
sys.argv = ["fanpin", "check", "--roster", sys.argv[1]]
from fanpin_docs.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(f"{time.perf_counter() - start:.3f}")
"""
# the read, then the row checks and the objects made without checks, each on fresh tables (empty caches)
READ_AND_ROWS = """
import dataclasses, gc, sys, time
from decimal import Decimal
from pathlib import Path
from fanpin_docs.idcard import validate_id_number
from fanpin_docs.models import Household, Income, Person
from fanpin_docs.money import yuan
from fanpin_docs.readers import roster
from fanpin_docs.readers.income import INCOME_COLUMNS

path = Path(sys.argv[1])
roster.load_roster(sys.argv[2])  # the readers' imports, which the start-up has counted
gc.disable()  # as load_roster reads
start = time.perf_counter()
tables = roster.read_tables(path, roster.COLUMNS, sheet_names=roster.SHEET_NAMES)
read = time.perf_counter() - start

def fresh(*args, **kwargs):
    return [dataclasses.replace(t, texts={}, amounts={}, numbers={}, proses={}, dates={True: {}, False: {}},
                                masked_columns=set(), notes=[]) for t in tables]

def amount(value):
    return yuan(Decimal(repr(value))) if type(value) is float else Decimal(0)

def without_checks():
    rows = [row for table in tables for row in table.rows]
    def column(name):  # one sheet, one index: each cell picked by its position
        position = rows[0][1].index[name]
        return [values.cells[position] for _, values in rows]
    people = [
        Person(name=n, id_number=validate_id_number(i), relation=r, source_row=row, health=h,
               labour_skill=s, school_status=c, phone=p)
        for (row, _), n, i, r, h, s, c, p in zip(
            rows, column("姓名"), column("证件号码"), column("与户主关系"), column("健康状况"),
            column("劳动技能"), column("在校生状况"), column("联系电话"))
    ]
    members = {}
    for index, key in enumerate(column("户编号")):
        members.setdefault(key, []).append(index)
    incomes = list(zip(*map(column, INCOME_COLUMNS)))
    county, township, village = column("县(市、区、旗)"), column("乡(镇)"), column("行政村")
    households = []
    for key, indexes in members.items():
        head = next((i for i in indexes if people[i].is_head), indexes[0])
        household = Household(
            household_id=key, township=township[head], village=village[head], county=county[head],
            head=people[head], members=tuple(people[i] for i in indexes),
            income=Income(*map(amount, incomes[head])), source_rows=tuple(rows[i][0] for i in indexes))
        household.per_capita_income
        households.append(household)
    return households

roster.read_tables = fresh
checks = bare = float("inf")
for _ in range(3):
    start = time.perf_counter()
    households = len(roster.load_roster.__wrapped__(path).households)
    checks = min(checks, time.perf_counter() - start)
    start = time.perf_counter()
    assert len(without_checks()) == households
    bare = min(bare, time.perf_counter() - start)
print(f"{read:.3f} {checks:.3f} {bare:.3f} {households}")
"""


def _run(code: str, *paths: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        env=as_installed(),
    )
    return result.stdout.split("\n")[-2].split()


def measure(label: str, export: Path, goal: float) -> None:
    start_up = min(float(_run(START_UP, SAMPLE)[0]) for _ in range(3))
    calamine = float(_run(CALAMINE, export)[0])
    read, checks, bare, households = (float(x) for x in _run(READ_AND_ROWS, export, SAMPLE))
    least = start_up + read + bare
    print(f"{label} ({int(households):,} households)")
    print(f"  start-up          {start_up:5.2f} s  (fanpin check of the 60-person sample)")
    print(f"  read              {read:5.2f} s  (python-calamine alone: {calamine:.2f} s)")
    print(f"  row checks        {checks:5.2f} s  (load_roster after the read)")
    print(f"  no checks         {bare:5.2f} s  (the same objects with nothing checked)")
    verdict = "within" if least <= goal else "over"
    print(
        f"  least possible    {least:5.2f} s  = start-up + read + no checks: {verdict} the goal of {goal} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--exports", type=Path, help="folder to keep the generated exports in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.exports or Path(scratch)
        by_households = _export(folder / f"households-{args.households}", args.households)
        by_people = _export(folder / f"people-at-least-{args.people}", households_for(args.people))
        measure(f"{args.households:,}-household export", by_households, 1.5)
        measure(f"{args.people:,}-person export", by_people, 4.0)


if __name__ == "__main__":
    main()
