"""One generate run as a front end other than the command line asks for it (the 工作台's 生成 buttons).

A `GenerateRequest` names what to make (`cards`, `training`, `projects`, `plan` or `notices`) and the few
options a clerk sets (成文日期, 同时生成 PDF, 只生成某村, 覆盖修改过的文件); `request_from` checks them
the way the commands check theirs. `generate` then makes exactly the calls the matching commands make —
`context.resolve(...)`, the family's `run(context, options, progress)`, and with PDF `convert_outputs` —
so the files are the commands' files, byte for byte. `notices` runs each of `fanpin notice training`,
`industry` and `allowance` whose workbooks the workspace has.

    request = request_from({"kind": "cards", "villages": "红岩村"})
    summary = generate(Path("青山镇"), request, progress=lambda done, total: ..., phase=print)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .context import RunContext, resolve
from .dates import given_date
from .documents import Progress, Report
from .errors import SettingsError
from .inputs import KINDS
from .summaries import cards_summary, plan_summary, projects_summary, training_summary


@dataclass(frozen=True)
class Generator:
    """One 生成 button: the command it stands for and which options it takes."""

    key: str
    label: str  # 明白卡: the button reads 生成明白卡
    commands: str  # the command line it does the same as
    dated: bool = False  # takes a 成文日期
    villages: bool = False  # takes 只生成某村


GENERATORS: dict[str, Generator] = {
    g.key: g
    for g in (
        Generator("cards", "明白卡", "fanpin cards", villages=True),
        Generator("training", "培训文书", "fanpin training", dated=True),
        Generator("projects", "项目申报", "fanpin projects"),
        Generator("plan", "实施方案", "fanpin plan", dated=True),
        Generator("notices", "通知公示", "fanpin notice training / industry / allowance", dated=True),
    )
}

# each notice command and the workbooks it reads: (key, label, input kinds)
NOTICES = (
    ("training", "培训班开班通知", ("training",)),
    ("industry", "产业到户补助公示", ("roster", "measures")),
    ("allowance", "培训误工补贴公示", ("training",)),
)


@dataclass(frozen=True)
class GenerateRequest:
    """What one press of a 生成 button asks for."""

    kind: str
    dated: date | None = None  # 成文日期 (--date; for 产业到户补助公示 its --start, also its 成文日期)
    pdf: bool = False  # 同时生成 PDF (--pdf)
    villages: tuple[str, ...] = ()  # 只生成某村 (--village)
    force: bool = False  # 覆盖生成后被修改过的文件 (--force)

    @property
    def generator(self) -> Generator:
        return GENERATORS[self.kind]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["dated"] = self.dated.isoformat() if self.dated else None
        data["villages"] = list(self.villages)
        return data


def request_from(data: Mapping[str, Any]) -> GenerateRequest:
    """A request from a form's fields (strings, booleans); SettingsError naming the field when one is
    wrong, before anything runs."""
    kind = str(data.get("kind") or "")
    if kind not in GENERATORS:
        names = "、".join(f"生成{g.label}" for g in GENERATORS.values())
        raise SettingsError(f"不认识要生成的文书「{kind}」", hint=f"可以生成：{names}")
    generator = GENERATORS[kind]
    dated = _date(data.get("dated"), "成文日期") if generator.dated else None
    villages = _villages(data.get("villages")) if generator.villages else ()
    return GenerateRequest(
        kind=kind, dated=dated, pdf=_flag(data.get("pdf")), villages=villages, force=_flag(data.get("force"))
    )


def _date(value: Any, name: str) -> date | None:
    """A date field of a form: empty is not given; else checked as the commands check --date."""
    text = str(value).strip() if value is not None else ""
    return given_date(text, name) if text else None


def _villages(value: Any) -> tuple[str, ...]:
    """「红岩村、石门村」, 「红岩村，石门村」 or a list: each village once, in the order given."""
    if value is None:
        return ()
    parts = value if isinstance(value, list | tuple) else [value]
    names: list[str] = []
    for part in parts:
        text = str(part)
        for separator in "、，,;；\n":
            text = text.replace(separator, " ")
        names += text.split()
    return tuple(dict.fromkeys(names))


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


@dataclass
class Summary:
    """What a finished run tells its user: a line per total, the notes, the files written (relative to
    the output folder) and the time taken."""

    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, context: RunContext, report: Report[Any], *, notes: list[str] | None = None) -> None:
        root = context.output.root
        written = (
            path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            for path in report.files
        )
        self.files = list(dict.fromkeys([*self.files, *written]))  # each once, in order
        if report.outdated.removed:
            self.lines.append(report.outdated.summary())
        for note in [*(notes if notes is not None else report.notes), *report.outdated.notes()]:
            if note not in self.notes:
                self.notes.append(note)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


Phase = Callable[[str], None]


def generate(workspace: Path, request: GenerateRequest, *, progress: Progress, phase: Phase) -> Summary:
    """Make what `request` asks for in `workspace`, as the matching commands would; `phase` is told
    each step's name, `progress(done, total)` how far it is."""
    started = time.perf_counter()
    summary = Summary()
    if request.pdf:
        from .pdf import require_pdf_tools

        require_pdf_tools()  # before anything is written, as --pdf does
    runner = _RUNNERS[request.kind]
    runner(workspace, request, summary, progress, phase)
    summary.seconds = round(time.perf_counter() - started, 1)
    return summary


