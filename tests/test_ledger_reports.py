"""动态监测台账 on two and three quarters of the demo township changed by hand in known ways
(tests/ledger_data.py): `changes` and `audit` report exactly those changes, with their values, in the
terminal and in the workbooks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.ledger import AuditInput, LedgerStore, Period, add_export, audit, compare
from fanpin_docs.money import format_amount
from fanpin_docs.pdf import convert_to_pdf, find_soffice
from fanpin_docs.policy import load_policy
from ledger_data import Quarters, build_quarters

runner = CliRunner()
POLICY = load_policy("qianjiang-2023")


@pytest.fixture(scope="module")
def quarters(tmp_path_factory: pytest.TempPathFactory) -> Quarters:
    return build_quarters(tmp_path_factory.mktemp("quarters"))


@pytest.fixture(scope="module")
def stored(quarters: Quarters, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("db") / "台账.sqlite"
    with LedgerStore.open(db) as store:
        for label, path in quarters.files.items():
            result = add_export(store, path, measures_path=quarters.measures, policy=POLICY)
            assert (result.period, result.status) == (label, "added")
    return db


@pytest.fixture(scope="module")
def control(quarters: Quarters, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2023Q1's data stored as 2023Q1 and again as 2023Q2: what the audit says when nothing changed."""
    db = tmp_path_factory.mktemp("control") / "台账.sqlite"
    with LedgerStore.open(db) as store:
        for label in ("2023Q1", "2023Q2"):
            result = add_export(
                store, quarters.files["2023Q1"], period=label, measures_path=quarters.measures
            )
            assert result.status == "added"
    return db


def _findings(db: Path, label: str) -> set[tuple[str, str, str]]:
    report = _audit(db, label)
    return {(f.rule.name, f.household_id, f.person) for f in report.findings}


def _audit(db: Path, label: str):  # type: ignore[no-untyped-def]
    with LedgerStore.open(db) as store:
        labels = [p.period for p in store.periods()]
        history = [(other, store.load(other)) for other in labels if other < label]
        return audit(AuditInput(Period.parse(label), store.load(label), history, POLICY))


def test_changes_between_two_quarters_are_exactly_the_planted_ones(quarters: Quarters, stored: Path) -> None:
    story = quarters.story
    with LedgerStore.open(stored) as store:
        report = compare(store.load("2023Q1"), store.load("2023Q2"), POLICY, first="2023Q1", second="2023Q2")
    kinds = Counter(c.kind for c in report.changes)
    assert kinds == {"新纳入监测": 3, "风险消除": 2, "收入低于监测线": 1, "成员迁移": 1}
    by_kind = {kind: [c for c in report.changes if c.kind == kind] for kind in kinds}
    assert sorted(c.household_id for c in by_kind["新纳入监测"]) == sorted(story.entered)
    for change in by_kind["新纳入监测"]:
        assert change.before == "未纳入监测"
        assert change.after == "边缘易致贫户；风险：因病；风险未消除；识别 2023年4月"
    eliminated = {c.household_id: c for c in by_kind["风险消除"]}
    assert eliminated.keys() == {story.assisted, story.natural}
    assert eliminated[story.assisted].after == "风险已消除：帮扶消除，2023年4月消除"
    assert eliminated[story.natural].after == "风险已消除：自然消除，2023年6月消除"
    assert all(c.before.startswith("风险未消除") for c in eliminated.values())
    (fallen,) = by_kind["收入低于监测线"]
    assert fallen.household_id == story.fallen
    assert fallen.before == f"人均纯收入 {format_amount(story.fallen_before)} 元"
    assert fallen.after == f"人均纯收入 {format_amount(story.fallen_after)} 元"
    assert fallen.note == "监测线 7,000.00 元"
    (moved,) = by_kind["成员迁移"]
    assert (moved.person, moved.household_id) == (story.mover_name, story.mover_to)
    assert f"户编号 {story.mover_from}" in moved.before and f"户编号 {story.mover_to}" in moved.after
    assert "其他" in moved.after
    assert report.summary() == "新纳入监测 3 户；风险消除 2 户；收入低于监测线 1 户；成员迁移 1 人"


def test_three_quarters_compare_any_two(quarters: Quarters, stored: Path) -> None:
    with LedgerStore.open(stored) as store:
        q1, q2, q3 = (store.load(label) for label in ("2023Q1", "2023Q2", "2023Q3"))
    assert compare(q2, q3, POLICY, first="2023Q2", second="2023Q3").changes == []
    across = compare(q1, q3, POLICY, first="2023Q1", second="2023Q3")
    direct = compare(q1, q2, POLICY, first="2023Q1", second="2023Q2")
    assert across.changes == direct.changes


