"""Readers for the four input workbooks. Each returns validated models or raises InputError."""

from .measures import load_measures
from .projects import load_projects
from .roster import load_roster
from .training import load_training

__all__ = ["load_measures", "load_projects", "load_roster", "load_training"]
