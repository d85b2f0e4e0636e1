"""Formulas saved without their result (scripts and some web exports write `=B3+C3` but no value).

Simple arithmetic over cells of the same sheet is computed here: numbers, cell references
(`B3`, `$B$3`), `+ - * /`, parentheses and `SUM` over cells and ranges. Anything else (other
functions, other sheets, text) is left as an `UnevaluatedFormula`, which the row reader refuses
with its place and the formula, so that such a cell never reads as empty or 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from ..cellrefs import column_number
from ..money import CommaError, parse_decimal

_TOKEN = re.compile(
    r"\s*(?:(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)|(?P<ref>\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<number>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<op>[-+*/(),]))",
)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
MAX_CELLS_IN_FORMULA = 10_000


@dataclass(frozen=True)
class UnevaluatedFormula:
    """A formula cell without a stored result that this reader cannot compute."""

    formula: str
    reason: str

    def __str__(self) -> str:
        return f"={self.formula}"


@dataclass(frozen=True)
class CellError:
    """A cell holding an error value (`#N/A`, `#DIV/0!`, `#VALUE!`: a formula that failed), which the
    cell reader gives as an empty text; the row reader refuses it with its place."""

    code: str

    def __str__(self) -> str:
        return self.code


def fill_errors(rows: list[list[object]], errors: dict[tuple[int, int], str]) -> None:
    """Put a `CellError` into each cell of `rows` that holds an error value (before the formulas are
    computed, so that a formula using such a cell is not computed from an empty one)."""
    for position, code in errors.items():
        _place(rows, position, CellError(code or "#错误"))


class _Unsupported(Exception):
    pass


Lookup = Callable[[int, int], object]  # (row, column) 0-based → the cell's value, or a formula


def evaluate(formula: str, lookup: Lookup) -> Decimal:
    """The value of `formula` with cell values from `lookup`; ValueError (Chinese reason) if not simple."""
    try:
        return _Parser(formula, lookup).parse()
    except _Unsupported as exc:
        raise ValueError(str(exc)) from None
    except (DivisionByZero, InvalidOperation):
        raise ValueError("公式中有除以 0 或无法计算的数") from None


class _Parser:
    def __init__(self, formula: str, lookup: Lookup) -> None:
        self.tokens = self._tokenize(formula.lstrip("="))
        self.position = 0
        self.lookup = lookup

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        index = 0
        text = text.strip()
        while index < len(text):
            match = _TOKEN.match(text, index)
            if match is None or match.end() == index:
                raise _Unsupported(f"公式中有无法计算的内容「{text[index : index + 10]}」")
            kind = match.lastgroup or ""
            tokens.append((kind, match.group(kind)))
            index = match.end()
            while index < len(text) and text[index].isspace():
                index += 1
        return tokens

    def parse(self) -> Decimal:
        value = self._sum()
        if self.position != len(self.tokens):
            raise _Unsupported("公式的写法无法计算")
        return value

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        self.position += 1
        return token

    def _sum(self) -> Decimal:
        value = self._product()
        while self._peek() in (("op", "+"), ("op", "-")):
            value = value + self._product() if self._take()[1] == "+" else value - self._product()
        return value

    def _product(self) -> Decimal:
        value = self._unary()
        while self._peek() in (("op", "*"), ("op", "/")):
            value = value * self._unary() if self._take()[1] == "*" else value / self._unary()
        return value

    def _unary(self) -> Decimal:
        if self._peek() in (("op", "+"), ("op", "-")):
            sign = self._take()[1]
            value = self._unary()
            return -value if sign == "-" else value
        return self._atom()

    def _atom(self) -> Decimal:
        kind, text = self._take()
        if kind == "number":
            return Decimal(text)
        if kind == "ref":
            return self._cell(text)
        if kind == "op" and text == "(":
            value = self._sum()
            if self._take() != ("op", ")"):
                raise _Unsupported("公式的括号不配对")
            return value
        if kind == "name" and text.upper() == "SUM" and self._take() == ("op", "("):
            return self._sum_arguments()
        if kind == "name":
            raise _Unsupported(f"公式用到了函数或名称「{text}」，这里只能计算加减乘除和 SUM")
        if kind == "range":
            raise _Unsupported("单元格区域只能用在 SUM 里")
        raise _Unsupported("公式的写法无法计算")

    def _sum_arguments(self) -> Decimal:
        total = Decimal(0)
        while True:
            if self._peek()[0] == "range":
                total += self._range(self._take()[1])
            else:
                total += self._sum()
            kind, text = self._take()
            if (kind, text) == ("op", ")"):
                return total
            if (kind, text) != ("op", ","):
                raise _Unsupported("SUM 的参数写法无法计算")

    def _range(self, text: str) -> Decimal:
        first, last = (self._position(part) for part in text.split(":"))
        top, bottom = sorted((first[0], last[0]))
        left, right = sorted((first[1], last[1]))
        if (bottom - top + 1) * (right - left + 1) > MAX_CELLS_IN_FORMULA:
            raise _Unsupported("SUM 的区域太大")
        total = Decimal(0)
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                total += self._value(self.lookup(row, column), in_range=True)
        return total

    @staticmethod
    def _position(reference: str) -> tuple[int, int]:
        match = _REF.fullmatch(reference)
        if match is None:
            raise _Unsupported(f"无法识别的单元格「{reference}」")
        return int(match.group(2)) - 1, column_number(match.group(1).encode()) - 1

    def _cell(self, reference: str) -> Decimal:
        return self._value(self.lookup(*self._position(reference)), in_range=False)

    @staticmethod
    def _value(value: object, *, in_range: bool) -> Decimal:
        if isinstance(value, UnevaluatedFormula):
            raise _Unsupported(f"公式引用的单元格也是无法计算的公式（{value}）")
        if isinstance(value, CellError):
            raise _Unsupported(f"公式引用的单元格是错误值 {value}")
        if value is None or value == "" or isinstance(value, bool):
            return Decimal(0)  # an empty cell counts as 0, as in Excel
        if in_range and isinstance(value, str):
            return Decimal(0)  # SUM over a range skips text, a number stored as text too, as Excel does
        try:
            return parse_decimal(value)
        except CommaError as exc:  # a number, but which one cannot be told: not skipped as text
            raise _Unsupported(f"公式引用的单元格「{str(value)[:20]}」中{exc}") from None
        except ValueError:
            if in_range:
                return Decimal(0)  # SUM skips text, as in Excel
            raise _Unsupported(f"公式引用的单元格不是数字（{str(value)[:20]}）") from None


def fill_formulas(rows: list[list[object]], formulas: dict[tuple[int, int], str]) -> None:
    """Put each formula's computed value (or an UnevaluatedFormula) into its cell of `rows`.

    Formulas referring to other formulas are computed first (in any order); a reference cycle
    is left unevaluated.
    """
    pending = dict(formulas)
    computing: set[tuple[int, int]] = set()

    def lookup(row: int, column: int) -> object:
        if (row, column) in pending:
            return compute((row, column))
        if row < len(rows) and column < len(rows[row]):
            return rows[row][column]
        return None

    def compute(position: tuple[int, int]) -> object:
        if position in computing:
            return UnevaluatedFormula(pending[position], "公式循环引用了自己")
        text = pending[position]
        computing.add(position)
        result: object
        if not text:
            result = UnevaluatedFormula("（共享公式）", "共享公式没有保存计算结果")
        elif "!" in text:
            result = UnevaluatedFormula(text, "公式引用了其他工作表")
        else:
            try:
                result = evaluate(text, lookup)
            except ValueError as exc:
                result = UnevaluatedFormula(text, str(exc))
            except RecursionError:
                result = UnevaluatedFormula(text, "公式层层引用其他公式，层数太多")
        computing.discard(position)
        pending.pop(position, None)
        _place(rows, position, result)
        return result

    while pending:
        compute(next(iter(pending)))


def _place(rows: list[list[object]], position: tuple[int, int], value: object) -> None:
    row, column = position
    while len(rows) <= row:
        rows.append([])
    cells = rows[row]
    if len(cells) <= column:
        cells.extend([""] * (column + 1 - len(cells)))
    cells[column] = value
