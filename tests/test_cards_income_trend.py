"""The 明白卡's income trend: with a 动态监测台账 beside the output folder (or in the workspace), each
card's income table gains a 「收入变化」 row — the household's per-capita income in up to three
quarters stored before the roster's own, then this card's. Without a ledger, or with one that cannot
be read, the row is left out (the latter with a note), and the cards are made as before."""

from __future__ import annotations

import re
import shutil
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from cards_support import HOUSEHOLDS, write_inputs
from fanpin_docs.cards.trend import income_trend
from fanpin_docs.cli import app
from fanpin_docs.generate import generate, request_from
from fanpin_docs.ledger import DB_NAME, LedgerStore, StoredPeriod, add_export
from fanpin_docs.ledger.history import LedgerIncomes, own_quarter
from fanpin_docs.models import StoredIncome
from fanpin_docs.money import format_amount
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_roster
from fanpin_docs.settings import Settings, load_settings
from fanpin_docs.templating import find_template
from fanpin_docs.workspace import init_workspace
from ledger_data import Quarters, build_quarters

runner = CliRunner()
POLICY = "qianjiang-2023"
MORE = {"5001140030001": ("大户村", "欧阳建国", ["李秀英"], (20000, 5000, 300, 3000, 1000), "")}


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


def test_trend_is_the_last_three_earlier_quarters_then_this_card() -> None:
    stored = [StoredIncome(f"2023Q{q}", Decimal(6000 + 100 * q)) for q in (1, 2, 3, 4)]
    assert (
        income_trend(stored, "7,450.00")
        == "2023Q2 6,200.00 → 2023Q3 6,300.00 → 2023Q4 6,400.00 → 本期 7,450.00"
    )
    assert income_trend(stored[:1], "未提供") == "2023Q1 6,100.00 → 本期 未提供"
    assert income_trend([], "6,100.00") == ""  # no earlier quarter: the template leaves the row out


def stored_periods(db: Path) -> list[StoredPeriod]:
    with LedgerStore.read_only(db) as ledger:
        return ledger.periods()


def test_the_rosters_own_quarter_is_where_the_ledger_stored_it_else_its_date(
    quarters: Quarters, tmp_path: Path
) -> None:
    """数据日期 2023-09-30 (2023Q3): stored as 2023Q3, not stored, or stored under another --period."""
    q3 = load_roster(quarters.files["2023Q3"])
    db = tmp_path / "as-dated" / DB_NAME
    store(db, quarters, ["2023Q1", "2023Q2", "2023Q3"])
    assert own_quarter(stored_periods(db), q3) == "2023Q3"
    db = tmp_path / "not-stored" / DB_NAME
    store(db, quarters, ["2023Q1"])
    assert own_quarter(stored_periods(db), q3) == "2023Q3"
    # 2023Q3's export is 2023Q2's again (only 数据日期 differs, which the ledger does not keep): the
    # ledger holds this very roster as 2023Q2, so 2023Q2 is not shown as an earlier quarter of it
    # (at worst a quarter is left out; never the card's own figures shown as an earlier quarter's)
    db = tmp_path / "same-again" / DB_NAME
    store(db, quarters, ["2023Q1", "2023Q2"])
    assert own_quarter(stored_periods(db), q3) == "2023Q2"
    # the 2023Q3 export stored as --period 2023Q2 (2023Q2's own data stored as 2023Q1 before it):
    # the card's own quarter is 2023Q2, so only what is stored before it is earlier
    db = tmp_path / "moved" / DB_NAME
    with LedgerStore.open(db) as ledger:
        add_export(ledger, quarters.files["2023Q2"], period="2023Q1")
        add_export(ledger, quarters.files["2023Q3"], period="2023Q2")
    assert own_quarter(stored_periods(db), q3) == "2023Q2"
    history, note = LedgerIncomes(db)(q3, 3)
    assert note is None and [s.period for s in history[quarters.story.fallen]] == ["2023Q1"]


