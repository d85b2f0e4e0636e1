"""Reading one data row's cells as typed values, each bad cell recorded as a located problem.

A formula saved without its result that could not be computed, characters a Word/Excel file cannot
hold, an ID column exported masked: each is noted once, where it is, and never read silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal

from ..dates import DateError, parse_date
from ..errors import InputError, Problem
from ..example_household import EXAMPLE_HINT, EXAMPLE_MESSAGE
from ..idcard import IdNumberProblem, strip_quotes, validate_id_number
from ..masking import mask_unparsed_phone
from ..money import CommaError, parse_decimal, yuan
from ..text import XML_ILLEGAL, normalize_phone, normalize_prose, normalize_text
from .collect import summarized
from .formulas import CellError, UnevaluatedFormula
from .sources import Cell
from .workbook import ID_COLUMNS, RowValues, Table, blank

MONEY_LIMIT = Decimal(10) ** 12  # yuan: larger than any amount these documents hold
_MONEY_LIMIT_NUMBER = 10**12  # the same, to compare a number cell with exactly
_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits: other digits go through `normalize_phone`


class RowReader:
    """Parses one data row's cells into typed values, recording a located problem for each bad cell."""

    __slots__ = (
        "_amounts",
        "_cells",
        "_dates",
        "_index",
        "_reported",
        "_texts",
        "problems",
        "refused",
        "row",
        "table",
        "values",
    )

    def __init__(self, table: Table, row: int, values: Mapping[str, Cell], problems: list[Problem]) -> None:
        self.table = table
        self.row = row
        if not isinstance(values, RowValues):
            values = RowValues({name: n for n, name in enumerate(values)}, tuple(values.values()))
        self.values = values
        # the row's cells read directly (a reader reads about ten cells of each of 100,000 rows)
        self._index = values.index
        self._cells = values.cells
        self._texts = table.texts
        self._amounts = table.amounts
        self._dates = table.dates
        self.problems = problems
        self._reported: set[tuple[str, str]] | None = None  # (kind, column) noted once; made when needed
        self.refused = 0  # the cells this reader refused so far (each noted as an error)

    def _get(self, column: str) -> Cell:
        """The cell's value; a formula saved without its result that cannot be computed is reported
        (once) and read as missing, never as empty or 0 without a word."""
        position = self._index.get(column)
        value = None if position is None else self._cells[position]
        if isinstance(value, str):
            if not value.isprintable() and XML_ILLEGAL.search(value) and self._first("illegal", column):
                found = "、".join(sorted({f"U+{ord(c):04X}" for c in XML_ILLEGAL.findall(value)})[:3])
                self._problem(
                    column,
                    f"含有 Word/Excel 文件中不允许的字符（{found}，看不见的控制字符），读取时已删除",
                    "一般不需要处理；如要整理表格，可重新录入这一格",
                    severity="warning",
                )
            return value
        if isinstance(value, CellError):
            if self._first("formula", column):
                self._problem(
                    column,
                    f"单元格是错误值 {value}（公式没有算出结果），无法读取",
                    "在 Excel 或 WPS 中改正这一格的公式（或改填数值），保存后再使用",
                )
            return None
        if isinstance(value, UnevaluatedFormula):
            if self._first("formula", column):
                self._problem(
                    column,
                    f"单元格是公式 {value}，文件里没有保存它的计算结果，无法读取（{value.reason}）",
                    "在 Excel 或 WPS 中打开这个文件、保存一次（会存下公式的计算结果）后再使用，"
                    "或把公式改成数值",
                )
            return None
        return value

    def _first(self, kind: str, column: str) -> bool:
        """True the first time a kind of note is made for a column of this row."""
        if self._reported is None:
            self._reported = set()
        if (kind, column) in self._reported:
            return False
        self._reported.add((kind, column))
        return True

    def _missing(self, column: str, message: str, hint: str) -> None:
        """A required cell with nothing to read, unless it was reported already as a formula without its
        result or an error value (one problem for one cell)."""
        if self._reported is None or ("formula", column) not in self._reported:
            self._problem(column, message, hint)

    def _problem(
        self, column: str, message: str, hint: str, value: Cell = None, severity: str = "error"
    ) -> None:
        if severity == "error":
            self.refused += 1
        self.problems.append(
            self.table.problem(
                message, hint=hint, row=self.row, column=column, value=value, severity=severity
            )
        )

    def raw(self, column: str) -> Cell:
        position = self._index.get(column)
        return None if position is None else self._cells[position]

    def text(self, column: str, *, required: bool = False) -> str:
        position = self._index.get(column)
        value = None if position is None else self._cells[position]
        if type(value) is str:
            # a printable text: `_get` has nothing to say, and its normal form is worked out once per
            # table (exports repeat village names, relations, categories down the whole column)
            text = self._texts.get(value)
            if text is None:
                if value.isprintable():
                    text = self._texts[value] = normalize_text(value)
                else:
                    text = normalize_text(self._get(column))
        elif value is None:
            text = ""
        else:
            text = normalize_text(self._get(column))
        if not text and required:
            self._missing(column, "必填项为空", "填写该单元格")
        return text

    def prose(self, column: str) -> str:
        """Free text printed in documents, Chinese punctuation kept as typed (see `normalize_prose`)."""
        position = self._index.get(column)
        value = None if position is None else self._cells[position]
        if type(value) is str and value.isprintable():
            # `_get` has nothing to say; the form is worked out once per table (帮扶单位 repeats)
            proses = self.table.proses
            text = proses.get(value)
            if text is None:
                text = proses[value] = normalize_prose(value)
            return text
        return normalize_prose(self._get(column))

    def choice(self, column: str, allowed: Sequence[str], *, required: bool = False) -> str:
        text = self.text(column, required=required)
        if text and text not in allowed:
            self._problem(column, "不是规定的选项", f"只能填写：{'、'.join(allowed)}", text)
            return ""
        return text

    def decimal(
        self,
        column: str,
        *,
        required: bool = False,
        negative_ok: bool = False,
        example: str = "1500 或 1,500.50",
    ) -> Decimal | None:
        position = self._index.get(column)
        value = None if position is None else self._cells[position]
        if type(value) is float and value > 0:
            # a positive number cell: nothing to report, its Decimal worked out once per table
            number = self.table.numbers.get(value)
            if number is None:
                number = self.table.numbers[value] = parse_decimal(value)
            return number
        value = self._get(column)
        if blank(value):
            if required:
                self._missing(column, "必填项为空", "填写数字")
            return None
        try:
            number = parse_decimal(value)
        except CommaError as exc:
            self._problem(column, f"数字写法不对：{exc}", exc.hint, value)
            return None
        except ValueError:
            self._problem(column, "不是数字", f"只填写数字，如 {example}，不要写文字或单位以外的内容", value)
            return None
        if number < 0 and not negative_ok:
            self._problem(column, "不能为负数", "填写 0 或正数", value)
            return None
        return number

    def money(self, column: str, *, required: bool = False, negative_ok: bool = False) -> Decimal | None:
        """An amount in yuan, rounded to the fen as Excel shows it (100.335 → 100.34), so that every
        figure printed and every total agree."""
        position = self._index.get(column)
        value = None if position is None else self._cells[position]
        if (type(value) is float or type(value) is int) and 0 < value < _MONEY_LIMIT_NUMBER:
            # a positive number cell: nothing to report, its amount worked out once per table
            amount = self._amounts.get(value)
            if amount is None:
                amount = self._amounts[value] = yuan(parse_decimal(value))
            return amount
        number = self.decimal(column, required=required, negative_ok=negative_ok)
        if number is not None and abs(number) >= MONEY_LIMIT:
            self._problem(
                column,
                "金额大得不合常理（一万亿元以上）",
                "检查这一格：是否把身份证号、卡号等填进了金额列",
                number,
            )
            return None
        return None if number is None else yuan(number)

    def integer(self, column: str, *, required: bool = False) -> int | None:
        number = self.decimal(column, required=required, example="3")
        if number is None:
            return None
        if number != number.to_integral_value():
            self._problem(column, "应为整数", "填写整数", self.raw(column))
            return None
        return int(number)

    def date(self, column: str, *, required: bool = False, month_only_ok: bool = True) -> date | None:
        position = self._index.get(column)
        value = None if position is None else self._cells[position]
        dates = self._dates[month_only_ok]
        if type(value) is str and (known := dates.get(value)) is not None:
            return known  # a text this table already read as a date (exports repeat them down a column)
        value = self._get(column)
        if blank(value):
            if required:
                self._missing(column, "必填项为空", "填写日期，如 2024-04-30 或 2024年4月30日")
            return None
        try:
            found = parse_date(value, month_only_ok=month_only_ok)
            if type(value) is str and value.isprintable():
                dates[value] = found
            return found
        except ValueError as exc:
            if isinstance(exc, DateError):
                hint = exc.hint
            elif month_only_ok:
                hint = "填写实际存在的日期，如 2024-04-30、2024年4月30日、2024.4.30 或 202404"
            else:  # a day is needed: a month alone (202404) is refused here
                hint = "填写实际存在的日期（要写到日），如 2024-04-30、2024年4月30日 或 2024.4.30"
            self._problem(column, f"日期无法识别：{exc}", hint, value)
            return None

    def id_number(self, column: str, *, required: bool = True) -> str | None:
        value = self._get(column)
        if blank(value):
            if required:
                self._missing(column, "身份证号为空", "填写 18 位身份证号")
            return None
        if column in self.table.masked_columns and is_masked(value):
            return None  # reported once for the whole column (`report_masked_columns`)
        try:
            number = validate_id_number(value)
        except IdNumberProblem as exc:
            self._problem(column, str(exc), exc.hint, value)
            return None
        if number is value:  # the cell held the canonical number as it is
            return number
        text = normalize_text(value).replace(" ", "")
        if strip_quotes(text) != text:
            self._problem(
                column,
                "身份证号前后带有引号或撇号（从其他系统复制时带进来的），已去掉后读取",
                "不需要处理；如要整理表格，可在 Excel/WPS 中用「查找和替换」去掉这些符号",
                value,
                severity="warning",
            )
        return number

    def phone(self, column: str) -> str | None:
        position = self._index.get(column)
        value = None if position is None else self._cells[position]
        if type(value) is str and len(value) == 11 and _MOBILE.fullmatch(value):
            return value  # a mobile number written plainly (most cells): already in its printed form
        value = self._get(column)
        if blank(value):
            return None
        phone = normalize_phone(value)
        if phone is None:
            self._problem(
                column,
                "电话号码格式不对，将不打印",
                "填写 11 位手机号，或带区号的固定电话如 023-87654321",
                mask_unparsed_phone(normalize_text(value)),
                severity="warning",
            )
        return phone

    def yes_no(self, column: str, yes: Sequence[str], no: Sequence[str]) -> bool | None:
        text = self.text(column)
        if not text:
            return None
        if text in yes:
            return True
        if text in no:
            return False
        self._problem(column, "不是规定的选项", f"填写 {yes[0]}/{no[0]}", text)
        return None


