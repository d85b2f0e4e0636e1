"""Where `fanpin check` of a large export spends its time, and the least its parts could cost: why
issue 16's reading goals (10,000 households ≤ 1.5 s, 100,000 people ≤ 4 s) are out of reach.

    python benchmarks/read_floor.py                        # both exports of read_large.py
    python benchmarks/read_floor.py --exports /tmp/exports  # keep the exports for the next run

For each export, in fresh processes:
  start-up      `fanpin check` of the bundled 60-person sample, timed from outside: interpreter start
                and exit, imports, settings and command line, and a read of 60 rows (≈ 0.02 s)
  read          the workbook to rows (`read_tables`: the safety scan with python-calamine parsing its
                pieces in two threads), beside python-calamine alone reading the same file
  row checks    `load_roster` after the read: every cell checked, the people and households made
  no checks     the same Person, Income and Household objects, every field filled, made straight from
                the read cells with nothing checked (the ID's check digit, the amounts and dates parsed):
                the least any roster reader in Python pays
Start-up, row checks and no checks are the fastest of three; the read and python-calamine are one run
each (a fresh process each time costs the export's whole read).
The last line adds start-up + read + no checks: what `fanpin check` would take if the checks cost
nothing, against the goal.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from read_large import CALAMINE  # noqa: E402
from synthetic import households_for, roster_export  # noqa: E402
from timing import run_script  # noqa: E402

SAMPLE = HERE.parent / "data" / "户籍监测名单.xlsx"
START_UP = """
import contextlib, io, sys
sys.argv = ["fanpin", "check", "--roster", sys.argv[1]]
from fanpin_docs.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print("done")
"""
# the read, then the row checks and the objects made without checks, each on fresh tables (empty caches)
READ_AND_ROWS = """
import dataclasses, gc, sys, time
from decimal import Decimal
from pathlib import Path
from fanpin_docs.idcard import validate_id_number
from fanpin_docs.dates import parse_date
from fanpin_docs.models import Helper, Household, Income, Person
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

HEAD_CELLS = ("县(市、区、旗)", "乡(镇)", "行政村", "自然村", "人数", "户类型", "监测对象类别", "风险是否已消除",
              "识别监测时间", "消除监测时间", "风险消除方式", "数据日期", "帮扶联系人", "帮扶联系人电话",
              "帮扶联系人单位")

def without_checks():
    rows = [row for table in tables for row in table.rows]
    def column(name):  # one sheet, one index: each cell picked by its position (None: no such column)
        position = rows[0][1].index.get(name)
        return [None if position is None else values.cells[position] for _, values in rows]
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
    cells = {name: column(name) for name in HEAD_CELLS}
    incomes = list(zip(*map(column, INCOME_COLUMNS)))
    risks = list(zip(*map(column, roster.RISK_COLUMNS)))
    dates = {}
    def date(value):  # a text read once per table, as the row reader does
        if not value:
            return None
        if value not in dates:
            dates[value] = parse_date(value)
        return dates[value]
    households = []
    for key, indexes in members.items():
        head = next((i for i in indexes if people[i].is_head), indexes[0])
        of_head = {name: cells[name][head] for name in HEAD_CELLS}
        size = of_head["人数"]
        helper = of_head["帮扶联系人"]
        household = Household(
            household_id=key,
            county=of_head["县(市、区、旗)"],
            township=of_head["乡(镇)"],
            village=of_head["行政村"],
            group=of_head["自然村"],
            head=people[head],
            members=tuple(people[i] for i in indexes),
            income=Income(*map(amount, incomes[head])),
            source_rows=tuple(rows[i][0] for i in indexes),
            declared_size=int(size) if size else None,
            household_type=of_head["户类型"],
            monitoring_category=of_head["监测对象类别"],
            risk_resolved={"是": True, "否": False}.get(of_head["风险是否已消除"]),
            identified_month=date(of_head["识别监测时间"]),
            eliminated_month=date(of_head["消除监测时间"]),
            elimination_method=of_head["风险消除方式"] or "",
            data_date=date(of_head["数据日期"]),
            risks=tuple(filter(None, risks[head])),
            phone=people[head].phone,
            helper=Helper(helper, of_head["帮扶联系人电话"], of_head["帮扶联系人单位"]) if helper else None,
        )
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


def measure(label: str, export: Path, goal: float | None) -> None:
    start_up = min(run_script(START_UP, SAMPLE)[1] for _ in range(3))
    calamine = float(run_script(CALAMINE, export)[0][0])
    read, checks, bare, households = (float(x) for x in run_script(READ_AND_ROWS, export, SAMPLE)[0])
    least = start_up + read + bare
    print(f"{label} ({int(households):,} households)")
    print(
        f"  start-up          {start_up:5.2f} s  (fanpin check of the 60-person sample, timed from outside; fastest of 3)"
    )
    print(f"  read              {read:5.2f} s  (one run; python-calamine alone, one run: {calamine:.2f} s)")
    print(f"  row checks        {checks:5.2f} s  (load_roster after the read; fastest of 3)")
    print(f"  no checks         {bare:5.2f} s  (the same objects with nothing checked; fastest of 3)")
    verdict = "" if goal is None else f": {'within' if least <= goal else 'over'} the goal of {goal} s"
    print(f"  least possible    {least:5.2f} s  = start-up + read + no checks{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--exports", type=Path, help="folder to keep the generated exports in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.exports or Path(scratch)
        by_households = roster_export(folder / f"households-{args.households}", args.households)
        by_people = roster_export(folder / f"people-at-least-{args.people}", households_for(args.people))
        # the goals are for the sizes the issue names
        measure(
            f"{args.households:,}-household export", by_households, 1.5 if args.households == 10_000 else None
        )
        measure(f"{args.people:,}-person export", by_people, 4.0 if args.people == 100_000 else None)


if __name__ == "__main__":
    main()
