"""The README documents what a user needs: every command, every card-template field, the two commands."""

import re
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


def _documented_card_fields() -> set[str]:
    """The full names the README's card-field table gives: 「`household.id` `.head`」 is household.id and
    household.head, 「`members`：`m.no`」 is members.no."""
    start = README.index("明白卡模板可用的字段")
    names: set[str] = set()
    for line in README[start:].splitlines()[1:]:
        if line.strip() and not line.lstrip().startswith("|"):
            break
        cell = line.split("|")[1] if line.count("|") > 2 else ""
        parent = loop = ""
        for token in re.findall(r"`([^`]+)`", cell):
            if token.startswith("."):
                names.add(parent + token)
            elif re.fullmatch(r"[a-z]\.\w+", token):
                names.add(f"{loop}.{token[2:]}")
            else:
                names.add(token)
                if "." in token:
                    parent = token.rsplit(".", 1)[0]
                else:
                    loop = token
    return names


def _card_fields(fields: dict, prefix: str = "") -> list[str]:
    """Every field of FIELDS by its full name: household.id, members, members.id, policy_total, …"""
    names = []
    for key, value in fields.items():
        name = prefix + key
        if isinstance(value, dict):
            names += _card_fields(value, name + ".")
        elif isinstance(value, list):
            names.append(name)
            names += _card_fields(value[0], name + ".")
        else:
            names.append(name)
    return names


def test_every_card_template_field_is_documented() -> None:
    documented = _documented_card_fields()
    # 「explained」 is documented as the computed ones of 「policies」: the same fields
    assert FIELDS["explained"] == FIELDS["policies"] and "explained" in documented
    documented |= {
        "explained." + name[len("policies.") :] for name in documented if name.startswith("policies.")
    }
    names = _card_fields(FIELDS)
    assert {"household.id", "members.id", "helper.phone", "income.per_capita"} <= set(names)
    missing = [name for name in names if name not in documented]
    assert not missing, missing


def test_the_field_check_wants_the_full_name() -> None:
    """A `.id` documented under one parent does not count for another."""
    documented = _documented_card_fields()
    assert "household.id" in documented and "members.id" in documented
    assert "helper.id" not in documented and "household.name" not in documented


def test_ci_runs_exactly_the_readme_test_command() -> None:
    install_and_demo, test_command = README.splitlines()[:2]
    assert "fanpin demo" in install_and_demo
    assert "pytest" in test_command
    assert test_command in CI
