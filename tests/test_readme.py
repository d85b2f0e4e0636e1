"""The README documents what a user needs: every command, every card-template field, the two commands."""

from pathlib import Path

from fanpin_docs.cards.data import FIELDS
from fanpin_docs.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert len(names) >= 9
    for name in names:
        assert f"fanpin {name}" in README, name


def test_every_card_template_field_is_documented() -> None:
    def leaves(fields: dict, prefix: str = "") -> list[str]:
        names = []
        for key, value in fields.items():
            if isinstance(value, dict):
                names += leaves(value, "")
            elif isinstance(value, list):
                names.append(key)
                names += leaves(value[0], "")
            else:
                names.append(prefix + key)
        return names

    for name in leaves(FIELDS):
        assert (
            f"`{name}`" in README
            or f".{name}`" in README
            or f"`m.{name}`" in README
            or f"`p.{name}`" in README
        ), name


def test_ci_runs_exactly_the_readme_test_command() -> None:
    install_and_demo, test_command = README.splitlines()[:2]
    assert "fanpin demo" in install_and_demo
    assert "pytest" in test_command
    assert test_command in CI
