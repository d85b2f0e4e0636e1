from typer.testing import CliRunner

from fanpin_docs.cli import app


def test_lists_the_shipped_policies() -> None:
    result = CliRunner().invoke(app, ["policies"])
    assert result.exit_code == 0
    for name in ("qianjiang-2023", "fengjie-2022", "heping-2024"):
        assert name in result.output


def test_shows_rules_standards_and_assumptions() -> None:
    result = CliRunner().invoke(app, ["policies", "heping-2024"])
    assert result.exit_code == 0
    output = result.output.replace("\n", "")
    assert "监测范围：人均纯收入 10,800 元" in output
    assert "产业到户补助" in output and "县农业农村局" in output
    assert "补充设定" in output  # Heping's industry rule is gap-filled and must say so


def test_unknown_policy_is_refused_in_chinese() -> None:
    result = CliRunner().invoke(app, ["policies", "nowhere-2030"])
    assert result.exit_code == 1
    assert "没有名为「nowhere-2030」的政策" in result.output
