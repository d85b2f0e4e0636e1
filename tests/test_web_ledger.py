"""The 工作台's 台账 page on quarters of the demo township changed by hand in known ways
(tests/ledger_data.py): periods stored through the page as `fanpin ledger add` stores them, the
changes and audit findings shown with their values, their workbooks as the commands write them, and
uploads refused (wrong content, wrong workbook, too large, bad rows) with nothing stored or kept."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlencode

import httpx
import lxml.html
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from fanpin_docs.cli import app as cli
from fanpin_docs.ledger import DB_NAME, LedgerStore
from fanpin_docs.masking import mask_id
from fanpin_docs.money import format_amount
from fanpin_docs.policy import load_policy
from fanpin_docs.web import uploads
from fanpin_docs.web.ledger_adding import UPLOAD_FOLDER
from fanpin_docs.web.ledger_reports import ReportCache
from ledger_data import Quarters, build_quarters, write_roster
from web_pages_support import Page as WorkbenchPage
from web_pages_support import new_workspace

POLICY = "qianjiang-2023"
runner = CliRunner()


class Page(WorkbenchPage):
    """A browser on one workspace's 工作台, with the 台账 page's ways of asking: its tables as its
    script completes them, and uploads sent as the page's script sends them."""

    @property
    def answers(self) -> list[str]:
        """Every answer this browser got (to look for full ID numbers)."""
        return self.texts

    def shown(self, path: str) -> str:
        """The page as a reader sees it once its script put the tables in place: when the page came
        with 「计算中…」, the tables its script asks for (/api/ledger/tables) where the placeholder was."""
        text = self.get(path).text
        document = lxml.html.fromstring(text)
        pending = document.xpath("//*[@data-tables]")
        if not pending:
            return text
        assert "计算中…" in text
        answer = self.get(pending[0].get("data-tables"))
        assert answer.status_code == 200, answer.text
        pending[0].getparent().replace(pending[0], lxml.html.fragment_fromstring(answer.json()["html"]))
        return lxml.html.tostring(document, encoding="unicode")

    def send(self, url: str, path: Path, name: str | None = None):  # type: ignore[no-untyped-def]
        """One file as the request body, as the page's script sends it."""
        return self.upload(url, path.read_bytes(), name or path.name)

    def add(self, roster: Path, measures: Path | None = None, period: str = "", name: str | None = None):  # type: ignore[no-untyped-def]
        query = {"period": period}
        if measures is not None:
            held = self.send("/api/ledger/measures", measures)
            if held.status_code != 200:
                return held
            query["measures"] = held.json()["measures"]
        return self.send(f"/api/ledger/periods?{urlencode(query)}", roster, name)


def table(page: str, table_id: str) -> list[list[str]]:
    found = lxml.html.fromstring(page).get_element_by_id(table_id)
    return [[cell.text_content().strip() for cell in row] for row in found.findall("./tbody/tr")]


@pytest.fixture(scope="module")
def quarters(tmp_path_factory: pytest.TempPathFactory) -> Quarters:
    return build_quarters(tmp_path_factory.mktemp("quarters"))


@pytest.fixture(scope="module")
def page(quarters: Quarters, tmp_path_factory: pytest.TempPathFactory) -> Page:
    """A workspace whose ledger got 2023Q1, 2023Q2 and 2023Q3 through the page."""
    browser = Page(new_workspace(tmp_path_factory.mktemp("ws")))
    for label in ("2023Q1", "2023Q2", "2023Q3"):
        response = browser.add(quarters.files[label], quarters.measures)
        assert response.status_code == 200, response.text
        (stored,) = response.json()["results"]
        assert (stored["period"], stored["status"]) == (label, "added")
        assert stored["line"].startswith(f"{label}：已存入「")
        assert "320 户" in stored["line"] and "帮扶措施 98 条" in stored["line"]
    return browser


def kept(browser: Page) -> list[str]:
    """The files the page keeps in the workspace's upload folder (hidden part files too)."""
    folder = browser.workspace / UPLOAD_FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def id_numbers(quarters: Quarters) -> set[str]:
    return {str(row["证件号码"]) for rows in quarters.rows.values() for row in rows}


