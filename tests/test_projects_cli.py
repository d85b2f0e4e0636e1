"""`fanpin projects`: options, the workspace, the findings on the terminal, --strict, PDF conversion."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.pdf import convert_to_pdf, find_soffice
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from test_projects_inputs import SIX, project_row, write_projects, write_six

runner = CliRunner()
FOLDER = "项目申报"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_findings_are_printed_and_documents_written(tmp_path: Path) -> None:
    source = write_six(tmp_path / "six.xlsx")
    result = invoke(
        "projects", "--projects", str(source), "--policy", "qianjiang-2023", "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 0, result.output
    for title in ("申报时限", "联农带农", "资金构成", "受益对象", "实施期限"):
        assert title in result.output
    assert "共 6 个项目：1 个通过审核，5 个有问题，问题 5 条" in result.output
    assert "未检查衔接资金总额" in result.output
    folder = tmp_path / "out" / FOLDER
    assert len(list((folder / "项目申报表").glob("*.docx"))) == len(SIX)
    assert (folder / "项目库汇总表.xlsx").is_file() and (folder / "审核问题清单.xlsx").is_file()


def test_strict_exits_1_on_findings_but_still_writes(tmp_path: Path) -> None:
    source = write_six(tmp_path / "six.xlsx")
    out = tmp_path / "out"
    result = invoke(
        "projects", "--projects", str(source), "--policy", "qianjiang-2023", "--out", str(out), "--strict"
    )
    assert result.exit_code == 1
    assert (out / FOLDER / "审核问题清单.xlsx").is_file()
    clean = write_projects(tmp_path / "clean.xlsx", [project_row("甲")])
    result = invoke(
        "projects", "--projects", str(clean), "--policy", "qianjiang-2023", "--out", str(out), "--strict"
    )
    assert result.exit_code == 0, result.output
    assert "共 1 个项目：1 个通过审核" in result.output


def test_in_a_workspace_no_arguments_are_needed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = tmp_path / "城东街道"
    assert (
        invoke("init", str(workspace), "--township", "城东街道", "--policy", "qianjiang-2023").exit_code == 0
    )
    settings = workspace / "fanpin.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("# allocation = 3000000", "allocation = 2000000"),
        encoding="utf-8",
    )
    write_six(workspace / "项目申报表.xlsx")
    monkeypatch.chdir(workspace)
    result = invoke("projects")
    assert result.exit_code == 0, result.output
    assert "资金额度" in result.output and "未检查衔接资金总额" not in result.output
    assert len(list((workspace / "output" / FOLDER / "项目申报表").glob("*.docx"))) == len(SIX)


def test_without_a_projects_workbook_the_message_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("projects", "--policy", "qianjiang-2023")
    assert result.exit_code == 1
    assert "没有指定项目申报表" in result.output and "--projects" in result.output
    assert "Traceback" not in result.output


def test_bad_workbook_is_refused_with_its_location_and_nothing_written(tmp_path: Path) -> None:
    source = write_projects(tmp_path / "bad.xlsx", [project_row("甲", 总投资="五十万")])
    out = tmp_path / "out"
    result = invoke("projects", "--projects", str(source), "--policy", "qianjiang-2023", "--out", str(out))
    assert result.exit_code == 1
    message = result.output.replace("\n", "")
    assert "bad.xlsx" in message and "第 3 行" in message and "总投资" in message
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_a_file_edited_since_is_not_overwritten_without_force(tmp_path: Path) -> None:
    source = write_six(tmp_path / "six.xlsx")
    out = tmp_path / "out"
    args = ["projects", "--projects", str(source), "--policy", "qianjiang-2023", "--out", str(out)]
    assert invoke(*args).exit_code == 0
    summary = out / FOLDER / "项目库汇总表.xlsx"
    summary.write_bytes(summary.read_bytes() + b"edited")
    refused = invoke(*args)
    message = refused.output.replace("\n", "")  # the console wraps long lines
    assert refused.exit_code == 1 and "项目申报/项目库汇总表.xlsx" in message and "--force" in message
    assert summary.read_bytes().endswith(b"edited")
    assert invoke(*args, "--force").exit_code == 0
    assert not summary.read_bytes().endswith(b"edited")


@pytest.mark.pdf
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_form_and_summary_convert_to_pdf(tmp_path: Path) -> None:
    source = write_six(tmp_path / "six.xlsx")
    out = tmp_path / "out"
    assert (
        invoke(
            "projects", "--projects", str(source), "--policy", "qianjiang-2023", "--out", str(out)
        ).exit_code
        == 0
    )
    folder = out / FOLDER
    form = next((folder / "项目申报表").glob("01_*.docx"))
    pdfs = convert_to_pdf([form, folder / "项目库汇总表.xlsx"], tmp_path / "pdf")
    assert all(p.is_file() and p.read_bytes().startswith(b"%PDF") for p in pdfs)
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True, text=True
        ).stdout
        assert "项目申报表" in text and "红岩村柑橘产业园" in text and "村（社区）意见" in text
        info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True).stdout
        assert "Pages:           1" in info  # the form fits on one A4 page
        summary = subprocess.run(
            ["pdftotext", "-layout", str(pdfs[1]), "-"], capture_output=True, text=True
        ).stdout
        assert "合计（6 个项目）" in summary and "3,020,000.00" in summary


def test_reader_warnings_are_shown_as_notes(tmp_path: Path) -> None:
    source = write_projects(tmp_path / "p.xlsx", [project_row("甲", 联系电话="12345")])
    result = invoke(
        "projects", "--projects", str(source), "--policy", "qianjiang-2023", "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 0, result.output
    message = result.output.replace("\n", "")
    assert "电话号码格式不对" in message and "第 3 行" in message


def test_a_rerun_removes_forms_of_projects_no_longer_in_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    details = [["甲", "001", "张三", 2000, "合格"]]
    first = write_projects(
        tmp_path / "三个.xlsx", [project_row(n) for n in ("甲", "乙", "丙", "丁")], details
    )
    roster = write_xlsx(  # an unresolved monitored household: eligible whatever categories the rule names
        tmp_path / "名单.xlsx",
        [
            ROSTER_HEADER,
            roster_row("001", "张三", make_id(), "户主", size=1, category="边缘易致贫户", resolved="否"),
        ],
    )
    args = ["projects", "--policy", "qianjiang-2023", "--out", str(out), "--roster", str(roster)]
    assert invoke(*args, "--projects", str(first)).exit_code == 0
    assert (out / FOLDER / "产业到户补助明细.xlsx").is_file()
    forms = out / FOLDER / "项目申报表"
    assert sorted(p.name for p in forms.iterdir()) == ["01_甲.docx", "02_乙.docx", "03_丙.docx", "04_丁.docx"]
    (forms / "04_丁.docx").write_bytes((forms / "04_丁.docx").read_bytes() + b"edited")

    second = write_projects(tmp_path / "一个.xlsx", [project_row("甲"), project_row("丙")])  # no 到户明细
    result = invoke(*args, "--projects", str(second))
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert "已删除上次生成、本次不再需要的 3 个文件" in flat  # 02_乙, 03_丙 (now 02_丙), the subsidy sheet
    assert sorted(p.name for p in forms.iterdir()) == ["01_甲.docx", "02_丙.docx", "04_丁.docx"]
    assert not (out / FOLDER / "产业到户补助明细.xlsx").exists()
    assert "04_丁.docx" in flat and "修改过" in flat  # edited by a user: kept, and said so
