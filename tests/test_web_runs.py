"""生成 through the 工作台: each button's run in its own child process, with the commands' own library
calls — the same bytes as the command line — live progress, the summary, the CLI's error messages,
and the rule of one writer at a time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cards_support import many_households
from fanpin_docs.generate import GENERATORS
from fanpin_docs.outputlock import FolderLock
from fanpin_docs.pdf import find_soffice, find_uno_python
from helpers import write_xlsx
from web_support import digests, make_workspace, start, wait_for, workbench

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and POSIX signals")

# what each button does on the command line
COMMANDS = {
    "cards": [["cards"]],
    "training": [["training"]],
    "projects": [["projects"]],
    "plan": [["plan"]],
    "notices": [["notice", "training"], ["notice", "industry"], ["notice", "allowance"]],
}


def fanpin(workspace: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from fanpin_docs.cli import main; main()", *arguments]
    return subprocess.run(command, cwd=workspace, capture_output=True, text=True, check=False)


def test_every_button_stands_for_a_command() -> None:
    assert set(COMMANDS) == set(GENERATORS)


@pytest.mark.parametrize("kind", list(COMMANDS))
def test_a_run_writes_the_same_bytes_as_the_command_line(tmp_path: Path, kind: str) -> None:
    page = make_workspace(tmp_path / "page")
    cli = tmp_path / "cli"
    shutil.copytree(page, cli)
    for arguments in COMMANDS[kind]:
        done = fanpin(cli, *arguments)
        assert done.returncode == 0, done.stderr

    with workbench(page) as (client, token):
        response = start(client, token, kind=kind)
        assert response.status_code == 202, response.text
        run = wait_for(client, response.json()["id"])
    assert run["state"] == "done", run
    assert run["state_text"] == "已完成"
    assert run["done"] == run["total"]  # the progress bar ends full
    produced = digests(page / "output")
    assert produced and produced == digests(cli / "output")
    assert sorted(run["summary"]["files"]) == sorted(produced)  # the summary lists every file written
    assert run["summary"]["file_count"] == len(produced)


def test_a_cards_run_reports_progress_up_to_its_total_and_its_summary(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", households=many_households(300, villages=3))
    with workbench(workspace) as (client, token):
        response = start(client, token, kind="cards", villages="第1村、第2村")
        run_id = response.json()["id"]
        seen = wait_for(client, run_id, until=lambda r: r["total"] > 0 or r["state"] != "running")
        run = wait_for(client, run_id)
        page = client.get("/runs").text
    assert seen["phase"] == "生成明白卡"
    assert run["state"] == "done", run
    assert run["total"] >= 200 and run["done"] == run["total"]  # two villages of three: 200 cards
    summary = run["summary"]
    assert summary["lines"][0].startswith("明白卡 200 户，全村打印文件 2 个")
    assert "政策金额合计" in summary["lines"][1]
    assert summary["seconds"] > 0
    assert not list((workspace / "output" / "明白卡" / "城东街道").glob("第3村*"))  # 只生成某村
    assert "生成明白卡" in page and "已完成" in page  # the page's record of the run


def test_reopening_the_page_shows_the_last_finished_run(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    with workbench(workspace) as (client, token):
        run_id = start(client, token, kind="plan").json()["id"]
        wait_for(client, run_id)
        listed = client.get("/api/runs").json()
    assert listed["current"]["id"] == run_id and listed["current"]["state"] == "done"


def test_a_workbench_started_again_shows_the_runs_before_it(tmp_path: Path) -> None:
    """Closed in the evening, opened the next morning: the last runs are still listed, with their summary,
    notes and errors (kept in the workspace), and a file of runs that cannot be read starts a new list."""
    from fanpin_docs.web.runlog import RUN_LOG

    workspace = make_workspace(tmp_path / "ws")
    with workbench(workspace) as (client, token):
        made = wait_for(client, start(client, token, kind="plan").json()["id"])
        failed = wait_for(client, start(client, token, kind="cards", villages="没有这个村").json()["id"])
    assert (made["state"], failed["state"]) == ("done", "failed")
    with workbench(workspace) as (client, token):
        listed = client.get("/api/runs").json()
        again = client.get(f"/api/runs/{made['id']}").json()
        page = client.get("/runs").text
    assert [run["id"] for run in listed["runs"]] == [failed["id"], made["id"]]
    assert again["summary"] == made["summary"] and again["state"] == "done"
    assert listed["runs"][0]["error"] == failed["error"] and "没有符合条件的户" in page
    (workspace / RUN_LOG).write_text("{不是", encoding="utf-8")
    with workbench(workspace) as (client, token):
        assert client.get("/api/runs").json()["runs"] == []
    assert not list(workspace.glob(".run-log-*"))


def test_the_page_carries_the_buttons_progress_and_cancel(tmp_path: Path) -> None:
    with workbench(make_workspace(tmp_path / "ws")) as (client, _):
        page = client.get("/runs").text
    for label in ("生成明白卡", "生成培训文书", "生成项目申报", "生成实施方案", "生成通知公示"):
        assert f'class="primary">{label}</button>' in page
    for kind in GENERATORS:
        assert f'data-kind="{kind}"' in page
    assert '<label for="run-progress">进度</label>' in page and '<progress id="run-progress"' in page
    assert ">取消</button>" in page and 'role="status"' in page
    assert "成文日期" in page and "同时生成 PDF" in page and "只生成某村" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "training", "dated": "2024-02-30"}, "成文日期「2024-02-30」无法识别"),
        ({"kind": "notices", "dated": "下周一"}, "成文日期「下周一」无法识别"),
        ({"kind": "everything"}, "不认识要生成的文书「everything」"),
    ],
)
def test_wrong_options_are_refused_before_a_run_starts(tmp_path: Path, fields: dict, message: str) -> None:
    with workbench(make_workspace(tmp_path / "ws")) as (client, token):
        response = start(client, token, **fields)
        assert response.status_code == 400
        assert message in response.json()["error"]
        assert client.get("/api/runs").json() == {"current": None, "runs": []}


def test_a_bad_roster_shows_the_command_lines_message(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    roster = workspace / "户籍监测名单.xlsx"
    from openpyxl import load_workbook

    book = load_workbook(roster)
    sheet = book.active
    sheet.cell(row=3, column=7).value = "500114198001011234"  # an ID number whose check digit is wrong
    book.save(roster)
    cli = fanpin(workspace, "cards")
    assert cli.returncode == 1
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="cards").json()["id"])
    assert run["state"] == "failed" and run["state_text"] == "出错"
    assert run["error"].startswith("错误：输入文件有 1 处问题需要修改：户籍监测名单.xlsx")
    assert " ".join(run["error"].split()) == " ".join(cli.stderr.split())  # word for word
    assert "第 3 行" in run["error"] and "Traceback" not in run["error"]
    assert "500114198001011234" not in run["error"]  # the ID is masked, as on the command line
    assert not (workspace / "output" / "明白卡").exists()


def test_notices_without_their_workbooks_say_which_to_upload(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "培训考勤表.xlsx").unlink()
    (workspace / "帮扶措施台账.xlsx").unlink()
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="notices").json()["id"])
    assert run["state"] == "failed"
    assert "没有生成通知公示所需的工作簿" in run["error"] and "培训考勤表" in run["error"]


def test_notices_make_those_whose_workbooks_are_there(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "培训考勤表.xlsx").unlink()
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="notices").json()["id"])
    assert run["state"] == "done", run
    assert run["summary"]["lines"] == ["产业到户补助公示：1 个文件"]


def test_a_run_is_refused_while_a_command_writes_into_the_output_folder(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    holder = FolderLock(workspace / "output")
    holder.acquire()
    try:
        with workbench(workspace) as (client, token):
            response = start(client, token, kind="plan")
            assert response.status_code == 409
            assert "正在被另一次运行写入" in response.json()["error"]
            assert client.get("/api/runs").json()["runs"] == []
    finally:
        holder.release()


def test_an_unreadable_workbook_is_named(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    write_xlsx(workspace / "项目申报表.xlsx", [["不是项目申报表"], ["甲", "乙"]])
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="projects").json()["id"])
    assert run["state"] == "failed"
    assert "项目申报表.xlsx" in run["error"] and "程序内部错误" not in run["error"]


def test_a_village_not_in_the_roster_is_told_as_the_command_line_tells_it(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="cards", villages="没有这个村").json()["id"])
    assert run["state"] == "failed"
    assert run["error"].startswith("错误：没有符合条件的户，没有生成任何文件")


def test_a_run_names_the_pages_controls_not_command_line_options(tmp_path: Path) -> None:
    """A card edited since the last run: the page says to tick 「覆盖修改过的文件」, not to add --force; a
    village not in the roster: check the 「只生成某村」 field, not --village and --household."""
    workspace = make_workspace(tmp_path / "ws")
    with workbench(workspace) as (client, token):
        first = wait_for(client, start(client, token, kind="cards").json()["id"])
        assert first["state"] == "done", first
        card = next((workspace / "output").rglob("*_*.docx"))
        card.write_bytes(card.read_bytes() + b" ")
        again = wait_for(client, start(client, token, kind="cards").json()["id"])
        nowhere = wait_for(client, start(client, token, kind="cards", villages="没有这个村").json()["id"])
    assert again["state"] == "failed" and "勾选「覆盖修改过的文件」后重新生成" in again["error"]
    assert "核对「只生成某村」中的村名是否与名单中的行政村一致" in nowhere["error"]
    for run in (again, nowhere):
        assert "--" not in run["error"]


def test_pdf_without_libreoffice_stops_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = make_workspace(tmp_path / "ws")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # the run's process finds no soffice
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="training", pdf=True).json()["id"])
    assert run["state"] == "failed"
    assert run["error"].startswith("错误：没有找到 LibreOffice，无法生成 PDF")
    assert not (workspace / "output").exists()


@pytest.mark.pdf
@pytest.mark.skipif(
    find_soffice() is None or find_uno_python(find_soffice() or "") is None,
    reason="needs LibreOffice and python3-uno",
)
def test_pdf_puts_a_pdf_beside_every_document(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="training", pdf=True).json()["id"], timeout=300)
    assert run["state"] == "done", run
    documents = [p for p in (workspace / "output").rglob("*") if p.suffix in (".docx", ".xlsx")]
    assert documents
    for document in documents:
        assert document.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert f"PDF {len(documents)} 个" in run["summary"]["lines"]


@pytest.mark.pdf
@pytest.mark.skipif(
    find_soffice() is None or find_uno_python(find_soffice() or "") is None,
    reason="needs LibreOffice and python3-uno",
)
def test_a_cards_run_with_pdf_says_it_converts_and_counts_the_print_files(tmp_path: Path) -> None:
    """After the cards, the run's step reads 「转换 PDF」 and its progress counts the print files, so the
    page does not sit at 「3000 / 3000」 for the minutes LibreOffice takes."""
    workspace = make_workspace(tmp_path / "ws")
    with workbench(workspace) as (client, token):
        run = wait_for(client, start(client, token, kind="cards", pdf=True).json()["id"], timeout=300)
    assert run["state"] == "done", run
    count = len(list((workspace / "output").rglob("*_全村明白卡.pdf")))
    assert count and (run["phase"], run["done"], run["total"]) == ("转换 PDF", count, count)


def test_the_buttons_partial_needs_nothing_from_the_page_that_includes_it() -> None:
    from fanpin_docs.web.rendering import templates

    partial = templates.get_template("_run_buttons.html").render()  # as the 工作区 page includes it
    for label in ("生成明白卡", "生成培训文书", "生成项目申报", "生成实施方案", "生成通知公示", "取消"):
        assert f">{label}</button>" in partial
    assert '<script src="/static/runs.js" defer></script>' in partial


def test_an_unknown_run_is_not_found(tmp_path: Path) -> None:
    with workbench(make_workspace(tmp_path / "ws")) as (client, token):
        shown = client.get("/api/runs/nonesuch")
        cancelled = client.post("/api/runs/nonesuch/cancel", headers={"X-CSRF-Token": token})
    assert shown.status_code == 404 and "没有这次生成的记录" in shown.json()["error"]
    assert cancelled.status_code == 404
