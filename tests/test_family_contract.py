"""Every document family has one entry point of one shape, `run(context, options, progress) -> Report`,
and writes its batch through `documents.writing` (guard, write, manifest)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from fanpin_docs import cards, ledger, notices, plan, projects, training
from fanpin_docs.context import resolve
from fanpin_docs.documents import Report, writing
from fanpin_docs.output import MANIFEST, OutputDir

DATA = Path(__file__).parents[1] / "data"
ROSTER = DATA / "户籍监测名单.xlsx"
MEASURES = DATA / "帮扶措施台账.xlsx"
TRAINING = DATA / "培训考勤表.xlsx"
PROJECTS = DATA / "项目申报表.xlsx"

RUNS = {
    "cards": (cards.run, cards.CardsOptions(workers=1), {"roster": ROSTER, "measures": MEASURES}),
    "training": (training.run, training.TrainingOptions(workers=1), {"training": TRAINING, "roster": ROSTER}),
    "allowance": (
        training.run,
        training.TrainingOptions(publicity_only=True),
        {"training": TRAINING, "roster": ROSTER},
    ),
    "projects": (projects.run, projects.ProjectsOptions(), {"projects": PROJECTS, "roster": ROSTER}),
    "plan": (plan.run, plan.PlanOptions(), {"roster": ROSTER}),
    "notice-training": (
        notices.run,
        notices.NoticeOptions("training"),
        {"training": TRAINING, "roster": ROSTER},
    ),
    "notice-industry": (
        notices.run,
        notices.NoticeOptions("industry"),
        {"roster": ROSTER, "measures": MEASURES},
    ),
}


def test_every_family_run_has_the_same_parameters() -> None:
    for family in (cards, training, projects, plan, notices, ledger):
        assert list(inspect.signature(family.run).parameters) == ["context", "options", "progress"]


@pytest.mark.parametrize("name", list(RUNS))
def test_run_reports_exactly_the_files_it_wrote(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # outside any workspace
    run, options, inputs = RUNS[name]
    out = tmp_path / "out"
    context = resolve(**inputs, policy="qianjiang-2023", out=out)
    report = run(context, options, None)
    assert isinstance(report, Report)
    assert report.files, "the family wrote nothing"
    assert all(path.is_file() for path in report.files)
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST}
    assert {path.relative_to(out).as_posix() for path in report.files} == on_disk
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert set(manifest) == on_disk
    assert all(isinstance(note, str) for note in report.notes)


def test_writing_saves_the_manifest_and_gives_the_folder_back_after_an_error(tmp_path: Path) -> None:
    output = OutputDir(tmp_path, timestamp="2024-01-01T00:00:00Z")
    with pytest.raises(RuntimeError), writing(output, ["a.txt", "b.txt"]):
        output.write_bytes("a.txt", b"written before the error")
        raise RuntimeError("stopped halfway")
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"].keys() == {"a.txt"}
    other = OutputDir(tmp_path, timestamp="2024-01-01T00:00:00Z")
    other.guard(["a.txt"])  # the lock was given back, and a.txt is the tool's: no refusal
    other.save_manifest()
