"""`fanpin check`: validate input workbooks, report every problem, optionally mark the bad cells."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, Problem
from .inputs import INPUT_KINDS, LABELS
from .models import MeasureRecord, Roster
from .readers import load_projects, load_roster, load_training
from .readers.headers import find_header
from .readers.opening import scan_xlsx
from .readers.together import finish_measures, measures_aside
from .readers.workbook import open_workbook, read_table
from .text import header_key, normalize_text

if TYPE_CHECKING:  # openpyxl (and numpy under it) is loaded only when a workbook is marked
    from openpyxl.styles import PatternFill

    from .policy import Policy

KIND_LABELS = LABELS  # the workbooks by kind, in the order they are checked (the roster first)
MARK_COLOR = "FFC7CE"
MARK_MAX_CELLS = 2_000_000  # openpyxl holds the whole workbook to mark it: a bound on its memory


@dataclass
class FileReport:
    path: Path
    kind: str
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    read: object = None  # what its reader returned (the Roster, the measure records), when it read the file

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass
class CheckReport:
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(not f.errors for f in self.files)


def detect_kind(path: Path) -> str:
    """Which of the four workbooks a file is, from its headers: the kind whose required columns it has,
    else the kind it comes closest to (at least half of its required columns, two or more), so that
    reading it names the missing column (a roster without 行政村 is still a roster)."""
    sheets = open_workbook(path, keep_for_reading=True)  # read again from memory by its loader
    closest: tuple[float, str] | None = None
    for kind in sorted(INPUT_KINDS, key=lambda k: k.detect_rank):
        try:
            read_table(path, kind.columns, sheets=sheets)
        except InputError:
            required = sum(1 for c in kind.columns if c.required)
            # hidden sheets count too: a roster kept on a hidden sheet only is told so by its reader
            every = [*sheets.values(), *sheets.hidden.values()]
            found = max((find_header(rows, kind.columns)[2] for rows in every), default=0)
            if found >= 2 and found * 2 >= required and (closest is None or found / required > closest[0]):
                closest = (found / required, kind.key)
            continue
        return kind.key
    if closest is not None:
        return closest[1]
    if not any(normalize_text(cell) for rows in sheets.values() for row in rows for cell in row):
        raise InputError(
            [
                Problem(
                    path.name,
                    "工作簿是空的，没有任何数据",
                    hint="确认选择了正确的文件，或把数据粘贴到第一个工作表",
                )
            ]
        )
    raise InputError(
        [
            Problem(
                path.name,
                f"看不出是哪一种工作簿（{'、'.join(LABELS.values())}的必需列都不全）",
                hint="用 fanpin init 生成的空白表核对表头，或用 "
                + "/".join(kind.option for kind in INPUT_KINDS)
                + " 指明类型",
            )
        ]
    )


def check_workbooks(files: dict[str, list[Path]], policy: Policy | None = None) -> CheckReport:
    """Check the workbooks given by kind; the roster (if any) is read first so the others can refer to it.

    With a policy, the ledger and the attendance are also checked against its rules, as `cards` and
    `training` would apply them (a computed measure without its base, a class without the date the
    age rule needs, …), so that a file `check` passes is not refused later.
    """
    reports: list[FileReport] = []
    roster: Roster | None = None
    warnings: list[Problem] = []

    def measures(path: Path) -> int:
        records = finish_measures(aside if path == aside_path else None, path, roster, warnings=warnings)
        reports[-1].read = records
        if policy is not None and roster is not None:
            from .cards.data import compute_lines

            compute_lines(policy, roster.households, records, path.name)
        return len(records)

    def training(path: Path) -> int:
        classes, trainees = load_training(path, roster, warnings=warnings)
        if policy is not None:
            from .training.payments import compute_payments

            compute_payments(policy, classes, trainees, roster=roster, source=path.name)
        return len(trainees)

    loaders: dict[str, Callable[[Path], int]] = {
        "measures": measures,
        "training": training,
        "projects": lambda p: len(load_projects(p, warnings=warnings)[0]),
    }
    # a large measures ledger is parsed in another process while the roster is read (`readers.together`)
    ledgers = files.get("measures", [])
    aside_path = ledgers[0] if files.get("roster") and len(ledgers) == 1 else None
    with measures_aside(aside_path) as aside:
        for kind in KIND_LABELS:
            for path in files.get(kind, []):
                report = FileReport(path, kind)
                reports.append(report)
                try:
                    if kind == "roster":
                        loaded = load_roster(path)
                        report.read = loaded
                        roster = roster or loaded
                        report.records = len(loaded.households)
                        report.problems = list(loaded.warnings)
                    else:
                        warnings.clear()
                        report.records = loaders[kind](path)
                        report.problems = list(warnings)
                except InputError as error:
                    report.problems = error.problems + error.warnings
    return CheckReport(reports)


@cache
def _red() -> PatternFill:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=MARK_COLOR)


def __getattr__(name: str) -> object:
    """`RED`, the fill of a marked cell, made when first asked for (it needs openpyxl)."""
    if name == "RED":
        return _red()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_mark_target(source: Path, target: Path, *, force: bool) -> None:
    """Refuse a --mark target that is the checked file itself, is not an .xlsx name, or already exists
    (without --force): the marked copy must never replace anything of the user's silently."""
    from .errors import SettingsError

    if target.suffix.lower() != ".xlsx":
        raise SettingsError(
            f"标注文件「{target.name}」的扩展名应为 .xlsx",
            hint="给出以 .xlsx 结尾的新文件名，如 --mark 名单-标注.xlsx",
        )
    same = target.resolve() == source.resolve()
    if not same and target.exists() and source.exists():
        try:
            same = target.samefile(source)
        except OSError:
            same = False
    if same:
        raise SettingsError(
            f"标注文件不能是被检查的文件本身「{source.name}」",
            hint="给出另一个文件名，如 --mark 名单-标注.xlsx；原文件保持不变",
        )
    if target.is_dir():
        raise SettingsError(
            f"「{target}」是一个文件夹", hint="给出标注文件的文件名，如 --mark 名单-标注.xlsx"
        )
    if target.exists() and not force:
        raise SettingsError(
            f"标注文件「{target}」已经存在，没有覆盖",
            hint="换一个文件名，或确认不再需要它后加 --force 覆盖",
        )


