"""Policy files and the rule engine."""

from .engine import (
    Calculation,
    Case,
    MeasureResult,
    MissingInput,
    compute,
    compute_household_measures,
    compute_training_allowance,
    describe_eligibility,
    describe_standard,
)
from .loader import load_policy, shipped_policies
from .model import Policy, Rule

__all__ = [
    "Calculation", "Case", "MeasureResult", "MissingInput", "Policy", "Rule", "compute",
    "compute_household_measures", "compute_training_allowance", "describe_eligibility", "describe_standard",
    "load_policy", "shipped_policies",
]
