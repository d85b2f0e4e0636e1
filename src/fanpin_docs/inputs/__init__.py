"""The four kinds of input workbook in one table (`kinds`) and the blank workbooks' columns (`blank`)."""

from .kinds import FILE_NAMES, INPUT_KINDS, KINDS, LABELS, LAYOUTS, InputKind, InputSheet

__all__ = ["FILE_NAMES", "INPUT_KINDS", "KINDS", "LABELS", "LAYOUTS", "InputKind", "InputSheet"]