def test_a_roster_without_a_date_is_placed_by_the_ledger_or_gets_no_trend(tmp_path: Path) -> None:
    undated, _ = write_inputs(tmp_path / "输入")
    other, _ = write_inputs(tmp_path / "另一份", households={**HOUSEHOLDS, **MORE})
    roster = load_roster(undated)
    db = tmp_path / DB_NAME
    with LedgerStore.open(db) as ledger:
        add_export(ledger, other, period="2023Q1")
        add_export(ledger, undated, period="2023Q2")
        add_export(ledger, other, period="2023Q3")
    history, note = LedgerIncomes(db)(roster, 3)
    assert note is None and {s.period for stored in history.values() for s in stored} == {"2023Q1"}
    # not in the ledger and without a date: nothing says which quarters came before it
    with LedgerStore.open(tmp_path / "别的" / DB_NAME) as ledger:
        add_export(ledger, other, period="2023Q1")
    history, note = LedgerIncomes(tmp_path / "别的" / DB_NAME)(roster, 3)
    assert history == {} and note is not None and "没有「数据日期」" in note


def test_store_gives_each_households_incomes_quarter_by_quarter(quarters: Quarters, tmp_path: Path) -> None:
    db = tmp_path / DB_NAME
    store(db, quarters, ["2023Q2", "2023Q1"])  # stored out of order: given oldest first
    with LedgerStore.read_only(db) as ledger:
        history = ledger.per_capita_history()
    story = quarters.story
    assert history[story.fallen] == (
        StoredIncome("2023Q1", story.fallen_before),
        StoredIncome("2023Q2", story.fallen_after),
    )
    with LedgerStore.read_only(db) as ledger:
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
    flat = "".join(output.split())
    assert "没有读取动态监测台账中往期的人均纯收入，明白卡上不印「收入变化」" in flat
    assert "不是动态监测台账数据库（文件已损坏，或是别的文件）" in flat
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
    store(workspace / DB_NAME, quarters, ["2023Q1", "2023Q2", "2023Q3"])
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


def test_the_village_print_file_carries_each_households_trend(quarters: Quarters, tmp_path: Path) -> None:
    out = tmp_path / "out"
    store(tmp_path / DB_NAME, quarters, ["2023Q1", "2023Q2", "2023Q3"])
    make_cards(quarters, out)
    (card,) = out.rglob(f"{quarters.story.fallen}_*.docx")
    (print_file,) = card.parent.parent.glob(f"{card.parent.name}_全村明白卡.docx")
    labels = [row.cells[0].text for table in Document(str(print_file)).tables for row in table.rows]
    assert labels.count("收入变化") == len(list(card.parent.glob("*.docx")))


def test_a_ledger_of_the_first_schema_is_read_and_left_as_it_was(quarters: Quarters, tmp_path: Path) -> None:
    """A cards run opens the ledger for reading only: an older database is not migrated."""
    db = tmp_path / DB_NAME
    with LedgerStore.open(db, upto=1) as ledger:
        assert ledger.version == 1
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("INSERT INTO periods VALUES (1, '2022Q4', '名单.xlsx', 'abc', NULL, NULL, 1, 1)")
        connection.execute(
            "INSERT INTO households VALUES (1, ?, '城东街道', '红岩村', '张三', '脱贫户', '', 0, NULL, NULL,"
            " '', '', 1, '6500.00', NULL)",
            (quarters.story.fallen,),
        )
    connection.close()
    before = db.read_bytes()
    make_cards(quarters, tmp_path / "out")
    assert income_rows(tmp_path / "out", quarters.story.fallen)["收入变化"].startswith(
        "2022Q4 6,500.00 → 本期 "
    )
    assert db.read_bytes() == before
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1


