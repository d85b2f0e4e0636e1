"""`fanpin ledger add`'s faster paths give what the plain ones give: the measures ledger parsed in
another process while the roster is read (the same records, warnings and problems in the same order,
and the plain read whenever that process has no result), the same data twice recognised without
loading the stored period, and fingerprints that stay those already stored in users' ledgers."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.aside import Aside
from fanpin_docs.errors import FanpinError, InputError
from fanpin_docs.ledger import LedgerStore, add_export, importing, read_export
from fanpin_docs.ledger.snapshot import (
    HouseholdState,
    MeasureState,
    MemberState,
    Snapshot,
    measures_fingerprint,
    roster_fingerprint,
)
from fanpin_docs.readers import together
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

HEADS = [make_id(f"19{50 + n:02d}0101", n) for n in range(1, 5)]
MEASURES_HEADER = ["户编号", "户主证件号码", "措施名称", "计算基数", "金额", "验收结果", "落实日期", "备注"]


def _roster(path: Path) -> Path:
    rows: list[list[object]] = [[*ROSTER_HEADER, "数据日期"]]
    for number, head in enumerate(HEADS, 1):
        rows.append([*roster_row(f"00{number}", "张三", head, "户主", size=1), "2023-06-30"])
    return write_xlsx(path, rows)


def _measures(path: Path, rows: list[list[object]]) -> Path:
    return write_xlsx(path, [MEASURES_HEADER, *rows], sheet="帮扶措施台账")


# cell problems and problems only the roster can find, interleaved row by row, and a warning
MIXED = [
    ["001", "", "产业到户补助", 3000, "", "合格", "2023-05-20", "养牛"],
    ["009", "", "低保金", "", "三千", "", "", ""],  # unknown household, then a bad amount
    ["", make_id("19990101", 77), "低保金", "", 100, "还行", "", ""],  # head not in the roster (还行 unread)
    ["", f"'{HEADS[1]}", "孝扶共助", 500, "", "", "2023-02-30", ""],  # a quoted ID (warning), a bad date
    ["1", "", "", "", 100, "", "", ""],  # 001 without its zeros, and no measure name
    ["", "", "低保金", "", 100, "", "", ""],  # no household at all
    ["004", "", "医疗救助", "", -5, "", "", ""],
]
CLEAN = [
    ["001", "", "产业到户补助", 3000, "", "合格", "2023-05-20", "养牛"],
    ["", f"'{HEADS[1]}", "孝扶共助", 500, "", "", "2023-02-20", ""],  # a quoted ID: a warning
    ["003", "", "低保金", "", "1,200.50", "", "2023.6.1", ""],
]


def _outcome(roster: Path, measures: Path) -> object:
    """What reading the export gives: the period, snapshot and warnings, or every problem of the error."""
    try:
        export = read_export(roster, measures_path=measures)
    except FanpinError as error:
        problems = getattr(error, "problems", []) + getattr(error, "warnings", [])
        return type(error), str(error), problems
    return export.period, export.snapshot, export.warnings, export.notes


@pytest.fixture
def aside_used(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every measures ledger goes to another process; the list says, read by read, whether that
    process's result was used (True) or the ledger was read again here (False)."""
    used: list[bool] = []
    real_check, real_load = together.check_measures, together.load_measures

    def check(*args: object, **kwargs: object) -> object:
        used.append(True)
        return real_check(*args, **kwargs)  # type: ignore[arg-type]

    def load(*args: object, **kwargs: object) -> object:
        used.append(False)
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(together, "ASIDE_FROM", 0)
    monkeypatch.setattr(together, "check_measures", check)
    monkeypatch.setattr(together, "load_measures", load)
    return used


def _plain(monkeypatch: pytest.MonkeyPatch, roster: Path, measures: Path) -> object:
    """The outcome with the ledger read in this process."""
    monkeypatch.setattr(together, "ASIDE_FROM", 1 << 62)
    try:
        return _outcome(roster, measures)
    finally:
        monkeypatch.setattr(together, "ASIDE_FROM", 0)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the other process is used on two cores or more")
