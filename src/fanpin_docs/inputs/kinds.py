"""The one table of input kinds: everything the program knows about each of the four workbooks.

A kind's key (`roster`) is its setting in fanpin.toml's [inputs] and its command-line option
(`--roster`); its label (户籍监测名单) is how messages name it; its file name is what `fanpin init`
writes; its sheets pair the blank workbook's layout (`blank.py`) with the columns its reader
understands (names, aliases, sheet names, in `fanpin_docs.readers`). The run context, `fanpin
check`, the settings file and the blank workbooks all take the kinds from here, so a new kind is one
entry here (besides its reader, its layout and its example row). A column is written once on each
side: what the reader accepts in its `COLUMNS`, how the blank workbook shows it in `blank.py`;
`InputSheet.drift` says where the two disagree, and the tests fail on any disagreement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..readers import load_measures, load_projects, load_roster, load_training
from ..readers import measures as measures_reader
from ..readers import projects as projects_reader
from ..readers import roster as roster_reader
from ..readers import training as training_reader
from ..readers.workbook import Column
from .blank import CLASSES, MEASURES, PROJECTS, ROSTER, SUBSIDIES, TRAINEES, SheetLayout


@dataclass(frozen=True)
class InputSheet:
    """One sheet of an input workbook: the blank workbook's layout and the columns its reader reads.

    `reader_only` names the reader's columns that the blank workbook leaves out on purpose (another
    way of writing a column it has, or extra columns a user may add); every other reader column is in
    the layout, and every layout column the reader does not read is marked `read=False` there.
    """

    layout: SheetLayout
    columns: tuple[Column, ...]
    names: tuple[str, ...]  # the sheet names the reader looks for; the blank workbook's is the first
    reader_only: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.layout.name

    def drift(self) -> list[str]:
        """How the blank workbook and the reader disagree about this sheet's columns (empty: they agree).

        Every column the reader reads is in the layout or in `reader_only`; every layout column is
        read unless marked `read=False`; the reader's required columns are in the blank workbook;
        ID columns are text there (a number would lose digits); no header means two columns.
        """
        read = {column.name: column for column in self.columns}
        fields = {field.name: field for field in self.layout.fields}
        found = [
            f"{name}：读取时认，空白表中没有"
            for name in read
            if name not in fields and name not in self.reader_only
        ]
        found += [f"{name}：列为 reader_only，空白表中却有" for name in self.reader_only if name in fields]
        found += [f"{name}：列为 reader_only，读取时却不认" for name in self.reader_only if name not in read]
        for name, field in fields.items():
            if field.read and name not in read:
                found.append(f"{name}：空白表中有，读取时不认（不读的列标 read=False）")
            if not field.read and name in read:
                found.append(f"{name}：标为不读（read=False），读取时却认")
            if name in read and read[name].is_id and not field.text:
                found.append(f"{name}：证件号、卡号列在空白表中应为文本格式（text=True）")
        found += [
            f"{c.name}：必需的列，空白表中没有" for c in self.columns if c.required and c.name not in fields
        ]
        if self.layout.name != self.names[0]:
            found.append(f"工作表「{self.layout.name}」：读取时找的是「{self.names[0]}」")
        if len(fields) != len(self.layout.fields):
            found.append("空白表中有重复的列名")
        owners: dict[str, str] = {}
        for column in self.columns:
            for key in sorted(column.keys()):
                if owners.setdefault(key, column.name) != column.name:
                    found.append(f"{key}：既是「{owners[key]}」又是「{column.name}」的列名或别名")
        return found


@dataclass(frozen=True)
class InputKind:
    """One kind of input workbook."""

    key: str  # fanpin.toml [inputs] key and command-line option (--roster)
    label: str  # how messages name the workbook
    setting_note: str  # the comment on its setting in fanpin.toml
    sheets: tuple[InputSheet, ...]  # the first is the one that identifies the workbook
    reader: Callable[..., object]
    detect_rank: int  # `fanpin check` tries kinds in this order: few required columns → tried late

    @property
    def option(self) -> str:
        return f"--{self.key}"

    @property
    def file_name(self) -> str:
        """The workbook in a new workspace."""
        return f"{self.label}.xlsx"

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns of the main sheet: the ones `fanpin check` recognises the workbook by."""
        return self.sheets[0].columns

    @property
    def layouts(self) -> tuple[SheetLayout, ...]:
        return tuple(sheet.layout for sheet in self.sheets)


INPUT_KINDS: tuple[InputKind, ...] = (
    InputKind(
        "roster",
        "户籍监测名单",
        "户籍/监测名单（每人一行）",
        (
            InputSheet(
                ROSTER,
                roster_reader.COLUMNS,
                roster_reader.SHEET_NAMES,
                reader_only=roster_reader.RISK_COLUMNS[2:],
            ),
        ),
        load_roster,
        detect_rank=0,
    ),
    InputKind(
        "measures",
        "帮扶措施台账",
        "帮扶措施台账（每户每项措施一行）",
        (
            InputSheet(
                MEASURES, measures_reader.COLUMNS, measures_reader.SHEET_NAMES, reader_only=("户主证件号码",)
            ),
        ),
        load_measures,
        detect_rank=3,
    ),
    InputKind(
        "training",
        "培训考勤表",
        "培训考勤表（每个学员一行，另有「培训班」工作表）",
        (
            # a class's data may also be written on each trainee's row instead of on 培训班
            InputSheet(
                TRAINEES,
                training_reader.TRAINEE_COLUMNS,
                training_reader.SHEET_NAMES,
                reader_only=tuple(c.name for c in training_reader.CLASS_COLUMNS if c.name != "培训班"),
            ),
            InputSheet(CLASSES, training_reader.CLASS_COLUMNS, (training_reader.CLASS_SHEET,)),
        ),
        load_training,
        detect_rank=1,
    ),
    InputKind(
        "projects",
        "项目申报表",
        "项目申报表（每个项目一行，另有「到户明细」工作表）",
        (
            InputSheet(
                PROJECTS,
                projects_reader.PROJECT_COLUMNS,
                projects_reader.SHEET_NAMES,
                reader_only=("财政衔接资金",),
            ),
            InputSheet(SUBSIDIES, projects_reader.DETAIL_COLUMNS, (projects_reader.DETAIL_SHEET,)),
        ),
        load_projects,
        detect_rank=2,
    ),
)
KINDS: dict[str, InputKind] = {kind.key: kind for kind in INPUT_KINDS}
LABELS: dict[str, str] = {kind.key: kind.label for kind in INPUT_KINDS}
FILE_NAMES: dict[str, str] = {kind.key: kind.file_name for kind in INPUT_KINDS}
LAYOUTS: dict[str, tuple[SheetLayout, ...]] = {kind.key: kind.layouts for kind in INPUT_KINDS}
