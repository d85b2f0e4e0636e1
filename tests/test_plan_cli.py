"""`fanpin plan` from the command line: defaults reported, files written once and identically, PDF in A4."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.pdf import find_soffice
from test_plan import _roster

runner = CliRunner()


def _unwrapped(output: str) -> str:
    """The console wraps long lines (keeping the space it breaks at); undo that."""
    return output.replace("\n", "")


def test_plan_outside_a_workspace_reports_defaults_and_writes_the_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = _roster(tmp_path)
    result = runner.invoke(
        app, ["plan", "--roster", str(roster), "--policy", "qianjiang-2023", "--out", "out"]
    )
    assert result.exit_code == 0, result.output
    output = _unwrapped(result.output)
    assert "默认设置：乡镇：取自名单「石会镇」" in output
    assert "默认设置：发文机关：默认为「石会镇人民政府」（fanpin.toml [documents] issuing_body）" in output
    assert "农户 11 户，监测对象 6 户" in output
    document = docx.Document(tmp_path / "out" / "实施方案.docx")
    titles = [p.text.replace("\n", "") for p in document.paragraphs if p.style.name == "公文标题"]
    assert "关于印发《石会镇2023年防止返贫动态监测和帮扶工作实施方案》的通知" in titles
    assert "石会镇2023年防止返贫动态监测和帮扶工作实施方案" in titles


def test_plan_twice_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    roster = _roster(tmp_path)
    contents = []
    for _ in range(2):
        result = runner.invoke(
            app, ["plan", "--roster", str(roster), "--policy", "qianjiang-2023", "--out", "out"]
        )
        assert result.exit_code == 0, result.output
        contents.append((tmp_path / "out" / "实施方案.docx").read_bytes())
    assert contents[0] == contents[1]


def test_plan_without_a_policy_says_how_to_give_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["plan", "--roster", str(_roster(tmp_path)), "--out", "out"])
    assert result.exit_code == 1
    assert "没有指定政策文件" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "实施方案.docx").exists()


def test_plan_refuses_to_overwrite_an_edited_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    arguments = ["plan", "--roster", str(_roster(tmp_path)), "--policy", "qianjiang-2023", "--out", "out"]
    assert runner.invoke(app, arguments).exit_code == 0
    plan = tmp_path / "out" / "实施方案.docx"
    plan.write_bytes(plan.read_bytes() + b"edited")
    refused = runner.invoke(app, arguments)
    assert refused.exit_code == 1
    assert "被修改过" in refused.output
    assert plan.read_bytes().endswith(b"edited")
    assert runner.invoke(app, [*arguments, "--force"]).exit_code == 0


@pytest.mark.pdf
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_plan_converts_to_an_a4_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["plan", "--roster", str(_roster(tmp_path)), "--policy", "qianjiang-2023", "--out", "out", "--pdf"],
    )
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "实施方案.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    compact = text.replace(" ", "")
    assert "—1—" in compact and "—2—" in compact  # the PAGE field, evaluated
    assert "2023年4月30日前完成项目申报" in compact.replace("\n", "")


@pytest.mark.parametrize(
    "expression",
    [
        "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
        "{{ 7 ** (7 ** 10) }}",
        "{{ 'x' * 10 ** 10 }}",
    ],
)
def test_a_text_template_that_would_exhaust_the_machine_is_refused(
    expression: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = _roster(tmp_path)
    template = tmp_path / "实施方案.txt"
    template.write_text(f"% 实施方案\n{expression}\n", encoding="utf-8")
    arguments = ["plan", "--roster", str(roster), "--policy", "qianjiang-2023", "--out", "out"]
    result = runner.invoke(app, [*arguments, "--template", str(template)])
    assert result.exit_code == 1, result.output
    assert "超出了生成一份文书的限度" in result.output.replace("\n", "")
    assert not (tmp_path / "out" / "实施方案.docx").exists()


@pytest.mark.parametrize(
    ("body", "told"),
    [
        ("| 村 | 户数 |\n| 红岩村 | 3 | 多 |\n", "表格行「| 红岩村 | 3 | 多 |」有 3 列，表头有 2 列"),
        ("\n".join(f"# 第{n}部分" for n in range(1, 101)), "第 1 级标题「第100部分」是第 100 个"),
    ],
)
def test_template_text_that_cannot_be_laid_out_is_told_in_chinese(
    body: str, told: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = _roster(tmp_path)
    template = tmp_path / "实施方案.txt"
    template.write_text(f"% 实施方案\n{body}\n", encoding="utf-8")
    arguments = ["plan", "--roster", str(roster), "--policy", "qianjiang-2023", "--out", "out"]
    result = runner.invoke(app, [*arguments, "--template", str(template)])
    output = _unwrapped(result.output)
    assert result.exit_code == 1, result.output
    assert f"模板「{template}」生成的内容无法排版：{told}" in output
    assert "程序内部错误" not in output and "out of range" not in output
    assert not (tmp_path / "out" / "实施方案.docx").exists()
