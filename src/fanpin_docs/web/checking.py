"""The state of the workspace's input workbooks for the 工作区 and 检查 pages: what `fanpin check` finds
in each (`check.check_workbooks`, with the workspace's policy), remembered by each file's size and
modification time so a page shows it at once and only a changed file is read again.

A workbook's result also depends on what it was checked with: the ledger and the attendance are
checked against the roster, everything against fanpin.toml and the policy files. Each kind's entry is
therefore keyed by its own file and those (`_fingerprint`); the page asks for the stale ones through
`/api/check`, which reads them (`refresh`) one request at a time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..cards.trial import check_workspace_template, workspace_template
from ..check import FileReport, already_read, check_workbooks
from ..constants import SETTINGS_FILE
from ..errors import FanpinError, Problem, TemplateError, counted
from ..inputs import INPUT_KINDS, KINDS
from ..models import MeasureRecord, Roster
from ..policy import Policy, load_policy
from ..settings import Settings, load_settings
from .wording import for_the_page, page_failure

Stat = tuple[str, int, int] | None  # (path, size, mtime in ns), None when absent
Fingerprint = tuple[Stat, ...]
NEEDS_ROSTER = frozenset({"measures", "training"})  # checked against the roster when there is one
FIRST_PROBLEMS = 5  # per workbook on the 工作区 page


def _stat(path: Path | None) -> Stat:
    if path is None:
        return None
    try:
        status = path.stat()
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    return (str(path), status.st_size, status.st_mtime_ns)


@dataclass(frozen=True)
class KindState:
    """One input workbook as the pages show it."""

    kind: str
    label: str  # 户籍监测名单
    path: Path | None  # where fanpin.toml says it is (None: not set)
    state: str  # missing / stale (检查中…) / ok / warnings / errors / unchecked (the settings are wrong)
    records: int = 0
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> int:
        return counted([p for p in self.problems if p.is_error])

    @property
    def warnings(self) -> int:
        return counted([p for p in self.problems if not p.is_error])

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else KINDS[self.kind].file_name

    @property
    def text(self) -> str:
        """「✓ 320 条记录」「2 处错误，1 处提醒」「还没有这个文件」「检查中…」"""
        if self.state == "missing":
            return "还没有这个文件"
        if self.state == "stale":
            return "检查中…"
        if self.state == "unchecked":
            return "无法检查（见上方的说明）"
        if self.state == "errors":
            extra = f"，{self.warnings:,} 处提醒" if self.warnings else ""
            return f"{self.errors:,} 处错误{extra}"
        if self.state == "warnings":
            return f"✓ {self.records} 条记录，{self.warnings:,} 处提醒"
        return f"✓ {self.records} 条记录"

    @property
    def first_problems(self) -> tuple[Problem, ...]:
        """What the 工作区 page lists under the table (the 检查 page lists them all): errors first."""
        ordered = sorted(self.problems, key=lambda p: not p.is_error)
        return tuple(ordered[:FIRST_PROBLEMS])

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "state": self.state,
            "text": self.text,
            "file": self.file_name,
            "problems": [problem_json(p) for p in self.first_problems],
            "more": len(self.problems) - len(self.first_problems),
        }


def problem_json(problem: Problem) -> dict[str, object]:
    """A problem's place and text as the pages show it (the value is already masked when it is an ID)."""
    return {
        "file": problem.file,
        "sheet": problem.sheet or "",
        "row": problem.row,
        "column": problem.column or "",
        "value": problem.value or "",
        "message": for_the_page(problem.message)
        + (f"（户编号 {problem.household}）" if problem.household else ""),
        "hint": for_the_page(problem.hint),
        "error": problem.is_error,
    }


@dataclass(frozen=True)
class TemplateState:
    """The workspace's own card template as `fanpin check` checks it (tags, and a trial card when the
    roster and the policy can be read)."""

    name: str
    state: str  # stale / ok / errors
    message: str = ""  # what is wrong, with its place (paragraph, table cell)
    notes: tuple[str, ...] = ()  # tags that were repaired, with their place

    @property
    def text(self) -> str:
        if self.state == "stale":
            return "检查中…"
        return self.message if self.state == "errors" else f"✓ {self.message}"


@dataclass
class WorkspaceState:
    """Every kind's state, the card template's (None: the workspace uses the shipped one), and what kept
    the check from running as the CLI would (a wrong fanpin.toml or policy file), in Chinese."""

    kinds: list[KindState]
    problems: list[str] = field(default_factory=list)
    template: TemplateState | None = None

    @property
    def stale(self) -> bool:
        return any(k.state == "stale" for k in self.kinds) or (
            self.template is not None and self.template.state == "stale"
        )

    def by_kind(self, kind: str) -> KindState:
        return next(k for k in self.kinds if k.kind == kind)


@dataclass
class _Entry:
    fingerprint: Fingerprint
    report: FileReport