def test_a_workspace_without_a_ledger_is_told_how_to_start(tmp_path: Path) -> None:
    response = Page(new_workspace(tmp_path / "ws")).get("/ledger")
    assert response.status_code == 200
    assert "工作区还没有动态监测台账" in response.text and "存入台账" in response.text
    assert '<label for="ledger-roster">户籍监测名单</label>' in response.text
    assert not (tmp_path / "ws" / DB_NAME).exists()  # looking creates nothing


def test_the_stored_periods_are_listed(page: Page) -> None:
    rows = table(page.get("/ledger").text, "periods-table")
    assert [row[0] for row in rows] == ["2023Q1", "2023Q2", "2023Q3"]
    for row in rows:  # the time the file came, then the clerk's own name for it
        assert row[1] == "320"
        assert re.fullmatch(rf"\d{{8}}-\d{{6}}-名单{row[0]}(\(\d\))?\.xlsx", row[3]), row[3]
        assert re.fullmatch(r"\d{8}-\d{6}-帮扶措施台账(\(\d\))?\.xlsx", row[4]), row[4]
    kept = sorted(p.name for p in (page.workspace / UPLOAD_FOLDER).iterdir())
    assert len(kept) == 6 and {row[3] for row in rows} <= set(kept)


def test_the_changes_between_two_chosen_periods_are_shown_with_their_values(
    page: Page, quarters: Quarters
) -> None:
    story, line = quarters.story, quarters.line
    shown = page.shown("/ledger?from=2023Q1&to=2023Q2")
    assert "两期之间的变化（2023Q1 → 2023Q2）" in shown
    assert "新纳入监测 3 户；风险消除 2 户；收入低于监测线 1 户；成员迁移 1 人" in shown
    rows = table(shown, "changes-table")
    assert len(rows) == 7
    by_kind: dict[str, list[list[str]]] = {}
    for row in rows:
        by_kind.setdefault(row[0], []).append(row)
    entered = by_kind["新纳入监测"]
    assert sorted(row[2] for row in entered) == sorted(story.entered)
    assert {row[5] for row in entered} == {"未纳入监测"}
    assert {row[6] for row in entered} == {"边缘易致贫户；风险：因病；风险未消除；识别 2023年4月"}
    eliminated = {row[2]: row for row in by_kind["风险消除"]}
    assert eliminated[story.assisted][6] == "风险已消除：帮扶消除，2023年4月消除"
    assert eliminated[story.natural][6] == "风险已消除：自然消除，2023年6月消除"
    (fallen,) = by_kind["收入低于监测线"]
    assert fallen[2] == story.fallen
    assert fallen[5] == f"人均纯收入 {format_amount(story.fallen_before)} 元"
    assert fallen[6] == f"人均纯收入 {format_amount(story.fallen_after)} 元"
    assert fallen[7] == f"监测线 {format_amount(line)} 元"
    (moved,) = by_kind["成员迁移"]
    assert moved[2] == story.mover_to and moved[4] == story.mover_name
    assert f"户编号 {story.mover_from}" in moved[5] and f"户编号 {story.mover_to}" in moved[6]
    # the filter box and the download of the same two periods
    assert '<label for="changes-filter">筛选变化</label>' in shown
    form = lxml.html.fromstring(shown).xpath('//form[@action="/ledger/download/changes"]')[0]
    assert {i.get("name"): i.get("value") for i in form.inputs if i.get("type") == "hidden"}[
        "from"
    ] == "2023Q1"


def test_by_default_the_last_two_periods_and_the_last_audit(page: Page) -> None:
    shown = page.shown("/ledger")
    assert "两期之间的变化（2023Q2 → 2023Q3）" in shown and "共 0 条：没有变化" in shown
    assert "疑点数据（2023Q3）" in shown
    selected = lxml.html.fromstring(shown).xpath("//select/option[@selected]/text()")
    assert selected == ["2023Q2", "2023Q3", "2023Q3"]


