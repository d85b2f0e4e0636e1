"""`fanpin cards` end to end: files where they belong, what a reader sees, reruns, filters, refusals."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from cards_support import card_text, document_xml, write_inputs
from fanpin_docs import output as output_module
from fanpin_docs.cards import batch
from fanpin_docs.cli import app
from fanpin_docs.output import MANIFEST, TEMP_MARK

runner = CliRunner()
CARD = "明白卡/城东街道/红岩村/5001140010001_张大山.docx"
POOR = "明白卡/城东街道/红岩村/5001140010003_陈&_老三_.docx"
PRINT_FILE = "明白卡/城东街道/红岩村_全村明白卡.docx"
LIST = "明白卡/明白卡清单.xlsx"


@pytest.fixture()
def inputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_inputs(tmp_path / "输入")


def run(*args: object):
    return runner.invoke(app, ["cards", *[str(a) for a in args]])


def run_batch(inputs, out: Path, *extra: object):
    roster, measures = inputs
    return run("--roster", roster, "--measures", measures, "--policy", "qianjiang-2023", "--out", out, *extra)


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cards_print_files_and_list(inputs, tmp_path):
    out = tmp_path / "out"
    result = run_batch(inputs, out)
    assert result.exit_code == 0, result.output
    assert "明白卡 5 户，全村打印文件 2 个" in result.output
    assert "政策金额合计 126,620.00 元" in result.output and "低于监测线 3 户" in result.output

    text = card_text(out / CARD)
    assert "城东街道红岩村2023年防止返贫监测帮扶明白卡" in text
    for expected in (
        "张大山",
        "李小红",
        "产业到户补助",
        "2,000.00",
        "公益性岗位",
        "7,200.00",
        "9,200.00",
        "人民币玖仟贰佰元整",
        "9,000.00",
        "7,000.00",
        "不低于监测线",
        "王干部",
    ):
        assert expected in text, expected
    head_id = next(line for line in text.splitlines() if "张大山 | 户主" in line).split(" | ")[3]
    assert head_id[6:14] == "********" and len(head_id) == 18

    poor = card_text(out / POOR)
    assert "陈&<老三>" in poor  # data with < > & prints as written
    assert "人均纯收入 5,000.00 元，低于监测线 7,000 元，差 2,000.00 元" in poor

    village = Document(str(out / PRINT_FILE))
    assert document_xml(out / PRINT_FILE).count('w:type="page"') == 2  # 3 households, a break between each
    heads = [p.text for p in village.paragraphs if p.text.endswith("明白卡")]
    assert len(heads) == 3

    book = load_workbook(out / LIST)
    sheet = book["明白卡清单"]
    header = [c.value for c in sheet[2]]
    assert header[:5] == ["序号", "行政村", "户编号", "户主", "人口"]
    assert header[5:10] == [
        "产业到户补助（元）",
        "医疗救助一事一议（元）",
        "公益性岗位（元）",
        "低保金（元）",
        "合计（元）",
    ]
    # the last printed columns, then what paper does not need (a file path, long explanations)
    assert header[10:] == [
        "人均纯收入（元）",
        "低于监测线",
        "乡（镇）",
        "监测线（元）",
        "文件",
        "计算说明",
        "提醒",
    ]
    assert sheet.print_area == "'明白卡清单'!$A$1:$L$8"
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=3, max_row=7)}
    assert rows["5001140010001"][14].value == CARD
    assert float(rows["5001140010001"][9].value) == 9200
    assert rows["5001140010003"][11].value == "是" and rows["5001140010001"][11].value == "否"
    assert "2,400.00" in rows["5001140010002"][16].value  # the ledger's amount differs: a warning
    assert "投入 3,000.00 元 × 80%" in rows["5001140010001"][15].value
    total = sheet.cell(row=8, column=10)
    assert total.value == "=SUM(J3:J7)"
    cached = load_workbook(out / LIST, data_only=True)["明白卡清单"].cell(row=8, column=10).value
    assert float(cached) == 126620


def test_rerun_gives_identical_bytes_and_protects_edited_files(inputs, tmp_path):
    out = tmp_path / "out"
    assert run_batch(inputs, out).exit_code == 0
    first = files_under(out)
    assert run_batch(inputs, out).exit_code == 0
    second = files_under(out)
    assert {k: v for k, v in first.items() if k != MANIFEST} == {
        k: v for k, v in second.items() if k != MANIFEST
    }

    (out / CARD).write_bytes((out / CARD).read_bytes() + b" ")
    refused = run_batch(inputs, out)
    assert (
        refused.exit_code == 1
        and "5001140010001_张大山.docx" in refused.output
        and "--force" in refused.output
    )
    assert run_batch(inputs, out, "--force").exit_code == 0
    assert (out / CARD).read_bytes() == first[CARD]


def test_two_workers_write_the_same_files(inputs, tmp_path):
    assert run_batch(inputs, tmp_path / "one", "--workers", 1).exit_code == 0
    result = run_batch(inputs, tmp_path / "two", "--workers", 2)
    assert result.exit_code == 0, result.output
    assert "2 个进程" in result.output
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")


def test_village_and_household_filters(inputs, tmp_path):
    out = tmp_path / "out"
    result = run_batch(inputs, out, "--village", "石门村")
    assert result.exit_code == 0, result.output
    written = set(files_under(out)) - {MANIFEST}
    assert written == {
        "明白卡/城东街道/石门村/5001140020001_赵四.docx",
        "明白卡/城东街道/石门村/5001140020002_吴八.docx",
        "明白卡/城东街道/石门村_全村明白卡.docx",
        "明白卡/明白卡清单（本次选定）.xlsx",
    }

    out = tmp_path / "one"
    result = run_batch(inputs, out, "--household", "5001140010002")
    assert result.exit_code == 0, result.output
    assert "全村打印文件没有更新" in result.output  # a single card does not replace the village's print file
    assert set(files_under(out)) - {MANIFEST} == {
        "明白卡/城东街道/红岩村/5001140010002_王二妹.docx",
        "明白卡/明白卡清单（本次选定）.xlsx",
    }

    none = run_batch(inputs, tmp_path / "none", "--household", "999")
    assert none.exit_code == 1 and "没有符合条件的户" in none.output


def test_workspace_needs_no_arguments(inputs, tmp_path, monkeypatch):
    roster, measures = inputs
    workspace = tmp_path / "城东街道"
    workspace.mkdir()
    (workspace / "fanpin.toml").write_text(
        '[township]\ntownship = "城东街道"\nyear = 2023\npolicy = "qianjiang-2023"\n'
        f'[inputs]\nroster = "{roster.as_posix()}"\nmeasures = "{measures.as_posix()}"\n'
        "[documents]\ndate = 2024-04-30\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(workspace)
    result = run()
    assert result.exit_code == 0, result.output
    card = workspace / "output" / CARD
    assert "日期：2024年4月30日" in card_text(card)
    with zipfile.ZipFile(card) as archive:
        assert b"2024-04-30T00:00:00Z" in archive.read("docProps/core.xml")


def test_template_with_an_unknown_field_writes_nothing(inputs, tmp_path):
    document = Document()
    document.add_paragraph("{{ household.head }}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "{{ household.hed }}"
    document.save(str(tmp_path / "我的明白卡.docx"))
    out = tmp_path / "out"
    result = run_batch(inputs, out, "--template", tmp_path / "我的明白卡.docx")
    assert result.exit_code == 1
    assert "模板「我的明白卡.docx」表格 1 第 1 行第 2 列的 {{ household.hed }}" in result.output.replace(
        "\n", ""
    )
    assert not out.exists() or not any(out.rglob("*"))


def test_a_template_without_any_field_of_a_household_writes_nothing(inputs, tmp_path):
    document = Document()
    document.add_paragraph("测试")
    document.save(str(tmp_path / "空白.docx"))
    out = tmp_path / "out"
    result = run_batch(inputs, out, "--template", tmp_path / "空白.docx")
    flat = result.output.replace("\n", "")
    assert result.exit_code == 1 and "「空白.docx」的正文没有用到任何一户的字段" in flat
    assert not out.exists() or not any(out.rglob("*"))


def test_bad_inputs_write_nothing(inputs, tmp_path):
    roster, _ = inputs
    ledger = write_inputs(
        tmp_path / "坏台账", ledger=[["5001140010001", "产业到户补助", None, None, "合格", "", ""]]
    )[1]
    out = tmp_path / "out"
    result = run("--roster", roster, "--measures", ledger, "--policy", "qianjiang-2023", "--out", out)
    assert result.exit_code == 1 and "帮扶措施台账.xlsx" in result.output and "第 2 行" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_pdf_without_libreoffice_fails_clearly_and_writes_nothing(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr("fanpin_docs.pdf.office.find_soffice", lambda: None)
    out = tmp_path / "out"
    result = run_batch(inputs, out, "--pdf")
    assert result.exit_code == 1 and "LibreOffice" in result.output and "--pdf" in result.output
    assert not out.exists()
    assert run_batch(inputs, out).exit_code == 0  # without --pdf everything works


def test_a_folder_where_a_card_goes_is_refused_before_anything_is_written(inputs, tmp_path):
    out = tmp_path / "out"
    blocked = out / "明白卡/城东街道/石门村/5001140020002_吴八.docx"
    blocked.mkdir(parents=True)  # a folder where a card should go: that file cannot be written
    result = run_batch(inputs, out, "--workers", 1)
    flat = result.output.replace("\n", "")
    assert result.exit_code == 1 and "无法写入" in flat and "吴八" in flat and "同名的文件夹" in flat
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_error_mid_batch_leaves_only_complete_files(inputs, tmp_path, monkeypatch):
    original = output_module.write_atomic  # every card is written through OutputDir.write_planned

    def disk_full_at_wu_ba(path, data):
        if "吴八" in path.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        original(path, data)

    monkeypatch.setattr(output_module, "write_atomic", disk_full_at_wu_ba)
    out = tmp_path / "out"
    result = run_batch(inputs, out, "--workers", 1)
    flat = result.output.replace("\n", "")
    assert result.exit_code == 1 and "无法写入" in flat and "吴八" in flat and "磁盘已满" in flat
    assert "No space" not in flat and ".fanpin-manifest" not in flat
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_MARK)]
    recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    written = [p for p in out.rglob("*.docx") if p.is_file()]
    assert written and not (out / "明白卡/城东街道/石门村/5001140020002_吴八.docx").exists()
    for path in written:
        assert zipfile.ZipFile(path).testzip() is None
        assert str(path.relative_to(out)) in recorded


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_worker_that_dies_is_reported_and_its_finished_files_are_kept(inputs, tmp_path, monkeypatch):
    original = batch.run_job

    def dies_in_shimen(job, *args, **kwargs):
        if job.village == "石门村":
            os._exit(3)  # like a worker killed for lack of memory
        return original(job, *args, **kwargs)

    monkeypatch.setattr(batch, "run_job", dies_in_shimen)
    out = tmp_path / "out"
    result = run_batch(inputs, out, "--workers", 2)
    assert result.exit_code == 1 and "工作进程意外退出" in result.output
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_MARK)]
    recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert {str(p.relative_to(out)) for p in out.rglob("*.docx")} <= set(recorded)


def _dropped_interrupt() -> None:
    """A SIGTERM whose KeyboardInterrupt Python drops, as it does when the signal lands while it runs a
    clean-up callback (an import's lock: a CI run of test_cards_interrupt.py went on to the end so)."""
    with contextlib.suppress(KeyboardInterrupt):
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_signal_whose_interrupt_python_dropped_still_stops_the_batch(
    inputs, tmp_path, monkeypatch, workers
):
    """The signal is noted too, and the batch asks between files: it stops, as after any interrupt."""
    if workers == 1:
        original_job = batch.run_job

        def job_after_a_signal(*args, **kwargs):
            _dropped_interrupt()
            return original_job(*args, **kwargs)

        monkeypatch.setattr(batch, "run_job", job_after_a_signal)
    else:
        original_wait = batch.wait

        def wait_after_a_signal(*args, **kwargs):
            _dropped_interrupt()
            return original_wait(*args, **kwargs)

        monkeypatch.setattr(batch, "wait", wait_after_a_signal)
    out = tmp_path / "out"
    result = run_batch(inputs, out, "--workers", workers)
    assert result.exit_code == 130 and "已中断" in result.output, result.output
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_MARK)]