def test_audit_reports_exactly_the_new_suspicions_with_values(
    quarters: Quarters, stored: Path, control: Path
) -> None:
    story = quarters.story
    unchanged, after = _findings(control, "2023Q2"), _findings(stored, "2023Q2")
    new = after - unchanged
    expected = {
        *(("监测户无帮扶措施", hid, "") for hid in story.entered),
        ("识别后短期内帮扶消除", story.assisted, ""),
        ("监测期不足", story.assisted, ""),
        ("脱贫户收入低于监测线未纳入监测", story.fallen, ""),
    }
    assert new == expected
    report = _audit(stored, "2023Q2")
    found = {(f.rule.name, f.household_id): f for f in report.findings}
    quick = found[("识别后短期内帮扶消除", story.assisted)]
    assert quick.found == "2023年2月识别，2023年4月帮扶消除（相隔 2 个月）"
    assert quick.expected == "帮扶消除距识别应超过 2 个月（不超过的需核实帮扶成效）"
    assert quick.rule.source.startswith("防返贫监测信息系统疑点数据核查口径")
    assert found[("监测期不足", story.assisted)].found == "2023年2月识别，2023年4月帮扶消除（监测 2 个月）"
    assert ("监测期不足", story.natural) not in found  # 2022年9月 to 2023年6月: 9 months
    poor = found[("脱贫户收入低于监测线未纳入监测", story.fallen)]
    assert poor.found == f"脱贫户，人均纯收入 {format_amount(story.fallen_after)} 元，未纳入监测"
    assert poor.expected == "人均纯收入低于监测范围 7,000.00 元的脱贫户应纳入监测（或核实收入）"
    for hid in story.entered:
        assert (
            found[("监测户无帮扶措施", hid)].found
            == "2023年4月识别，至2023年6月30日已 2 个月，台账中没有帮扶措施"
        )
    # what no longer applies: only to the two households whose risk was eliminated
    gone = unchanged - after
    assert {hid for _, hid, _ in gone} <= {story.assisted, story.natural}
    assert {rule for rule, _, _ in gone} <= {"收入持续高于监测线未消除风险", "监测户无帮扶措施"}


def test_third_quarter_finds_the_new_households_candidates_for_elimination(
    quarters: Quarters, stored: Path
) -> None:
    new = _findings(stored, "2023Q3") - _findings(stored, "2023Q2")
    assert new == {("收入持续高于监测线未消除风险", hid, "") for hid in quarters.story.entered}
    report = _audit(stored, "2023Q3")
    finding = next(
        f
        for f in report.findings
        if f.household_id == quarters.story.entered[0] and f.rule.check == "elimination_candidate"
    )
    assert "2023Q2" in finding.found and "2023Q3" in finding.found
    assert finding.expected == "连续 2 期高于监测范围 7,000.00 元的，应评估是否消除风险"


def test_first_quarter_skips_what_needs_history_and_says_so(stored: Path) -> None:
    report = _audit(stored, "2023Q1")
    assert any(s.startswith("「收入持续高于监测线未消除风险」未检查：需要连续 2 期") for s in report.skipped)
    assert not any(f.rule.check == "elimination_candidate" for f in report.findings)


def test_commands_write_the_workbooks_with_values(
    quarters: Quarters, stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "输出"
    common = ["--db", str(stored), "--policy", "qianjiang-2023", "--out", str(out)]
    result = runner.invoke(app, ["ledger", "changes", "--from", "2023Q1", "--to", "2023Q2", *common])
    assert result.exit_code == 0, result.output
    assert (
        "2023Q1 → 2023Q2：新纳入监测 3 户；风险消除 2 户；收入低于监测线 1 户；成员迁移 1 人" in result.output
    )
    ws = load_workbook(out / "动态监测台账" / "动态监测变化表.xlsx").active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_col=9)]
    data = [r for r in rows if isinstance(r[0], int)]
    assert len(data) == 7
    fallen = next(r for r in data if r[1] == "收入低于监测线")
    assert fallen[3] == quarters.story.fallen
    assert fallen[6:8] == [
        f"人均纯收入 {format_amount(quarters.story.fallen_before)} 元",
        f"人均纯收入 {format_amount(quarters.story.fallen_after)} 元",
    ]
    assert "动态监测变化表（2023Q1 至 2023Q2）" in ws["A1"].value

    result = runner.invoke(app, ["ledger", "audit", "--period", "2023Q2", *common])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out / "动态监测台账" / "疑点数据清单.xlsx").active
    data = [
        [c.value for c in row] for row in ws.iter_rows(min_row=4, max_col=9) if isinstance(row[0].value, int)
    ]
    report = _audit(stored, "2023Q2")
    assert len(data) == len(report.findings) > 0
    quick = next(r for r in data if r[1] == "识别后短期内帮扶消除")
    assert quick[3] == quarters.story.assisted
    assert quick[6] == "2023年2月识别，2023年4月帮扶消除（相隔 2 个月）"
    assert quick[8].startswith("防返贫监测信息系统疑点数据核查口径")
    assert (out / ".fanpin-manifest.json").is_file()


@pytest.mark.pdf
@pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice")
def test_the_two_workbooks_print_at_9_pt_or_more(
    quarters: Quarters, stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pymupdf

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "输出"
    common = ["--db", str(stored), "--policy", "qianjiang-2023", "--out", str(out)]
    assert runner.invoke(app, ["ledger", "changes", "--to", "2023Q2", *common]).exit_code == 0
    assert runner.invoke(app, ["ledger", "audit", "--period", "2023Q2", *common]).exit_code == 0
    books = sorted((out / "动态监测台账").glob("*.xlsx"))
    assert len(books) == 2
    pdfs = convert_to_pdf(books, tmp_path / "pdf")
    for pdf in pdfs:
        document = pymupdf.open(pdf)
        spans = [
            span
            for page in document
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
            if span["text"].strip()
        ]
        text = "".join(span["text"] for span in spans)
        assert quarters.story.assisted in text  # a household of the tables is on the page
        assert min(span["size"] for span in spans) >= 9, pdf.name