@pytest.mark.parametrize("rows", [MIXED, CLEAN], ids=["problems", "clean"])
def test_measures_parsed_in_another_process_give_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aside_used: list[bool], rows: list[list[object]]
) -> None:
    roster, measures = _roster(tmp_path / "名单.xlsx"), _measures(tmp_path / "台账.xlsx", rows)
    aside = _outcome(roster, measures)
    assert aside_used == [True]
    assert aside == _plain(monkeypatch, roster, measures) and aside_used == [True, False]
    if rows is MIXED:
        error_type, _, problems = aside  # type: ignore[misc]
        assert error_type is InputError
        assert [(p.row, p.column) for p in problems if p.is_error] == [
            (3, "户编号"),
            (3, "金额"),
            (4, "户主证件号码"),  # a row whose household is unknown: its other cells are not read
            (5, "落实日期"),
            (6, "户编号"),
            (6, "措施名称"),
            (7, "户编号"),
            (8, "金额"),
        ]
        assert "丢掉了开头的 0" in problems[4].message
    else:
        _, snapshot, warnings, _ = aside  # type: ignore[misc]
        assert [(m.household_id, m.amount) for m in snapshot.measures] == [
            ("001", Decimal("3000.00")),
            ("002", Decimal("500.00")),
            ("003", Decimal("1200.50")),
        ]
        assert [(w.row, w.column) for w in warnings] == [(3, "户主证件号码")]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the other process is used on two cores or more")
def test_a_ledger_the_other_process_cannot_give_is_read_here_with_the_same_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aside_used: list[bool]
) -> None:
    roster = _roster(tmp_path / "名单.xlsx")
    # more problems than the other process sends back: read again here, bounded as ever
    many = _measures(tmp_path / "很多.xlsx", [["001", "", "", "", 100, "", "", ""]] * 1200)
    # not a workbook at all: the other process fails, the read here says why
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook" * 100)
    for measures in (many, broken):
        aside_used.clear()
        aside = _outcome(roster, measures)
        assert aside_used == [False]
        assert aside == _plain(monkeypatch, roster, measures)
    error_type, message, problems = _outcome(roster, many)  # type: ignore[misc]
    assert error_type is InputError and (problems[0].row, problems[0].column) == (2, "措施名称")
    assert any("共 1000 处同样的问题" in p.message for p in problems), [p.message for p in problems]


def test_a_wrong_roster_is_reported_and_the_other_process_ended(
    tmp_path: Path, aside_used: list[bool]
) -> None:
    bad = write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER, ["001", "黔江区", "城东街道"]])
    measures = _measures(tmp_path / "台账.xlsx", CLEAN)
    with pytest.raises(InputError) as refused:
        read_export(bad, measures_path=measures)
    assert refused.value.problems[0].file == "名单.xlsx" and aside_used == []
    assert multiprocessing.active_children() == []


def _pid() -> int:
    return os.getpid()


def _fail() -> None:
    raise ValueError("broken")


def _unpicklable() -> object:
    return threading.Lock()


