"""What the default 明白卡 says and how big it prints: the income period (收入计算期间), the 计算说明
labelled by policy name and table row, and no text under 五号 (10.5 pt) anywhere in the template."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from typer.testing import CliRunner

from cards_support import LEDGER, roster_rows, write_inputs
from fanpin_docs.cards.data import build_cards
from fanpin_docs.cli import app
from fanpin_docs.errors import InputError
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_measures, load_roster
from fanpin_docs.readers.income_period import parse_income_period
from fanpin_docs.settings import Settings
from fanpin_docs.templating import find_template
from helpers import write_xlsx

ROOT = Path(__file__).parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(
    ("written", "start", "end", "printed"),
    [
        ("2022年7月至2023年6月", date(2022, 7, 1), date(2023, 6, 30), "2022年7月至2023年6月"),
        ("202207-202306", date(2022, 7, 1), date(2023, 6, 30), "2022年7月至2023年6月"),
        ("2022.7 ～ 2023.6", date(2022, 7, 1), date(2023, 6, 30), "2022年7月至2023年6月"),
        ("2023-01-01-2023-12-31", date(2023, 1, 1), date(2023, 12, 31), "2023年1月至2023年12月"),
        ("2023年2月—2024年2月", date(2023, 2, 1), date(2024, 2, 29), "2023年2月至2024年2月"),
        ("2022/7/15到2023/7/14", date(2022, 7, 15), date(2023, 7, 14), "2022年7月15日至2023年7月14日"),
        (2023, date(2023, 1, 1), date(2023, 12, 31), "2023年1月至2023年12月"),
        ("２０２３年度", date(2023, 1, 1), date(2023, 12, 31), "2023年1月至2023年12月"),
    ],
)
def test_income_period_as_people_write_it(written, start, end, printed):
    period = parse_income_period(written)
    assert (period.start, period.end, period.text()) == (start, end, printed)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2023年6月至2022年7月", "开始日期晚于结束日期"),
        ("去年", "没有写出起止日期"),
        ("2023年13月至2024年1月", "月份 13 不存在"),
        (date(2023, 6, 30), "只有一个日期"),
        ("2022至2023至2024", "起止日期只能各写一个"),
    ],
)
def test_an_unreadable_income_period_says_why(written, reason):
    with pytest.raises(ValueError, match=reason):
        parse_income_period(written)


def _roster_with_periods(folder: Path, periods: dict[str, object]) -> Path:
    """The test township's roster with a 收入计算期间 column, filled on each listed household's head row."""
    rows = roster_rows()
    rows[1] = [*rows[1], "收入计算期间"]
    for row in rows[2:]:
        is_head = row[7] == "户主"
        rows[rows.index(row)] = [*row, periods.get(str(row[0]), "") if is_head else ""]
    return write_xlsx(folder / "户籍监测名单.xlsx", rows)


def _cards(roster_path: Path, measures_path: Path):
    roster = load_roster(roster_path)
    return build_cards(roster, load_measures(measures_path, roster), load_policy("qianjiang-2023"), year=2023)


def test_card_states_the_income_period_from_the_roster_or_the_year(tmp_path):
    _, measures = write_inputs(tmp_path / "没有期间")
    without = _cards(tmp_path / "没有期间" / "户籍监测名单.xlsx", measures)
    assert {card.context["income"]["period"] for card in without} == {"2023年度"}

    roster = _roster_with_periods(tmp_path, {"5001140010001": "202207-202306", "5001140010002": "2023"})
    cards = {card.household.household_id: card for card in _cards(roster, measures)}
    assert cards["5001140010001"].context["income"]["period"] == "2022年7月至2023年6月"
    assert cards["5001140010002"].context["income"]["period"] == "2023年1月至2023年12月"
    assert cards["5001140010003"].context["income"]["period"] == "2023年度"  # this household left it blank

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["cards", "--roster", str(roster), "--measures", str(measures), "--policy", "qianjiang-2023"]
        + ["--out", str(out), "--household", "5001140010001"],
    )
    assert result.exit_code == 0, result.output
    document = Document(str(out / "明白卡/城东街道/红岩村/5001140010001_张大山.docx"))
    texts = [p.text for p in document.paragraphs]
    assert "四、家庭收入情况（收入计算期间：2022年7月至2023年6月，单位：元）" in texts


def test_a_bad_income_period_is_refused_with_its_place_and_nothing_is_written(tmp_path):
    _, measures = write_inputs(tmp_path / "输入")
    roster = _roster_with_periods(tmp_path, {"5001140010002": "去年全年"})
    with pytest.raises(InputError) as refused:
        load_roster(roster)
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.value) == (6, "收入计算期间", "去年全年")

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["cards", "--roster", str(roster), "--measures", str(measures), "--policy", "qianjiang-2023"]
        + ["--out", str(out)],
    )
    assert result.exit_code == 1
    message = result.output.replace("\n", "")
    assert "户籍监测名单.xlsx" in message and "第 6 行" in message and "收入计算期间" in message
    assert "2022年7月至2023年6月" in message  # how to write it
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.rglob("*.docx"))


def test_calculation_notes_are_labelled_by_policy_and_row_not_numbered_like_the_table(tmp_path):
    roster, measures = write_inputs(tmp_path / "输入", ledger=LEDGER)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["cards", "--roster", str(roster), "--measures", str(measures), "--policy", "qianjiang-2023"]
        + ["--out", str(out), "--household", "5001140010002"],
    )
    assert result.exit_code == 0, result.output
    document = Document(str(out / "明白卡/城东街道/红岩村/5001140010002_王二妹.docx"))
    texts = [p.text for p in document.paragraphs]
    notes = texts[texts.index("计算说明：") + 1 :]
    assert notes[0].startswith("医疗救助一事一议（第1项）：")
    assert notes[1].startswith("产业到户补助（第2项）：投入 3,000.00 元 × 80%")
    assert not [text for text in texts if text[:2] in ("1.", "2.", "3.")]


def _sizes(xml: bytes) -> list[float]:
    root = etree.fromstring(xml)
    return [int(element.get(f"{W}val")) / 2 for element in root.iter(f"{W}sz")]


def test_default_template_has_no_text_under_wuhao():
    path = find_template("明白卡.docx", Settings())
    with zipfile.ZipFile(path) as archive:
        styles, body = archive.read("word/styles.xml"), archive.read("word/document.xml")
    sizes = _sizes(styles) + _sizes(body)
    assert sizes and min(sizes) >= 10.5
    document = Document(str(path))
    used = {p.style.name for p in document.paragraphs} | {
        p.style.name for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
    }
    assert "明白卡说明" in used and all(document.styles[name].font.size.pt >= 10.5 for name in used)


def test_the_shipped_template_is_what_the_build_script_makes(tmp_path):
    built = tmp_path / "明白卡.docx"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_card_template.py"), str(built)], check=True, cwd=ROOT
    )
    assert built.read_bytes() == find_template("明白卡.docx", Settings()).read_bytes()
