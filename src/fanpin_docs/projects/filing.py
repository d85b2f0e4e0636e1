"""`file_projects()`: from the projects workbook to the filing documents under 项目申报/.

    result = file_projects(projects, subsidies, policy=policy, settings=settings, output=output)
    result.review.findings   # what a county reviewer would refuse, project by project

Findings never stop the documents. Files are written only through `OutputDir` (atomic, manifest).
A run makes the whole filing, so what an earlier run wrote under 项目申报/ and this one did not (the
form of a project no longer in the workbook, the subsidy sheet when 到户明细 is gone) is removed,
unless a user edited it since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..context import RunContext
from ..dates import chinese_date
from ..documents import Progress, Report, writing
from ..errors import Problem
from ..filenames import clean
from ..gongwen.issuer import township_of, working_year
from ..models import HouseholdSubsidy, Project, Roster
from ..output import Outdated, OutputDir
from ..policy import Policy, year_note
from ..readers import load_projects, load_roster
from ..settings import Settings
from .checks import Review, ReviewInputs, review_projects
from .findings_book import build_findings
from .form import FormHeading, build_form
from .sheets import BatchHeading
from .subsidies import SubsidySheet, compute_subsidies
from .subsidy_book import build_subsidy_book
from .summary import build_summary

FOLDER = "项目申报"
FORMS_FOLDER = f"{FOLDER}/项目申报表"
SUMMARY_FILE = f"{FOLDER}/项目库汇总表.xlsx"
FINDINGS_FILE = f"{FOLDER}/审核问题清单.xlsx"
SUBSIDY_FILE = f"{FOLDER}/产业到户补助明细.xlsx"


@dataclass(frozen=True)
class FilingResult:
    review: Review
    files: tuple[Path, ...]
    subsidies: SubsidySheet | None
    notes: tuple[str, ...]  # for the user: what was not produced or not checked, and why
    outdated: Outdated = Outdated()  # an earlier run's files this run no longer makes


def form_file_names(projects: Sequence[Project]) -> list[str]:
    """`项目申报/项目申报表/01_项目名称.docx`, numbered in sheet order (two projects may share a name)."""
    digits = max(2, len(str(len(projects))))
    names = []
    for number, project in enumerate(projects, start=1):
        safe = clean(project.name, fallback="项目")
        names.append(f"{FORMS_FOLDER}/{number:0{digits}d}_{safe}.docx")
    return names


def batch_heading(settings: Settings, policy: Policy, projects: Sequence[Project]) -> BatchHeading:
    township = township_of(settings, {p.township for p in projects if p.township})
    documents = settings.documents
    return BatchHeading(
        county=settings.township.county or policy.county,
        township=township,
        year=working_year(settings, policy),
        policy_title=policy.title,
        prepared_by=documents.prepared_by,
        reviewed_by=documents.reviewed_by,
        responsible=documents.responsible,
    )


def file_projects(
    projects: Sequence[Project],
    subsidies: Sequence[HouseholdSubsidy],
    *,
    policy: Policy,
    settings: Settings,
    output: OutputDir,
    roster: Roster | None = None,
) -> FilingResult:
    """Check the filing and write the forms, the summary, the findings and (with 到户明细) the subsidies."""
    sheet, notes = compute_subsidies(policy, subsidies, roster)
    if sheet is not None and sheet.rule.assumed:
        notes.append(sheet.rule.assumption_note())
    notes += year_notes(settings, policy)
    review = review_projects(
        projects,
        ReviewInputs(
            policy=policy, allocation=settings.allocation, subsidies=sheet, year=settings.township.year
        ),
    )
    heading = batch_heading(settings, policy, projects)
    form_names = form_file_names(projects)
    written: list[Path] = []
    with writing(output, [*form_names, SUMMARY_FILE, FINDINGS_FILE] + ([SUBSIDY_FILE] if sheet else [])):
        form_heading = FormHeading(county=heading.county, year=heading.year)
        for name, project in zip(form_names, projects, strict=True):
            written.append(output.write_office(name, build_form(project, form_heading)))
        summary, cached = build_summary(projects, review, heading)
        written.append(output.write_workbook(SUMMARY_FILE, summary, cached))
        written.append(output.write_workbook(FINDINGS_FILE, build_findings(review, heading)))
        if sheet is not None:
            date_text = chinese_date(settings.documents.date) if settings.documents.date else ""
            book, cached = build_subsidy_book(sheet, heading, [p.name for p in projects], date_text)
            written.append(output.write_workbook(SUBSIDY_FILE, book, cached))
        outdated = output.remove_outdated(FOLDER)
    notes += outdated.notes()
    return FilingResult(review, tuple(written), sheet, tuple(notes), outdated)


def year_notes(settings: Settings, policy: Policy) -> list[str]:
    """A reminder when the workspace's year is not the policy's: the deadlines are moved to the working
    year, as in the 实施方案."""
    note = year_note(policy, settings.township.year)
    return [note] if note else []


@dataclass(frozen=True)
class ProjectsOptions:
    """What `fanpin projects` is asked for: its inputs and output are all in the run's context."""


def run(
    context: RunContext, options: ProjectsOptions, progress: Progress | None = None
) -> Report[FilingResult]:
    """The projects family's entry point (`run_filing`); the review's findings are in `detail`."""
    result = run_filing(context)
    return Report(
        files=result.files,
        notes=result.notes,
        outdated=result.outdated,
        totals={"projects": result.review.project_count, "findings": len(result.review.findings)},
        detail=result,
    )


def run_filing(context: RunContext) -> FilingResult:
    """`file_projects` with the inputs, policy, settings and output folder of a command run."""
    policy = context.require_policy()
    warnings: list[Problem] = []
    projects, subsidies = load_projects(context.require("projects"), warnings=warnings)
    roster = None
    roster_path = context.inputs.get("roster")
    if subsidies and policy.rule_for("industry") is not None and roster_path is not None:
        roster = load_roster(roster_path)  # each household must be in it; the categories come from it
    result = file_projects(
        projects, subsidies, policy=policy, settings=context.settings, output=context.output, roster=roster
    )
    return replace(result, notes=(*(w.describe() for w in warnings), *result.notes))