def _context(workspace: Path, request: GenerateRequest) -> RunContext:
    return resolve(workspace=workspace, force=request.force)


def _pdfs(
    context: RunContext, report: Report[Any], summary: Summary, progress: Progress, phase: Phase
) -> None:
    """What --pdf does after a command wrote its documents (cards and plan convert their own)."""
    from .pdf import convert_outputs

    phase("转换 PDF")
    converted = convert_outputs(context.output, report.files, done=progress)
    summary.files = list(dict.fromkeys([*summary.files, *converted.pdfs]))
    summary.lines.append(f"PDF {len(converted.pdfs)} 个")


def _cards(
    workspace: Path, request: GenerateRequest, summary: Summary, progress: Progress, phase: Phase
) -> None:
    from .cards import CardsOptions, run
    from .ledger import income_source

    context = _context(workspace, request)
    phase("生成明白卡")
    options = CardsOptions(
        villages=request.villages, pdf=request.pdf, income_source=income_source(context), phase=phase
    )
    ran = run(context, options, progress)
    report = ran.detail
    assert report is not None  # always given by cards.run
    summary.lines += cards_summary(report, pdf=request.pdf)
    summary.notes += [f"模板修复：{note.describe()}" for note in report.repairs]
    summary.add(context, ran)


def _training(
    workspace: Path, request: GenerateRequest, summary: Summary, progress: Progress, phase: Phase
) -> None:
    from .training import TrainingOptions, run

    context = _context(workspace, request)
    phase("生成培训文书")
    ran = run(context, TrainingOptions(dated=request.dated), progress)
    result = ran.detail
    assert result is not None  # only a publicity_only run has no detail
    summary.lines += training_summary(result)
    summary.add(context, ran)
    if request.pdf:
        _pdfs(context, ran, summary, progress, phase)


def _projects(
    workspace: Path, request: GenerateRequest, summary: Summary, progress: Progress, phase: Phase
) -> None:
    from .projects import ProjectsOptions, run

    context = _context(workspace, request)
    phase("生成项目申报")
    ran = run(context, ProjectsOptions(), progress)
    result = ran.detail
    assert result is not None  # always given by projects.run
    review = result.review
    summary.lines.append(f"{projects_summary(review)}（见「审核问题清单」）")
    findings = [f"{f.place}：{f.rule.title}：{f.found}；应当：{f.expected}" for f in review.findings]
    summary.add(context, ran, notes=[*findings, *review.skipped, *result.notes])
    if request.pdf:
        _pdfs(context, ran, summary, progress, phase)


def _plan(
    workspace: Path, request: GenerateRequest, summary: Summary, progress: Progress, phase: Phase
) -> None:
    from .plan import PlanOptions, run

    context = _context(workspace, request)
    phase("编写实施方案")
    ran = run(context, PlanOptions(pdf=request.pdf, dated=request.dated), progress)
    result = ran.detail
    assert result is not None  # always given by plan.run
    summary.lines.append(plan_summary(result))
    summary.add(
        context, ran, notes=[*context.notes, *ran.notes, *(f"默认设置：{d}" for d in result.defaulted)]
    )


def _notices(
    workspace: Path, request: GenerateRequest, summary: Summary, progress: Progress, phase: Phase
) -> None:
    from . import notices
    from .training import TrainingOptions
    from .training import run as run_training

    inputs = _context(workspace, request).inputs
    available = [
        (key, label)
        for key, label, kinds in NOTICES
        if all((path := inputs.get(kind)) is not None and path.is_file() for kind in kinds)
    ]
    if not available:
        needed = "、".join(dict.fromkeys(KINDS[kind].label for _, _, kinds in NOTICES for kind in kinds))
        raise SettingsError("工作区中没有生成通知公示所需的工作簿", hint=f"先在工作区上传{needed}")
    for key, label in available:
        context = _context(workspace, request)  # one per command, as each `fanpin notice …` resolves its own
        phase(label)
        report: Report[Any]
        if key == "allowance":
            report = run_training(
                context, TrainingOptions(dated=request.dated, publicity_only=True), progress
            )
        elif key == "industry":
            report = notices.run(context, notices.NoticeOptions("industry", start=request.dated), progress)
        else:
            report = notices.run(context, notices.NoticeOptions("training", dated=request.dated), progress)
        summary.lines.append(f"{label}：{len(report.files)} 个文件")
        summary.add(context, report, notes=[*context.notes, *report.notes])
        if request.pdf:
            _pdfs(context, report, summary, progress, phase)


_RUNNERS: dict[str, Callable[[Path, GenerateRequest, Summary, Progress, Phase], None]] = {
    "cards": _cards,
    "training": _training,
    "projects": _projects,
    "plan": _plan,
    "notices": _notices,
}
