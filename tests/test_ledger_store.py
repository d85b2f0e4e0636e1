"""The ledger's storage and `fanpin ledger add`: schema versions and migrations from the first one,
WAL mode, one transaction per import (a kill leaves the previous periods whole), the same data twice
changes nothing, a corrected file replaces its period and says what changed, no period is a clear
error."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.errors import InputError, SettingsError
from fanpin_docs.ledger import SCHEMA_VERSION, LedgerError, LedgerStore, Period, add_export
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_measures, load_roster
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

runner = CliRunner()
POLICY = load_policy("qianjiang-2023")
HEADER = [*ROSTER_HEADER, "数据日期"]


def _roster(
    path: Path, *, day: str | None = "2023-06-30", wage: int = 20000, second_member: bool = True
) -> Path:
    """Two households of two; the first one's wage income as given."""
    rows: list[list[object]] = [HEADER]
    income = (wage, 5000, 0, 3000, 1000)
    rows.append([*roster_row("001", "张三", make_id("19700101", 11), "户主", income=income), day])
    if second_member:
        rows.append([*roster_row("001", "李四", make_id("19720202", 22), "配偶"), day])
    rows.append(
        [
            *roster_row(
                "002", "王五", make_id("19600303", 33), "户主", category="边缘易致贫户", resolved="否"
            ),
            day,
        ]
    )
    rows.append([*roster_row("002", "赵六", make_id("19620404", 44), "配偶"), day])
    if not second_member:
        rows[1][8] = 1
    return write_xlsx(path, rows)


def test_periods_are_quarters() -> None:
    assert Period.parse("2023Q2").label == "2023Q2"
    assert Period.parse("2023年第二季度") == Period(2023, 2) == Period.parse("2023-q2")
    assert Period(2023, 4).end.isoformat() == "2023-12-31" and Period(2024, 1).end.isoformat() == "2024-03-31"
    with pytest.raises(SettingsError, match="2023Q5"):
        Period.parse("2023Q5")


def test_a_new_database_has_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    with LedgerStore.open(db) as store:
        assert store.version == SCHEMA_VERSION == 2
        add_export(store, _roster(tmp_path / "名单.xlsx"))
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()


