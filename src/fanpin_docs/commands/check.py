"""fanpin check"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, SettingsError, counted
from ._common import (
    MeasuresOption,
    PolicyOption,
    ProjectsOption,
    RosterOption,
    TrainingOption,
    console,
    handle_errors,
    print_notes,
)

if TYPE_CHECKING:
    from ..check import CheckReport
    from ..policy import Policy
    from ..settings import Settings


def register(app: typer.Typer) -> None:
    app.command("check")(handle_errors(check))


def check(
    files: Annotated[
        list[Path] | None, typer.Argument(help="要检查的工作簿（自动识别类型）", show_default=False)
    ] = None,
    roster: RosterOption = None,
    measures: MeasuresOption = None,
    training: TrainingOption = None,
    projects: ProjectsOption = None,
    policy: PolicyOption = None,
    mark: Annotated[
        Path | None,
        typer.Option(
            "--mark",
            help="另存一份标注了问题的工作簿：问题单元格标红并附批注（只检查一个文件时可用）",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="--mark 的标注文件已存在时覆盖它（从不覆盖被检查的文件）")
    ] = False,
) -> None:
    """检查输入工作簿：列出所有问题（文件、工作表、行、列、原值、处理办法），有错误时退出码为 1。"""
    from ..readers.kept import keeping_opened

    with keeping_opened():  # a file opened to detect its kind is read from memory, not opened again
        _check(files, roster, measures, training, projects, policy, mark, force)


def _check(
    files: list[Path] | None,
    roster: Path | None,
    measures: Path | None,
    training: Path | None,
    projects: Path | None,
    policy: str | None,
    mark: Path | None,
    force: bool,
) -> None:
    from rich.markup import escape

    from ..check import KIND_LABELS, check_mark_target, check_workbooks, detect_kind, mark_workbook
    from ..inputs import KINDS
    from ..settings import load_settings

    given = {"roster": roster, "measures": measures, "training": training, "projects": projects}
    by_kind: dict[str, list[Path]] = {k: [] for k in KIND_LABELS}
    for kind, path in given.items():
        if path is not None:
            by_kind[kind].append(path)
    for path in files or []:
        by_kind[detect_kind(path)].append(path)
    settings = load_settings()
    if not any(by_kind.values()):
        for kind in KIND_LABELS:
            path = settings.input_path(kind, None)
            if path is not None:
                by_kind[kind].append(path)
    if not any(by_kind.values()):
        raise SettingsError(
            "没有要检查的文件",
            hint=f"给出工作簿路径，如 fanpin check {KINDS['roster'].file_name}，或在工作区中运行",
        )
    all_paths = [p for paths in by_kind.values() for p in paths]
    if mark is not None and len(all_paths) != 1:
        raise SettingsError("--mark 只能在检查一个文件时使用", hint="每次检查一个文件并标注")
    if mark is not None:
        check_mark_target(all_paths[0], mark, force=force)

    policy_name = policy or settings.township.policy
    rules = None
    if policy_name:
        from ..policy import load_policy

        rules = load_policy(policy_name, search_dirs=settings.policy_dirs())
    report = check_workbooks(by_kind, rules)
    if rules is None and (by_kind["measures"] or by_kind["training"]):
        print_notes(["没有指定政策（--policy），台账和考勤只检查了格式，没有按政策规则检查"])
    for file in report.files:
        label = KIND_LABELS[file.kind]
        name = escape(file.path.name)  # a file name may contain [brackets] that rich would take as markup
        if not file.problems:
            console.print(f"[green]✓[/] {label}「{name}」：没有发现问题（{file.records} 条记录）")
            continue
        status = "[red]✗[/]" if file.errors else "[yellow]![/]"
        console.print(
            f"{status} {label}「{name}」：{counted(file.errors):,} 处错误，{counted(file.warnings):,} 处提醒"
        )
        for number, problem in enumerate(file.problems, 1):
            tag = "错误" if problem.is_error else "提醒"
            console.print(f"  {number}. [{tag}] {problem.describe()}", markup=False)
    template_ok = _check_card_template(settings, by_kind, rules, report)
    if mark is not None:
        file = report.files[0]
        count = mark_workbook(file.path, file.problems, mark)
        console.print(f"已另存标注文件「{escape(str(mark))}」，标出 {count} 个单元格。")
    if not report.ok or not template_ok:
        raise typer.Exit(1)


def _check_card_template(
    settings: Settings, by_kind: dict[str, list[Path]], rules: Policy | None, report: CheckReport
) -> bool:
    """The workspace's own 明白卡 template, checked as `fanpin cards` checks it (tags and a trial card).
    The card package (docx, openpyxl, numpy) is imported only when there is such a template."""
    from rich.markup import escape

    from ..constants import CARD_TEMPLATE_NAME

    if not any((folder / CARD_TEMPLATE_NAME).is_file() for folder in settings.template_dirs()):
        return True
    from ..cards.trial import check_workspace_template
    from ..check import already_read
    from ..errors import TemplateError

    roster = by_kind["roster"][0] if by_kind["roster"] else None
    measures = by_kind["measures"][0] if by_kind["measures"] else None
    try:
        checked = check_workspace_template(settings, roster, measures, rules, read=already_read(report.files))
    except TemplateError as error:
        console.print("[red]✗[/] 明白卡模板：")
        console.print(f"  {error}", markup=False)
        return False
    if checked is not None:
        path, repairs, tried = checked
        done = "标签都可以使用，试填一张卡正常" if tried else "标签都可以使用"
        console.print(f"[green]✓[/] 明白卡模板「{escape(path.name)}」：{done}")
        for number, note in enumerate(repairs, 1):
            console.print(f"  {number}. [提醒] {note.describe()}", markup=False)
    return True


__all__ = ["check", "register", "InputError"]