def test_the_audit_findings_of_a_period_are_shown_with_their_values(page: Page, quarters: Quarters) -> None:
    story, line = quarters.story, quarters.line
    shown = page.shown("/ledger?period=2023Q2")
    assert "疑点数据（2023Q2）" in shown
    rows = table(shown, "audit-table")
    findings = {(row[0], row[2]): row for row in rows}
    quick = findings[("识别后短期内帮扶消除", story.assisted)]
    assert quick[5] == "2023年2月识别，2023年4月帮扶消除（相隔 2 个月）"
    assert quick[6].startswith("帮扶消除距识别应超过 2 个月")
    assert quick[7]  # the rule's source
    poor = findings[("脱贫户收入低于监测线未纳入监测", story.fallen)]
    assert poor[5] == f"脱贫户，人均纯收入 {format_amount(story.fallen_after)} 元，未纳入监测"
    assert format_amount(line) in poor[6]
    for entered in story.entered:
        assert ("监测户无帮扶措施", entered) in findings
    assert '<label for="audit-filter">筛选疑点</label>' in shown
    total = re.search(r"共 (\d+) 条：", shown[shown.index('id="audit-title"') :])
    assert total is not None and int(total.group(1)) == len(rows)


def test_a_period_the_ledger_does_not_hold_is_said_in_place(page: Page) -> None:
    shown = page.shown("/ledger?from=2022Q4&to=2023Q2&period=2020Q1")
    assert "前一期 2022Q4：台账中没有这一期" in shown
    assert "期间 2020Q1：台账中没有这一期" in shown
    assert "已存入的期间：2023Q1、2023Q2、2023Q3" in shown


