"""Writing an input workbook in the shape `fanpin init` hands out (the layouts are in
`fanpin_docs.inputs.blank`, one per sheet, paired with the readers' columns in `fanpin_docs.inputs`).

`build_workbook` fills a kind's layouts with rows: each column's note becomes a comment on its
header, its code list a drop-down list, text columns keep every digit. The blank workbooks of
`fanpin init` and the demo township's workbooks are both made by it, so they always have the shape
the readers expect.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..inputs import FILE_NAMES, LAYOUTS
from ..inputs.blank import (
    CLASSES,
    GIVEN_MEASURES,
    MEASURES,
    PROJECTS,
    ROSTER,
    SUBSIDIES,
    TRAINEES,
    Field,
    SheetLayout,
)
from ..output import normalize_office_zip, write_atomic
from ..xlsx import put_text, text_width

INPUT_FILES = FILE_NAMES  # the workbook of each kind in a workspace

__all__ = [
    "CLASSES",
    "GIVEN_MEASURES",
    "INPUT_FILES",
    "LAYOUTS",
    "MEASURES",
    "PROJECTS",
    "ROSTER",
    "SUBSIDIES",
    "TRAINEES",
    "Field",
    "SheetLayout",
    "build_workbook",
    "save_workbook",
    "workbook_bytes",
]

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
VALIDATION_ROWS = 2000  # drop-down lists and text format reach this far below the header
HEADER_FONT = Font(name="宋体", size=11, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="黑体", size=14)

Row = Mapping[str, object]


def build_workbook(
    kind: str,
    rows: Mapping[str, Sequence[Row]],
    *,
    titles: Mapping[str, str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> Workbook:
    """A workbook of `kind` with `rows` (by sheet name; each row by column name) under the header.

    `titles` puts a title row above a sheet's header; `choices` adds or replaces drop-down lists
    (e.g. the policy's rule names for 措施名称). A row naming a column the layout does not have is a
    programming error and raises KeyError.
    """
    book = Workbook()
    book.remove(book.active)
    for layout in LAYOUTS[kind]:
        _fill_sheet(
            book.create_sheet(layout.name),
            layout,
            rows.get(layout.name, ()),
            (titles or {}).get(layout.name),
            choices or {},
        )
    return book


def save_workbook(book: Workbook, path: Path, *, timestamp: str) -> Path:
    """Save atomically and byte-deterministically (same rows → same file)."""
    write_atomic(path, workbook_bytes(book, timestamp=timestamp))
    return path


def workbook_bytes(book: Workbook, *, timestamp: str) -> bytes:
    """The .xlsx file of `book`, byte-deterministic (same rows → same bytes)."""
    buffer = io.BytesIO()
    book.save(buffer)
    return normalize_office_zip(buffer.getvalue(), timestamp)


def _fill_sheet(
    ws,
    layout: SheetLayout,
    rows: Sequence[Row],
    title: str | None,
    choices: Mapping[str, Sequence[str]],
) -> None:
    header_row = 2 if title else 1
    if title:
        ws.cell(row=1, column=1, value=title).font = TITLE_FONT
        ws.row_dimensions[1].height = 24
    positions = {f.name: index for index, f in enumerate(layout.fields, start=1)}
    for field in layout.fields:
        cell = put_text(ws.cell(row=header_row, column=positions[field.name]), field.name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = Comment(_comment_text(field, choices.get(field.name)), "fanpin", width=260, height=120)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for offset, row in enumerate(rows, start=header_row + 1):
        unknown = set(row) - positions.keys()
        if unknown:
            raise KeyError(f"columns not in the {layout.name} layout: {sorted(unknown)}")
        for name, value in row.items():
            _put(ws.cell(row=offset, column=positions[name]), layout.fields[positions[name] - 1], value)
    last_row = header_row + max(len(rows), 0) + VALIDATION_ROWS
    for field in layout.fields:
        letter = get_column_letter(positions[field.name])
        width = max(text_width(field.name) + 4, 10.0)
        for row in rows[:200]:
            value = row.get(field.name)
            if value is not None:
                width = max(width, min(text_width(str(value)) + 2, 40.0))
        ws.column_dimensions[letter].width = width
        if field.text:
            ws.column_dimensions[letter].number_format = "@"
        listed = tuple(choices.get(field.name, field.choices))
        if listed:
            _add_list(ws, field, listed, f"{letter}{header_row + 1}:{letter}{last_row}")


def _put(cell, field: Field, value: object) -> None:
    if value is None or value == "":
        if field.text:
            cell.number_format = "@"
        return
    if field.text or isinstance(value, str):
        put_text(cell, value)
        if field.text:
            cell.number_format = "@"
        return
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    if isinstance(value, Decimal | int | float):
        cell.value = value
        if field.kind == "money":
            cell.number_format = MONEY_FORMAT
        return
    raise TypeError(f"cannot write {type(value).__name__} into {field.name}")


def _add_list(ws, field: Field, listed: Sequence[str], sqref: str) -> None:
    formula = '"' + ",".join(listed) + '"'
    if len(formula) > 257:  # Excel's limit for a list typed into the validation itself
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    validation.showErrorMessage = True
    if field.open_choices:
        validation.errorStyle = "warning"
        validation.errorTitle = "不在常用选项中"
        validation.error = "该值不在下拉列表中，确认无误可点「是」继续。"
    else:
        validation.errorStyle = "stop"
        validation.errorTitle = "请从下拉列表选择"
        validation.error = f"只能填写：{'、'.join(listed)}"
    validation.promptTitle = field.name
    validation.prompt = "从下拉列表选择" if len(listed) > 1 else ""
    validation.showInputMessage = False
    validation.add(sqref)
    ws.add_data_validation(validation)


def _comment_text(field: Field, listed: Sequence[str] | None) -> str:
    text = f"{field.name}：{field.note}"
    values = listed or field.choices
    if values:
        text += f"。可选：{'、'.join(values)}"
    return text
