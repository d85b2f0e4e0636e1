"""fanpin demo"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..constants import DEMO_HOUSEHOLDS
from ._common import console, handle_errors

if TYPE_CHECKING:
    from ..demo import DemoWorkspace
    from ._demo_runner import CommandRun


def register(app: typer.Typer) -> None:
    app.command("demo")(handle_errors(demo))


def demo(
    out: Annotated[Path, typer.Option("--out", help="演示工作区文件夹")] = Path("demo"),
    households: Annotated[
        int, typer.Option("--households", min=10, max=50000, help="演示乡镇的户数")
    ] = DEMO_HOUSEHOLDS,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="--out 不是空文件夹、也不是演示工作区时仍在其中生成演示（不是演示生成的文件一律不覆盖）",
        ),
    ] = False,
) -> None:
    """生成一个虚构但贴近实际的演示乡镇（名单、台账、培训、项目），并在其上运行 check 和现有的全部文书命令。"""
    from ..cli import app  # the app this command is registered on, with every command it has
    from ..demo import build_demo_workspace
    from ..settings import load_settings
    from ._demo_runner import plan_runs, run_in

    workspace = build_demo_workspace(out, force=force, households=households)
    _describe(workspace)
    runs, missing = plan_runs(app, ("check",))
    document_runs, not_yet = plan_runs(app)
    output_dir = load_settings(workspace.root).output_dir(None)
    done = []
    for run in [*runs, *document_runs]:
        if not run.note:
            console.print(f"\n[bold]── {run.label} ──[/]")
        done += run_in(app, workspace.root, output_dir, [run])
    _summarise(done, not_yet, output_dir)
    if any(run.exit_code not in (0, None) for run in done):
        raise typer.Exit(1)


def _describe(workspace: DemoWorkspace) -> None:
    town = workspace.township
    people = sum(len(h.members) for h in town.households)
    monitored = [h for h in town.households if h.monitored]
    unresolved = sum(h.unresolved for h in monitored)
    villages = len({h.village.name for h in town.households})
    console.print(f"演示乡镇：{town.county}{town.township}（数据纯属虚构），政策 {town.policy.key}")
    console.print(
        f"  {villages} 个行政村，{len(town.households)} 户 {people} 人；监测户 {len(monitored)} 户，"
        f"其中风险未消除 {unresolved} 户"
    )
    console.print(
        f"  帮扶措施 {len(town.measures)} 条；培训班 {len(town.classes)} 个、学员 {len(town.trainees)} 人；"
        f"项目 {len(town.projects)} 个、到户明细 {len(town.subsidies)} 户"
    )
    console.print(f"工作区：{workspace.root}（fanpin.toml 和 {len(workspace.inputs)} 个输入工作簿）")


def _summarise(runs: list[CommandRun], not_yet: list[str], output_dir: Path) -> None:
    console.print("\n[bold]演示结果[/]")
    for run in runs:
        if run.note:
            console.print(f"  [yellow]-[/] {run.label}：{run.note}")
            continue
        mark = "[green]✓[/]" if run.ok else "[red]✗[/]"
        status = "完成" if run.ok else f"失败（退出码 {run.exit_code}）"
        folders = Counter(path.parts[0] for path in run.files if len(path.parts) > 1)
        where = "、".join(
            [
                *(f"{name}/（{count} 个）" for name, count in folders.items()),
                *(path.name for path in run.files if len(path.parts) == 1),
            ]
        )
        produced = f"，生成 {len(run.files)} 个文件：{where}" if run.files else ""
        console.print(f"  {mark} {run.label}：{status}{produced}")
    if not_yet:
        console.print(f"  [yellow]-[/] 尚未提供的文书命令：{'、'.join(not_yet)}")
    console.print(f"输出文件夹：{output_dir}")
