"""Property-based tests: whatever a sheet holds, the readers either refuse it cleanly or return valid models."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from fanpin_docs.errors import InputError
from fanpin_docs.idcard import validate_id_number
from fanpin_docs.readers import load_measures, load_projects, load_roster, load_training
from fanpin_docs.readers.measures import COLUMNS as MEASURE_COLUMNS
from fanpin_docs.readers.projects import PROJECT_COLUMNS
from fanpin_docs.readers.roster import COLUMNS as ROSTER_COLUMNS
from fanpin_docs.readers.training import TRAINEE_COLUMNS
from helpers import make_id

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cell_values = st.one_of(
    st.none(),
    st.integers(min_value=-(10**6), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(
        [
            "户主",
            "配偶",
            "之子",
            "合格",
            "不合格",
            "是",
            "否",
            "１５００",
            "1,500",
            "2024年4月30日",
            "202404",
            "2024.4.30",
            "  ",
            "=1+1",
            "-3",
            "脱贫户",
            "监测对象",
            "13812345678",
        ]
    ),
    st.builds(
        lambda birth, seq: make_id(birth.strftime("%Y%m%d"), seq),
        st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2015, 12, 31)),
        st.integers(min_value=0, max_value=999),
    ),
)


def _sheet(draw, columns, rows_max: int = 6) -> tuple[list[str], list[list[object]]]:
    required = [c.name for c in columns if c.required]
    optional = [c.name for c in columns if not c.required]
    chosen = (
        required + draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
        if optional
        else required
    )
    if draw(st.booleans()) and required:
        chosen.remove(draw(st.sampled_from(required)))  # sometimes a required column is missing
    header = list(draw(st.permutations(chosen)))
    rows = draw(
        st.lists(st.lists(cell_values, min_size=len(header), max_size=len(header)), max_size=rows_max)
    )
    return header, rows


@st.composite
def sheets(draw, columns):
    header, rows = _sheet(draw, columns)
    title_rows = draw(st.integers(min_value=0, max_value=2))
    return header, rows, title_rows


def _write(header: list[str], rows: list[list[object]], title_rows: int, folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    for index in range(title_rows):
        sheet.append([f"标题行{index}"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = folder / "fuzz.xlsx"
    book.save(path)
    return path


def _assert_clean_refusal(error: InputError) -> None:
    event("refused")
    assert error.problems, "an InputError must carry at least one problem"
    for problem in error.problems:
        assert problem.file == "fuzz.xlsx"
        assert problem.message
    assert "Traceback" not in str(error)


@FUZZ
@given(sheets(ROSTER_COLUMNS))
def test_roster_reader_refuses_cleanly_or_returns_valid_households(sheet) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(*sheet, Path(folder))
        try:
            roster = load_roster(path)
        except InputError as error:
            _assert_clean_refusal(error)
            return
    for household in roster.households:
        assert sum(1 for m in household.members if m.is_head) == 1
        assert household.household_id and household.township and household.village
        for member in household.members:
            assert validate_id_number(member.id_number) == member.id_number
        assert household.size >= len(household.members)
        assert household.per_capita_income == household.income.per_capita(household.size)


@FUZZ
@given(sheets(MEASURE_COLUMNS))
def test_measures_reader_refuses_cleanly_or_returns_records(sheet) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(*sheet, Path(folder))
        try:
            records = load_measures(path)
        except InputError as error:
            _assert_clean_refusal(error)
            return
    for record in records:
        assert record.household_id and record.name
        assert record.base is None or record.base >= 0


@FUZZ
@given(sheets(TRAINEE_COLUMNS))
def test_training_reader_refuses_cleanly_or_returns_trainees(sheet) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(*sheet, Path(folder))
        try:
            classes, trainees = load_training(path)
        except InputError as error:
            _assert_clean_refusal(error)
            return
    names = {c.name for c in classes}
    for trainee in trainees:
        assert trainee.class_name in names
        planned = next(c.planned_days for c in classes if c.name == trainee.class_name)
        assert planned is not None and 0 <= trainee.attended_days <= planned


@FUZZ
@given(sheets(PROJECT_COLUMNS))
def test_projects_reader_refuses_cleanly_or_returns_projects(sheet) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(*sheet, Path(folder))
        try:
            projects, _ = load_projects(path)
        except InputError as error:
            _assert_clean_refusal(error)
            return
    for project in projects:
        assert project.name
        assert all(amount >= 0 for amount in project.funds.values())


@st.composite
def valid_rosters(draw):
    """Well-formed rosters written in the many ways users write them: any column order, title rows,
    stray spaces, full-width digits, lowercase x, numbers as text or as numbers."""
    household_count = draw(st.integers(min_value=1, max_value=5))
    rows: list[dict[str, object]] = []
    sequence = 0
    for index in range(household_count):
        size = draw(st.integers(min_value=1, max_value=4))
        for member in range(size):
            sequence += 1
            birth = draw(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2015, 12, 31)))
            id_number = make_id(birth.strftime("%Y%m%d"), sequence)
            if id_number.endswith("X") and draw(st.booleans()):
                id_number = id_number.lower()
            if draw(st.booleans()):
                id_number = f" {id_number} "
            income = draw(st.sampled_from([12000, "12,000", "１２０００", 12000.0, "12000.00"]))
            rows.append(
                {
                    "户编号": f"H{index:03d}",
                    "乡(镇)": "城东街道",
                    "行政村": draw(st.sampled_from(["红岩村", " 青山村 "])),
                    "姓名": f"村民{sequence}",
                    "证件号码": id_number,
                    "与户主关系": "户主" if member == 0 else "之子",
                    "人数": size if member == 0 else None,
                    "工资性收入": income if member == 0 else None,
                    "户类型": draw(st.sampled_from(["脱贫户", "一般农户", "监测户", ""])),
                }
            )
    aliases = {
        "乡(镇)": ["乡镇", "乡（镇）", "乡(镇)"],
        "证件号码": ["身份证号", "证件号码", "身份证号码"],
        "行政村": ["村", "行政村"],
        "人数": ["家庭人口数", "人数"],
        "工资性收入": ["工资性收入（元）", "工资性收入"],
    }
    columns = list(draw(st.permutations(list(rows[0]))))
    header = [draw(st.sampled_from(aliases.get(c, [c]))) + draw(st.sampled_from(["", " "])) for c in columns]
    title_rows = draw(st.integers(min_value=0, max_value=2))
    return header, [[row[c] for c in columns] for row in rows], title_rows, household_count, len(rows)


@FUZZ
@given(valid_rosters())
def test_well_formed_rosters_are_always_accepted(case) -> None:
    header, rows, title_rows, household_count, person_count = case
    with tempfile.TemporaryDirectory() as folder:
        roster = load_roster(_write(header, rows, title_rows, Path(folder)))
    assert len(roster.households) == household_count
    assert sum(len(h.members) for h in roster.households) == person_count
    assert all(h.income.wage == 12000 for h in roster.households)
    assert all(h.village in {"红岩村", "青山村"} for h in roster.households)