def test_data_never_becomes_a_formula_in_the_list(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    households = {"5001140010001": ('=HYPERLINK("http://x")', "=1+2", ["@SUM(A1)"], (9000, 0, 0, 0, 0), "")}
    roster, measures = write_inputs(tmp_path / "输入", households=households, ledger=[])
    out = tmp_path / "out"
    assert (
        run("--roster", roster, "--measures", measures, "--policy", "qianjiang-2023", "--out", out).exit_code
        == 0
    )
    sheet = load_workbook(out / LIST)["明白卡清单"]
    row = [cell for cell in sheet[3]]
    assert (row[1].value, row[1].data_type) == ('=HYPERLINK("http://x")', "s")
    assert (row[3].value, row[3].data_type) == ("=1+2", "s")
    text = card_text(next(out.rglob("5001140010001_*.docx")))
    assert "=1+2" in text and "@SUM(A1)" in text


def test_a_rerun_removes_the_cards_it_no_longer_makes_and_keeps_edited_ones(tmp_path, monkeypatch):
    from cards_support import HOUSEHOLDS, LEDGER

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert run_batch(write_inputs(tmp_path / "一"), out).exit_code == 0
    edited = "明白卡/城东街道/红岩村/5001140010002_王二妹.docx"
    (out / edited).write_bytes((out / edited).read_bytes() + b" ")  # the helper wrote on it

    # 王二妹's household leaves the roster; 陈老三's moves from 红岩村 to 石门村
    moved = {k: v for k, v in HOUSEHOLDS.items() if k != "5001140010002"}
    moved["5001140010003"] = ("石门村", *HOUSEHOLDS["5001140010003"][1:])
    ledger = [row for row in LEDGER if row[0] in moved]
    second = write_inputs(tmp_path / "二", households=moved, ledger=ledger)
    filtered = run_batch(second, out, "--village", "石门村")
    assert filtered.exit_code == 0, filtered.output
    assert (out / POOR).exists() and "已删除" not in filtered.output  # a filtered run removes nothing

    result = run_batch(second, out)
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert "已删除上次生成、本次不再需要的 2 个文件" in flat
    assert not (out / POOR).exists()
    assert not (out / "明白卡/明白卡清单（本次选定）.xlsx").exists()  # the filtered run's list is stale too
    assert (out / "明白卡/城东街道/石门村/5001140010003_陈&_老三_.docx").exists()
    assert (out / edited).exists() and "5001140010002_王二妹.docx" in flat and "修改过" in flat
    village = card_text(out / PRINT_FILE)
    assert "张大山" in village and "王二妹" not in village and "陈&<老三>" not in village
    listed = [
        row[2] for row in load_workbook(out / LIST)["明白卡清单"].iter_rows(min_row=3, values_only=True)
    ]
    assert "5001140010002" not in listed
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert POOR not in manifest and edited in manifest

    # the whole of 红岩村 gone: its print file goes too, the edited card stays
    only_shimen = {k: v for k, v in moved.items() if v[0] == "石门村"}
    ledger = [row for row in LEDGER if row[0] in only_shimen]
    third = run_batch(write_inputs(tmp_path / "三", households=only_shimen, ledger=ledger), out)
    assert third.exit_code == 0, third.output
    assert "已删除上次生成、本次不再需要的 2 个文件" in third.output.replace("\n", "")
    assert not (out / PRINT_FILE).exists() and not (out / CARD).exists()
    assert sorted(p.name for p in (out / "明白卡/城东街道/红岩村").iterdir()) == ["5001140010002_王二妹.docx"]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the ledger is parsed aside on two cores or more")
def test_a_ledger_parsed_in_another_process_gives_the_same_cards_and_the_same_refusal(
    inputs, tmp_path, monkeypatch
):
    """`readers.together`: the measures ledger parsed in a second process while the roster is read
    (every ledger, with ASIDE_FROM at 0) gives the cards and the messages of a read in one process."""
    from fanpin_docs.readers import together

    used: list[bool] = []
    real_check = together.check_measures

    def check(*args, **kwargs):
        used.append(True)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(together, "check_measures", check)
    monkeypatch.setattr(together, "ASIDE_FROM", 1 << 62)
    assert run_batch(inputs, tmp_path / "here").exit_code == 0 and used == []
    monkeypatch.setattr(together, "ASIDE_FROM", 0)
    result = run_batch(inputs, tmp_path / "aside")
    assert result.exit_code == 0, result.output
    assert used == [True]
    here, aside = files_under(tmp_path / "here"), files_under(tmp_path / "aside")
    assert sorted(here) == sorted(aside)
    assert {name: data for name, data in here.items() if name.endswith(".docx")} == {
        name: data for name, data in aside.items() if name.endswith(".docx")
    }

    roster, _ = inputs
    ledger = write_inputs(
        tmp_path / "坏台账", ledger=[["5001140010001", "产业到户补助", None, None, "合格", "", ""]]
    )[1]
    refusals = []
    for aside_from in (1 << 62, 0):
        monkeypatch.setattr(together, "ASIDE_FROM", aside_from)
        out = tmp_path / f"坏{aside_from}"
        refused = run("--roster", roster, "--measures", ledger, "--policy", "qianjiang-2023", "--out", out)
        assert refused.exit_code == 1 and not out.exists()
        refusals.append(refused.output)
    assert refusals[0] == refusals[1] and "第 2 行" in refusals[0]


def test_a_file_open_in_another_program_refuses_the_rerun_before_anything_is_written(
    inputs, tmp_path, monkeypatch
):
    """Windows refuses to open for writing a card Word or WPS has open: the rerun is refused before it
    writes anything, not stopped half way with some cards new and the list old."""
    out = tmp_path / "out"
    assert run_batch(inputs, out).exit_code == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    locked = out / "明白卡/城东街道/石门村/5001140020002_吴八.docx"  # the last village's last card
    real_open = os.open

    def sharing_violation(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(locked) and flags & os.O_WRONLY:
            raise PermissionError(errno.EACCES, "being used by another process", str(locked))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", sharing_violation)
    result = run_batch(inputs, out, "--workers", 1)
    flat = result.output.replace("\n", "")
    assert result.exit_code == 1 and "吴八" in flat and "正被其他程序" in flat and "没有写入任何文件" in flat
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before
