"""Project filing (项目申报): the reviewer's checks, the 项目申报表 forms, the 项目库汇总表, the
审核问题清单 and the 产业到户补助明细.

Stages, one module each: `subsidies` (the industry rule applied to the 到户明细 rows) → `checks`
(findings) → `form` (Word forms), `summary`, `findings_book`, `subsidy_book` (workbooks) →
`filing` (writes them all through the output folder).
"""

from .checks import RULES, Finding, Review, ReviewInputs, Rule, review_projects
from .filing import FilingResult, ProjectsOptions, file_projects, run, run_filing
from .form import FormHeading, build_form
from .subsidies import SubsidyLine, SubsidySheet, compute_subsidies

__all__ = [
    "RULES",
    "FilingResult",
    "Finding",
    "FormHeading",
    "ProjectsOptions",
    "Review",
    "ReviewInputs",
    "Rule",
    "SubsidyLine",
    "SubsidySheet",
    "build_form",
    "compute_subsidies",
    "file_projects",
    "review_projects",
    "run",
    "run_filing",
]