def test_the_downloads_are_the_workbooks_the_commands_write(
    page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changes = page.client.post(
        "/ledger/download/changes", data={"csrf_token": page.token, "from": "2023Q1", "to": "2023Q2"}
    )
    assert changes.status_code == 200
    assert "attachment" in changes.headers["content-disposition"]
    audit = page.client.post("/ledger/download/audit", data={"csrf_token": page.token, "period": "2023Q2"})
    assert audit.status_code == 200
    monkeypatch.chdir(page.workspace)  # the commands in the same workspace, into another folder
    out = tmp_path / "命令行输出"
    common = ["--out", str(out)]
    assert (
        runner.invoke(cli, ["ledger", "changes", "--from", "2023Q1", "--to", "2023Q2", *common]).exit_code
        == 0
    )
    assert runner.invoke(cli, ["ledger", "audit", "--period", "2023Q2", *common]).exit_code == 0
    for response, name in ((changes, "动态监测变化表.xlsx"), (audit, "疑点数据清单.xlsx")):
        downloaded = tmp_path / name
        downloaded.write_bytes(response.content)
        written = page.workspace / "output" / "动态监测台账" / name
        assert written.read_bytes() == response.content  # written into the output folder too
        mine, theirs = load_workbook(downloaded).active, load_workbook(out / "动态监测台账" / name).active
        assert mine.max_row > 5
        assert [[c.value for c in row] for row in mine.iter_rows()] == [
            [c.value for c in row] for row in theirs.iter_rows()
        ]


def test_a_download_is_named_for_its_periods(page: Page) -> None:
    # downloaded one after another, the tables of other quarters must not all be 动态监测变化表.xlsx
    def named(response: httpx.Response) -> str:
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment")
        return unquote(disposition.split("filename*=UTF-8''", 1)[1])

    def changes(data: dict[str, str]) -> httpx.Response:
        return page.client.post("/ledger/download/changes", data={"csrf_token": page.token, **data})

    def audit(data: dict[str, str]) -> httpx.Response:
        return page.client.post("/ledger/download/audit", data={"csrf_token": page.token, **data})

    assert named(changes({"from": "2023Q1", "to": "2023Q2"})) == "动态监测变化表（2023Q1至2023Q2）.xlsx"
    assert named(changes({})) == "动态监测变化表（2023Q2至2023Q3）.xlsx"  # the last two, as the command
    assert named(audit({"period": "2023Q2"})) == "疑点数据清单（2023Q2）.xlsx"
    assert named(audit({})) == "疑点数据清单（2023Q3）.xlsx"


def test_adding_a_period_through_the_page_equals_fanpin_ledger_add(
    page: Page, quarters: Quarters, tmp_path: Path
) -> None:
    db = tmp_path / "命令行" / DB_NAME
    for label in ("2023Q1", "2023Q2", "2023Q3"):
        result = runner.invoke(
            cli,
            ["ledger", "add", str(quarters.files[label]), "--measures", str(quarters.measures)]
            + ["--db", str(db), "--policy", POLICY],
        )
        assert result.exit_code == 0, result.output
    with LedgerStore.open(db) as by_command, LedgerStore.open(page.workspace / DB_NAME) as by_page:
        command_periods, page_periods = by_command.periods(), by_page.periods()
        assert [p.period for p in page_periods] == [p.period for p in command_periods]
        for mine, theirs in zip(page_periods, command_periods, strict=True):
            assert (mine.roster_fingerprint, mine.measures_fingerprint) == (
                theirs.roster_fingerprint,
                theirs.measures_fingerprint,
            )
            assert (mine.households, mine.people) == (theirs.households, theirs.people)
            assert by_page.load(mine.period) == by_command.load(theirs.period)


def test_the_same_export_again_changes_nothing_and_a_corrected_one_replaces_its_period(
    quarters: Quarters, tmp_path: Path
) -> None:
    browser = Page(new_workspace(tmp_path / "ws"))
    assert browser.add(quarters.files["2023Q1"], quarters.measures).status_code == 200
    again = browser.add(quarters.files["2023Q1"], quarters.measures).json()["results"][0]
    assert again["status"] == "unchanged" and "与台账中这一期相同，没有改变" in again["line"]
    # 2023Q2's export given as 2023Q1 (the period field): it replaces 2023Q1 and says what changed
    corrected = browser.add(quarters.files["2023Q2"], period="2023Q1").json()["results"][0]
    assert corrected["period"] == "2023Q1" and corrected["status"] == "replaced"
    assert "改动：新纳入监测 3 户；风险消除 2 户；收入低于监测线 1 户；成员迁移 1 人" in corrected["line"]
    fallen = quarters.story.fallen
    assert any(
        line.startswith(f"收入低于监测线：{fallen} ") and format_amount(quarters.story.fallen_after) in line
        for line in corrected["changes"]
    )
    assert any("数据日期属于 2023Q2，按填写的期间存为 2023Q1" in note for note in corrected["notes"])
    assert any("保留上次存入的帮扶措施台账" in note for note in corrected["notes"])
    shown = browser.shown("/ledger")
    assert [row[0] for row in table(shown, "periods-table")] == ["2023Q1"]
    assert "只有 1 期" in shown  # changes need two periods: said in place of the table


def _refused(browser: Page, response, problem: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code in (400, 413), response.text
    body = response.json()
    assert problem in response.text, body
    assert not (browser.workspace / DB_NAME).exists()
    assert kept(browser) == []
    return body


def test_a_renamed_program_is_refused_by_its_content(tmp_path: Path) -> None:
    browser = Page(new_workspace(tmp_path / "ws"))
    program = tmp_path / "名单.xlsx"
    program.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(2000))
    body = _refused(browser, browser.add(program), "并不是 Excel 工作簿")
    (problem,) = body["problems"]
    assert problem["file"] == "名单.xlsx"
    assert "扩展名" in problem["message"] and problem["hint"]
    # as the measures ledger: refused before the roster is sent
    held = browser.send("/api/ledger/measures", program, "台账.xlsx")
    assert held.status_code == 400 and held.json()["problems"][0]["file"] == "台账.xlsx"
    assert kept(browser) == []
    # a name the readers cannot read is refused by its extension
    named = browser.send("/api/ledger/periods", program, "名单.exe")
    assert named.status_code == 400 and "（.exe）不能使用" in named.json()["error"]


def test_the_wrong_workbook_is_named(quarters: Quarters, tmp_path: Path) -> None:
    browser = Page(new_workspace(tmp_path / "ws"))
    body = _refused(
        browser, browser.add(quarters.measures, name="本季度名单.xlsx"), "这是帮扶措施台账，不是户籍监测名单"
    )
    assert body["problems"][0]["file"] == "本季度名单.xlsx"


def test_an_upload_over_the_limit_is_refused(
    quarters: Quarters, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = Page(new_workspace(tmp_path / "ws"))
    size = quarters.files["2023Q1"].stat().st_size
    monkeypatch.setattr(uploads, "MAX_UPLOAD", size - 1)
    response = browser.add(quarters.files["2023Q1"], quarters.measures)
    assert response.status_code == 413
    assert "超过" in response.json()["error"] and "没有保存" in response.json()["error"]
    assert not (browser.workspace / DB_NAME).exists()
    assert kept(browser) == []  # neither the roster nor the measures ledger sent before it is left
    assert size - 1 == uploads.MAX_UPLOAD and uploads.too_large(50 * 1024 * 1024).detail.startswith(
        "文件超过 50 MB"
    )


def test_a_measures_ledger_is_held_once(quarters: Quarters, tmp_path: Path) -> None:
    browser = Page(new_workspace(tmp_path / "ws"))
    held = browser.send("/api/ledger/measures", quarters.measures).json()["measures"]
    first = browser.send(f"/api/ledger/periods?measures={held}", quarters.files["2023Q1"])
    assert first.json()["results"][0]["line"].endswith("帮扶措施 98 条）")
    again = browser.send(f"/api/ledger/periods?measures={held}", quarters.files["2023Q2"])
    assert again.status_code == 400 and "已不在" in again.json()["error"]
    for token in ("../..", "..%2F..", ".fanpin-upload-x/../..", "台账.sqlite"):
        refused = browser.send(f"/api/ledger/periods?measures={token}", quarters.files["2023Q2"])
        assert refused.status_code in (400, 404), token
    assert len(kept(browser)) == 2  # 2023Q1's roster and measures ledger
    roster_given_as_measures = browser.send("/api/ledger/measures", quarters.files["2023Q2"], "措施.xlsx")
    assert "这是户籍监测名单，不是帮扶措施台账" in roster_given_as_measures.text


def test_bad_rows_are_listed_with_their_place_and_nothing_is_stored(
    quarters: Quarters, tmp_path: Path
) -> None:
    rows = [dict(row) for row in quarters.rows["2023Q1"]]
    wrong = rows[4]["证件号码"]
    rows[4]["证件号码"] = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    rows[7]["姓名"] = ""
    bad = write_roster(tmp_path / "有错的名单.xlsx", rows)
    browser = Page(new_workspace(tmp_path / "ws"))
    body = _refused(browser, browser.add(bad), "这一期没有存入台账")
    problems = body["problems"]
    assert {p["file"] for p in problems} == {"有错的名单.xlsx"}
    assert {(p["row"], p["column"]) for p in problems} >= {(6, "证件号码"), (9, "姓名")}
    assert all(p["sheet"] and p["message"] and p["hint"] for p in problems)
    assert all(p["error"] for p in problems if p["column"] in ("证件号码", "姓名"))
    id_problem = next(p for p in problems if p["column"] == "证件号码")
    assert id_problem["value"] == mask_id(rows[4]["证件号码"])
    assert rows[4]["证件号码"] not in str(body)


def test_no_period_and_no_数据日期_is_said(quarters: Quarters, tmp_path: Path) -> None:
    rows = [{k: v for k, v in row.items() if k != "数据日期"} for row in quarters.rows["2023Q1"]]
    undated = write_roster(tmp_path / "无日期.xlsx", rows)
    browser = Page(new_workspace(tmp_path / "ws"))
    response = browser.add(undated)
    assert response.status_code == 400
    assert "没有「数据日期」列" in response.json()["error"]
    assert kept(browser) == []
    stored = browser.add(undated, period="2023年第一季度").json()["results"][0]
    assert stored["period"] == "2023Q1" and stored["status"] == "added"


def test_no_answer_asks_for_a_command_line_option(quarters: Quarters, tmp_path: Path) -> None:
    """The page's clerk never types a command: a hint names the page's field (「期间」), not --period."""
    browser = Page(new_workspace(tmp_path / "ws"))
    rows = [{k: v for k, v in row.items() if k != "数据日期"} for row in quarters.rows["2023Q1"]]
    undated = browser.add(write_roster(tmp_path / "无日期.xlsx", rows))
    assert undated.status_code == 400 and "在「期间」中填写季度，如 2023Q2" in undated.json()["error"]
    for label in ("2023Q1", "2023Q2"):
        assert browser.add(quarters.files[label], quarters.measures).status_code == 200
    reversed_periods = browser.shown("/ledger?from=2023Q2&to=2023Q1")
    assert "比较的前一期 2023Q2 应早于后一期 2023Q1" in reversed_periods
    browser.shown("/ledger?from=2022Q4&period=2020Q1")
    assert len(browser.answers) >= 6
    for answer in browser.answers:
        # what the page says, without its comments and its random CSRF token (which can hold "--x")
        said = re.sub(
            r'<meta name="csrf-token" content="[^"]*">', "", answer.replace("<!--", "").replace("-->", "")
        )
        assert not re.search(r"--[a-z]", said), answer[:2000]


def test_no_full_id_number_in_any_answer(page: Page, quarters: Quarters) -> None:
    page.shown("/ledger?from=2023Q1&to=2023Q2&period=2023Q2")
    page.shown("/ledger?period=2023Q1")
    page.get("/ledger/tables?from=2023Q1&to=2023Q3")
    ids = id_numbers(quarters)
    assert len(ids) > 1000 and len(page.answers) >= 5
    for answer in page.answers:
        assert not ids.intersection(re.findall(r"\d{17}[\dXx]", answer))


def test_the_money_on_the_page_is_the_ledgers(page: Page, quarters: Quarters) -> None:
    """The per-capita incomes shown are the stored Decimals, formatted as in the workbooks."""
    rows = table(page.shown("/ledger?from=2023Q1&to=2023Q2"), "changes-table")
    (fallen,) = [row for row in rows if row[0] == "收入低于监测线"]
    shown = Decimal(fallen[6].removeprefix("人均纯收入 ").removesuffix(" 元").replace(",", ""))
    assert shown == quarters.story.fallen_after


def test_a_replaced_period_is_shown_anew(quarters: Quarters, tmp_path: Path) -> None:
    browser = Page(new_workspace(tmp_path / "ws"))
    for label in ("2023Q1", "2023Q2"):
        assert browser.add(quarters.files[label], quarters.measures).status_code == 200
    assert len(table(browser.shown("/ledger"), "changes-table")) == 7
    # 2023Q1's export stored again as 2023Q2: the two periods now hold the same households
    replaced = browser.add(quarters.files["2023Q1"], quarters.measures, period="2023Q2")
    assert replaced.json()["results"][0]["status"] == "replaced"
    page = browser.shown("/ledger")
    assert "共 0 条：没有变化" in page and 'id="changes-table"' not in page


def test_the_report_cache_answers_again_only_for_the_same_ledger_and_policy() -> None:
    cache = ReportCache(size=2)
    made: list[str] = []

    def make(name: str):  # type: ignore[no-untyped-def]
        return lambda: made.append(name) or name

    first = load_policy(POLICY)
    assert cache.get(("a",), first, make("a1")) == "a1"
    assert cache.get(("a",), load_policy(POLICY), make("a2")) == "a1"  # the same policy, loaded again
    assert cache.get(("a",), load_policy("fengjie-2022"), make("a3")) == "a3"
    assert cache.get(("b",), first, make("b")) == "b"
    assert cache.get(("c",), first, make("c")) == "c"  # the oldest entry ("a") goes
    assert cache.get(("a",), load_policy("fengjie-2022"), make("a4")) == "a4"
    assert made == ["a1", "a3", "b", "c", "a4"]
