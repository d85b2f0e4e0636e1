"""What one command run works with: settings, policy, input paths and the output folder, resolved
in one place in the order command line > fanpin.toml > defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import SettingsError
from .output import OutputDir
from .policy import Policy, load_policy, shipped_policies
from .settings import Settings, load_settings

INPUT_LABELS = {
    "roster": "户籍监测名单",
    "measures": "帮扶措施台账",
    "training": "培训考勤表",
    "projects": "项目申报表",
}


@dataclass
class RunContext:
    settings: Settings
    policy: Policy | None
    output: OutputDir
    inputs: dict[str, Path | None]
    notes: list[str] = field(default_factory=list)  # for the user: defaulted settings, assumed policy values

    def require(self, kind: str) -> Path:
        path = self.inputs.get(kind)
        if path is None:
            option = f"--{kind}"
            raise SettingsError(
                f"没有指定{INPUT_LABELS[kind]}",
                hint=f"用 {option} 给出文件，或在 fanpin.toml 的 [inputs] 中设置 {kind}",
            )
        return path

    def require_policy(self) -> Policy:
        if self.policy is None:
            names = "、".join(shipped_policies())
            raise SettingsError(
                "没有指定政策文件",
                hint=f"用 --policy 指定（内置：{names}），或在 fanpin.toml 的 [township] 中设置 policy",
            )
        return self.policy


def resolve(
    *,
    roster: Path | None = None,
    measures: Path | None = None,
    training: Path | None = None,
    projects: Path | None = None,
    policy: str | None = None,
    out: Path | None = None,
    force: bool = False,
    workspace: Path | None = None,
) -> RunContext:
    settings = load_settings(workspace)
    policy_name = policy or settings.township.policy or None
    loaded = load_policy(policy_name, search_dirs=settings.policy_dirs()) if policy_name else None
    year = settings.township.year or (loaded.year if loaded else 2024)
    output = OutputDir(settings.output_dir(out), timestamp=settings.fixed_timestamp(year), force=force)
    inputs = {
        "roster": settings.input_path("roster", roster),
        "measures": settings.input_path("measures", measures),
        "training": settings.input_path("training", training),
        "projects": settings.input_path("projects", projects),
    }
    notes = loaded.assumptions() if loaded else []
    return RunContext(settings=settings, policy=loaded, output=output, inputs=inputs, notes=notes)
