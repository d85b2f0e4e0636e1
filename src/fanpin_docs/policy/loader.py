"""Finding and validating policy files: `--policy NAME` (shipped) or `--policy PATH` (a user's file)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from ..errors import PolicyError
from .model import Policy

_FIELD_NAMES = {
    "title": "标题", "county": "县区", "year": "年度", "sources": "来源文件", "monitoring_line": "监测线",
    "rules": "规则", "name": "措施名称", "description": "政策表述", "lead_unit": "牵头单位", "source": "来源",
    "formula": "计算方式", "rate": "比例", "cap": "上限", "unit_amount": "单价", "eligibility": "享受条件",
}


def shipped_policies() -> dict[str, str]:
    """Shipped policy names → titles."""
    folder = resources.files("fanpin_docs") / "policies"
    names = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            names[entry.name.removesuffix(".toml")] = data.get("title", "")
    return names


def load_policy(name_or_path: str | Path, *, search_dirs: tuple[Path, ...] = ()) -> Policy:
    """A policy by shipped name (`qianjiang-2023`), by name in `search_dirs` (a workspace's
    `policies/`), or by path to a .toml file."""
    text, origin, key = _read(str(name_or_path), search_dirs)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"政策文件「{origin}」格式错误：{exc}",
                          hint="按 TOML 格式修改（字符串加引号，每条规则以 [[rules]] 开头）") from None
    try:
        policy = Policy.model_validate({**data, "key": key})
    except ValidationError as exc:
        lines = [f"政策文件「{origin}」有 {exc.error_count()} 处错误："]
        for error in exc.errors():
            lines.append(f"  · {_where(data, error['loc'])}：{_message(error)}")
        raise PolicyError("\n".join(lines), hint="按提示修改政策文件后重试") from None
    return policy


def _read(name: str, search_dirs: tuple[Path, ...]) -> tuple[str, str, str]:
    path = Path(name)
    if path.suffix.lower() in {".toml"} or path.parent != Path("."):
        if not path.is_file():
            raise PolicyError(f"找不到政策文件「{path}」", hint="检查路径，或用 --policy 加内置政策名，如 qianjiang-2023")
        return path.read_text(encoding="utf-8"), str(path), path.stem
    for folder in search_dirs:
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8"), str(candidate), name
    shipped = resources.files("fanpin_docs") / "policies" / f"{name}.toml"
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8"), f"{name}（内置）", name
    available = "、".join(shipped_policies())
    raise PolicyError(f"没有名为「{name}」的政策", hint=f"内置政策有：{available}；也可给出 .toml 文件路径")


def _where(data: dict, loc: tuple) -> str:
    parts: list[str] = []
    node: object = data
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
            label = node.get("name") if isinstance(node, dict) else None
            parts.append(f"第 {step + 1} 条" + (f"「{label}」" if label else ""))
        elif isinstance(step, str):
            parts.append(f"{step}（{_FIELD_NAMES[step]}）" if step in _FIELD_NAMES else step)
            node = node.get(step) if isinstance(node, dict) else None
    return " → ".join(parts) or "整个文件"


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "缺少此项"
    if kind == "extra_forbidden":
        return "不认识的设置项（拼写错误？）"
    if kind in {"decimal_parsing", "decimal_type", "int_parsing", "int_type"}:
        return f"应为数字，实际为「{error.get('input')}」"
    if kind == "literal_error":
        return f"取值不对，应为 {error['ctx']['expected']}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return error["msg"]
