"""A workbook opened to find out its kind is read from memory by its reader, once, and only while the
file is unchanged: `fanpin check 名单.xlsx` opens the file once and reports exactly what it did."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanpin_docs.check import check_workbooks, detect_kind
from fanpin_docs.cli import app
from fanpin_docs.readers import load_roster, sources
from fanpin_docs.readers.kept import keeping_opened
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

HEAD = make_id("19700101", 11)
SPOUSE = make_id("19720101", 22)
SPOUSE_MISTYPED = SPOUSE[:-1] + ("0" if SPOUSE[-1] != "0" else "1")  # a wrong check digit


def _roster(path: Path, *, spouse_id: str = SPOUSE) -> Path:
    rows = [
        ["城东街道防返贫监测名单"],
        ROSTER_HEADER,
        roster_row("0012", "张三", HEAD, "户主", size=2),
        roster_row("0012", "李四", spouse_id, "配偶"),
    ]
    return write_xlsx(path, rows)


@pytest.fixture
def openings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real opening of a workbook (safety scan and python-calamine), by path."""
    opened: list[Path] = []
    real = sources._open_workbook

    def counted(path: Path) -> dict:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(sources, "_open_workbook", counted)
    return opened


def test_a_detected_workbook_is_opened_once(tmp_path: Path, openings: list[Path]) -> None:
    path = _roster(tmp_path / "名单.xlsx")
    with keeping_opened():
        assert detect_kind(path) == "roster"
        report = check_workbooks({"roster": [path]})
    assert openings == [path]
    assert report.ok and report.files[0].records == 1


def test_outside_the_block_nothing_is_kept(tmp_path: Path, openings: list[Path]) -> None:
    path = _roster(tmp_path / "名单.xlsx")
    detect_kind(path)
    load_roster(path)
    assert openings == [path, path]


def test_a_kept_workbook_is_handed_out_once(tmp_path: Path, openings: list[Path]) -> None:
    path = _roster(tmp_path / "名单.xlsx")
    with keeping_opened():
        detect_kind(path)
        first = load_roster(path)
        second = load_roster(path)
    assert openings == [path, path]
    assert first.households == second.households


def test_a_file_changed_after_detection_is_read_again(tmp_path: Path, openings: list[Path]) -> None:
    path = _roster(tmp_path / "名单.xlsx")
    with keeping_opened():
        detect_kind(path)
        _roster(path, spouse_id=SPOUSE_MISTYPED)
        os.utime(path, ns=(1, 1))  # a different modification time even on a coarse clock
        report = check_workbooks({"roster": [path]})
    assert openings == [path, path]
    assert not report.ok and "校验" in report.files[0].problems[0].message


def test_check_of_a_positional_file_reports_as_before(tmp_path: Path, openings: list[Path]) -> None:
    good = _roster(tmp_path / "名单.xlsx")
    bad = _roster(tmp_path / "错误名单.xlsx", spouse_id=SPOUSE_MISTYPED)
    runner = CliRunner(env={"COLUMNS": "300"})
    by_option = runner.invoke(app, ["check", "--roster", str(bad)])
    openings.clear()
    by_detection = runner.invoke(app, ["check", str(bad), str(good)])
    assert openings == [bad, good]  # each opened once: to detect it, then read from memory
    assert by_detection.exit_code == by_option.exit_code == 1
    assert by_detection.output.startswith(by_option.output)
    assert "✓ 户籍监测名单「名单.xlsx」：没有发现问题（1 条记录）" in by_detection.output


def _workspace_with_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, measures: Path) -> Path:
    from docx import Document

    from cards_support import write_inputs

    roster, _ = write_inputs(tmp_path / "输入")
    workspace = tmp_path / "乡镇"
    (workspace / "templates").mkdir(parents=True)
    (workspace / "fanpin.toml").write_text(
        '[township]\ntownship = "城东街道"\nyear = 2023\npolicy = "qianjiang-2023"\n'
        f'[inputs]\nroster = "{roster.as_posix()}"\nmeasures = "{measures.as_posix()}"\n',
        encoding="utf-8",
    )
    document = Document()
    document.add_paragraph("电话：{{ household.phone }}")
    document.save(str(workspace / "templates" / "明白卡.docx"))
    monkeypatch.chdir(workspace)
    return roster


def test_the_trial_card_uses_the_workbooks_the_check_has_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openings: list[Path]
) -> None:
    from cards_support import write_inputs

    _, measures = write_inputs(tmp_path / "台账")
    roster = _workspace_with_template(tmp_path, monkeypatch, measures)
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "明白卡模板「明白卡.docx」：标签都可以使用，试填一张卡正常" in result.output
    assert sorted(openings) == sorted([roster, measures])  # each opened once, the trial read none again


def test_without_a_readable_ledger_the_trial_reads_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openings: list[Path]
) -> None:
    broken = tmp_path / "帮扶措施台账.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    roster = _workspace_with_template(tmp_path, monkeypatch, broken)
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["check"])
    assert result.exit_code == 1, result.output
    assert "明白卡模板「明白卡.docx」：标签都可以使用" in result.output
    assert "试填" not in result.output  # no trial card without the ledger, as before
    assert openings.count(roster) == 2  # the trial read the files again and met the same error


def test_the_pages_trial_card_uses_the_workbooks_the_page_check_has_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openings: list[Path]
) -> None:
    """The 工作区/检查 pages check the workbooks and then the card template, as `fanpin check` does; the
    trial card takes the roster and measures from the check instead of opening them again."""
    from cards_support import write_inputs
    from fanpin_docs.web.checking import CheckCache

    _, measures = write_inputs(tmp_path / "台账")
    roster = _workspace_with_template(tmp_path, monkeypatch, measures)
    state = CheckCache(tmp_path / "乡镇").refresh()
    assert state.template is not None and state.template.state == "ok", state.template
    assert sorted(openings) == sorted([roster, measures])  # each opened once
