"""Checking a template before any batch: every Jinja error and every field the data does not
provide, each with the template's name, the paragraph or table cell, and the tag."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from .rendering import environment
from .source import BODY_PART, DocxSource, TagNote, TemplatePart, tag_at

_JINJA_GLOBALS = {
    "range",
    "dict",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "loop",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
}
_BLOCKS = ("for", "if", "with", "macro", "filter", "call", "block")
ANY: Any = object()  # a value whose fields are not checked (set by {% set %} or a macro)


def check_template(
    source: DocxSource,
    fields: Mapping[str, Any],
    *,
    shared_fields: Sequence[str] | None = None,
    env: SandboxedEnvironment | None = None,
) -> list[TagNote]:
    """Raise TemplateError listing every Jinja error and unknown field; return the repairs made.

    `fields` describes the data (dict: its keys; [dict]: a list of such items; anything else: a value).
    Page headers, footers and footnotes are shared by every household of a merged print file, so with
    `shared_fields` they may only use those top-level fields.
    """
    env = env or environment()
    problems = list(source.problems)
    for part in source.parts.values():
        try:
            tree = env.parse(part.source)
        except TemplateSyntaxError as exc:
            tag, where = tag_at(part, exc.lineno or 1)
            stray = re.search(r"unknown tag '(end\w+)'", exc.message or "")
            if "end of template" in (exc.message or "") and (block := _unclosed_block(part)):
                tag, where = block
            elif stray and (end := _stray_end(part, stray.group(1))):
                tag, where, reason = end
                problems.append(TagNote(source.name, part.name, where, tag, f"模板语法错误：{reason}"))
                continue
            problems.append(
                TagNote(source.name, part.name, where, tag, f"模板语法错误：{_syntax_message(exc)}")
            )
            continue
        allowed = (
            fields
            if part.name == BODY_PART or shared_fields is None
            else {k: v for k, v in fields.items() if k in shared_fields}
        )
        for line, name, known in _unknown_fields(tree, allowed):
            tag, where = tag_at(part, line, containing=name.split(".")[-1])
            if part.name != BODY_PART and shared_fields is not None and name.split(".")[0] in fields:
                message = (
                    f"页眉、页脚中只能使用全村相同的字段（{'、'.join(shared_fields)}），不能使用「{name}」"
                )
            else:
                message = f"数据中没有字段「{name}」（字段名写错了？）"
                if known:
                    owner = f"「{name.rsplit('.', 1)[0]}」中" if "." in name else ""
                    message += f"；{owner}可用的字段有：{known}"
            problems.append(TagNote(source.name, part.name, where, tag, message))
        problems += _unknown_filters_and_tests(source, part, tree, env)
        if not any(p.part == part.name for p in problems):
            problems += _compile_problems(source, part, env)
    if problems:
        listed = "\n".join(f"  {i}. {p.describe()}" for i, p in enumerate(problems, 1))
        hint = "在 Word/WPS 中按位置修改这些标签后保存，再重新运行"
        raise TemplateError(
            f"模板「{source.name}」有 {len(problems)} 处问题，没有生成任何文件：\n{listed}", hint=hint
        )
    return list(source.repairs)


def _unclosed_block(part: TemplatePart) -> tuple[str, str] | None:
    """The innermost for/if tag left without its endfor/endif."""
    stack: list[tuple[str, str, str]] = []
    for line in part.line_tags:
        for tag, location in line:
            words = tag.strip("{%}- ").split()
            if not words:
                continue
            if words[0] in _BLOCKS:
                stack.append((words[0], tag, location))
            elif words[0].startswith("end") and stack and stack[-1][0] == words[0][3:]:
                stack.pop()
    return (stack[-1][1], stack[-1][2]) if stack else None


def _stray_end(part: TemplatePart, word: str) -> tuple[str, str, str] | None:
    """(tag, location, what is wrong) for the first `{% endif %}` (for word "endif") that closes
    nothing, or closes the wrong block."""
    stack: list[str] = []
    for line in part.line_tags:
        for tag, location in line:
            words = tag.strip("{%}- ").split()
            if not words:
                continue
            if words[0] in _BLOCKS:
                stack.append(words[0])
            elif words[0].startswith("end"):
                if stack and stack[-1] == words[0][3:]:
                    stack.pop()
                elif words[0] == word:
                    if stack:
                        reason = (
                            f"这里应当先结束前面的「{{% {stack[-1]} %}}」（写 {{% end{stack[-1]} %}}），"
                            f"但写的是「{{% {word} %}}」"
                        )
                    else:
                        reason = f"多出的「{{% {word} %}}」，前面没有与它对应的「{{% {word[3:]} … %}}」"
                    return tag, location, reason
    return None


def _unknown_filters_and_tests(
    source: DocxSource, part: TemplatePart, tree: nodes.Template, env: SandboxedEnvironment
) -> list[TagNote]:
    """`{{ x|default_if_none("") }}`, `{% if x is blank %}`: a filter or test Jinja does not have."""
    found = []
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        assert isinstance(node, nodes.Filter | nodes.Test)
        is_filter = isinstance(node, nodes.Filter)
        known = env.filters if is_filter else env.tests
        if node.name in known:
            continue
        tag, where = tag_at(part, node.lineno, containing=node.name)
        kind = "过滤器" if is_filter else "测试（is 后面的词）"
        message = f"没有名为「{node.name}」的{kind}；可用的{kind[:3]}有：{'、'.join(sorted(known))}"
        found.append(TagNote(source.name, part.name, where, tag, message))
    return found


def _compile_problems(source: DocxSource, part: TemplatePart, env: SandboxedEnvironment) -> list[TagNote]:
    """Whatever else Jinja refuses when it compiles the part (checked after parsing and the fields)."""
    try:
        env.compile(part.source)
    except TemplateSyntaxError as exc:  # includes TemplateAssertionError
        tag, where = tag_at(part, exc.lineno or 1)
        return [TagNote(source.name, part.name, where, tag, f"模板错误：{_syntax_message(exc)}")]
    return []


def _syntax_message(exc: TemplateSyntaxError) -> str:
    message = exc.message or ""
    known = {
        "Unexpected end of template": "模板结束了，但 for/if 没有对应的 endfor/endif",
        "unexpected '}'": "多了一个「}」",
        "expected token 'end of print statement'": "{{ }} 中的内容不是一个字段名或表达式",
        "Encountered unknown tag": "不认识的标签",
    }
    for english, chinese in known.items():
        if english in message:
            return f"{chinese}（{message}）"
    return message


def _unknown_fields(tree: nodes.Template, fields: Mapping[str, Any]) -> list[tuple[int, str, str]]:
    """(line, dotted name, the fields that were there instead) for every field the template reads that
    `fields` does not describe."""
    found: list[tuple[int, str, str]] = []
    _Scope(found).visit(tree, dict(fields))
    return found


class _Scope:
    """Walks a Jinja AST with the names in scope (data fields, loop variables, {% set %} names)."""

    def __init__(self, found: list[tuple[int, str, str]]) -> None:
        self.found = found

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.resolve(node.iter, scope)
            inner = dict(scope)
            item = self.resolve(node.iter, scope, report=False)
            self.bind(node.target, _item_of(item), inner)
            inner["loop"] = ANY
            if node.test is not None:
                self.resolve(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.resolve(node.node, scope)
            else:
                for child in node.body:
                    self.visit(child, scope)
            self.bind(node.target, ANY, scope)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock | nodes.With):
            inner = dict(scope)
            for name in node.find_all(nodes.Name):
                if name.ctx in ("store", "param"):
                    inner[name.name] = ANY
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
            for child in node.iter_child_nodes():
                self.visit(child, inner)
            return
        if isinstance(node, nodes.Expr):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, Any], *, report: bool = True) -> Any:
        """The description of what an expression yields; unknown names are reported once."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in _JINJA_GLOBALS and report:
                self.found.append((node.lineno, node.name, _listing(scope)))
            return ANY
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            key = (
                node.attr
                if isinstance(node, nodes.Getattr)
                else (node.arg.value if isinstance(node.arg, nodes.Const) else None)
            )
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const) and report:
                self.resolve(node.arg, scope)
            parent = self.resolve(node.node, scope, report=report)
            if parent is ANY or key is None:
                return ANY
            if isinstance(parent, Mapping):
                if key in parent:
                    return parent[key]
                if report:
                    self.found.append((node.lineno, f"{_dotted(node.node)}.{key}", _listing(parent)))
                return ANY
            if isinstance(parent, list) and isinstance(key, int):
                return _item_of(parent)
            if report:
                self.found.append((node.lineno, f"{_dotted(node.node)}.{key}", ""))
            return ANY
        if report:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.resolve(child, scope)
                else:
                    self.visit(child, scope)
        return ANY


def _listing(fields: Mapping[str, Any]) -> str:
    """`name（姓名）、id（身份证号）` for the fields of a mapping whose values describe them."""
    shown = []
    for name, value in fields.items():
        if name == "loop" or value is ANY:
            continue
        label = value if isinstance(value, str) else ("列表" if isinstance(value, list) else "分组")
        shown.append(f"{name}（{label}）")
    return "、".join(shown)


def _item_of(value: Any) -> Any:
    if isinstance(value, list) and value:
        return value[0]
    return ANY


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}.{node.arg.value}"
    return "…"
