"""Rendering one part of a loaded template within the bounds, every failure a located TemplateError.

Whatever a template does while it is filled in — a filter given a bad argument, a loop that would run
for hours, a value that would fill the memory — ends as a Chinese message naming the template, the
paragraph or table cell, and the tag (found from the line Jinja was rendering), never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from jinja2 import Template
from jinja2 import TemplateError as JinjaError

from ..errors import TemplateError
from .limits import BoundedEnvironment, RenderLimit, render_bounded
from .source import DocxSource, TagNote, tag_at

# what a user's template expression may raise while rendering (a filter given a bad argument, …)
TEMPLATE_RUNTIME_ERRORS = (JinjaError, TypeError, ValueError, ArithmeticError, LookupError)
_LIMIT_HINT = (
    "模板中不要用很大的循环、乘方或重复（如 range(100000) 套 range、7**(7**10)、'x'*10**10），改好后重新运行"
)


def render_located(
    env: BoundedEnvironment,
    template: Template,
    context: Mapping[str, Any],
    *,
    source: DocxSource,
    part: str,
    line_offset: int = 0,
) -> str:
    """`template` (compiled from `source.parts[part]`, starting `line_offset` lines into it) rendered
    with `context` within the bounds of `limits`."""
    error: BaseException
    try:
        return render_bounded(env, template, context)
    except RenderLimit as exc:
        reason, hint, error = f"超出了模板允许的运算量：{exc}", _LIMIT_HINT, exc
    except RecursionError as exc:
        reason, hint, error = "宏或循环无休止地调用自己", _LIMIT_HINT, exc
    except MemoryError as exc:
        reason, hint, error = "填写时内存不足", _LIMIT_HINT, exc
    except TEMPLATE_RUNTIME_ERRORS as exc:
        reason, error = f"填写数据时出错：{_jinja_message(exc)}", exc
        hint = "检查这个标签中的字段和过滤器；改好后重新运行"
    tag, where = "", ""
    line = _template_line(error.__traceback__)
    if line is not None and part in source.parts:
        tag, where = tag_at(source.parts[part], line + line_offset)
    note = TagNote(source.name, part, where or "正文", tag or "标签", reason)
    raise TemplateError(note.describe(), hint=hint) from None


def _template_line(traceback: TracebackType | None) -> int | None:
    """The template line Jinja was rendering (its rewritten traceback has frames named <template>)."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


_MESSAGES = (
    (re.compile(r"'(\w+)' is undefined"), r"「\1」没有定义"),
    (re.compile(r"'[^']*' has no attribute '(\w+)'"), r"数据中没有「\1」"),
    (
        re.compile(r"access to attribute '(\w+)' of '\w+' object is unsafe\.?"),
        r"模板中不能使用「\1」（沙盒不允许）",
    ),
    (re.compile(r"No filter named '(\w+)'\.?"), r"没有名为「\1」的过滤器"),
    (re.compile(r"No test named '(\w+)'\.?"), r"没有名为「\1」的测试"),
)


def _jinja_message(exc: BaseException) -> str:
    message = str(exc)
    for pattern, chinese in _MESSAGES:
        message = pattern.sub(chinese, message)
    return message