_MASKED = re.compile(r"^\d{2,}\*{3,}\d*[\dXx]$")


def is_masked(value: Cell) -> bool:
    """`500114********1234`: a number exported with its middle hidden."""
    return (
        isinstance(value, str) and "*" in value and _MASKED.match(value.strip().replace(" ", "")) is not None
    )


def report_masked_columns(table: Table, problems: list[Problem]) -> None:
    """One problem for an ID column exported masked (the national system's default export), instead of
    one contradictory error per row; its masked cells are then not read one by one."""
    for column in (ID_COLUMNS & set(table.headers)) - table.masked_columns:
        masked = [
            row
            for row, values in table.rows
            if isinstance(cell := values.get(column), str) and "*" in cell and is_masked(cell)
        ]
        if not masked:
            continue
        table.masked_columns.add(column)
        first = masked[0]
        problems.append(
            table.problem(
                f"这一列的号码是打码导出的（中间为 *），共 {len(masked)} 行（第 {first} 行起），"
                "无法核对身份，也不能印到文书上",
                hint="从防返贫监测信息系统重新导出：导出时选择显示完整证件号码（明文导出，需要相应权限），"
                "再用完整号码的名单",
                row=first,
                column=column,
            )
        )


def row_place(sheet: str | None, row: int) -> str:
    """「第 3 行」, or 「工作表「红岩村」第 3 行」 when a file's rows come from several sheets."""
    return f"工作表「{sheet}」第 {row} 行" if sheet else f"第 {row} 行"


def example_row(table: Table, row: int) -> Problem:
    """A warning at the blank workbooks' example row (`example_household`): documents would include it."""
    return table.problem(EXAMPLE_MESSAGE, hint=EXAMPLE_HINT, row=row, severity="warning")


def iter_rows(table: Table, problems: list[Problem]) -> Iterator[RowReader]:
    report_masked_columns(table, problems)
    for row, values in table.rows:
        yield RowReader(table, row, values, problems)


def raise_if_errors(problems: list[Problem]) -> None:
    """Raise one InputError with every problem (bounded: see `collect.Problems`) if any is an error."""
    reported = summarized(problems)
    if any(p.is_error for p in reported):
        raise InputError(reported)
