"""误工补贴公示: who is listed, masks, totals, the publicity period, read back with python-docx."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest

from fanpin_docs.context import resolve
from fanpin_docs.errors import SettingsError
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_training
from fanpin_docs.settings import load_settings
from fanpin_docs.training import compute_payments, generate_training, publicity_start, training_publicity
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from training_data import DONE_WHEN, card, trainee_rows, write_training

WORKSPACE = """
[township]
county = "黔江区"
township = "城东街道"
year = 2023
policy = "qianjiang-2023"

[documents]
issuing_body = "城东街道办事处"
contact = "王干事 023-79223456"

[calendar]
holidays = [2023-04-05]
publicity_days = 5

[inputs]
training = "考勤.xlsx"
"""


def _text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "fanpin.toml").write_text(WORKSPACE, encoding="utf-8")
    write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN))
    return tmp_path


def test_notice_lists_paid_trainees_masked_with_period(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    generate_training(resolve(workspace=workspace), publicity_start=date(2023, 3, 31))
    document = docx.Document(workspace / "output" / "公示" / "城东街道2023年培训误工补贴发放公示.docx")
    text = _text(document)
    assert "城东街道2023年培训误工补贴发放公示" in text
    # Fri 31 March, Mon 3, Tue 4, (Wed 5 April a holiday), Thu 6, Fri 7 April
    assert "公示期为2023年3月31日至2023年4月7日（5个工作日）" in text
    header = ["序号", "姓名", "身份证号", "实际出勤天数", "补贴金额（元）", "银行卡号"]
    assert [c.text for c in document.tables[0].rows[0].cells] == header
    # the class heads its own table (a long class name is never squeezed into a column)
    assert "（一）2023年第一期电工培训班（3人）" in [p.text for p in document.paragraphs]
    body = [
        [c.text for c in row.cells]
        for table in document.tables
        for row in table.rows
        if [c.text for c in row.cells] != header
    ]
    assert [row[1] for row in body] == ["张一", "李二", "赵四"]  # only those paid, in sheet order
    assert [row[4] for row in body] == ["200.00", "280.00", "260.00"]
    assert body[2][3] == "6.5"
    for (_name, id_number, *_), row in zip([DONE_WHEN[i] for i in (0, 1, 3)], body, strict=True):
        assert row[2] == id_number[:6] + "********" + id_number[-4:]
    assert [row[5] for row in body] == ["****" + card(n)[-4:] for n in (1, 2, 4)]
    for _, id_number, *_ in DONE_WHEN:
        assert id_number not in text
    for number in range(1, 7):
        assert card(number) not in text
    assert "合计：3 人，740.00 元（人民币柒佰肆拾元整）" in text
    assert "城东街道办事处" in text and "王干事 023-79223456" in text


@pytest.mark.parametrize(
    ("given", "source", "kind", "period"),
    [
        ({"publicity_start": date(2023, 4, 5)}, "--start", "节假日），", "自2023年4月6日起至2023年4月12日止"),
        ({"publicity_start": date(2023, 4, 1)}, "--start", "星期六），", "自2023年4月3日起至2023年4月10日止"),
        (
            {"dated": date(2023, 4, 5)},
            "--date",
            "节假日），",
            "自2023年4月6日起至2023年4月12日止",
        ),  # one date
    ],
)
def test_a_publicity_given_a_day_off_is_printed_as_given_and_noted(
    tmp_path: Path, given: dict[str, date], source: str, kind: str, period: str
) -> None:
    workspace = _workspace(tmp_path)
    result = generate_training(resolve(workspace=workspace), **given)
    day = next(iter(given.values()))
    text = _text(docx.Document(workspace / "output" / "公示" / "城东街道2023年培训误工补贴发放公示.docx"))
    assert f"公示期为{day.year}年{day.month}月{day.day}日至" in text  # the day the office gave
    notes = [note for note in result.notes if "休息日" in note]
    assert len(notes) == 1
    assert f"误工补贴公示的日期{day.year}年{day.month}月{day.day}日（{source}）是休息日（{kind}" in notes[0]
    assert period in notes[0] and f"把 {source} 改为工作日" in notes[0]


def test_a_publicity_given_a_working_day_gets_no_note(tmp_path: Path) -> None:
    result = generate_training(resolve(workspace=_workspace(tmp_path)), publicity_start=date(2023, 3, 31))
    assert not [note for note in result.notes if "休息日" in note]


def test_a_publicity_dated_by_fanpin_toml_on_a_day_off_names_the_setting(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    settings = workspace / "fanpin.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("[documents]\n", "[documents]\ndate = 2023-04-02\n"),
        encoding="utf-8",
    )
    notes = [note for note in generate_training(resolve(workspace=workspace)).notes if "休息日" in note]
    assert len(notes) == 1
    assert "2023年4月2日（fanpin.toml [documents] date）是休息日（星期日）" in notes[0]
    assert "把 fanpin.toml [documents] date 改为工作日，如2023年4月3日" in notes[0]


def test_publicity_starts_on_the_first_working_day_from_the_last_class_end(tmp_path: Path) -> None:
    classes, trainees = load_training(write_training(tmp_path / "t.xlsx", trainee_rows(DONE_WHEN)))
    payments = compute_payments(load_policy("qianjiang-2023"), classes, trainees)
    # the class ends on Sunday 12 March 2023
    assert publicity_start(load_settings(tmp_path), payments) == date(2023, 3, 13)


def test_issuer_from_the_roster_township_and_village_column(tmp_path: Path) -> None:
    ids = [make_id("19800101", 1), make_id("19800101", 2)]
    roster = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            ROSTER_HEADER,
            roster_row("H1", "甲", ids[0], "户主", size=2, village="白石村"),
            roster_row("H1", "乙", ids[1], "配偶", village="白石村"),
        ],
    )
    classes, trainees = load_training(
        write_training(
            tmp_path / "t.xlsx",
            trainee_rows([("甲", ids[0], "脱贫人口", 7, "合格"), ("乙", ids[1], "脱贫人口", 0, "合格")]),
        )
    )
    from fanpin_docs.readers import load_roster

    payments = compute_payments(load_policy("qianjiang-2023"), classes, trainees, roster=load_roster(roster))
    notice = training_publicity(
        load_policy("qianjiang-2023"), payments, load_settings(tmp_path), date(2023, 3, 13)
    )
    assert notice.issuer == "城东街道办事处"
    assert notice.title == "城东街道2023年培训误工补贴发放公示"
    assert notice.columns[3] == "所在村" and notice.rows == (
        (
            "1",
            "甲",
            ids[0][:6] + "********" + ids[0][-4:],
            "白石村",
            "2023年第一期电工培训班",
            "7",
            "280.00",
            "****" + card(1)[-4:],
        ),
    )
    assert notice.total_line == "合计：1 人，280.00 元（人民币贰佰捌拾元整）"
    assert "公示期" not in notice.intro  # build_publicity states the period


def test_without_issuer_the_notice_is_skipped_with_a_note(tmp_path: Path) -> None:
    source = write_training(tmp_path / "t.xlsx", trainee_rows(DONE_WHEN))
    result = generate_training(
        resolve(training=source, policy="qianjiang-2023", out=tmp_path / "out", workspace=tmp_path)
    )
    assert not list((tmp_path / "out").rglob("*公示*.docx"))
    assert any("未生成误工补贴公示" in note and "issuing_body" in note for note in result.notes)
    classes, trainees = load_training(source)
    payments = compute_payments(load_policy("qianjiang-2023"), classes, trainees)
    with pytest.raises(SettingsError):
        training_publicity(
            load_policy("qianjiang-2023"), payments, load_settings(tmp_path), date(2023, 3, 13)
        )
