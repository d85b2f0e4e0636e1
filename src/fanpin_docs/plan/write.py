"""`fanpin plan` as a library call: read the roster, build the plan, write it (and its PDF) safely."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..context import RunContext
from ..readers import load_roster
from . import PLAN_FILE, PlanResult, build_plan


@dataclass(frozen=True)
class WrittenPlan:
    result: PlanResult
    paths: tuple[Path, ...]
    notes: tuple[str, ...]  # roster warnings, for the user


def write_plan(
    context: RunContext,
    *,
    township: str | None = None,
    year: int | None = None,
    template: Path | None = None,
    pdf: bool = False,
) -> WrittenPlan:
    """Write 实施方案.docx (and 实施方案.pdf with `pdf`) into the run's output folder."""
    policy = context.require_policy()
    roster = load_roster(context.require("roster"))
    result = build_plan(policy, roster, context.settings, township=township, year=year, template=template)
    output = context.output
    targets = [PLAN_FILE] + ([Path(PLAN_FILE).with_suffix(".pdf").name] if pdf else [])
    output.guard(targets)
    if pdf:
        from ..pdf import require_pdf_tools

        require_pdf_tools()
    paths = [output.write_office(PLAN_FILE, result.document)]
    if pdf:
        from ..pdf import convert_outputs

        paths += [output.path(pdf) for pdf in convert_outputs(output, [PLAN_FILE]).pdfs]
    output.save_manifest()
    notes = tuple(problem.describe() for problem in roster.warnings)
    return WrittenPlan(result=result, paths=tuple(paths), notes=notes)
