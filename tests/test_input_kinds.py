"""The table of input kinds (fanpin_docs.inputs): the blank workbooks, the readers, check, settings
and the run context all agree with it, and a column added on one side only is caught."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pydantic import ValidationError
from typer.testing import CliRunner

from fanpin_docs.check import detect_kind
from fanpin_docs.cli import app
from fanpin_docs.context import resolve
from fanpin_docs.errors import SettingsError
from fanpin_docs.inputs import INPUT_KINDS, KINDS, InputSheet
from fanpin_docs.inputs.blank import Field, SheetLayout
from fanpin_docs.readers.workbook import Column
from fanpin_docs.settings import SettingsFile
from fanpin_docs.workspace import COMMENTS, init_workspace
from fanpin_docs.workspace.layout import build_workbook

runner = CliRunner()
SHEETS = [(kind.key, sheet) for kind in INPUT_KINDS for sheet in kind.sheets]


def test_the_four_kinds_in_their_order() -> None:
    assert [k.key for k in INPUT_KINDS] == ["roster", "measures", "training", "projects"]
    assert [k.label for k in INPUT_KINDS] == ["户籍监测名单", "帮扶措施台账", "培训考勤表", "项目申报表"]
    assert KINDS["training"].file_name == "培训考勤表.xlsx" and KINDS["projects"].option == "--projects"
    assert [s.name for s in KINDS["training"].sheets] == ["培训考勤", "培训班"]
    assert sorted(k.detect_rank for k in INPUT_KINDS) == list(range(len(INPUT_KINDS)))


@pytest.mark.parametrize(("kind", "sheet"), SHEETS, ids=[f"{k}-{s.name}" for k, s in SHEETS])
def test_blank_workbook_and_reader_agree_on_every_column(kind: str, sheet: InputSheet) -> None:
    assert sheet.drift() == []
    read = {c.name for c in sheet.columns}
    blank = {f.name for f in sheet.layout.fields}
    assert read == {f.name for f in sheet.layout.fields if f.read} | set(sheet.reader_only)
    assert {c.name for c in sheet.columns if c.required} <= blank


def _sheet(
    layout_fields: tuple[Field, ...], columns: tuple[Column, ...], **kw: tuple[str, ...]
) -> InputSheet:
    return InputSheet(SheetLayout("表", layout_fields), columns, ("表",), **kw)


def test_a_column_added_on_one_side_only_is_drift() -> None:
    roster = KINDS["roster"].sheets[0]
    reader_only = _sheet(
        roster.layout.fields, (*roster.columns, Column("低保证号")), reader_only=roster.reader_only
    )
    assert reader_only.drift() == ["低保证号：读取时认，空白表中没有"]
    blank_only = dataclasses.replace(
        roster, layout=SheetLayout(roster.name, (*roster.layout.fields, Field("低保证号", "说明")))
    )
    assert blank_only.drift() == ["低保证号：空白表中有，读取时不认（不读的列标 read=False）"]
    number = Column("银行卡号", is_id=True)
    assert _sheet((Field("银行卡号", "说明"),), (number,)).drift() == [
        "银行卡号：证件号、卡号列在空白表中应为文本格式（text=True）"
    ]
    assert _sheet((Field("姓名", "说明", read=False),), (Column("姓名"),)).drift() == [
        "姓名：标为不读（read=False），读取时却认"
    ]
    required = _sheet((), (Column("姓名", required=True),), reader_only=("姓名",))
    assert required.drift() == ["姓名：必需的列，空白表中没有"]
    clash = _sheet(
        (Field("户编号", "说明"), Field("户码", "说明")), (Column("户编号", ("户码",)), Column("户码"))
    )
    assert "户码：既是「户编号」又是「户码」的列名或别名" in clash.drift()
    stale = _sheet((Field("姓名", "说明"),), (Column("姓名"),), reader_only=("人数",))
    assert stale.drift() == ["人数：列为 reader_only，读取时却不认"]
    renamed = dataclasses.replace(roster, layout=SheetLayout("名单", roster.layout.fields))
    assert renamed.drift() == ["工作表「名单」：读取时找的是「户籍监测名单」"]


@pytest.mark.parametrize("kind", [k.key for k in INPUT_KINDS])
def test_a_blank_workbook_has_the_layouts_headers_and_is_recognised_as_its_kind(
    kind: str, tmp_path: Path
) -> None:
    path = tmp_path / KINDS[kind].file_name
    build_workbook(kind, {}).save(path)
    book = load_workbook(path)
    assert book.sheetnames == [s.name for s in KINDS[kind].sheets]
    for sheet in KINDS[kind].sheets:
        assert [c.value for c in book[sheet.name][1]] == sheet.layout.headers
    assert detect_kind(path) == kind


def test_init_writes_every_kind_and_each_reader_reads_its_own(tmp_path: Path) -> None:
    result = init_workspace(tmp_path / "ws", township="青山镇", policy="qianjiang-2023")
    settings = tomllib.loads((tmp_path / "ws" / "fanpin.toml").read_text(encoding="utf-8"))
    assert settings["inputs"] == {k.key: k.file_name for k in INPUT_KINDS}
    assert {p.name for p in result.written} >= {k.file_name for k in INPUT_KINDS}
    for kind in INPUT_KINDS:
        path = tmp_path / "ws" / kind.file_name
        assert detect_kind(path) == kind.key
        loaded = kind.reader(path)
        assert loaded, kind.key  # the example row comes back
    text = (tmp_path / "ws" / "fanpin.toml").read_text(encoding="utf-8")
    for kind in INPUT_KINDS:
        assert f'# {kind.setting_note}\n{kind.key} = "{kind.file_name}"' in text
    assert "--roster、--measures、--training、--projects 优先" in text


def test_settings_and_context_have_one_input_per_kind(tmp_path: Path) -> None:
    assert list(type(SettingsFile().inputs).model_fields) == [k.key for k in INPUT_KINDS]
    assert all(f"inputs.{k.key}" in COMMENTS for k in INPUT_KINDS)
    with pytest.raises(ValidationError, match="rosters"):
        SettingsFile.model_validate({"inputs": {"rosters": "x.xlsx"}})
    context = resolve(training=tmp_path / "t.xlsx", workspace=tmp_path)
    assert list(context.inputs) == [k.key for k in INPUT_KINDS]
    assert context.inputs["training"] == tmp_path / "t.xlsx" and context.inputs["roster"] is None
    with pytest.raises(SettingsError) as caught:
        context.require("projects")
    assert caught.value.message == "没有指定项目申报表"
    assert "--projects" in caught.value.hint


def test_check_names_every_kind_when_it_recognises_none(tmp_path: Path) -> None:
    path = tmp_path / "别的表.xlsx"
    book = Workbook()
    book.active.append(["序号", "品名", "单价"])
    book.active.append([1, "化肥", 120])
    book.save(path)
    result = runner.invoke(app, ["check", str(path)])
    flat = result.output.replace("\n", "")
    assert result.exit_code == 1
    assert "户籍监测名单、帮扶措施台账、培训考勤表、项目申报表的必需列都不全" in flat
    assert "--roster/--measures/--training/--projects" in flat
