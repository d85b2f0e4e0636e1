"""Township settings (fanpin.toml) and how a run resolves them with the command line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.context import resolve
from fanpin_docs.errors import SettingsError
from fanpin_docs.settings import Settings, find_workspace, load_settings

SETTINGS = """
[township]
county = "重庆市黔江区"
township = "城东街道"
year = 2024
policy = "qianjiang-2023"

[documents]
issuing_body = "城东街道办事处"
document_number = "城东府发〔2024〕3号"
date = 2024-04-30
prepared_by = "李会计"

[funds]
allocation = 1200000.50

[inputs]
roster = "data/名单.xlsx"
training = "data/考勤.xlsx"

[calendar]
holidays = [2024-05-01, 2024-05-02]
workdays = [2024-04-28]
publicity_days = 7

[output]
dir = "成果"
"""


def workspace(tmp_path: Path, text: str = SETTINGS) -> Path:
    (tmp_path / "fanpin.toml").write_text(text, encoding="utf-8")
    return tmp_path


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(workspace(tmp_path, text))
    message = str(caught.value)
    assert "fanpin.toml" in message
    return message


def test_settings_read_from_the_workspace(tmp_path: Path) -> None:
    settings = load_settings(workspace(tmp_path))
    assert settings.root == tmp_path.resolve()
    assert (settings.township.county, settings.township.township, settings.township.year) == (
        "重庆市黔江区",
        "城东街道",
        2024,
    )
    assert settings.documents.document_number == "城东府发〔2024〕3号"
    assert settings.documents.date == date(2024, 4, 30)
    assert settings.allocation == Decimal("1200000.50")
    assert settings.calendar.holidays == [date(2024, 5, 1), date(2024, 5, 2)]
    assert settings.calendar.workdays == [date(2024, 4, 28)]
    assert settings.calendar.publicity_days == 7


def test_workspace_found_from_a_subfolder(tmp_path: Path) -> None:
    workspace(tmp_path)
    inner = tmp_path / "data" / "2024"
    inner.mkdir(parents=True)
    assert find_workspace(inner) == tmp_path.resolve()
    assert load_settings(inner).township.township == "城东街道"


def test_no_workspace_gives_empty_settings(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.root is None
    assert settings.township.township == "" and settings.allocation is None
    assert settings.input_path("roster", None) is None
    assert settings.policy_dirs() == () and settings.template_dirs() == ()
    assert settings.calendar.publicity_days == 5


def test_input_paths_command_line_first_then_workspace(tmp_path: Path) -> None:
    settings = load_settings(workspace(tmp_path))
    root = tmp_path.resolve()
    assert settings.input_path("roster", None) == root / "data" / "名单.xlsx"
    assert settings.input_path("roster", Path("别的.xlsx")) == Path("别的.xlsx")
    assert settings.input_path("measures", None) is None


def test_output_dir(tmp_path: Path) -> None:
    settings = load_settings(workspace(tmp_path))
    assert settings.output_dir(None) == tmp_path.resolve() / "成果"
    assert settings.output_dir(Path("/elsewhere")) == Path("/elsewhere")
    assert Settings().output_dir(None) == Path.cwd() / "output"


def test_workspace_folders(tmp_path: Path) -> None:
    settings = load_settings(workspace(tmp_path))
    assert settings.policy_dirs() == (tmp_path.resolve() / "policies",)
    assert settings.template_dirs() == (tmp_path.resolve() / "templates",)


def test_fixed_timestamp_never_reads_the_clock(tmp_path: Path) -> None:
    assert load_settings(workspace(tmp_path)).fixed_timestamp(2020) == "2024-04-30T00:00:00Z"
    no_date = load_settings(workspace(tmp_path, "[township]\nyear = 2023\n"))
    assert no_date.fixed_timestamp(2020) == "2023-01-01T00:00:00Z"
    assert Settings().fixed_timestamp(2022) == "2022-01-01T00:00:00Z"


def test_bad_toml_refused(tmp_path: Path) -> None:
    assert "格式错误" in refused(tmp_path, "[township]\ntownship = 城东街道\n")


def test_unknown_key_refused_naming_it(tmp_path: Path) -> None:
    message = refused(tmp_path, '[township]\ntownshp = "城东街道"\n')
    assert "[township.townshp]" in message and "不认识的设置项" in message


def test_unknown_section_refused(tmp_path: Path) -> None:
    assert "[inputz]" in refused(tmp_path, '[inputz]\nroster = "a.xlsx"\n')


def test_bad_date_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, '[documents]\ndate = "4月30日"\n')
    assert "[documents.date]" in message and "2024-04-30" in message


def test_bad_holiday_refused_naming_its_position(tmp_path: Path) -> None:
    message = refused(tmp_path, '[calendar]\nholidays = [2024-05-01, "五一"]\n')
    assert "[calendar.holidays.1]" in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[township]\nyear = 1990\n", "[township.year]"),
        ('[township]\nyear = "今年"\n', "[township.year]"),
        ("[funds]\nallocation = -5\n", "[funds.allocation]"),
        ("[calendar]\npublicity_days = 0\n", "[calendar.publicity_days]"),
    ],
)
def test_out_of_range_numbers_refused(tmp_path: Path, text: str, where: str) -> None:
    message = refused(tmp_path, text)
    assert where in message
    assert "should" not in message


def test_every_error_reported_at_once(tmp_path: Path) -> None:
    message = refused(tmp_path, '[township]\nyear = 1990\ntownshp = "x"\n[documents]\ndate = "x"\n')
    assert "3 处错误" in message


def test_file_not_in_utf8_refused(tmp_path: Path) -> None:
    (tmp_path / "fanpin.toml").write_bytes('[township]\ntownship = "城东街道"\n'.encode("gb18030"))
    with pytest.raises(SettingsError, match="UTF-8"):
        load_settings(tmp_path)


# --- one run's context ----------------------------------------------------------------------------


def test_resolve_inside_a_workspace_needs_no_arguments(tmp_path: Path) -> None:
    context = resolve(workspace=workspace(tmp_path))
    assert context.policy is not None and context.policy.key == "qianjiang-2023"
    assert context.require_policy() is context.policy
    assert context.require("roster") == tmp_path.resolve() / "data" / "名单.xlsx"
    assert context.output.root == tmp_path.resolve() / "成果"
    assert context.output.timestamp == "2024-04-30T00:00:00Z"
    assert any("补充设定" in note for note in context.notes)  # Qianjiang's assumed monitoring line


def test_resolve_command_line_wins(tmp_path: Path) -> None:
    context = resolve(
        workspace=workspace(tmp_path),
        policy="fengjie-2022",
        roster=Path("x.xlsx"),
        out=tmp_path / "别处",
        force=True,
    )
    assert context.policy is not None and context.policy.key == "fengjie-2022"
    assert context.inputs["roster"] == Path("x.xlsx")
    assert context.output.root == tmp_path / "别处" and context.output.force


def test_workspace_policy_file_is_found_by_name(tmp_path: Path) -> None:
    root = workspace(tmp_path, '[township]\npolicy = "本乡-2024"\n')
    (root / "policies").mkdir()
    shipped = (Path(__file__).parents[1] / "src" / "fanpin_docs" / "policies" / "heping-2024.toml").read_text(
        encoding="utf-8"
    )
    (root / "policies" / "本乡-2024.toml").write_text(
        shipped.replace("和平县2024年", "本乡2024年"), encoding="utf-8"
    )
    context = resolve(workspace=root)
    assert context.policy is not None and context.policy.title.startswith("本乡2024年")


def test_resolve_outside_a_workspace_says_what_is_missing(tmp_path: Path) -> None:
    context = resolve(workspace=tmp_path)
    assert context.policy is None and context.notes == []
    with pytest.raises(SettingsError) as caught:
        context.require("measures")
    assert "帮扶措施台账" in str(caught.value) and "--measures" in caught.value.hint
    with pytest.raises(SettingsError) as caught:
        context.require_policy()
    assert "--policy" in caught.value.hint and "qianjiang-2023" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[township]\nyear = 1990\n", "[township.year]：数值超出范围：应不小于 2015，实际为「1990」"),
        ("[township]\ntownship = 3\n", "[township.township]：应为加引号的文字"),
        ("[calendar]\nholidays = 2024-05-01\n", "[calendar.holidays]：应为列表"),
        ('township = "城东街道"\n', "[township]：应为一个设置段落"),
        (
            "[funds]\nallocation = nan\n",
            "[funds.allocation]：应为实际的数字（不能写 nan 或 inf），实际为「nan」",
        ),
        ("[township]\nyear = -inf\n", "[township.year]：应为实际的数字（不能写 nan 或 inf），实际为「-inf」"),
    ],
)
def test_messages_are_in_chinese(tmp_path: Path, text: str, expected: str) -> None:
    message = refused(tmp_path, text)
    assert expected in message
    assert "Input" not in message


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ('[township]\ncounty = "重庆市\\u0000黔江区"\n', "[township.county]", "U+0000"),
        ('[inputs]\nroster = "a\\u0000.xlsx"\n', "[inputs.roster]", "U+0000"),
        ('[documents]\nsignatory = "城东街道\\n办事处"\n', "[documents.signatory]", "U+000A"),
    ],
)
def test_control_characters_in_a_setting_are_refused_naming_it(
    tmp_path: Path, text: str, where: str, code: str
) -> None:
    message = refused(tmp_path, text)
    assert f"{where}：含有看不见的控制字符（{code}），不能使用" in message


def test_the_cli_names_the_setting_with_a_control_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from fanpin_docs.cli import app
    from fanpin_docs.workspace import init_workspace

    folder = tmp_path / "城东街道"
    init_workspace(folder, township="城东街道", county="重庆市黔江区", policy="qianjiang-2023")
    text = (folder / "fanpin.toml").read_text(encoding="utf-8")
    (folder / "fanpin.toml").write_text(
        text.replace('county = "重庆市黔江区"', 'county = "重庆市\\u0000黔江区"'), "utf-8"
    )
    monkeypatch.chdir(folder)  # the workspace is found from the current folder
    result = CliRunner(env={"COLUMNS": "300"}).invoke(
        app, ["check", "--roster", str(folder / "户籍监测名单.xlsx")], catch_exceptions=False
    )
    assert result.exit_code != 0
    assert "[township.county]：含有看不见的控制字符（U+0000）" in result.output
    assert "程序内部错误" not in result.output and "Traceback" not in result.output
