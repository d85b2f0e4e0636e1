"""Policy files and the rule engine."""

from .engine import (
    Calculation,
    Case,
    LineComparison,
    MeasureResult,
    MissingInput,
    compare_with_line,
    compute,
    compute_household_measures,
    compute_training_allowance,
    describe_eligibility,
    describe_standard,
    within_household_cap,
)
from .loader import load_policy, shipped_policies
from .model import Policy, Rule

__all__ = [
    "Calculation",
    "Case",
    "LineComparison",
    "MeasureResult",
    "MissingInput",
    "Policy",
    "Rule",
    "compare_with_line",
    "compute",
    "compute_household_measures",
    "compute_training_allowance",
    "describe_eligibility",
    "describe_standard",
    "load_policy",
    "shipped_policies",
    "within_household_cap",
]