def mark_workbook(source: Path, problems: list[Problem], target: Path) -> int:
    """Copy `source` to `target` with each problem's cell filled red and the problem in a comment.

    Problems without a row (a missing column, say) are noted on the header row's first cell.
    Returns the number of cells marked.
    """
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.utils.exceptions import InvalidFileException

    from .errors import OutputError
    from .output import write_atomic

    if source.suffix.lower() not in {".xlsx", ".xlsm"}:
        raise OutputError(
            f"无法标注「{source.name}」：只能标注 .xlsx 工作簿",
            hint="在 Excel/WPS 中另存为「Excel 工作簿 (.xlsx)」后再用 --mark",
        )
    try:
        scans = scan_xlsx(source)  # bounded, no DOCTYPE: what openpyxl is given is safe to load
    except InputError as error:
        raise OutputError(
            f"无法标注「{source.name}」：{error.problems[0].message}，没有生成标注文件",
            hint="先按上面的提示修好文件，再用 --mark",
        ) from None
    cells = sum(scan.rows * scan.columns for scan in scans.values())
    if cells > MARK_MAX_CELLS:
        raise OutputError(
            f"无法标注「{source.name}」：工作簿太大（约 {cells // 10000} 万个单元格），"
            f"标注只用于 {MARK_MAX_CELLS // 10000} 万个单元格以内的工作簿，没有生成标注文件",
            hint="按上面列出的行、列修改；或把数据分成几个较小的工作簿分别检查和标注",
        )
    try:
        book = load_workbook(source)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        SyntaxError,  # an XML part that does not parse (lxml's XMLSyntaxError is one)
    ):  # damaged or foreign file
        raise OutputError(
            f"无法标注「{source.name}」：Excel 打不开这个文件，没有生成标注文件",
            hint="先按上面的提示修好文件，再用 --mark",
        ) from None
    marked = 0
    notes: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        sheet = book[problem.sheet] if problem.sheet in book.sheetnames else book.worksheets[0]
        coordinate = _cell_of(sheet, problem)
        notes.setdefault((sheet.title, coordinate), []).append(
            problem.message + (f"。处理办法：{problem.hint}" if problem.hint else "")
        )
    for (title, coordinate), texts in notes.items():
        cell = book[title][coordinate]
        cell.fill = _red()
        cell.comment = Comment("\n".join(texts), "fanpin 检查", width=320, height=40 + 40 * len(texts))
        marked += 1
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(target, buffer.getvalue())
    return marked


def _cell_of(sheet, problem: Problem) -> str:
    row = problem.row or 1
    if problem.column:
        for header_row in range(1, 31):
            for cell in sheet[header_row]:
                if cell.value is not None and header_key(cell.value) == header_key(problem.column):
                    return f"{cell.column_letter}{row}"
    return f"A{row}"


def already_read(files: Sequence[FileReport]) -> tuple[Roster, list[MeasureRecord]] | None:
    """The first roster and the first measures ledger as the checks read them, for the trial card (which
    reads those same files); None when either could not be read (the trial then reads and fails as before)."""
    rosters = [f for f in files if f.kind == "roster"]
    measures = [f for f in files if f.kind == "measures"]
    if not rosters or not isinstance(rosters[0].read, Roster):
        return None
    records = measures[0].read if measures else []
    if not isinstance(records, list):
        return None
    return rosters[0].read, records
