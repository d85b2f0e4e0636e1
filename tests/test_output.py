"""Writing output safely: atomic files, byte-identical Office zips, no overwrite of a user's edits."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook, load_workbook

from fanpin_docs import output, outputpaths
from fanpin_docs.errors import OutputError, os_reason
from fanpin_docs.output import (
    JOURNAL,
    MANIFEST,
    TEMP_MARK,
    OutputDir,
    atomic_target,
    normalize_office_zip,
    write_atomic,
)
from fanpin_docs.outputlock import LOCK
from fanpin_docs.xlsx import CachedFormulas

STAMP = "2024-04-30T00:00:00Z"


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if TEMP_MARK in p.name]


# --- atomic writes ---------------------------------------------------------------------------------


def test_atomic_target_moves_into_place(tmp_path: Path) -> None:
    target = tmp_path / "子目录" / "表.xlsx"
    with atomic_target(target) as temp:
        assert temp.parent == target.parent and temp != target
        temp.write_bytes(b"done")
        assert not target.exists()
    assert target.read_bytes() == b"done"
    assert leftovers(tmp_path) == []


def test_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "表.xlsx"
    with pytest.raises(RuntimeError), atomic_target(target) as temp:
        temp.write_bytes(b"half")
        raise RuntimeError("crash in the middle")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"previous")
    with pytest.raises(KeyboardInterrupt), atomic_target(target) as temp:
        temp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


def test_failed_save_through_output_dir_leaves_nothing(tmp_path: Path) -> None:
    class Broken:
        def save(self, stream: io.BytesIO) -> None:
            stream.write(b"PK")
            raise ValueError("cannot save")

    out = OutputDir(tmp_path / "out", timestamp=STAMP)
    with pytest.raises((ValueError, zipfile.BadZipFile)):
        out.write_office("明白卡.docx", Broken())
    assert not (tmp_path / "out" / "明白卡.docx").exists()
    assert leftovers(tmp_path) == []


def test_write_atomic_onto_a_folder_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "表.xlsx").mkdir()
    with pytest.raises(OutputError) as caught:
        write_atomic(tmp_path / "表.xlsx", b"data")
    assert "表.xlsx" in str(caught.value) and "文件夹" in str(caught.value)
    assert leftovers(tmp_path) == []


def test_write_atomic_into_a_path_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "村").write_bytes(b"a file, not a folder")
    with pytest.raises(OutputError) as caught:
        write_atomic(tmp_path / "村" / "卡.docx", b"data")
    assert "卡.docx" in str(caught.value) and "--out" in caught.value.hint


# --- deterministic Office zips ---------------------------------------------------------------------


def docx_bytes(when: datetime) -> bytes:
    document = docx.Document()
    document.add_paragraph("防返贫明白卡")
    document.core_properties.created = when
    document.core_properties.modified = when
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(when: datetime) -> bytes:
    book = Workbook()
    book.active["A1"] = "补贴花名册"
    book.properties.created = when
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_two_docx_saves_at_different_times_give_identical_bytes() -> None:
    first, second = docx_bytes(datetime(2024, 1, 1, 8)), docx_bytes(datetime(2025, 6, 30, 17, 45, 12))
    assert first != second
    assert normalize_office_zip(first, STAMP) == normalize_office_zip(second, STAMP)


def test_two_xlsx_saves_at_different_times_give_identical_bytes() -> None:
    first, second = xlsx_bytes(datetime(2024, 1, 1, 8)), xlsx_bytes(datetime(2025, 6, 30, 17, 45, 12))
    assert first != second
    assert normalize_office_zip(first, STAMP) == normalize_office_zip(second, STAMP)


def test_normalized_zip_is_still_a_document_with_the_fixed_times() -> None:
    data = normalize_office_zip(docx_bytes(datetime(2025, 6, 30, 17, 45)), STAMP)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist()[0] == "[Content_Types].xml"
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert core.count(STAMP) == 2 and "2025" not in core
    reopened = docx.Document(io.BytesIO(data))
    assert reopened.paragraphs[0].text == "防返贫明白卡"
    assert reopened.core_properties.created == datetime(2024, 4, 30, tzinfo=UTC)


def test_normalized_xlsx_opens_again() -> None:
    data = normalize_office_zip(xlsx_bytes(datetime(2025, 6, 30)), STAMP)
    assert load_workbook(io.BytesIO(data)).active["A1"].value == "补贴花名册"


# --- OutputDir --------------------------------------------------------------------------------------


def test_same_input_gives_the_same_bytes_in_two_runs(tmp_path: Path) -> None:
    paths = []
    for run in ("一", "二"):
        out = OutputDir(tmp_path / run, timestamp=STAMP)
        document = docx.Document()
        document.add_paragraph("内容")
        paths.append(out.write_office("卡/001.docx", document))
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_write_workbook_stores_cached_formula_values(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"] = 120, 80
    cached = CachedFormulas()
    cached.put(sheet["A3"], "=SUM(A1:A2)", 200)
    path = OutputDir(tmp_path, timestamp=STAMP).write_workbook("表.xlsx", book, cached)
    assert load_workbook(path, data_only=True).active["A3"].value == 200
    assert load_workbook(path).active["A3"].value == "=SUM(A1:A2)"


def test_rewriting_an_untouched_file_is_allowed(tmp_path: Path) -> None:
    out = OutputDir(tmp_path, timestamp=STAMP)
    out.write_bytes("a.txt", b"one")
    out.save_manifest()
    again = OutputDir(tmp_path, timestamp=STAMP)
    again.guard(["a.txt"])
    again.write_bytes("a.txt", b"two")
    assert (tmp_path / "a.txt").read_bytes() == b"two"


def test_a_user_edited_file_is_not_overwritten_unless_forced(tmp_path: Path) -> None:
    out = OutputDir(tmp_path, timestamp=STAMP)
    out.write_bytes("村/卡.docx", b"tool")
    out.write_bytes("村/另一张.docx", b"tool")
    out.save_manifest()
    (tmp_path / "村" / "卡.docx").write_bytes(b"edited by the user")

    later = OutputDir(tmp_path, timestamp=STAMP)
    assert later.edited_files() == ["村/卡.docx"]
    with pytest.raises(OutputError) as caught:
        later.guard(["村/卡.docx", "村/另一张.docx"])
    assert "村/卡.docx" in str(caught.value) and "另一张" not in str(caught.value)
    assert "--force" in caught.value.hint
    with pytest.raises(OutputError):
        later.write_bytes("村/卡.docx", b"new")
    assert (tmp_path / "村" / "卡.docx").read_bytes() == b"edited by the user"
    later.release()  # a writer holds the folder until save_manifest() or release()

    forced = OutputDir(tmp_path, timestamp=STAMP, force=True)
    forced.guard(["村/卡.docx"])
    forced.write_bytes("村/卡.docx", b"new")
    assert (tmp_path / "村" / "卡.docx").read_bytes() == b"new"


def test_a_file_the_tool_did_not_write_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "说明.docx").write_bytes(b"the user's own file")
    out = OutputDir(tmp_path, timestamp=STAMP)
    with pytest.raises(OutputError):
        out.guard(["说明.docx"])
    with pytest.raises(OutputError):
        out.write_bytes("说明.docx", b"x")
    assert (tmp_path / "说明.docx").read_bytes() == b"the user's own file"


def test_a_file_written_twice_in_one_run_is_fine(tmp_path: Path) -> None:
    out = OutputDir(tmp_path, timestamp=STAMP)
    out.write_bytes("a.txt", b"one")
    out.write_bytes("a.txt", b"two")
    assert (tmp_path / "a.txt").read_bytes() == b"two"


def test_guard_lists_at_most_ten_names(tmp_path: Path) -> None:
    names = [f"{i:02d}.docx" for i in range(12)]
    for name in names:
        (tmp_path / name).write_bytes(b"user")
    with pytest.raises(OutputError) as caught:
        OutputDir(tmp_path, timestamp=STAMP).guard(names)
    assert "等 12 个文件" in str(caught.value) and "11.docx" not in str(caught.value)


def test_manifest_keeps_hashes_of_existing_files_only(tmp_path: Path) -> None:
    out = OutputDir(tmp_path, timestamp=STAMP)
    out.write_bytes("a.txt", b"one")
    out.write_bytes("b.txt", b"two")
    out.save_manifest()
    (tmp_path / "b.txt").unlink()
    second = OutputDir(tmp_path, timestamp=STAMP)
    second.write_bytes("c.txt", b"three")
    second.save_manifest()
    files = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(files) == ["a.txt", "c.txt"]


def test_a_broken_manifest_is_treated_as_none(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(b"x")
    out = OutputDir(tmp_path, timestamp=STAMP)
    assert out.edited_files(["a.txt"]) == ["a.txt"]


def test_a_run_killed_before_saving_its_manifest_is_known_from_its_journal(tmp_path: Path) -> None:
    from fanpin_docs.output import JOURNAL, OutputDir

    first = OutputDir(tmp_path, timestamp="2024-01-01T00:00:00Z")
    first.write_bytes("a.txt", b"one")
    # killed here: no save_manifest(); the journal says what was written
    assert (tmp_path / JOURNAL).is_file()
    del first  # as when its process ends: the folder's lock goes with it
    second = OutputDir(tmp_path, timestamp="2024-01-01T00:00:00Z")
    assert second.edited_files(["a.txt"]) == []
    second.write_bytes("a.txt", b"two")
    second.save_manifest()
    assert not (tmp_path / JOURNAL).exists()
    (tmp_path / "a.txt").write_bytes(b"edited by hand")
    assert OutputDir(tmp_path, timestamp="2024-01-01T00:00:00Z").edited_files(["a.txt"]) == ["a.txt"]


def test_stale_temporaries_of_dead_processes_are_removed(tmp_path: Path) -> None:
    import os

    from fanpin_docs.output import TEMP_MARK, OutputDir

    dead = tmp_path / f"{TEMP_MARK}999999999-card.docx"
    alive = tmp_path / f"{TEMP_MARK}{os.getppid()}-card.docx"
    dead.write_bytes(b"half")
    alive.write_bytes(b"being written")
    assert OutputDir(tmp_path, timestamp="2024-01-01T00:00:00Z").removed_temporaries == 1
    assert not dead.exists() and alive.exists()


def test_hours_old_temporaries_are_removed_even_if_their_process_id_was_reused(tmp_path: Path) -> None:
    import os
    import time

    from fanpin_docs.output import STALE_AFTER_SECONDS, TEMP_MARK, remove_stale_temporaries

    reused = tmp_path / f"{TEMP_MARK}{os.getppid()}-card.docx"
    reused.write_bytes(b"half")
    past = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(reused, (past, past))
    assert remove_stale_temporaries(tmp_path) == 1 and not reused.exists()


# --- the output folder itself ----------------------------------------------------------------------


def test_an_output_folder_that_is_a_file_is_an_output_error(tmp_path: Path) -> None:
    taken = tmp_path / "输出.txt"
    taken.write_bytes(b"a user's file")
    with pytest.raises(OutputError) as caught:
        OutputDir(taken, timestamp=STAMP)
    assert "输出.txt" in caught.value.message and "不是文件夹" in caught.value.message
    assert "--out" in caught.value.hint
    under = taken / "子目录"
    with pytest.raises(OutputError) as caught:
        OutputDir(under, timestamp=STAMP)
    assert "输出.txt" in caught.value.message and "不是文件夹" in caught.value.message
    assert taken.read_bytes() == b"a user's file"


def test_out_pointing_to_a_file_is_refused_with_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from fanpin_docs.cli import app
    from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

    monkeypatch.chdir(tmp_path)
    roster = write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER, roster_row("001", "张三", make_id(), "户主")])
    taken = tmp_path / "output"
    taken.write_bytes(b"not a folder")
    result = CliRunner().invoke(
        app, ["cards", "--roster", str(roster), "--policy", "qianjiang-2023", "--out", str(taken)]
    )
    assert result.exit_code == 1, result.output
    flat = result.output.replace("\n", "")
    assert "不是文件夹" in flat and "程序内部错误" not in flat
    assert taken.read_bytes() == b"not a folder"


# --- files an earlier run wrote that this run no longer produces ----------------------------------


def test_outdated_files_are_removed_edited_ones_kept_and_the_manifest_follows(tmp_path: Path) -> None:
    first = OutputDir(tmp_path, timestamp=STAMP)
    for relative in ("卡/甲村/1.docx", "卡/甲村/2.docx", "卡/乙村/3.docx", "卡/乙村/4.docx", "其他/5.docx"):
        first.write_bytes(relative, relative.encode())
    first.save_manifest()
    (tmp_path / "卡/乙村/4.docx").write_bytes(b"edited by hand")
    (tmp_path / "卡/mine.txt").write_bytes(b"never written by the tool")

    second = OutputDir(tmp_path, timestamp=STAMP)
    second.write_bytes("卡/甲村/1.docx", b"new")
    outdated = second.remove_outdated("卡")
    second.save_manifest()

    assert outdated.removed == ("卡/乙村/3.docx", "卡/甲村/2.docx")
    assert outdated.kept == ("卡/乙村/4.docx",)
    assert not (tmp_path / "卡/甲村/2.docx").exists() and not (tmp_path / "卡/乙村/3.docx").exists()
    assert (tmp_path / "卡/乙村/4.docx").read_bytes() == b"edited by hand"
    assert (tmp_path / "卡/mine.txt").exists()  # never the tool's
    assert (tmp_path / "其他/5.docx").exists()  # outside the folder cleaned up
    assert outdated.summary() == "已删除上次生成、本次不再需要的 2 个文件：卡/乙村/3.docx、卡/甲村/2.docx"
    assert "卡/乙村/4.docx" in outdated.notes()[0] and "修改过" in outdated.notes()[0]
    files = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(files) == ["其他/5.docx", "卡/乙村/4.docx", "卡/甲村/1.docx"]
    # the edited file keeps the tool's hash: a third run still sees it as edited, not as its own
    third = OutputDir(tmp_path, timestamp=STAMP)
    assert third.edited_files(["卡/乙村/4.docx"]) == ["卡/乙村/4.docx"]
    assert third.remove_outdated("卡").kept == ("卡/乙村/4.docx",)


def test_a_folder_emptied_by_the_cleanup_is_removed(tmp_path: Path) -> None:
    first = OutputDir(tmp_path, timestamp=STAMP)
    first.write_bytes("卡/镇/乙村/3.docx", b"3")
    first.write_bytes("卡/镇/甲村/1.docx", b"1")
    first.save_manifest()
    second = OutputDir(tmp_path, timestamp=STAMP)
    second.write_bytes("卡/镇/甲村/1.docx", b"1")
    assert second.remove_outdated("卡").removed == ("卡/镇/乙村/3.docx",)
    assert not (tmp_path / "卡/镇/乙村").exists() and (tmp_path / "卡/镇/甲村").is_dir()


def test_files_of_a_killed_run_are_known_from_its_journal_and_cleaned_up(tmp_path: Path) -> None:
    killed = OutputDir(tmp_path, timestamp=STAMP)
    killed.write_bytes("卡/old.docx", b"old")  # no save_manifest(): only the journal knows it
    del killed  # its lock ends with it
    rerun = OutputDir(tmp_path, timestamp=STAMP)
    rerun.write_bytes("卡/new.docx", b"new")
    assert rerun.remove_outdated("卡").removed == ("卡/old.docx",)
    rerun.save_manifest()
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"] == {
        "卡/new.docx": hashlib.sha256(b"new").hexdigest()
    }


def test_cleanup_never_leaves_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "外面.txt"
    outside.write_bytes(b"x")
    root = tmp_path / "out"
    root.mkdir()
    digest = hashlib.sha256(b"x").hexdigest()
    (root / MANIFEST).write_text(
        json.dumps({"files": {"卡/../../外面.txt": digest, "卡x/1.txt": digest}}), encoding="utf-8"
    )
    (root / "卡x").mkdir()
    (root / "卡x/1.txt").write_bytes(b"x")
    outdated = OutputDir(root, timestamp=STAMP).remove_outdated("卡")
    assert outdated.removed == () and outside.exists() and (root / "卡x/1.txt").exists()


# --- one writer per output folder ------------------------------------------------------------------

HOLD_LOCK = """
import sys, time
from pathlib import Path
from fanpin_docs.output import OutputDir
out = OutputDir(Path(sys.argv[1]), timestamp="2024-01-01T00:00:00Z")
out.guard(["a.txt"])
print("locked", flush=True)
sys.stdin.read()  # hold the folder until the test closes stdin (or kills this process)
out.save_manifest()
"""


def hold_lock(folder: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_writer_is_refused_naming_the_first_then_let_in_when_it_ends(tmp_path: Path) -> None:
    holder = hold_lock(tmp_path)
    try:
        second = OutputDir(tmp_path, timestamp=STAMP)
        with pytest.raises(OutputError) as caught:
            second.guard(["a.txt"])
        assert f"进程 {holder.pid}" in caught.value.message and "开始" in caught.value.message
        with pytest.raises(OutputError):
            second.write_bytes("b.txt", b"x")
        assert not (tmp_path / "b.txt").exists()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert not (tmp_path / LOCK).exists()  # given back at save_manifest
    second.guard(["a.txt"])
    second.write_bytes("b.txt", b"x")
    second.save_manifest()
    assert not (tmp_path / LOCK).exists()


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    holder = hold_lock(tmp_path)
    holder.kill()  # kill -9: no chance to clean up
    holder.wait(timeout=30)
    assert f'"pid": {holder.pid}' in (tmp_path / LOCK).read_text(encoding="utf-8")  # left behind
    later = OutputDir(tmp_path, timestamp=STAMP)
    later.guard(["a.txt"])
    assert f'"pid": {os.getpid()}' in (tmp_path / LOCK).read_text(encoding="utf-8")
    later.save_manifest()


def test_two_writers_in_one_process_exclude_each_other(tmp_path: Path) -> None:
    first = OutputDir(tmp_path, timestamp=STAMP)
    second = OutputDir(tmp_path, timestamp=STAMP)
    with first:
        with pytest.raises(OutputError) as caught:
            second.lock()
        assert f"进程 {os.getpid()}" in caught.value.message
    with second:
        pass


def test_a_command_into_a_folder_another_run_writes_is_refused(tmp_path: Path) -> None:
    from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

    roster = write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER, roster_row("001", "张三", make_id(), "户主")])
    out = tmp_path / "out"
    holder = hold_lock(out)
    try:
        result = subprocess.run(
            [str(Path(sys.executable).with_name("fanpin")), "cards", "--roster", str(roster)]
            + ["--policy", "qianjiang-2023", "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert result.returncode == 1, result.stderr
    flat = result.stderr.replace("\n", "")
    assert f"进程 {holder.pid}" in flat and "没有写入任何文件" in flat and "Traceback" not in flat
    assert not (out / "明白卡").exists()


# --- paths that cannot be written, and what the disk says ------------------------------------------


def test_a_link_inside_the_output_folder_is_not_written_or_deleted_through(tmp_path: Path) -> None:
    outside = tmp_path / "别处"
    outside.mkdir()
    (outside / "old.docx").write_bytes(b"someone else's")
    root = tmp_path / "out"
    first = OutputDir(root, timestamp=STAMP)
    first.write_bytes("村/old.docx", b"someone else's")
    first.save_manifest()
    (root / "村" / "old.docx").unlink()
    (root / "村").rmdir()
    (root / "村").symlink_to(outside, target_is_directory=True)

    out = OutputDir(root, timestamp=STAMP)
    with pytest.raises(OutputError) as caught:
        out.guard(["村/new.docx"])
    assert "村" in caught.value.message and "链接" in caught.value.message
    with pytest.raises(OutputError):
        out.write_bytes("村/new.docx", b"x")
    assert out.remove_outdated("村").removed == ()
    out.save_manifest()
    assert sorted(p.name for p in outside.iterdir()) == ["old.docx"]


def test_a_file_where_a_folder_goes_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "明白卡").write_bytes(b"a user's file")
    out = OutputDir(tmp_path, timestamp=STAMP)
    with pytest.raises(OutputError) as caught:
        out.guard(["汇总.xlsx", "明白卡/城东街道/红岩村/001_张三.docx"])
    assert "明白卡」是一个文件" in caught.value.message and "--out" in caught.value.hint
    assert sorted(p.name for p in tmp_path.iterdir()) == ["明白卡"]


def test_a_folder_without_write_permission_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputpaths.os, "access", lambda path, mode: False)  # tests may run as root
    out = OutputDir(tmp_path, timestamp=STAMP)
    with pytest.raises(OutputError) as caught:
        out.guard(["村/卡.docx"])
    assert "没有写入权限" in caught.value.message and str(tmp_path) in caught.value.message


@pytest.mark.parametrize(
    ("number", "said"),
    [
        (errno.ENOSPC, "磁盘已满"),
        (errno.EROFS, "只读"),
        (errno.EACCES, "没有写入权限"),
        (errno.ENAMETOOLONG, "文件名太长"),
    ],
)
def test_the_disk_error_is_told_in_chinese_about_the_real_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, said: str
) -> None:
    def refuse(source: object, target: object) -> None:
        raise OSError(number, "English text from the system")

    out = OutputDir(tmp_path, timestamp=STAMP)
    monkeypatch.setattr(output.os, "replace", refuse)  # the file, and the manifest after it, fail
    with pytest.raises(OutputError) as caught:
        try:
            out.write_bytes("明白卡/卡.docx", b"card")
        finally:
            out.save_manifest()  # as every batch does: this must not hide the file's own error
    assert "卡.docx" in caught.value.message and said in caught.value.message
    assert MANIFEST not in str(caught.value) and "English" not in str(caught.value)
    assert leftovers(tmp_path) == [] and not (tmp_path / LOCK).exists()


def test_a_full_disk_while_noting_the_journal_names_the_file_being_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    out = OutputDir(tmp_path, timestamp=STAMP)
    monkeypatch.setattr(output, "append_journal", full)
    with pytest.raises(OutputError) as caught:
        out.write_bytes("培训/花名册.xlsx", b"x")
    assert "花名册.xlsx" in caught.value.message and "磁盘已满" in caught.value.message


def test_an_unreadable_output_file_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = OutputDir(tmp_path, timestamp=STAMP)
    first.write_bytes("卡.docx", b"x")
    first.save_manifest()
    original = Path.read_bytes

    def locked(path: Path) -> bytes:
        if path.name == "卡.docx":
            raise PermissionError(errno.EACCES, "Permission denied")
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", locked)
    out = OutputDir(tmp_path, timestamp=STAMP)
    with pytest.raises(OutputError) as caught:
        out.guard(["卡.docx"])
    assert "卡.docx" in caught.value.message and "没有读取权限" in caught.value.message
    assert "Permission" not in str(caught.value)


def test_every_errno_message_is_chinese() -> None:
    for number in (
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EACCES,
        errno.EROFS,
        errno.ENAMETOOLONG,
        errno.EIO,
        9999,
    ):
        reason, hint = os_reason(OSError(number, "English"))
        assert "English" not in reason and re.search("[\u4e00-\u9fff]", reason) and hint


def test_a_disk_error_outside_the_output_checks_is_still_told_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from fanpin_docs.cards import runner
    from fanpin_docs.cli import app
    from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

    def full(*args: object, **kwargs: object) -> bytes:
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/fanpin-暂存")

    monkeypatch.setattr(runner, "manifest_bytes", full)
    roster = write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER, roster_row("001", "张三", make_id(), "户主")])
    result = CliRunner().invoke(
        app, ["cards", "--roster", str(roster), "--policy", "qianjiang-2023", "--out", str(tmp_path / "out")]
    )
    flat = result.output.replace("\n", "")
    assert result.exit_code == 1 and "磁盘已满" in flat and "fanpin-暂存" in flat
    assert "No space" not in flat and "程序内部错误" not in flat


def test_a_copy_sent_to_a_worker_writes_under_the_lock_and_never_ends_it(tmp_path: Path) -> None:
    import pickle

    out = OutputDir(tmp_path, timestamp=STAMP)
    out.guard(["a.txt"])
    worker = pickle.loads(pickle.dumps(out))
    worker.write_bytes("a.txt", b"from a worker")
    worker.release()
    del worker
    assert (tmp_path / LOCK).is_file()
    with pytest.raises(OutputError):
        OutputDir(tmp_path, timestamp=STAMP).lock()
    out.save_manifest()
    assert not (tmp_path / LOCK).exists()


def test_a_lock_or_journal_that_is_a_link_is_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "用户的文件.txt"
    victim.write_bytes(b"keep me")
    root = tmp_path / "out"
    root.mkdir()
    (root / LOCK).symlink_to(victim)
    with pytest.raises(OutputError) as caught:
        OutputDir(root, timestamp=STAMP).guard(["a.txt"])
    assert "链接" in caught.value.message
    (root / LOCK).unlink()
    (root / JOURNAL).symlink_to(victim)
    out = OutputDir(root, timestamp=STAMP)
    with pytest.raises(OutputError):
        out.write_bytes("a.txt", b"x")
    out.release()
    assert victim.read_bytes() == b"keep me"


def test_what_a_run_wrote_while_we_waited_is_known_when_we_take_the_folder(tmp_path: Path) -> None:
    waiting = OutputDir(tmp_path, timestamp=STAMP)  # made while another run is still writing
    other = OutputDir(tmp_path, timestamp=STAMP)
    other.write_bytes("a.txt", b"the other run's")
    other.save_manifest()
    waiting.guard(["a.txt"])  # no "edited" refusal: the file is the tool's
    waiting.write_bytes("a.txt", b"ours")
    waiting.save_manifest()


# --- a worker's file the main process never heard of ---------------------------------------------


def test_a_file_only_the_journal_knows_is_in_the_manifest(tmp_path: Path) -> None:
    """A worker notes its file in the journal, moves it into place, then reports it; an interruption
    can lose the report (the main process took it off the queue and was stopped before recording it).
    The manifest still lists the file, so the next run does not take it for an edited one."""
    root = tmp_path / "out"
    run = OutputDir(root, timestamp=STAMP)
    run.guard(["村/a.docx", "村/b.docx"])
    run.write_planned("村/a.docx", b"card a")  # reported as usual
    output.append_journal(root, "村/b.docx", output.sha256(b"card b"))  # what a worker does …
    write_atomic(root / "村" / "b.docx", b"card b")  # … and its report never arrives
    run.save_manifest()
    files = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert files == {"村/a.docx": output.sha256(b"card a"), "村/b.docx": output.sha256(b"card b")}
    assert not (root / JOURNAL).exists()
    assert OutputDir(root, timestamp=STAMP).edited_files() == []


def test_a_journal_line_whose_file_was_never_moved_into_place_does_not_vouch_for_it(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "村").mkdir(parents=True)
    (root / "村" / "b.docx").write_bytes(b"the user's own file")
    run = OutputDir(root, timestamp=STAMP)
    run.guard([])
    output.append_journal(root, "村/b.docx", output.sha256(b"card b"))  # stopped before the move
    run.save_manifest()
    files = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert "村/b.docx" not in files


def test_plain_paths_are_checked_as_the_general_way_checks_them(tmp_path: Path) -> None:
    """check_targets takes a plain relative path apart with string operations; the same path spelt with
    a `./` part goes the general way (PurePosixPath, Path.is_dir): both refuse the same paths alike."""
    root = tmp_path / "out"
    (root / "明白卡" / "甲镇" / "一村").mkdir(parents=True)
    (root / "明白卡" / "甲镇" / "一村" / "001_张三.docx").mkdir()  # a folder where a card goes
    (root / "明白卡" / "乙镇").write_text("x", encoding="utf-8")  # a file where a folder goes
    (tmp_path / "elsewhere").mkdir()
    (root / "明白卡" / "链接").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "明白卡" / "甲镇" / "指向文件夹.docx").symlink_to(tmp_path / "elsewhere")
    relatives = [
        "明白卡/甲镇/一村/002_李四.docx",
        "明白卡/甲镇/一村/001_张三.docx",
        "明白卡/乙镇/二村/003_王五.docx",
        "明白卡/链接/004_赵六.docx",
        "明白卡/甲镇/指向文件夹.docx",
        "明白卡/甲镇/" + "长" * 90 + ".docx",
        "明白卡清单.xlsx",
        "新文件夹/深/处/文件.docx",
    ]

    def outcome(relative: str) -> str:
        try:
            outputpaths.check_targets(root, [relative])
        except OutputError as error:
            return error.message
        return "可以写入"

    plain = [outcome(relative) for relative in relatives]
    general = [outcome("./" + relative) for relative in relatives]
    assert plain == general
    # the new card, a link in a file's place (replaced, not written through), the list workbook, new folders
    assert plain.count("可以写入") == 4 and plain[4] == "可以写入"
    assert "已有同名的文件夹" in plain[1] and "是一个文件" in plain[2] and "链接" in plain[3]
    assert "文件名太长" in plain[5]


def test_is_file_answers_as_path_is_file(tmp_path: Path) -> None:
    (tmp_path / "村").mkdir()
    (tmp_path / "村" / "001_张三.docx").write_bytes(b"x")
    (tmp_path / "指向卡.docx").symlink_to(tmp_path / "村" / "001_张三.docx")
    relatives = [
        "村/001_张三.docx",
        "村/001_张三.docx/",
        "村",
        "村/没有.docx",
        "指向卡.docx",
        "",
        "./村//001_张三.docx",
    ]
    answers = [outputpaths.is_file(tmp_path, relative) for relative in relatives]
    assert answers == [(tmp_path / relative).is_file() for relative in relatives]
    assert answers.count(True) == 4


def test_an_immutable_file_refuses_the_batch_before_anything_is_written(tmp_path: Path) -> None:
    """A real file the system will not let be replaced (chattr +i; on Windows, a file open in Word)."""
    out = OutputDir(tmp_path, timestamp=STAMP)
    out.write_bytes("a.txt", b"one")
    out.write_bytes("b.txt", b"one")
    out.save_manifest()
    locked = tmp_path / "b.txt"
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        later = OutputDir(tmp_path, timestamp=STAMP)
        with pytest.raises(OutputError) as caught:
            later.guard(["a.txt", "b.txt"])
        assert "b.txt" in str(caught.value) and "只读" in str(caught.value)
        assert "关闭" in caught.value.hint
        assert (tmp_path / "a.txt").read_bytes() == b"one"
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=False)
