"""Output names from data, through the commands: values that clean to one name get their own files
(and the run says so), names too long or invalid on Windows are shortened, and every count in a
summary is the number of files on disk."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cards_support import person_id
from fanpin_docs.cards import make_cards
from fanpin_docs.cli import app
from fanpin_docs.context import resolve
from helpers import ROSTER_HEADER, roster_row, write_xlsx
from test_projects_inputs import project_row, write_projects
from training_data import CLASS, DONE_WHEN, trainee_rows, write_training

runner = CliRunner()
POLICY = ("--policy", "qianjiang-2023")


def write_roster(path: Path, households: list[tuple[str, str, str]]) -> Path:
    """One-person households: (户编号, 行政村, 户主)."""
    rows = [
        roster_row(household, head, person_id(f"{index:05d}", 0), "户主", size=1, village=village)
        for index, (household, village, head) in enumerate(households, start=1)
    ]
    return write_xlsx(path, [ROSTER_HEADER, *rows])


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def cards_on_disk(out: Path) -> tuple[list[Path], list[Path]]:
    """(cards, print files): cards lie in a village folder, print files beside the village folders."""
    files = [p for p in (out / "明白卡").rglob("*.docx") if p.is_file()]
    depth = {p: len(p.relative_to(out).parts) for p in files}
    return [p for p in files if depth[p] == 4], [p for p in files if depth[p] == 3]


def test_villages_and_ids_that_clean_alike_get_their_own_files(tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "名单.xlsx",
        [
            ("A:1", "青山村", "张一"),
            ("A/1", "青山村", "张一"),
            ("B1", "青山村.", "王三"),
            ("B2", "青山村.", "赵四"),
        ],
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["cards", "--roster", str(roster), *POLICY, "--out", str(out), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    cards, prints = cards_on_disk(out)
    assert len(cards) == 4 and "明白卡 4 户" in flat
    assert len(prints) == 2 and "全村打印文件 2 个" in flat
    folder = out / "明白卡" / "城东街道"
    assert {p.name for p in prints} == {"青山村_全村明白卡.docx", "青山村（2）_全村明白卡.docx"}
    assert {p.name for p in (folder / "青山村").iterdir()} == {"A_1_张一.docx", "A_1_张一（2）.docx"}
    assert "A:1" in text_of(folder / "青山村" / "A_1_张一（2）.docx")
    assert "王三" in text_of(folder / "青山村（2）_全村明白卡.docx")
    assert "张一" not in text_of(folder / "青山村（2）_全村明白卡.docx")
    assert "「青山村.」→「青山村（2）」" in flat and "「A:1」→「A_1_张一（2）」" in flat


def test_a_village_name_of_300_characters_is_shortened_visibly(tmp_path: Path) -> None:
    village, head = "青山" * 150, "欧阳" * 150
    roster = write_roster(tmp_path / "名单.xlsx", [("001", village, head), ("002", "红岩村", "李二")])
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["cards", "--roster", str(roster), *POLICY, "--out", str(out), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    cards, prints = cards_on_disk(out)
    assert len(cards) == 2 and len(prints) == 2
    for path in cards + prints:
        relative = path.relative_to(out)
        assert all(len(part.encode("utf-8")) <= 255 for part in relative.parts)
        assert len(str(relative)) <= 160  # leaves 100 characters for the folder on a Windows PC
    long_card = next(p for p in cards if "001" in p.name)
    assert "~" in long_card.parent.name and long_card.parent.name.startswith("青山青山")
    assert village in text_of(long_card)  # the card prints the name in full


def test_classes_that_clean_alike_get_their_own_folders_and_notices(tmp_path: Path) -> None:
    first = ("电工培训班/1", *CLASS[1:])
    second = ("电工培训班:1", *CLASS[1:])
    rows = trainee_rows(DONE_WHEN[:2], first) + trainee_rows(DONE_WHEN[2:4], second, first_card=10)
    source = write_training(tmp_path / "考勤.xlsx", rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["training", "--training", str(source), *POLICY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    folders = sorted(p.name for p in (out / "培训").iterdir() if p.is_dir())
    assert folders == ["电工培训班_1", "电工培训班_1（2）"]
    assert "已生成 2 个培训班的文书" in result.output
    assert "「电工培训班:1」→「电工培训班_1（2）」" in result.output.replace("\n", "")

    roster = write_roster(tmp_path / "名单.xlsx", [("001", "红岩村", "张一")])  # names the township
    notice = ["notice", "training", "--training", str(source), "--roster", str(roster), *POLICY]
    result = runner.invoke(app, [*notice, "--out", str(out)])
    assert result.exit_code == 0, result.output
    notices = sorted(p.name for p in (out / "通知").iterdir())
    assert notices == ["关于举办电工培训班_1的通知.docx", "关于举办电工培训班_1的通知（2）.docx"]
    assert "电工培训班:1" in text_of(out / "通知" / notices[1])


def test_a_class_and_a_project_of_300_characters_are_documents_not_errors(tmp_path: Path) -> None:
    long_class = ("电工" * 150, *CLASS[1:])
    source = write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN[:2], long_class))
    out = tmp_path / "out"
    roster = write_roster(tmp_path / "名单.xlsx", [("001", "红岩村", "张一")])
    for command in (["training"], ["notice", "training", "--roster", str(roster)]):
        result = runner.invoke(app, [*command, "--training", str(source), *POLICY, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "程序内部错误" not in result.output
    projects = write_projects(tmp_path / "项目.xlsx", [project_row("脆红李" * 100), project_row("短名")])
    result = runner.invoke(app, ["projects", "--projects", str(projects), *POLICY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    forms = sorted(p.name for p in (out / "项目申报" / "项目申报表").iterdir())
    assert len(forms) == 2 and forms[0].startswith("01_脆红李") and "~" in forms[0]
    for path in out.rglob("*"):
        assert len(path.name.encode("utf-8")) <= 255


def test_a_file_named_like_the_cards_folder_is_a_message(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "名单.xlsx", [("001", "红岩村", "张一")])
    out = tmp_path / "out"
    out.mkdir()
    (out / "明白卡").write_bytes(b"a user's file")
    result = runner.invoke(
        app, ["cards", "--roster", str(roster), *POLICY, "--out", str(out), "--workers", "1"]
    )
    flat = result.output.replace("\n", "")
    assert result.exit_code == 1 and "明白卡」是一个文件" in flat and "程序内部错误" not in flat
    assert sorted(p.name for p in out.iterdir()) == ["明白卡"]


IDS = ["A:1", "A/1", "a:1", "A_1", "CON", "A1.", "A1", "com1.txt", "B\u200b1", "B1"]
VILLAGES = ["青山村", "青山村.", "CON", "con", "青山村_全村明白卡.docx", "红岩" * 60, "红岩" * 60 + "村"]


@given(st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(VILLAGES)), min_size=1, max_size=6))
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_household_has_its_own_card_and_the_counts_are_the_files(
    tmp_path_factory: pytest.TempPathFactory, chosen: list[tuple[str, str]]
) -> None:
    households = list({household: village for household, village in chosen}.items())
    folder = tmp_path_factory.mktemp("names")
    roster = write_roster(folder / "名单.xlsx", [(h, v, f"户主{i}") for i, (h, v) in enumerate(households)])
    report = make_cards(resolve(roster=roster, policy=POLICY[1], out=folder / "out"), workers=1)
    cards, prints = cards_on_disk(folder / "out")
    assert report.cards == len(cards) == len(households)
    assert report.print_files == len(prints) == len({v for _, v in households})
    heads = {f"户主{i}" for i in range(len(households))}
    found = [{head for head in heads if head in text_of(path)} for path in cards]
    assert all(len(names) == 1 for names in found) and set().union(*found) == heads
