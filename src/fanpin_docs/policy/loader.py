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
    "title": "标题",
    "county": "县区",
    "year": "年度",
    "sources": "来源文件",
    "monitoring_line": "监测线",
    "rules": "规则",
    "name": "措施名称",
    "description": "政策表述",
    "lead_unit": "牵头单位",
    "source": "来源",
    "formula": "计算方式",
    "rate": "比例",
    "cap": "上限",
    "unit_amount": "单价",
    "eligibility": "享受条件",
    "household_categories": "享受的户类别",
    "person_categories": "享受的人员类别",
    "audit": "疑点核查规则",
    "check": "核查项",
    "changes": "变化表设定",
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
    text, origin, key = read_policy_file(str(name_or_path), search_dirs)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(
            f"政策文件「{origin}」格式错误：{exc}",
            hint="按 TOML 格式修改（字符串加引号，每条规则以 [[rules]] 开头）",
        ) from None
    try:
        policy = Policy.model_validate({**data, "key": key})
    except ValidationError as exc:
        errors = _real_errors(exc.errors())
        lines = [f"政策文件「{origin}」有 {len(errors)} 处错误："]
        for error in errors:
            lines.append(f"  · {_where(data, error['loc'])}：{_message(error)}")
        raise PolicyError("\n".join(lines), hint="按提示修改政策文件后重试") from None
    return policy


def _real_errors(errors: list) -> list:
    """Pydantic also reports "the list is empty" for a list whose items all failed; keep the items' errors."""
    with_failed_items = {
        tuple(e["loc"][:i]) for e in errors for i, step in enumerate(e["loc"]) if isinstance(step, int)
    }
    return [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in with_failed_items)]


def _text(path: Path, origin: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PolicyError(
            f"政策文件「{origin}」不是 UTF-8 编码", hint="用记事本或 VS Code 打开，另存为 UTF-8 编码后重试"
        ) from None


def read_policy_file(name: str, search_dirs: tuple[Path, ...] = ()) -> tuple[str, str, str]:
    """The text of the policy `name` names (a path, a file in `search_dirs`, or a shipped policy), where
    it was found and its key; PolicyError when there is none. Not yet checked (`load_policy` does)."""
    path = Path(name)
    if path.suffix.lower() in {".toml"} or path.parent != Path("."):
        if not path.is_file():
            raise PolicyError(
                f"找不到政策文件「{path}」", hint="检查路径，或用 --policy 加内置政策名，如 qianjiang-2023"
            )
        return _text(path, str(path)), str(path), path.stem
    for folder in search_dirs:
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return _text(candidate, str(candidate)), str(candidate), name
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
    if kind == "finite_number":  # nan, inf (read as Decimal NaN, Infinity)
        written = str(error.get("input")).lower().replace("infinity", "inf")
        return f"应为实际的数字（不能写 nan 或 inf），实际为「{written}」"
    if kind == "int_from_float":
        return f"应为整数，实际为「{error.get('input')}」"
    if kind == "literal_error":
        # pydantic lists the choices as "'a', 'b' or 'c'"
        expected = str(error["ctx"]["expected"]).replace("' or '", "', '")
        return f"取值不对，应为 {expected} 之一，实际为「{error.get('input')}」"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    context = error.get("ctx") or {}
    if kind == "too_short":
        return f"至少要有 {context.get('min_length', 1)} 项"
    if kind == "string_too_short":
        return "不能为空"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        bound = next(iter(context.values()), "")
        words = {
            "greater_than": "大于",
            "greater_than_equal": "不小于",
            "less_than": "小于",
            "less_than_equal": "不大于",
        }
        return f"应{words[kind]} {bound}，实际为「{error.get('input')}」"
    if kind in {"bool_parsing", "bool_type"}:
        return f"应为 true 或 false，实际为「{error.get('input')}」"
    if kind in {"string_type", "tuple_type", "list_type", "dict_type", "model_type"}:
        shape = {
            "string_type": "加引号的文字",
            "dict_type": "一个设置段落",
            "model_type": "一个设置段落",
        }.get(kind, '列表，如 ["甲", "乙"]')
        return f"应为{shape}，实际为「{error.get('input')}」"
    return f"取值「{error.get('input')}」不对，请对照内置政策文件（fanpin policies）的写法修改"
