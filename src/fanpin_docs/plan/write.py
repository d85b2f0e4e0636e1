"""`fanpin plan` as a library call: read the roster, build the plan, write it (and its PDF) safely."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..context import RunContext
from ..docdates import Limit, given, plan_date, with_date
from ..documents import Progress, Report, writing
from ..money import ZERO
from ..policy.deadlines import documents_year
from ..readers import load_projects, load_roster
from . import PLAN_FILE, PlanResult, ProjectFunds, build_plan
from .content import deadlines_of


@dataclass(frozen=True)
class WrittenPlan:
    result: PlanResult
    paths: tuple[Path, ...]
    notes: tuple[str, ...]  # roster warnings, for the user


@dataclass(frozen=True)
class PlanOptions:
    """What `fanpin plan` is asked for."""

    township: str | None = None  # --township
    year: int | None = None  # --year
    template: Path | None = None  # --template
    pdf: bool = False  # --pdf
    dated: date | None = None  # --date


def run(context: RunContext, options: PlanOptions, progress: Progress | None = None) -> Report[PlanResult]:
    """The plan family's entry point (`write_plan`); the plan's settings and counts are in `detail`."""
    written = write_plan(
        context,
        township=options.township,
        year=options.year,
        template=options.template,
        pdf=options.pdf,
        dated=options.dated,
    )
    facts = written.result.facts
    return Report(
        files=written.paths,
        notes=written.notes,
        totals={"households": facts.households, "monitored": facts.monitored},
        detail=written.result,
    )


def write_plan(
    context: RunContext,
    *,
    township: str | None = None,
    year: int | None = None,
    template: Path | None = None,
    pdf: bool = False,
    dated: date | None = None,
) -> WrittenPlan:
    """Write 实施方案.docx (and 实施方案.pdf with `pdf`) into the run's output folder. With a projects
    workbook (--projects or fanpin.toml), the plan states the 财政衔接资金 of its projects. Its date is
    `dated` (--date), else fanpin.toml's, and may not be after the first time limit the 方案 sets."""
    policy = context.require_policy()
    roster = load_roster(context.require("roster"))
    projects_path = context.inputs.get("projects")
    funds = None
    missing: list[str] = []
    if projects_path is not None and not projects_path.exists():  # optional here: the plan is still written
        missing.append(f"项目申报表「{projects_path.name}」不存在，方案中不写项目库的衔接资金")
    elif projects_path is not None:
        projects, _ = load_projects(projects_path)
        funds = ProjectFunds(
            total=sum((p.linked_funds for p in projects), ZERO),
            count=len(projects),
            source=projects_path.name,
        )
    settings = context.settings
    chosen = given(settings, dated)
    first = next(iter(deadlines_of(policy, documents_year(policy, year or settings.township.year))), None)
    limit = Limit(first.on, f"「{first.label}」") if first is not None else None
    settings = with_date(settings, plan_date(chosen, limit))
    result = build_plan(
        policy, roster, settings, township=township, year=year, template=template, projects=funds
    )
    output = context.output
    targets = [PLAN_FILE] + ([Path(PLAN_FILE).with_suffix(".pdf").name] if pdf else [])
    if pdf:  # before the folder's lock is taken: nothing written, nothing held
        from ..pdf import require_pdf_tools

        require_pdf_tools()
    with writing(output, targets):
        paths = [output.write_office(PLAN_FILE, result.document)]
        if pdf:
            from ..pdf import convert_outputs

            paths += [output.path(pdf) for pdf in convert_outputs(output, [PLAN_FILE]).pdfs]
    notes = (*missing, *(problem.describe() for problem in roster.warnings))
    return WrittenPlan(result=result, paths=tuple(paths), notes=notes)
