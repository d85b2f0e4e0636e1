"""fanpin demo: the synthetic township, its workbooks, the sample data and the demo command."""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.commands._demo_runner import DOCUMENT_COMMANDS, plan_runs, run_in
from fanpin_docs.demo import (
    DEMO_HOUSEHOLDS,
    build_demo_workspace,
    build_township,
    write_inputs,
    write_sample_data,
)
from fanpin_docs.errors import SettingsError
from fanpin_docs.idcard import age_on, birth_date, sex_of, validate_id_number
from fanpin_docs.output import OutputDir
from fanpin_docs.policy import compute_household_measures, compute_training_allowance, deadline, load_policy
from fanpin_docs.readers import load_measures, load_projects, load_roster, load_training
from fanpin_docs.settings import SETTINGS_FILE, load_settings
from fanpin_docs.workspace.layout import INPUT_FILES

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def town():
    return build_township()


@pytest.fixture(scope="module")
def inputs(town, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_inputs(town, tmp_path_factory.mktemp("demo-inputs"))


@pytest.fixture(scope="module")
def loaded(inputs: dict[str, Path]):
    roster = load_roster(inputs["roster"])
    return {
        "roster": roster,
        "measures": load_measures(inputs["measures"], roster),
        "training": load_training(inputs["training"], roster),
        "projects": load_projects(inputs["projects"]),
    }


# --- the township -----------------------------------------------------------------------------


def test_size_villages_and_households(loaded) -> None:
    roster = loaded["roster"]
    assert len(roster.households) == DEMO_HOUSEHOLDS >= 300
    villages = Counter(h.village for h in roster.households)
    assert len(villages) >= 3 and min(villages.values()) >= 40
    assert {h.township for h in roster.households} == {"青山镇"}
    assert not roster.warnings  # clean: no reader warning either
    sizes = Counter(h.size for h in roster.households)
    assert (
        sizes[1] > 0
        and sizes[6] > 0
        and 2.5 < sum(k * v for k, v in sizes.items()) / len(roster.households) < 4.5
    )


def test_ids_are_valid_unique_and_agree_with_the_people(town, loaded) -> None:
    people = [p for h in town.households for p in h.members]
    assert len({p.id_number for p in people}) == len(people)
    for person in people:
        assert validate_id_number(person.id_number) == person.id_number
        assert birth_date(person.id_number) == person.birth
        assert sex_of(person.id_number) == person.sex
    read = loaded["roster"].person_index()
    assert len(read) == len(people)
    assert any(p.id_number.endswith("X") for p in people)  # one is typed with a lowercase x in the sheet


def test_family_relations_are_plausible(loaded) -> None:
    on = dt.date(2023, 3, 31)
    relations = Counter()
    for household in loaded["roster"].households:
        assert [p.relation for p in household.members].count("户主") == 1
        head_age = age_on(household.head.id_number, on)
        assert head_age >= 18
        for person in household.members:
            relations[person.relation] += 1
            age = age_on(person.id_number, on)
            if person.relation in ("之子", "之女"):
                assert age <= head_age - 18, (household.household_id, person.relation)
            if person.relation in ("之孙子", "之孙女"):
                assert age <= head_age - 36
            if person.relation in ("之父", "之母"):
                assert age >= head_age + 18
            if person.relation == "配偶":
                assert sex_of(person.id_number) != sex_of(household.head.id_number)
    assert {"户主", "配偶", "之子", "之女", "之儿媳", "之孙子", "之孙女", "之父", "之母"} <= set(relations)


def test_monitored_households_incomes_and_helpers(loaded) -> None:
    households = loaded["roster"].households
    line = load_policy("qianjiang-2023").monitoring_line
    monitored = [h for h in households if h.is_monitored]
    assert len(monitored) >= 15
    assert {h.monitoring_category for h in monitored} == {"脱贫不稳定户", "边缘易致贫户", "突发严重困难户"}
    assert all(h.risks and h.identified_month for h in monitored)
    assert {h.risk_resolved for h in monitored} == {True, False}
    below = [h for h in households if h.per_capita_income < line]
    assert 3 <= len(below) < len(households) // 5
    assert any(h.risk_unresolved for h in below) and any(not h.is_monitored for h in below)
    assert Counter(h.household_type for h in households).keys() == {"脱贫户", "一般农户"}
    for household in households:
        assert household.income.net > 0
        assert household.helper is not None and household.helper.phone and household.helper.unit
    assert sum(1 for h in households if h.phone) > len(households) * 0.8


# --- the ledgers ------------------------------------------------------------------------------


def test_measures_use_the_policys_rules_and_compute(loaded) -> None:
    policy = load_policy("qianjiang-2023")
    records = loaded["measures"]
    names = Counter(r.name for r in records)
    assert {"产业到户补助", "医疗救助一事一议", "公益性岗位", "跨区域交通补贴", "低保金"} <= set(names)
    industry = [r for r in records if r.name == "产业到户补助"]
    assert all(r.base is not None and r.given_amount is None for r in industry)
    assert {r.accepted for r in industry} == {True, False}
    assert all(r.given_amount for r in records if r.name in ("公益性岗位", "跨区域交通补贴", "低保金"))
    households = loaded["roster"].by_id()
    by_household: dict[str, list] = {}
    for record in records:
        by_household.setdefault(record.household_id, []).append(record)
    results = [
        result
        for household_id, rows in by_household.items()
        for result in compute_household_measures(policy, households[household_id], rows)
    ]
    explained = {r.record.name: r for r in results if r.rule and r.rule.computes}
    assert explained.keys() == {"产业到户补助", "医疗救助一事一议"}
    amounts = [r.amount for r in results]
    assert Decimal("100000.00") in amounts  # a medical bill over the cap
    assert any(r.amount == 0 and r.record.name == "医疗救助一事一议" for r in results)  # under the threshold
    assert any(
        r.amount == Decimal("2000.00") and r.record.base > 2500
        for r in results
        if r.record.name == "产业到户补助"
    )
    assert not [r.warnings for r in results if r.warnings]


def test_training_classes_come_from_the_roster(loaded) -> None:
    policy = load_policy("qianjiang-2023")
    classes, trainees = loaded["training"]
    assert len(classes) == 2 and all(c.planned_days and c.start and c.end for c in classes)
    assert all(len([t for t in trainees if t.class_name == c.name]) <= 50 for c in classes)
    people = loaded["roster"].person_index()
    assert all(t.id_number in people for t in trainees)
    assert any(t.attended_days % 1 == Decimal("0.5") for t in trainees)
    assert {t.passed for t in trainees} == {True, False}
    assert {"脱贫人口", "监测对象", "其他"} <= {t.category for t in trainees}
    for trainee in trainees:
        assert len(trainee.card_number) == 19 and _luhn_ok(trainee.card_number)
    by_name = {c.name: c for c in classes}
    ages = {t.id_number: age_on(t.id_number, by_name[t.class_name].start) for t in trainees}
    elder = [t for t in trainees if ages[t.id_number] == 63]
    assert len(elder) == 1 and elder[0].passed and elder[0].category == "脱贫人口"
    rule = policy.rule_for("training")
    calculation = compute_training_allowance(rule, elder[0], by_name[elder[0].class_name])
    assert calculation.amount == 0 and "63" in calculation.reason
    paid = [compute_training_allowance(rule, t, by_name[t.class_name]).amount for t in trainees]
    assert sum(1 for amount in paid if amount > 0) > len(trainees) // 2


def _luhn_ok(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def test_a_dozen_projects_with_two_review_findings(loaded) -> None:
    policy = load_policy("qianjiang-2023")
    projects, subsidies = loaded["projects"]
    assert len(projects) == 12
    assert {"产业发展", "乡村建设行动", "就业项目", "巩固三保障成果"} <= {p.project_type for p in projects}
    findings = []
    for project in projects:
        assert project.total_investment == project.linked_funds + project.other_funds
        assert project.poor_households <= project.households and project.population >= project.households
        assert project.filed_on <= deadline(policy, "filing")
        assert project.output_target and project.benefit_target and project.satisfaction_target
        if project.project_type == "产业发展" and not project.linkage:
            findings.append(("联农带农", project.name))
        if project.end > deadline(policy, "implementation"):
            findings.append(("实施期限", project.name))
    assert [kind for kind, _ in findings] == ["联农带农", "实施期限"]
    names = {p.name for p in projects}
    households = loaded["roster"].by_id()
    assert subsidies and all(s.project_name in names and s.household_id in households for s in subsidies)
    assert len({s.project_name for s in subsidies}) == 2


# --- files ------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_files(town, inputs: dict[str, Path], tmp_path: Path) -> None:
    again = write_inputs(build_township(), tmp_path)
    for kind, path in inputs.items():
        assert again[kind].read_bytes() == path.read_bytes(), kind
    other = build_township(seed=7, households=40)
    assert [h.head.name for h in other.households[:10]] != [h.head.name for h in town.households[:10]]


def test_the_sample_data_in_the_repository_is_up_to_date(tmp_path: Path) -> None:
    fresh = write_sample_data(tmp_path)
    assert set(fresh) == set(INPUT_FILES)
    for kind, path in fresh.items():
        kept = REPO / "data" / INPUT_FILES[kind]
        assert kept.is_file(), f"data/{kept.name} is missing: run python scripts/make_sample_data.py"
        assert kept.read_bytes() == path.read_bytes(), (
            f"data/{kept.name} is stale: run python scripts/make_sample_data.py"
        )


def test_small_townships_still_carry_every_story(tmp_path: Path) -> None:
    files = write_inputs(build_township(households=30, seed=11), tmp_path)
    roster = load_roster(files["roster"])
    assert len(roster.households) == 30
    records = load_measures(files["measures"], roster)
    assert {"产业到户补助", "医疗救助一事一议"} <= {r.name for r in records}
    classes, trainees = load_training(files["training"], roster)
    assert len(classes) == 2 and trainees
    assert len(load_projects(files["projects"])[0]) == 12


def test_demo_workspace_settings(tmp_path: Path) -> None:
    workspace = build_demo_workspace(tmp_path / "demo", households=40)
    settings = load_settings(workspace.root)
    assert settings.township.policy == "qianjiang-2023" and settings.township.year == 2023
    assert settings.township.township == "青山镇" and settings.township.county == "重庆市黔江区"
    # no single 成文日期: each document is dated by its rule; holidays come from the official calendar
    assert settings.documents.date is None and settings.documents.prepared_by
    assert settings.allocation >= workspace.township.linked_funds()
    assert settings.calendar.holidays == [] and settings.calendar.workdays == []
    for kind in INPUT_FILES:
        assert settings.input_path(kind, None).is_file()
    assert (workspace.root / "policies" / "qianjiang-2023.toml").is_file()


# --- the command ------------------------------------------------------------------------------


def test_fanpin_demo_runs_check_and_every_document_command(tmp_path: Path) -> None:
    out = tmp_path / "演示"
    result = runner.invoke(app, ["demo", "--out", str(out), "--households", "60"])
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert "✓ fanpin check：完成" in flat
    produced = [p for p in (out / "output").rglob("*") if p.is_file() and not p.name.startswith(".")]
    runs, missing = plan_runs(app)
    for run in runs:
        assert f"✓ {run.label}：完成，生成" in flat, run.label
    assert produced or not runs
    assert set(missing) | {r.args[0] for r in runs} == set(DOCUMENT_COMMANDS)
    again = runner.invoke(app, ["demo", "--out", str(out), "--households", "60"])
    assert again.exit_code == 0, again.output  # a demo workspace is rebuilt; outputs are not "edited"


def test_fanpin_demo_refuses_a_real_workspace(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(folder), "--township", "龙潭镇"]).exit_code == 0
    before = (folder / SETTINGS_FILE).read_bytes()
    result = runner.invoke(app, ["demo", "--out", str(folder)])
    assert result.exit_code == 1
    assert "不是演示生成的" in result.output.replace("\n", "")
    assert (folder / SETTINGS_FILE).read_bytes() == before


def _user_folder(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The reviewer's case: a folder holding a user's own roster (and a note) where the demo would write."""
    folder = tmp_path / "d"
    folder.mkdir()
    mine = {INPUT_FILES["roster"]: b"the township's real roster", "说明.txt": "我的笔记".encode()}
    for name, data in mine.items():
        (folder / name).write_bytes(data)
    return folder, mine


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_fanpin_demo_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder, mine = _user_folder(tmp_path)
    result = runner.invoke(app, ["demo", "--out", str(folder), "--households", "10"])
    assert result.exit_code == 1
    flat = result.output.replace("\n", "")
    assert f"「{folder}」" in flat and "不是空文件夹" in flat and "--force" in flat
    assert "程序内部错误" not in flat
    assert _contents(folder) == mine  # nothing written


def test_fanpin_demo_with_force_never_overwrites_a_file_it_did_not_make(tmp_path: Path) -> None:
    folder, mine = _user_folder(tmp_path)
    result = runner.invoke(app, ["demo", "--out", str(folder), "--households", "10", "--force"])
    assert result.exit_code == 1
    flat = result.output.replace("\n", "")
    assert INPUT_FILES["roster"] in flat and "不是演示生成的" in flat and "说明.txt" not in flat
    assert _contents(folder) == mine  # nothing written, not even the files that would not collide

    (folder / INPUT_FILES["roster"]).unlink()  # only unrelated files left: --force writes beside them
    del mine[INPUT_FILES["roster"]]
    workspace = build_demo_workspace(folder, force=True, households=10)
    assert (folder / "说明.txt").read_bytes() == mine["说明.txt"]
    assert load_roster(workspace.inputs["roster"]).households


def test_fanpin_demo_rebuilds_its_own_workspace_but_not_a_file_a_user_changed(tmp_path: Path) -> None:
    folder = tmp_path / "演示"
    build_demo_workspace(folder, households=10)
    (folder / "说明.txt").write_bytes(b"a note beside the demo")
    build_demo_workspace(folder, households=12)  # its own files, even with other content: rewritten
    assert len(load_roster(folder / INPUT_FILES["roster"]).households) == 12
    roster = folder / INPUT_FILES["roster"]
    roster.write_bytes(b"the user's own roster, put in place of the demo's")
    for force in (False, True):
        with pytest.raises(SettingsError) as caught:
            build_demo_workspace(folder, force=force, households=10)
        assert INPUT_FILES["roster"] in caught.value.message
        assert roster.read_bytes() == b"the user's own roster, put in place of the demo's"
    assert (folder / "说明.txt").read_bytes() == b"a note beside the demo"


def test_fanpin_demo_with_force_still_leaves_a_real_workspace_alone(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(folder), "--township", "龙潭镇"]).exit_code == 0
    before = _contents(folder)
    result = runner.invoke(app, ["demo", "--out", str(folder), "--households", "10", "--force"])
    assert result.exit_code == 1 and SETTINGS_FILE in result.output.replace("\n", "")
    assert _contents(folder) == before


class Kind(enum.StrEnum):
    training = "training"
    allowance = "allowance"


def _fake_app() -> typer.Typer:
    fake = typer.Typer()

    @fake.command("cards")
    def cards() -> None:
        output = OutputDir(Path("output"), timestamp="2023-01-01T00:00:00Z")
        output.write_bytes("明白卡/一.txt", "一".encode())
        output.save_manifest()

    @fake.command("notice")
    def notice(kind: Annotated[Kind, typer.Argument()]) -> None:
        Path("output", f"{kind.value}.txt").write_text(kind.value, encoding="utf-8")

    @fake.command("plan")
    def plan(title: Annotated[str, typer.Argument()]) -> None:
        raise AssertionError("a command needing free text is not run")

    @fake.command("projects")
    def projects() -> None:
        raise typer.Exit(1)

    return fake


def test_runner_finds_commands_expands_choices_and_records_results(tmp_path: Path) -> None:
    fake = _fake_app()
    (tmp_path / "output").mkdir()
    runs, missing = plan_runs(fake)
    assert [r.args for r in runs] == [
        ("cards",),
        ("projects",),
        ("plan",),
        ("notice", "training"),
        ("notice", "allowance"),
    ]
    assert missing == ["training"]
    done = {r.args: r for r in run_in(fake, tmp_path, tmp_path / "output", runs)}
    assert done[("cards",)].ok and done[("cards",)].files == [Path("明白卡/一.txt")]
    assert done[("notice", "allowance")].files == [Path("allowance.txt")]
    assert done[("projects",)].exit_code == 1 and not done[("projects",)].files
    assert done[("plan",)].exit_code is None and "title" in done[("plan",)].note
    assert (tmp_path / "output" / "training.txt").read_text(encoding="utf-8") == "training"
