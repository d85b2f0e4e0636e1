"""fanpin init: the settings file, the blank input workbooks, the copies of templates and policies."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.context import resolve
from fanpin_docs.errors import SettingsError
from fanpin_docs.idcard import validate_id_number
from fanpin_docs.inputs import INPUT_KINDS
from fanpin_docs.models import HOUSEHOLD_TYPES, MONITORING_CATEGORIES, RISK_TYPES
from fanpin_docs.readers import load_measures, load_projects, load_roster, load_training
from fanpin_docs.settings import SETTINGS_FILE, SettingsFile, load_settings
from fanpin_docs.workspace import COMMENTS, init_workspace, render_settings
from fanpin_docs.workspace.layout import INPUT_FILES, LAYOUTS

runner = CliRunner()

# each sheet's reader columns as the table of input kinds pairs them (tests/test_input_kinds.py
# checks the pairing column by column)
READER_COLUMNS = {sheet.name: sheet.columns for kind in INPUT_KINDS for sheet in kind.sheets}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "青山镇"
    result = runner.invoke(app, ["init", str(folder), "--township", "青山镇", "--policy", "qianjiang-2023"])
    assert result.exit_code == 0, result.output
    return folder


def test_init_writes_settings_workbooks_and_policies(workspace: Path) -> None:
    names = {p.relative_to(workspace).as_posix() for p in workspace.rglob("*") if p.is_file()}
    assert {SETTINGS_FILE, *INPUT_FILES.values()} <= names
    assert {
        "policies/qianjiang-2023.toml",
        "policies/fengjie-2022.toml",
        "policies/heping-2024.toml",
    } <= names
    shipped = resources.files("fanpin_docs") / "templates"
    for entry in shipped.iterdir():
        if entry.is_file() and not entry.name.endswith((".py", ".pyc")):
            assert (workspace / "templates" / entry.name).read_bytes() == entry.read_bytes()
    assert (workspace / "templates").is_dir()


def test_settings_are_read_back_and_point_at_the_workbooks(workspace: Path) -> None:
    settings = load_settings(workspace)
    assert settings.root == workspace.resolve()
    assert settings.township.township == "青山镇"
    assert settings.township.county == "重庆市黔江区"  # from the policy
    assert settings.township.year == 2023
    assert settings.township.policy == "qianjiang-2023"
    assert settings.documents.issuing_body == "青山镇人民政府"
    for kind, name in INPUT_FILES.items():
        assert settings.input_path(kind, None) == workspace.resolve() / name
        assert (workspace / name).is_file()
    context = resolve(workspace=workspace)
    assert context.policy is not None and context.policy.key == "qianjiang-2023"
    assert context.output.root == workspace.resolve() / "output"


def test_blank_workbooks_pass_the_readers(workspace: Path) -> None:
    roster = load_roster(workspace / INPUT_FILES["roster"])
    assert len(roster.households) == 1
    household = roster.households[0]
    assert household.township == "青山镇" and household.county == "黔江区"
    assert household.is_monitored and household.risk_unresolved
    assert household.household_id == "5001140010010001"
    assert validate_id_number(household.head.id_number) == household.head.id_number
    (example,) = roster.warnings  # the example row says what it is: documents would include it
    assert example.row == 2 and "空白表自带的示例行" in example.message and "删除这一行" in example.hint
    warnings: list = []
    records = load_measures(workspace / INPUT_FILES["measures"], roster, warnings=warnings)
    assert [r.name for r in records] == ["产业到户补助"] and records[0].accepted is True
    classes, trainees = load_training(workspace / INPUT_FILES["training"], roster, warnings=warnings)
    assert classes[0].planned_days == 8 and classes[0].start == dt.date(2023, 5, 8)
    assert trainees[0].attended_days == Decimal("7.5") and trainees[0].card_number == "6230000000000000012"
    projects, subsidies = load_projects(workspace / INPUT_FILES["projects"], warnings=warnings)
    assert [(w.file, w.row) for w in warnings] == [
        (INPUT_FILES[kind], 2) for kind in ("measures", "training", "projects")
    ]
    assert all("空白表自带的示例行" in w.message and not w.is_error for w in warnings)
    assert projects[0].linked_funds == Decimal(280000)
    assert projects[0].total_investment == projects[0].linked_funds + projects[0].other_funds
    assert subsidies[0].household_id == household.household_id


def test_fanpin_check_passes_in_a_fresh_workspace(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert flat.count("0 处错误，1 处提醒") == 4 and flat.count("空白表自带的示例行") == 4


@pytest.mark.parametrize("kind", list(INPUT_FILES))
def test_headers_are_canonical_with_notes(workspace: Path, kind: str) -> None:
    book = load_workbook(workspace / INPUT_FILES[kind])
    for layout in LAYOUTS[kind]:
        ws = book[layout.name]
        headers = [c.value for c in ws[1]]
        assert headers == layout.headers
        canonical = {c.name for c in READER_COLUMNS[layout.name]}
        read = [f.name for f in layout.fields if f.read]
        assert set(read) <= canonical, set(read) - canonical
        required = {c.name for c in READER_COLUMNS[layout.name] if c.required}
        assert required <= set(read)
        for cell in ws[1]:
            assert cell.comment is not None and cell.comment.text.startswith(f"{cell.value}：")
        assert ws.max_row == 2  # the header and one example row


def _validations(path: Path, sheet: str) -> dict[str, list[str]]:
    ws = load_workbook(path)[sheet]
    letters = {c.column_letter: c.value for c in ws[1]}
    lists = {}
    for validation in ws.data_validations.dataValidation:
        assert validation.type == "list"
        first = str(validation.sqref).split(":")[0]
        column = letters["".join(ch for ch in first if ch.isalpha())]
        lists[column] = validation.formula1.strip('"').split(",")
    return lists


def test_code_list_columns_have_drop_downs(workspace: Path) -> None:
    roster = _validations(workspace / INPUT_FILES["roster"], "户籍监测名单")
    assert roster["户类型"] == list(HOUSEHOLD_TYPES)
    assert roster["监测对象类别"] == list(MONITORING_CATEGORIES)
    assert roster["致贫返贫风险1"] == list(RISK_TYPES)
    assert roster["风险是否已消除"] == ["是", "否"]
    assert {"户主", "配偶", "之子", "之女", "之孙子"} <= set(roster["与户主关系"])
    assert {"健康状况", "劳动技能"} <= set(roster)
    measures = _validations(workspace / INPUT_FILES["measures"], "帮扶措施台账")
    assert {"产业到户补助", "医疗救助一事一议", "公益性岗位", "低保金"} <= set(measures["措施名称"])
    assert "培训误工补贴" not in measures["措施名称"]  # paid from the training sheet, not the ledger
    assert measures["验收结果"] == ["合格", "不合格"]
    training = _validations(workspace / INPUT_FILES["training"], "培训考勤")
    assert training["人员类别"] == ["脱贫人口", "监测对象", "低保对象", "其他"]
    assert training["考核结果"] == ["合格", "不合格"]
    projects = _validations(workspace / INPUT_FILES["projects"], "项目申报")
    assert "产业发展" in projects["项目类型"] and projects["建设性质"] == ["新建", "续建", "改建", "扩建"]
    assert _validations(workspace / INPUT_FILES["projects"], "到户明细")["验收结果"] == ["合格", "不合格"]


def test_id_phone_and_bank_columns_are_text(workspace: Path) -> None:
    checks = {
        ("roster", "户籍监测名单"): ("户编号", "证件号码", "联系电话", "帮扶联系人电话"),
        ("training", "培训考勤"): ("证件号码", "银行卡号", "联系电话"),
    }
    for (kind, sheet), columns in checks.items():
        ws = load_workbook(workspace / INPUT_FILES[kind])[sheet]
        letters = {c.value: c.column_letter for c in ws[1]}
        for column in columns:
            letter = letters[column]
            assert ws.column_dimensions[letter].number_format == "@", column
            example = ws[f"{letter}2"]
            assert example.number_format == "@" and isinstance(example.value, str), column


def test_existing_settings_are_refused_without_force(workspace: Path) -> None:
    before = (workspace / SETTINGS_FILE).read_text(encoding="utf-8")
    result = runner.invoke(app, ["init", str(workspace), "--township", "别的镇"])
    assert result.exit_code == 1
    flat = result.output.replace("\n", "")  # the console wraps long lines
    assert "已经是工作区" in flat and "--force" in flat
    assert (workspace / SETTINGS_FILE).read_text(encoding="utf-8") == before


def test_force_rewrites_settings_but_keeps_the_users_files(workspace: Path) -> None:
    roster_path = workspace / INPUT_FILES["roster"]
    book = load_workbook(roster_path)
    book["户籍监测名单"]["F2"] = "李秀英"
    book.save(roster_path)
    edited_policy = workspace / "policies" / "qianjiang-2023.toml"
    edited_policy.write_text(edited_policy.read_text(encoding="utf-8") + "\n# 本镇修改\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(workspace), "--township", "龙潭镇", "--force"])
    assert result.exit_code == 0, result.output
    assert "已存在，未覆盖" in result.output.replace("\n", "")
    assert load_settings(workspace).township.township == "龙潭镇"
    assert load_workbook(roster_path)["户籍监测名单"]["F2"].value == "李秀英"
    assert edited_policy.read_text(encoding="utf-8").endswith("# 本镇修改\n")


def test_unknown_policy_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "ws"), "--policy", "nowhere-2020"])
    assert result.exit_code == 1
    assert "nowhere-2020" in result.output.replace("\n", "")
    assert not (tmp_path / "ws").exists()


def test_a_users_policy_file_is_copied_into_the_workspace(tmp_path: Path) -> None:
    source = resources.files("fanpin_docs") / "policies" / "fengjie-2022.toml"
    custom = tmp_path / "本县2024.toml"
    custom.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = init_workspace(tmp_path / "ws", township="某某镇", policy=str(custom))
    assert (tmp_path / "ws" / "policies" / "本县2024.toml").is_file()
    settings = load_settings(tmp_path / "ws")
    assert settings.township.policy == "本县2024"
    assert (
        resolve(workspace=tmp_path / "ws").policy.title
        == tomllib.loads(source.read_text(encoding="utf-8"))["title"]
    )
    assert result.notes == []


def test_without_policy_or_township_the_user_is_told_what_to_fill_in(tmp_path: Path) -> None:
    result = init_workspace(tmp_path / "ws")
    assert any("policy" in note for note in result.notes)
    assert any("township" in note for note in result.notes)
    assert load_roster(tmp_path / "ws" / INPUT_FILES["roster"]).households[0].township == "某某镇"


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(SettingsError, match="是一个文件"):
        init_workspace(target)


def test_every_setting_has_a_chinese_comment() -> None:
    fields = {f"{section}.{name}" for section, model in SettingsFile() for name in type(model).model_fields}
    assert fields == set(COMMENTS)


def test_rendered_settings_read_back_to_the_same_values(tmp_path: Path) -> None:
    settings = SettingsFile.model_validate(
        {
            "township": {
                "county": "重庆市黔江区",
                "township": "青山镇",
                "year": 2023,
                "policy": "qianjiang-2023",
            },
            "documents": {
                "issuing_body": "青山镇人民政府",
                "document_number": "青山府发〔2023〕12号",
                "signatory": "青山镇人民政府",
                "date": dt.date(2023, 4, 20),
                "prepared_by": "陈晓梅",
                "reviewed_by": "刘志强",
                "responsible": "向东升",
                "contact": '镇乡村振兴办 "陈晓梅" 023-79223456',
            },
            "funds": {"allocation": Decimal("3200000.50")},
            "inputs": {
                "roster": "输入/名单.xlsx",
                "measures": "台账.xlsx",
                "training": "",
                "projects": "项目.xlsx",
            },
            "calendar": {
                "holidays": [dt.date(2023, 1, 2 + i) for i in range(8)],
                "workdays": [dt.date(2023, 1, 28)],
                "publicity_days": 7,
            },
            "output": {"dir": "文书"},
        }
    )
    (tmp_path / SETTINGS_FILE).write_text(render_settings(settings), encoding="utf-8")
    assert load_settings(tmp_path).data == settings


def test_unset_values_are_left_as_commented_examples() -> None:
    text = render_settings(SettingsFile())
    assert "\n# date = 2024-04-30\n" in text and "\n# allocation = 3000000\n" in text
    assert SettingsFile.model_validate(tomllib.loads(text)) == SettingsFile()