class CheckCache:
    """The last check of each kind, for one workspace; one check runs at a time."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self._entries: dict[str, _Entry] = {}
        self._template: tuple[Fingerprint, TemplateState] | None = None
        self._lock = threading.Lock()

    def state(self) -> WorkspaceState:
        """What is known now, without reading any workbook (a changed file shows as stale)."""
        settings, policy, problems = self._settings()
        if settings is None:
            kinds = [KindState(k.key, k.label, None, "unchecked") for k in INPUT_KINDS]
            return WorkspaceState(kinds, problems)
        paths = _paths(settings)
        kinds = [self._known(kind, paths) for kind in paths]
        return WorkspaceState(kinds, problems, self._template_state(settings, paths))

    def refresh(self, *, force: bool = False) -> WorkspaceState:
        """Check every stale (or, with `force`, every) workbook now; the same check `fanpin check` runs."""
        with self._lock:
            settings, policy, problems = self._settings()
            if settings is None:
                return self.state()
            paths = _paths(settings)
            fingerprints = {kind: self._fingerprint(kind, paths) for kind in paths}
            stale = [
                kind
                for kind, path in paths.items()
                if path is not None
                and path.is_file()
                and (force or self._fresh(kind, fingerprints[kind]) is None)
            ]
            if stale:
                wanted = set(stale)
                if wanted & NEEDS_ROSTER and paths["roster"] is not None and paths["roster"].is_file():
                    wanted.add("roster")
                files = {k: [p] for k in wanted if (p := paths[k]) is not None}
                report = check_workbooks(files, policy)
                for file in report.files:
                    self._entries[file.kind] = _Entry(fingerprints[file.kind], file)
            template = self._template_state(settings, paths)
            if template is not None and (force or template.state == "stale"):
                self._template = self._check_template(settings, policy, paths)
        return self.state()

    def report_of(self, kind: str) -> FileReport | None:
        """The fresh check of `kind` (checking it first when stale); None when the file is missing."""
        current = self.refresh().by_kind(kind)
        if current.state in ("missing", "unchecked"):
            return None
        entry = self._entries.get(kind)
        return entry.report if entry is not None else None

    def _known(self, kind: str, paths: dict[str, Path | None]) -> KindState:
        path = paths[kind]
        label = KINDS[kind].label
        if path is None or not path.is_file():
            return KindState(kind, label, path, "missing")
        report = self._fresh(kind, self._fingerprint(kind, paths))
        if report is None:
            return KindState(kind, label, path, "stale")
        state = "errors" if report.errors else "warnings" if report.warnings else "ok"
        return KindState(kind, label, path, state, report.records, tuple(report.problems))

    def _template_fingerprint(self, template: Path, paths: dict[str, Path | None]) -> Fingerprint:
        return (_stat(template), *self._fingerprint("measures", paths))  # measures: it and the roster

    def _template_state(self, settings: Settings, paths: dict[str, Path | None]) -> TemplateState | None:
        template = workspace_template(settings)
        if template is None:
            return None
        known = self._template
        if known is not None and known[0] == self._template_fingerprint(template, paths):
            return known[1]
        return TemplateState(template.name, "stale")

    def _check_template(
        self, settings: Settings, policy: Policy | None, paths: dict[str, Path | None]
    ) -> tuple[Fingerprint, TemplateState] | None:
        """The same check `fanpin check` makes of the workspace's card template."""
        template = workspace_template(settings)
        if template is None:
            return None
        fingerprint = self._template_fingerprint(template, paths)
        roster, measures = (
            p if p is not None and p.is_file() else None for p in (paths["roster"], paths["measures"])
        )
        try:
            checked = check_workspace_template(
                settings, roster, measures, policy, read=self._already_read(roster, measures, paths)
            )
        except TemplateError as error:
            return fingerprint, TemplateState(template.name, "errors", str(error))
        if checked is None:
            return None
        _, repairs, tried = checked
        done = "标签都可以使用，试填一张卡正常" if tried else "标签都可以使用"
        return fingerprint, TemplateState(template.name, "ok", done, tuple(n.describe() for n in repairs))

    def _already_read(
        self, roster: Path | None, measures: Path | None, paths: dict[str, Path | None]
    ) -> tuple[Roster, list[MeasureRecord]] | None:
        """What the workbook checks read from the roster and measures ledger the trial card uses, when
        both are fresh (so the trial does not read them again); None otherwise (the trial reads)."""
        reports = []
        for kind, path in (("roster", roster), ("measures", measures)):
            if path is None:
                continue
            report = self._fresh(kind, self._fingerprint(kind, paths))
            if report is None:
                return None
            reports.append(report)
        return already_read(reports)

    def _fresh(self, kind: str, fingerprint: Fingerprint) -> FileReport | None:
        entry = self._entries.get(kind)
        return entry.report if entry is not None and entry.fingerprint == fingerprint else None

    def _fingerprint(self, kind: str, paths: dict[str, Path | None]) -> Fingerprint:
        stats = [_stat(paths[kind]), _stat(self.workspace / SETTINGS_FILE)]
        if kind in NEEDS_ROSTER:
            stats.append(_stat(paths["roster"]))
        policies = self.workspace / "policies"
        if policies.is_dir():
            stats += [_stat(path) for path in sorted(policies.glob("*.toml"))]
        return tuple(stats)

    def _settings(self) -> tuple[Settings | None, Policy | None, list[str]]:
        """The workspace's settings and policy as `fanpin check` loads them; a wrong fanpin.toml stops
        every check, a wrong policy file only the checks by policy (said in `problems`)."""
        try:
            settings = load_settings(self.workspace)
        except FanpinError as error:
            return None, None, [page_failure(error).text]
        if not settings.township.policy:
            return settings, None, []
        try:
            policy = load_policy(settings.township.policy, search_dirs=settings.policy_dirs())
        except FanpinError as error:
            note = "，台账和考勤只检查了格式，没有按政策规则检查"
            return settings, None, [page_failure(error).text + note]
        return settings, policy, []


def _paths(settings: Settings) -> dict[str, Path | None]:
    return {kind.key: settings.input_path(kind.key, None) for kind in INPUT_KINDS}


def checks_of(app_state: object) -> CheckCache:
    """The application's CheckCache (made by `create_app`)."""
    cache: CheckCache = app_state.checks  # type: ignore[attr-defined]
    return cache
