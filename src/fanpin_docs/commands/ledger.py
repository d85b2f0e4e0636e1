"""fanpin ledger add | list | changes | audit"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import ForceOption, OutOption, PolicyOption, console, err_console, handle_errors, print_notes

if TYPE_CHECKING:
    from ..ledger import AddResult
    from ..ledger.audit import AuditReport
    from ..ledger.changes import ChangeReport
    from ..policy import Policy

ledger_app = typer.Typer(
    help="动态监测台账：每季度存入一期名单和帮扶台账，比较两期的变化，按政策的核查规则列出疑点数据。",
    no_args_is_help=True,
)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="台账数据库文件（默认：工作区的 台账.sqlite，不在工作区时在输出文件夹旁边）",
        show_default=False,
    ),
]
PeriodOption = Annotated[
    str | None, typer.Option("--period", help="期间（季度），如 2023Q2", show_default=False)
]
SHOWN = 30  # rows shown in the terminal; the workbook has them all


def register(app: typer.Typer) -> None:
    ledger_app.command("add")(handle_errors(add))
    ledger_app.command("list")(handle_errors(list_periods))
    ledger_app.command("changes")(handle_errors(changes))
    ledger_app.command("audit")(handle_errors(audit))
    app.add_typer(ledger_app, name="ledger")


def add(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="名单（国家系统导出的户籍监测名单），每个文件一期（在工作区中可不写：用 fanpin.toml 的名单和帮扶台账）",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="这份名单的期间，如 2023Q2（默认：名单「数据日期」列所在的季度）",
            show_default=False,
        ),
    ] = None,
    measures: Annotated[
        Path | None,
        typer.Option("--measures", help="同一期的帮扶措施台账（只给一个名单时可用）", show_default=False),
    ] = None,
    policy: PolicyOption = None,
    db: DbOption = None,
    out: OutOption = None,
) -> None:
    """存入一期（或几期）名单：同样的数据再存一次不会改变什么，改正后的名单替换这一期并列出改了什么。"""
    from ..context import resolve
    from ..ledger import add_to_ledger, database_path

    context = resolve(policy=policy, out=out, measures=measures)
    path = database_path(context.settings, out=out, db=db)
    add_to_ledger(context, path, files or (), period=period, measures=measures, stored=_show_added)
    console.print(f"台账：{path}", markup=False)


def list_periods(db: DbOption = None, out: OutOption = None) -> None:
    """列出台账中已存入的各期。"""
    from rich.table import Table
    from rich.text import Text

    from ..ledger import LedgerStore, database_path
    from ..settings import load_settings

    path = database_path(load_settings(), out=out, db=db)
    with LedgerStore.open(path, create=False) as store:
        periods = store.periods()
    if not periods:
        console.print(f"台账「{path}」中还没有任何一期。用 fanpin ledger add 名单.xlsx 存入。", markup=False)
        return
    table = Table(title=f"动态监测台账 {path}")
    for header in ("期间", "户数", "人数", "名单", "帮扶措施台账"):
        table.add_column(header, overflow="fold")
    for p in periods:
        table.add_row(
            *(
                Text(str(v))
                for v in (p.period, p.households, p.people, p.roster_source, p.measures_source or "—")
            )
        )
    console.print(table)


def changes(
    first: Annotated[
        str | None,
        typer.Option("--from", help="较早的一期，如 2023Q1（默认：--to 的上一期）", show_default=False),
    ] = None,
    second: Annotated[
        str | None, typer.Option("--to", help="较晚的一期（默认：最近一期）", show_default=False)
    ] = None,
    policy: PolicyOption = None,
    db: DbOption = None,
    out: OutOption = None,
    force: ForceOption = False,
) -> None:
    """比较两期：新纳入监测、风险消除、类别变化、收入低于监测线或大幅下降、成员增减和迁移、不在本期名单的户 → 动态监测变化表.xlsx。"""
    from ..context import resolve
    from ..ledger import LedgerOptions, database_path, run
    from ..ledger.changes import ChangeReport

    context = resolve(policy=policy, out=out, force=force)
    options = LedgerOptions(
        "changes", database_path(context.settings, out=out, db=db), first=first, second=second
    )
    written = run(context, options, None)
    report = written.detail
    assert isinstance(report, ChangeReport)
    _show_changes(report)
    print_notes(list(written.notes))
    _ledger_notes(context.require_policy(), audit=False)
    console.print(f"已生成「{written.files[0]}」。", markup=False)


def audit(
    period: PeriodOption = None,
    policy: PolicyOption = None,
    db: DbOption = None,
    out: OutOption = None,
    force: ForceOption = False,
) -> None:
    """按政策文件的疑点核查规则（[[audit]]）检查一期数据 → 疑点数据清单.xlsx。"""
    from ..context import resolve
    from ..ledger import LedgerOptions, database_path, run
    from ..ledger.audit import AuditReport

    context = resolve(policy=policy, out=out, force=force)
    options = LedgerOptions("audit", database_path(context.settings, out=out, db=db), period=period)
    written = run(context, options, None)
    report = written.detail
    assert isinstance(report, AuditReport)
    _show_audit(report)
    print_notes(list(written.notes))
    _ledger_notes(context.require_policy(), audit=True)
    console.print(f"已生成「{written.files[0]}」。", markup=False)


def _show_added(result: AddResult) -> None:
    from rich.markup import escape

    from ..ledger.wording import added_line, change_line

    line = added_line(result)
    if result.status == "unchanged":
        console.print(f"= {line}", markup=False)
    elif result.status == "replaced":
        assert result.changes is not None
        console.print(f"[yellow]↻[/] {escape(line)}")
        for change in result.changes.changes[:SHOWN]:
            console.print(f"    {change_line(change)}", markup=False)
        if len(result.changes.changes) > SHOWN:
            console.print(f"    …… 共 {len(result.changes.changes)} 条", markup=False)
    else:
        console.print(f"[green]✓[/] {escape(line)}")
    if result.warnings:
        err_console.print(
            f"[yellow]提示：[/]名单和台账有 {len(result.warnings)} 处提醒，用 fanpin check 查看详情"
        )
    print_notes(result.notes)


def _show_changes(report: ChangeReport) -> None:
    from rich.table import Table
    from rich.text import Text

    if report.changes:
        table = Table(title=f"动态监测变化（{report.first} → {report.second}）", show_lines=False)
        for header in ("变化", "户编号", "户主", "人员", "变化前", "变化后"):
            table.add_column(header, overflow="fold")
        for c in report.changes[:SHOWN]:
            table.add_row(*(Text(v) for v in (c.kind, c.household_id, c.head, c.person, c.before, c.after)))
        console.print(table)
        if len(report.changes) > SHOWN:
            console.print(
                f"（终端只显示前 {SHOWN} 条，共 {len(report.changes)} 条，全部见变化表）", markup=False
            )
    console.print(f"{report.first} → {report.second}：{report.summary()}", markup=False)


def _show_audit(report: AuditReport) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    if report.findings:
        table = Table(title=f"疑点数据（{report.period}）")
        for header in ("规则", "户编号", "户主", "人员", "发现情况", "应当"):
            table.add_column(header, overflow="fold")
        for f in report.findings[:SHOWN]:
            table.add_row(
                *(Text(v) for v in (f.rule.name, f.household_id, f.head, f.person, f.found, f.expected))
            )
        console.print(table)
        if len(report.findings) > SHOWN:
            console.print(
                f"（终端只显示前 {SHOWN} 条，共 {len(report.findings)} 条，全部见疑点数据清单）", markup=False
            )
    counts = "；".join(f"{rule.name} {report.count(rule)} 条" for rule in report.rules if report.count(rule))
    status = "[green]✓[/]" if not report.findings else "[yellow]![/]"
    console.print(
        f"{status} {escape(report.period)}：疑点 {len(report.findings)} 条"
        + (f"（{escape(counts)}）" if counts else "")
    )


def _ledger_notes(policy: Policy, *, audit: bool) -> None:
    """The assumed thresholds, one line per shared note rather than one per rule."""
    grouped: dict[str, list[str]] = {}
    for rule in policy.audit if audit else ():
        if rule.assumed:
            grouped.setdefault(rule.assumed_note, []).append(f"「{rule.name}」")
    notes = [f"核查规则{''.join(names)}的阈值为补充设定：{note}" for note, names in grouped.items()]
    if policy.changes.assumed and not audit:
        notes.append(policy.changes.assumption_note())
    print_notes(notes)
