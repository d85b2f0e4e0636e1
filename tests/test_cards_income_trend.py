"""The 明白卡's income trend: with a 动态监测台账 beside the output folder (or in the workspace), each
card's income table gains a 「收入变化」 row — the household's per-capita income in up to three
quarters stored before the roster's own, then this card's. Without a ledger, or with one that cannot
be read, the row is left out (the latter with a note), and the cards are made as before."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from fanpin_docs.cards.trend import income_trend
from fanpin_docs.cli import app
from fanpin_docs.generate import generate, request_from
from fanpin_docs.ledger import DB_NAME, LedgerStore, add_export
from fanpin_docs.models import StoredIncome
from fanpin_docs.money import format_amount
from fanpin_docs.policy import load_policy
from fanpin_docs.settings import load_settings
from fanpin_docs.workspace import init_workspace
from ledger_data import Quarters, build_quarters

runner = CliRunner()
POLICY = "qianjiang-2023"


@pytest.fixture(scope="module")
def quarters(tmp_path_factory: pytest.TempPathFactory) -> Quarters:
    return build_quarters(tmp_path_factory.mktemp("quarters"))


def store(db: Path, quarters: Quarters, labels: list[str]) -> None:
    with LedgerStore.open(db) as ledger:
        for label in labels:
            result = add_export(
                ledger, quarters.files[label], measures_path=quarters.measures, policy=load_policy(POLICY)
            )
            assert result.period == label


def make_cards(quarters: Quarters, out: Path, roster: str = "2023Q3") -> str:
    result = runner.invoke(
        app,
        [
            "cards",
            "--roster",
            str(quarters.files[roster]),
            "--measures",
            str(quarters.measures),
            "--policy",
            POLICY,
            "--out",
            str(out),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def income_rows(out: Path, household: str) -> dict[str, str]:
    """The card's rows whose first cell is a label, as a reader sees them: label → the rest."""
    (card,) = out.rglob(f"{household}_*.docx")
    rows = {}
    for table in Document(str(card)).tables:
        for row in table.rows:
            cells = list(dict.fromkeys(cell.text for cell in row.cells))  # merged cells repeat
            if len(cells) >= 2:
                rows[cells[0]] = " ".join(cells[1:])
    return rows


def test_trend_is_the_stored_quarters_before_the_rosters_then_this_card() -> None:
    stored = [StoredIncome(f"2023Q{q}", Decimal(6000 + 100 * q)) for q in (1, 2, 3, 4)]
    # the roster is from 2024Q1: its three quarters before, oldest first, then its own figure
    assert income_trend(stored, "7,450.00", date(2024, 3, 31)) == (
        "2023Q2 6,200.00 → 2023Q3 6,300.00 → 2023Q4 6,400.00 → 本期 7,450.00"
    )
    # a roster from 2023Q3: the ledger's 2023Q3 and 2023Q4 are not before it
    assert (
        income_trend(stored, "6,300.00", date(2023, 9, 30))
        == "2023Q1 6,100.00 → 2023Q2 6,200.00 → 本期 6,300.00"
    )
    # nothing stored before the roster's quarter: no trend (the template leaves the row out)
    assert income_trend(stored, "6,100.00", date(2023, 2, 1)) == ""
    assert income_trend([], "6,100.00", None) == ""
    # a roster without 数据日期: every stored quarter counts as earlier
    assert income_trend(stored[:1], "未提供", None) == "2023Q1 6,100.00 → 本期 未提供"


def test_store_gives_each_households_incomes_quarter_by_quarter(quarters: Quarters, tmp_path: Path) -> None:
    db = tmp_path / DB_NAME
    store(db, quarters, ["2023Q2", "2023Q1"])  # stored out of order: given oldest first
    with LedgerStore.open(db, create=False) as ledger:
        history = ledger.per_capita_history()
    story = quarters.story
    assert history[story.fallen] == (
        StoredIncome("2023Q1", story.fallen_before),
        StoredIncome("2023Q2", story.fallen_after),
    )
    with LedgerStore.open(db, create=False) as ledger:
        # what a card of a 2023Q3 roster asks for: the last quarters stored before its own
        assert ledger.per_capita_history("2023Q3", 1)[story.fallen] == (
            StoredIncome("2023Q2", story.fallen_after),
        )
        assert ledger.per_capita_history("2023Q2", 3)[story.fallen] == (
            StoredIncome("2023Q1", story.fallen_before),
        )
        assert ledger.per_capita_history("2023Q1", 3) == {}