def test_db_names_the_ledger_and_a_missing_one_is_refused(quarters: Quarters, tmp_path: Path) -> None:
    elsewhere = tmp_path / "别处" / "县台账.sqlite"
    store(elsewhere, quarters, ["2023Q1", "2023Q2"])
    arguments = ["cards", "--roster", str(quarters.files["2023Q3"]), "--measures", str(quarters.measures)]
    arguments += ["--policy", POLICY, "--workers", "1"]
    made = runner.invoke(app, [*arguments, "--out", str(tmp_path / "out"), "--db", str(elsewhere)])
    assert made.exit_code == 0, made.output
    assert "收入变化" in income_rows(tmp_path / "out", quarters.story.fallen)
    missing = runner.invoke(
        app, [*arguments, "--out", str(tmp_path / "out2"), "--db", str(tmp_path / "无.sqlite")]
    )
    assert missing.exit_code == 1 and "找不到 --db 给出的动态监测台账" in missing.output
    assert not (tmp_path / "out2").exists()


def test_a_bad_tag_in_the_trend_row_is_refused_without_a_ledger(quarters: Quarters, tmp_path: Path) -> None:
    """The trial card is also filled with a trend: what would fail only on a card that has one is
    refused before anything is written, also by a run (or a `fanpin check`) without a ledger."""
    template = tmp_path / "模板.docx"
    document = Document()
    document.add_paragraph("{{ household.head }}")
    document.add_paragraph("{%p if income.trend %}")
    document.add_paragraph('收入变化：{{ income.trend | replace("→") }}')  # replace() needs two arguments
    document.add_paragraph("{%p endif %}")
    document.save(str(template))
    arguments = ["cards", "--roster", str(quarters.files["2023Q3"]), "--measures", str(quarters.measures)]
    result = runner.invoke(
        app, [*arguments, "--policy", POLICY, "--out", str(tmp_path / "out"), "--template", str(template)]
    )
    assert result.exit_code == 1, result.output
    assert "模板.docx" in result.output and not (tmp_path / "out").exists()


def test_without_a_trend_the_rows_leave_no_trace(quarters: Quarters, tmp_path: Path) -> None:
    """The shipped template with its three 「收入变化」 rows cut out fills every card without a trend
    byte for byte as the template does: the rows add nothing when there is no ledger."""
    shipped = find_template("明白卡.docx", Settings())
    with zipfile.ZipFile(shipped) as source:
        parts = {name: source.read(name) for name in source.namelist()}
        infos = source.infolist()
    body = parts["word/document.xml"].decode("utf-8")
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", body, flags=re.DOTALL)
    first = next(i for i, row in enumerate(rows) if "{%tr if income.trend %}" in row)
    assert "{%tr endif %}" in rows[first + 2]
    cut = body.replace("".join(rows[first : first + 3]), "")
    assert cut != body and "income.trend" not in cut
    without = tmp_path / "无收入变化.docx"
    with zipfile.ZipFile(without, "w") as target:
        for info in infos:
            data = cut.encode("utf-8") if info.filename == "word/document.xml" else parts[info.filename]
            target.writestr(info, data)
    for name, template in (("shipped", shipped), ("cut", without)):
        arguments = ["cards", "--roster", str(quarters.files["2023Q1"]), "--measures", str(quarters.measures)]
        made = runner.invoke(
            app,
            [
                *arguments,
                "--policy",
                POLICY,
                "--out",
                str(tmp_path / name),
                "--template",
                str(template),
                "--workers",
                "1",
            ],
        )
        assert made.exit_code == 0, made.output
    cards = sorted(p.relative_to(tmp_path / "shipped") for p in (tmp_path / "shipped").rglob("*.docx"))
    assert cards and cards == sorted(
        p.relative_to(tmp_path / "cut") for p in (tmp_path / "cut").rglob("*.docx")
    )
    assert all((tmp_path / "shipped" / c).read_bytes() == (tmp_path / "cut" / c).read_bytes() for c in cards)
