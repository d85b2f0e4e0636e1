"""台账 page: the page answers without comparing the periods; its tables come from /api/ledger/tables
(made once per state of the ledger, one computation at a time), or are made after a period is stored
through the page, in the background."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from fanpin_docs.cli import app as cli
from fanpin_docs.context import resolve
from fanpin_docs.ledger import DB_NAME, database_path
from fanpin_docs.web import ledger_reports
from fanpin_docs.web.ledger_reports import Asked, LedgerReports, Warmer, stored_periods
from ledger_data import Quarters, build_quarters
from test_web_ledger import POLICY, Page, new_workspace, runner, table


@pytest.fixture(scope="module")
def quarters(tmp_path_factory: pytest.TempPathFactory) -> Quarters:
    return build_quarters(tmp_path_factory.mktemp("quarters"))


class Counted:
    """The two report functions, counting their calls (and slowed down by `delay` seconds)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, delay: float = 0.0) -> None:
        self.calls: list[str] = []
        self._lock = threading.Lock()
        for name in ("changes_report", "audit_report"):
            monkeypatch.setattr(
                ledger_reports, name, self._counting(name, getattr(ledger_reports, name), delay)
            )

    def _counting(self, name: str, real: Any, delay: float) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.calls.append(name)
            time.sleep(delay)
            return real(*args, **kwargs)

        return counted


def stored_by_command(
    quarters: Quarters, folder: Path, labels: tuple[str, ...] = ("2023Q1", "2023Q2")
) -> Path:
    """A workspace whose ledger got `labels` through `fanpin ledger add` (so the page warmed nothing)."""
    workspace = new_workspace(folder)
    for label in labels:
        result = runner.invoke(
            cli,
            ["ledger", "add", str(quarters.files[label]), "--measures", str(quarters.measures)]
            + ["--db", str(workspace / DB_NAME), "--policy", POLICY],
        )
        assert result.exit_code == 0, result.output
    return workspace


def test_the_first_look_answers_without_comparing_and_the_script_fetches_the_tables(
    quarters: Quarters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch)
    browser = Page(stored_by_command(quarters, tmp_path / "ws"))
    first = browser.get("/ledger").text
    assert counted.calls == []
    assert [row[0] for row in table(first, "periods-table")] == ["2023Q1", "2023Q2"]
    assert first.count("计算中…") == 2 and 'id="changes-table"' not in first
    assert "两期之间的变化（2023Q1 → 2023Q2）" in first and "疑点数据（2023Q2）" in first
    assert '<label for="ledger-roster">户籍监测名单</label>' in first  # the form to store a period
    document = lxml.html.fromstring(first)
    assert document.xpath("//select/option[@selected]/text()") == ["2023Q1", "2023Q2", "2023Q2"]
    (pending,) = document.xpath("//*[@data-tables]")
    assert pending.get("data-tables") == "/api/ledger/tables?"
    # without scripts: a link to the same tables as a plain page
    (link,) = document.xpath("//noscript//a")
    assert link.get("href") == "/ledger/tables?"

    answer = browser.client.get("/api/ledger/tables")
    assert answer.status_code == 200 and sorted(counted.calls) == ["audit_report", "changes_report"]
    fragment = answer.json()["html"]
    rows = table(fragment, "changes-table")
    assert len(rows) == 7 and {row[0] for row in rows} >= {"新纳入监测", "风险消除", "收入低于监测线"}
    assert '<label for="changes-filter">筛选变化</label>' in fragment
    assert table(fragment, "audit-table")

    # made once: the page shows them at once, asked by default or by name, and so does the plain page
    for path in ("/ledger", "/ledger?from=2023Q1&to=2023Q2&period=2023Q2", "/ledger/tables?to=2023Q2"):
        again = browser.get(path).text
        assert "计算中…" not in again and table(again, "changes-table") == rows
    assert len(counted.calls) == 2


def test_the_plain_page_computes_the_same_rows(quarters: Quarters, tmp_path: Path) -> None:
    browser = Page(stored_by_command(quarters, tmp_path / "ws"))
    plain = browser.get("/ledger/tables?from=2023Q1&to=2023Q2&period=2023Q2").text
    assert "计算中…" not in plain and "<noscript>" not in plain
    fresh = Page(browser.workspace).client.get("/api/ledger/tables?from=2023Q1&to=2023Q2&period=2023Q2")
    for table_id in ("changes-table", "audit-table"):
        assert table(plain, table_id) == table(fresh.json()["html"], table_id)
        assert table(plain, table_id)


def test_two_tabs_asking_at_once_compute_once(
    quarters: Quarters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch, delay=0.3)
    workspace = stored_by_command(quarters, tmp_path / "ws")
    context = resolve(workspace=workspace)
    db = database_path(context.settings)
    reports = LedgerReports()
    made: list[Any] = []

    def ask() -> None:
        made.append(reports.compute(context, db, stored_periods(db), Asked()))

    tabs = [threading.Thread(target=ask) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(60)
    assert len(made) == 2 and made[0] == made[1] and made[0].changes is not None
    assert sorted(counted.calls) == ["audit_report", "changes_report"]


def test_a_period_stored_through_the_page_is_ready_at_the_next_look(
    quarters: Quarters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = Page(new_workspace(tmp_path / "ws"))
    for label in ("2023Q1", "2023Q2"):
        assert browser.add(quarters.files[label], quarters.measures).status_code == 200
    warmer: Warmer = browser.client.app.state.ledger_warmer  # type: ignore[attr-defined]
    assert warmer.wait(120)
    counted = Counted(monkeypatch)
    page = browser.get("/ledger").text
    assert "计算中…" not in page and len(table(page, "changes-table")) == 7
    assert "两期之间的变化（2023Q1 → 2023Q2）" in page and "疑点数据（2023Q2）" in page
    assert counted.calls == []


def test_the_background_work_never_runs_twice_at_once(tmp_path: Path) -> None:
    running: list[int] = []
    active = 0
    guard = threading.Lock()
    release = threading.Event()

    class Slow(LedgerReports):
        def compute(self, *args: Any) -> Any:
            nonlocal active
            with guard:
                active += 1
                running.append(active)
            release.wait(10)
            with guard:
                active -= 1

    warmer = Warmer(Slow(), new_workspace(tmp_path / "ws"))
    for _ in range(3):  # three periods stored while the first is being computed
        warmer.start()
    assert not warmer.wait(0.2)
    release.set()
    assert warmer.wait(30)
    assert running == [1, 1]  # the first, then once more for what was stored meanwhile


def test_a_failure_of_the_tables_is_said_in_chinese(quarters: Quarters, tmp_path: Path) -> None:
    browser = Page(stored_by_command(quarters, tmp_path / "ws"))
    (browser.workspace / "fanpin.toml").write_text("[township\n", encoding="utf-8")
    answer = browser.client.get("/api/ledger/tables")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert "fanpin.toml" in error and "Traceback" not in answer.text
