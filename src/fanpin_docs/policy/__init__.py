"""Policy files and the rule engine."""

from .deadlines import DeadlineKind, deadline, documents_year, year_note
from .engine import (
    Calculation,
    Case,
    LineComparison,
    MissingInput,
    compare_with_line,
    compute,
    compute_training_allowance,
    describe_eligibility,
    describe_standard,
    within_household_cap,
)
from .household import MeasureResult, compute_household_measures
from .loader import load_policy, shipped_policies
from .model import Policy, Rule

__all__ = [
    "Calculation",
    "Case",
    "DeadlineKind",
    "LineComparison",
    "MeasureResult",
    "MissingInput",
    "Policy",
    "Rule",
    "compare_with_line",
    "compute",
    "compute_household_measures",
    "compute_training_allowance",
    "deadline",
    "describe_eligibility",
    "describe_standard",
    "documents_year",
    "load_policy",
    "shipped_policies",
    "within_household_cap",
    "year_note",
]