def test_cards_show_the_ledgers_earlier_quarters(quarters: Quarters, tmp_path: Path) -> None:
    out = tmp_path / "out"
    store(tmp_path / DB_NAME, quarters, ["2023Q1", "2023Q2", "2023Q3"])  # beside the output folder
    make_cards(quarters, out)
    story = quarters.story
    before, after = format_amount(story.fallen_before), format_amount(story.fallen_after)
    rows = income_rows(out, story.fallen)
    assert rows["人均纯收入"].startswith(after)
    # 2023Q3 is the roster's own quarter: its figure is the card's, not the ledger's
    assert rows["收入变化"] == f"2023Q1 {before} → 2023Q2 {after} → 本期 {after}"
    # every household of the roster was in the ledger's earlier quarters: every card has the row
    assert all("收入变化" in income_rows(out, h) for h in (story.assisted, story.natural, *story.entered))


def test_without_earlier_quarters_or_a_ledger_the_card_is_as_before(
    quarters: Quarters, tmp_path: Path
) -> None:
    plain = tmp_path / "plain" / "out"
    output = make_cards(quarters, plain, roster="2023Q1")
    assert "动态监测台账" not in output
    assert "收入变化" not in income_rows(plain, quarters.story.fallen)

    only_now = tmp_path / "only-now" / "out"
    store(only_now.parent / DB_NAME, quarters, ["2023Q1"])
    make_cards(quarters, only_now, roster="2023Q1")
    assert "收入变化" not in income_rows(only_now, quarters.story.fallen)
    # the same card, byte for byte, as without a ledger
    card = next(plain.rglob(f"{quarters.story.fallen}_*.docx")).relative_to(plain)
    assert (plain / card).read_bytes() == (only_now / card).read_bytes()


def test_a_ledger_that_cannot_be_read_leaves_the_trend_out_with_a_note(
    quarters: Quarters, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (tmp_path / DB_NAME).write_bytes(b"not a database " * 100)
    output = make_cards(quarters, out)
    assert "动态监测台账" in output and "无法读取" in output and "不印人均纯收入的变化" in output
    assert "收入变化" not in income_rows(out, quarters.story.fallen)
    assert (tmp_path / DB_NAME).read_bytes() == b"not a database " * 100  # left as it was


def test_the_workbench_makes_the_same_cards_from_the_workspaces_ledger(
    quarters: Quarters, tmp_path: Path
) -> None:
    workspace = tmp_path / "城东街道"
    init_workspace(workspace, township="城东街道", county="重庆市黔江区", policy=POLICY)
    settings = load_settings(workspace)
    for kind, source in (("roster", quarters.files["2023Q3"]), ("measures", quarters.measures)):
        target = settings.input_path(kind, None)
        assert target is not None
        shutil.copyfile(source, target)
    store(workspace / DB_NAME, quarters, ["2023Q1", "2023Q2"])
    generate(workspace, request_from({"kind": "cards"}), progress=lambda *_: None, phase=lambda _: None)
    story = quarters.story
    before, after = format_amount(story.fallen_before), format_amount(story.fallen_after)
    rows = income_rows(settings.output_dir(None), story.fallen)
    assert rows["收入变化"] == f"2023Q1 {before} → 2023Q2 {after} → 本期 {after}"


def test_a_template_without_the_trend_row_is_named_when_the_ledger_has_incomes(
    quarters: Quarters, tmp_path: Path
) -> None:
    """A workspace made before the row existed keeps its own copy of the template: say what it misses."""
    old = tmp_path / "旧明白卡.docx"
    document = Document()
    document.add_paragraph("{{ household.head }}：人均纯收入 {{ income.per_capita }}")
    document.save(str(old))
    store(tmp_path / DB_NAME, quarters, ["2023Q1", "2023Q2"])
    arguments = ["--roster", str(quarters.files["2023Q3"]), "--measures", str(quarters.measures)]
    result = runner.invoke(
        app, ["cards", *arguments, "--policy", POLICY, "--out", str(tmp_path / "out"), "--template", str(old)]
    )
    assert result.exit_code == 0, result.output
    flat = "".join(result.output.split())
    assert "所用的明白卡模板「旧明白卡.docx」没有「收入变化」一行（字段income.trend）" in flat
    # with the shipped template, nothing to say
    shipped = runner.invoke(app, ["cards", *arguments, "--policy", POLICY, "--out", str(tmp_path / "out2")])
    assert shipped.exit_code == 0 and "收入变化" not in shipped.output