def test_a_database_made_by_schema_version_1_is_migrated_and_read(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    with LedgerStore.open(db, upto=1) as store:
        assert store.version == 1
    connection = sqlite3.connect(db)
    with connection:  # rows as the first version wrote them (no 一户一策日期 yet)
        connection.execute(
            "INSERT INTO periods VALUES (1, '2023Q1', '名单.xlsx', 'abc', '台账.xlsx', 'def', 1, 1)"
        )
        connection.execute(
            "INSERT INTO households VALUES (1, '001', '城东街道', '红岩村', '张三', '脱贫户', '边缘易致贫户',"
            " 0, '2023-02-01', NULL, '', '因病', 1, '6500.00', '13812345678')"
        )
        connection.execute(f"INSERT INTO members VALUES (1, '{make_id()}', '001', '张三', '户主')")
        connection.execute(
            "INSERT INTO measures VALUES (1, 0, '001', '产业到户补助', '2000.00', '2023-03-01', '')"
        )
    connection.close()

    with LedgerStore.open(db) as store:
        assert store.version == SCHEMA_VERSION
        snapshot = store.load("2023Q1")
    household = snapshot.households["001"]
    assert household.per_capita is not None and str(household.per_capita) == "6500.00"
    assert household.category == "边缘易致贫户" and household.resolved is False
    assert snapshot.measures is not None and snapshot.measures[0].name == "产业到户补助"
    assert snapshot.measures[0].plan_date is None
    result = runner.invoke(app, ["ledger", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2023Q1" in result.output and "台账.xlsx" in result.output
    # and a period can be added to the migrated database
    result = runner.invoke(app, ["ledger", "add", str(_roster(tmp_path / "名单.xlsx")), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with LedgerStore.open(db) as store:
        assert [p.period for p in store.periods()] == ["2023Q1", "2023Q2"]


def test_a_database_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    with pytest.raises(LedgerError, match="更新版本的程序建立"):
        LedgerStore.open(db)


def test_a_file_that_is_not_a_ledger_is_refused_in_chinese(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    db.write_bytes(b"this is not a database at all, just some text" * 100)
    result = runner.invoke(app, ["ledger", "add", str(_roster(tmp_path / "名单.xlsx")), "--db", str(db)])
    assert result.exit_code == 1
    assert "不是动态监测台账数据库" in result.output and "Traceback" not in result.output


def test_no_period_is_a_clear_error_and_nothing_is_created(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    roster = _roster(tmp_path / "名单.xlsx", day=None)
    result = runner.invoke(app, ["ledger", "add", str(roster), "--db", str(db)])
    assert result.exit_code == 1
    assert "无法确定「名单.xlsx」是哪一期" in result.output and "--period 2023Q2" in result.output
    assert not db.exists()
    result = runner.invoke(app, ["ledger", "changes", "--db", str(db), "--policy", "qianjiang-2023"])
    assert result.exit_code == 1 and "还没有动态监测台账" in result.output


def test_a_bad_roster_is_refused_by_the_reader_before_anything_is_stored(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    bad = write_xlsx(
        tmp_path / "坏名单.xlsx", [HEADER, [*roster_row("001", "张三", "123", "户主"), "2023-06-30"]]
    )
    result = runner.invoke(app, ["ledger", "add", str(bad), "--db", str(db)])
    assert result.exit_code == 1
    assert "坏名单.xlsx" in result.output and "第 2 行" in result.output and "证件号码" in result.output
    assert not db.exists()


def test_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    roster = _roster(tmp_path / "名单.xlsx")
    first = runner.invoke(app, ["ledger", "add", str(roster), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "✓ 2023Q2：已存入「名单.xlsx」（2 户 4 人）" in first.output
    with LedgerStore.open(db) as store:
        periods, snapshot = store.periods(), store.load("2023Q2")
    again = runner.invoke(app, ["ledger", "add", str(_roster(tmp_path / "另存.xlsx")), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "与台账中这一期相同，没有改变" in again.output
    with LedgerStore.open(db) as store:
        assert store.periods() == periods
        assert store.load("2023Q2") == snapshot


def test_a_corrected_file_replaces_its_period_and_says_what_changed(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    runner.invoke(app, ["ledger", "add", str(_roster(tmp_path / "名单.xlsx")), "--db", str(db)])
    corrected = _roster(tmp_path / "改正.xlsx", wage=0, second_member=False)
    result = runner.invoke(
        app, ["ledger", "add", str(corrected), "--db", str(db), "--policy", "qianjiang-2023"]
    )
    assert result.exit_code == 0, result.output
    assert "2023Q2：已用「改正.xlsx」替换这一期（2 户 3 人）" in result.output
    assert "改动：收入大幅下降 1 户；减少成员 1 人" in result.output
    # household 001: (20000 + 5000 + 3000 − 1000) / 2 before, (0 + 5000 + 3000 − 1000) / 1 now
    assert "收入大幅下降：001 张三：人均纯收入 13,500.00 元 → 人均纯收入 7,000.00 元" in result.output
    assert "减少成员：001 张三 李四：李四（配偶） → 本期名单中没有此人" in result.output
    with LedgerStore.open(db) as store:
        (period,) = store.periods()
        assert (period.period, period.roster_source, period.people) == ("2023Q2", "改正.xlsx", 3)


def test_an_option_period_wins_over_the_data_date_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    result = runner.invoke(
        app, ["ledger", "add", str(_roster(tmp_path / "名单.xlsx")), "--period", "2023Q1", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "数据日期属于 2023Q2，按 --period 存为 2023Q1" in result.output


# Run `fanpin ledger add` with the database connection wrapped so that, in the middle of the import's
# transaction (households replaced, members not yet), it writes a marker and waits to be killed.
PAUSED_ADD = """
import os, sqlite3, time
from pathlib import Path

real_connect = sqlite3.connect


class PausingConnection:
    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def executemany(self, sql, rows):
        if sql.lstrip().startswith("INSERT INTO members"):
            Path(os.environ["PAUSED_MARKER"]).write_text(str(os.getpid()), encoding="utf-8")
            time.sleep(60)
        return self._connection.executemany(sql, rows)


sqlite3.connect = lambda *args, **kwargs: PausingConnection(real_connect(*args, **kwargs))
from fanpin_docs.cli import main

main()
"""


def _kill_during_add(tmp_path: Path, db: Path, roster: Path, *extra: str) -> None:
    marker = tmp_path / "paused"
    marker.unlink(missing_ok=True)
    env = {**os.environ, "PAUSED_MARKER": str(marker)}
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_ADD, "ledger", "add", str(roster), "--db", str(db), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the import ended before reaching the pause"
            assert time.monotonic() < deadline, "the import never reached the pause"
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL


def test_a_kill_during_add_leaves_the_previous_periods_intact(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    with LedgerStore.open(db) as store:
        add_export(store, _roster(tmp_path / "一季度.xlsx", day="2023-03-31"))
        add_export(store, _roster(tmp_path / "二季度.xlsx"))
        periods, first, second = store.periods(), store.load("2023Q1"), store.load("2023Q2")
    # a corrected 2023Q2 killed while its rows are half replaced, then a new 2023Q3 killed likewise
    _kill_during_add(tmp_path, db, _roster(tmp_path / "改正.xlsx", wage=0, second_member=False))
    _kill_during_add(tmp_path, db, _roster(tmp_path / "三季度.xlsx", day="2023-09-30"))
    with LedgerStore.open(db) as store:
        assert store.periods() == periods
        assert store.load("2023Q1") == first and store.load("2023Q2") == second
    result = runner.invoke(app, ["ledger", "add", str(tmp_path / "三季度.xlsx"), "--db", str(db)])
    assert result.exit_code == 0 and "2023Q3：已存入" in result.output


def test_the_readers_take_the_ledger_columns_and_refuse_a_wrong_one_with_its_place(tmp_path: Path) -> None:
    header = [*ROSTER_HEADER, "消除监测时间", "风险消除方式", "数据日期"]
    row = roster_row("002", "王五", make_id("19600303", 33), "户主", category="边缘易致贫户", resolved="是")
    roster = load_roster(
        write_xlsx(tmp_path / "名单.xlsx", [header, [*row, "202306", "帮扶消除", "2023年6月30日"]])
    )
    (household,) = roster.households
    assert household.eliminated_month == date(2023, 6, 1) and household.elimination_method == "帮扶消除"
    assert household.data_date == date(2023, 6, 30)
    bad = write_xlsx(tmp_path / "坏.xlsx", [header, [*row, "202306", "已脱贫", "2023-06-30"]])
    with pytest.raises(InputError) as error:
        load_roster(bad)
    (problem,) = error.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "风险消除方式", "已脱贫")
    assert "帮扶消除" in problem.hint
    measures = write_xlsx(
        tmp_path / "台账.xlsx",
        [["户编号", "措施名称", "金额", "一户一策日期"], ["002", "低保金", 3600, "2023-01-15"]],
    )
    (record,) = load_measures(measures, roster)
    assert record.plan_date == date(2023, 1, 15)


def test_changes_picks_the_last_two_periods_and_refuses_a_wrong_order(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    with LedgerStore.open(db) as store:
        add_export(store, _roster(tmp_path / "一.xlsx", day="2023-03-31"))
        add_export(store, _roster(tmp_path / "二.xlsx"))
        add_export(store, _roster(tmp_path / "三.xlsx", day="2023-09-30", wage=0))
    common = ["--db", str(db), "--policy", "qianjiang-2023", "--out", str(tmp_path / "out")]
    result = runner.invoke(app, ["ledger", "changes", *common])
    assert result.exit_code == 0, result.output
    assert "2023Q2 → 2023Q3：收入低于监测线 1 户；收入大幅下降 1 户" in result.output
    result = runner.invoke(app, ["ledger", "changes", "--from", "2023Q3", "--to", "2023Q1", *common])
    assert result.exit_code == 1 and "--from 2023Q3 应早于 --to 2023Q1" in result.output
    result = runner.invoke(app, ["ledger", "audit", "--period", "2024Q1", *common])
    assert result.exit_code == 1 and "--period 2024Q1：台账中没有这一期" in result.output
    assert "2023Q1、2023Q2、2023Q3" in result.output


def test_a_full_disk_during_add_is_told_in_chinese_and_keeps_the_previous_periods(tmp_path: Path) -> None:
    db = tmp_path / "台账.sqlite"
    first = runner.invoke(app, ["ledger", "add", str(_roster(tmp_path / "名单.xlsx")), "--db", str(db)])
    assert first.exit_code == 0, first.output
    with LedgerStore.open(db) as store:
        before = store.periods()
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
        rows: list[list[object]] = [HEADER]
        for number in range(1, 201):  # enough rows to need new pages
            birth = f"19{50 + number % 40:02d}0101"
            rows.append([*roster_row(f"{number:03d}", "张三", make_id(birth, number), "户主"), "2023-09-30"])
        later = write_xlsx(tmp_path / "三季度.xlsx", rows)
        with pytest.raises(LedgerError) as refused:
            add_export(store, later, policy=POLICY)
    assert "磁盘已满" in str(refused.value)
    with LedgerStore.open(db) as store:
        assert store.periods() == before
