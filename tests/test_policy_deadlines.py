"""The policy's month-day deadlines in the year the documents are for (policy/deadlines.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fanpin_docs.policy import deadline, documents_year, load_policy, year_note

QIANJIANG = load_policy("qianjiang-2023")


def test_deadlines_fall_in_the_working_year_else_in_the_policy_year() -> None:
    assert deadline(QIANJIANG, "filing") == date(2023, 4, 30)
    assert deadline(QIANJIANG, "filing", None) == date(2023, 4, 30)
    assert deadline(QIANJIANG, "filing", 2024) == date(2024, 4, 30)
    assert deadline(QIANJIANG, "implementation", 2025) == date(2025, 8, 31)
    assert documents_year(QIANJIANG, None) == 2023 and documents_year(QIANJIANG, 2024) == 2024


def test_a_deadline_the_policy_does_not_set_is_none(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "src/fanpin_docs/policies/qianjiang-2023.toml").read_text(
        encoding="utf-8"
    )
    assert 'filing = "04-30"' in text
    path = tmp_path / "leap.toml"
    path.write_text(text.replace('filing = "04-30"', 'filing = "02-29"'), encoding="utf-8")
    leap = load_policy(path)
    assert deadline(leap, "filing", 2024) == date(2024, 2, 29)
    assert deadline(leap, "filing", 2025) == date(2025, 2, 28)  # no 29 February that year
    assert deadline(load_policy("fengjie-2022"), "filing", 2024) is None


def test_the_note_names_the_moved_dates_only_when_the_years_differ() -> None:
    assert year_note(QIANJIANG, None) == "" and year_note(QIANJIANG, 2023) == ""
    note = year_note(QIANJIANG, 2024)
    assert "工作年度为 2024 年" in note and "2023 年" in note
    assert "2024年4月30日" in note and "2024年8月31日" in note and "2023年4月30日" not in note