def _sleep(path: Path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(60)


def _call(function: object) -> object:
    return function()  # type: ignore[operator]


def test_aside_gives_the_other_process_result_or_none() -> None:
    with Aside(_call, _pid) as aside:
        assert aside.result() not in (None, os.getpid())
    with Aside(_call, _fail) as aside:
        assert aside.result() is None
    with Aside(_call, _unpicklable) as aside:
        assert aside.result() is None


def test_aside_left_unused_ends_its_process(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    started = time.monotonic()
    with Aside(_sleep, marker):
        deadline = time.monotonic() + 30
        while not marker.exists() or not marker.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline
            time.sleep(0.02)
    assert time.monotonic() - started < 20
    with pytest.raises(ProcessLookupError):
        os.kill(int(marker.read_text(encoding="utf-8")), 0)


def test_the_same_data_again_is_unchanged_without_loading_the_stored_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster, measures = _roster(tmp_path / "名单.xlsx"), _measures(tmp_path / "台账.xlsx", CLEAN)
    with LedgerStore.open(tmp_path / "台账.sqlite") as store:
        first = add_export(store, roster, measures_path=measures)
        assert (first.status, first.measures) == ("added", 3)
        stored = store.load("2023Q2")

        def no_load(*_: object, **__: object) -> Snapshot:
            raise AssertionError("the stored period was loaded")

        monkeypatch.setattr(LedgerStore, "load", no_load)
        again = add_export(store, roster, measures_path=measures)
        alone = add_export(store, roster)  # the roster alone keeps the stored measures
        assert (again.status, again.measures) == ("unchanged", 3)
        assert (alone.status, alone.measures) == ("unchanged", 3)
        assert alone.notes == ["2023Q2 保留上次存入的帮扶措施台账「台账.xlsx」"]
        monkeypatch.undo()
        assert store.load("2023Q2") == stored


def test_fingerprints_are_those_already_stored_in_ledgers() -> None:
    """The fingerprints of a known snapshot, as the first ledger version computed them: a ledger made
    then must still see the same file as unchanged."""
    snapshot = Snapshot(
        {
            "001": HouseholdState(
                "001",
                "濯水镇",
                "红岩村",
                "张三",
                "脱贫户",
                "边缘易致贫户",
                False,
                date(2023, 4, 1),
                None,
                "",
                "因病、因学",
                2,
                Decimal("6500.50"),
                "13812345678",
            ),
            "002": HouseholdState("002", "濯水镇", "石门村", "王五"),
        },
        {
            "500114197001010011": MemberState("500114197001010011", "001", "张三", "户主"),
            "500114197202020022": MemberState("500114197202020022", "001", "李四", "配偶"),
        },
        [
            MeasureState(
                "001", "产业到户补助", Decimal("3000.00"), date(2023, 5, 20), "养牛", date(2023, 4, 10)
            ),
            MeasureState("002", "低保金"),
        ],
    )
    assert roster_fingerprint(snapshot) == "12821158ef1a8d308d76b507a41ed994d60f4620cf5cf9d09ab1517f573e4886"
    assert (
        measures_fingerprint(snapshot) == "cb23b5bad2e3d744fae4989fde437ba32696fe01597719b394d8810c8de3bb96"
    )


def _dump(db: Path) -> list[str]:
    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.mark.skipif(
    not Aside.forks() or (os.cpu_count() or 1) < 2, reason="fingerprints go aside only to a fork"
)
def test_fingerprints_worked_out_in_another_process_store_what_one_process_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    measures = _measures(tmp_path / "台账.xlsx", CLEAN)
    rosters = [_roster(tmp_path / "名单.xlsx")]
    rows: list[list[object]] = [[*ROSTER_HEADER, "数据日期"]]
    rows += [[*roster_row("001", "张三", HEADS[0], "户主", size=1), "2023-09-30"]]
    rosters.append(write_xlsx(tmp_path / "三季度.xlsx", rows))
    workers = tmp_path / "pids"
    real = importing.fingerprints

    def noted(snapshot: Snapshot) -> object:
        with workers.open("a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        return real(snapshot)

    dumps = []
    for aside_from in (0, 1 << 62):
        monkeypatch.setattr(importing, "FINGERPRINTS_ASIDE_FROM", aside_from)
        monkeypatch.setattr(importing, "fingerprints", noted)
        db = tmp_path / f"{aside_from}.sqlite"
        with LedgerStore.open(db) as store:
            results = [add_export(store, rosters[0], measures_path=measures), add_export(store, rosters[1])]
            results.append(add_export(store, rosters[0], measures_path=measures))
        assert [r.status for r in results] == ["added", "added", "unchanged"]
        dumps.append(_dump(db))
        pids = workers.read_text(encoding="utf-8").split()
        workers.unlink()
        assert len(pids) == 2 and (str(os.getpid()) in pids) == bool(aside_from)
    assert dumps[0] == dumps[1]


def _aside_in_a_daemon(_: None) -> object:
    with Aside(_call, _pid) as aside:
        return ("worked here", aside.result())


def test_aside_in_a_daemonic_process_leaves_the_work_to_it() -> None:
    """A library caller's pool worker may not start processes: the work is then done where it is."""
    context = multiprocessing.get_context("fork" if Aside.forks() else "spawn")
    with context.Pool(1) as pool:  # pool workers are daemonic
        assert pool.apply(_aside_in_a_daemon, (None,)) == ("worked here", None)


def test_aside_asked_from_another_thread_leaves_the_work_to_it() -> None:
    """The 工作台 stores a period from a worker thread: no process is forked from a threaded server
    (it would copy locks other threads hold); the work is done where it is."""
    outcome: list[object] = []

    def in_a_thread() -> None:
        with Aside(_call, _pid) as aside:
            outcome.append(aside.result())

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join()
    assert outcome == [None]
    with Aside(_call, _pid) as aside:  # from the main thread, the other process does it
        assert aside.result() not in (None, os.getpid())
