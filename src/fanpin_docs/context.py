"""What one command run works with: settings, policy, input paths and the output folder, resolved
in one place in the order command line > fanpin.toml > defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import SettingsError
from .inputs import INPUT_KINDS, KINDS
from .output import OutputDir
from .policy import Policy, load_policy, shipped_policies
from .settings import Settings, load_settings


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
            raise SettingsError(
                f"没有指定{KINDS[kind].label}",
                hint=f"用 {KINDS[kind].option} 给出文件，或在 fanpin.toml 的 [inputs] 中设置 {kind}",
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
    given = {"roster": roster, "measures": measures, "training": training, "projects": projects}
    inputs = {kind.key: settings.input_path(kind.key, given.get(kind.key)) for kind in INPUT_KINDS}
    notes = loaded.assumptions() if loaded else []
    return RunContext(settings=settings, policy=loaded, output=output, inputs=inputs, notes=notes)
