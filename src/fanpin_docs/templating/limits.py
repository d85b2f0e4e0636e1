"""What a user's template may cost: every document renders in bounded time and memory.

A template is a program written by whoever edits the .docx. The sandbox already keeps it away from
Python internals; this module also keeps it from exhausting the machine:

- `range()` yields at most `MAX_RANGE` items, and all `range()` calls of one document together at most
  `MAX_ITERATIONS` (nested loops over `range(100000)` are refused, not run);
- `**`, `*`, `+`, `%`, `~`, the string methods and filters that build long values (`center`, `ljust`,
  `replace`, `join`, `indent`, `batch`, …) are checked before they run: no value longer than
  `MAX_TEXT` characters or items, no integer longer than `MAX_INT_BITS` bits (`7**(7**10)` is refused
  before Python starts computing it);
- the output of one document part, and of each macro or `{% set %}`/`{% filter %}` block, is at most
  `MAX_OUTPUT` characters, and rendering one part takes at most
  `MAX_SECONDS` (enforced with a timer signal when rendering in a process's main thread, as the card
  workers and the command line do; elsewhere between output pieces).

A template over a bound raises `RenderLimit`; `rendering.render_part` turns it into a located
`TemplateError`.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

MAX_RANGE = 10_000
MAX_ITERATIONS = 200_000
MAX_TEXT = 1_000_000
MAX_INT_BITS = 4_096
MAX_OUTPUT = 20_000_000
MAX_SECONDS = 10.0

_PERCENT_WIDTH = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_SPEC = re.compile(r"\{[^{}]*\}")


class RenderLimit(SecurityError):
    """A template asked for more than a document may cost; the message is Chinese."""


def _refuse(what: str) -> RenderLimit:
    return RenderLimit(what)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple | bytes) else None


def _check_int(value: Any, what: str) -> None:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _refuse(f"{what}得到的数太大")


def _check_text(size: int, what: str) -> None:
    if size > MAX_TEXT:
        raise _refuse(f"{what}会得到 {size:,} 个字符（或元素），超过每个值 {MAX_TEXT:,} 的上限")


def _check_percent(template: Any, what: str) -> None:
    """`'%*d' % (10**9, 1)` or `'%999999999d'`: refuse widths that make a long string."""
    if not isinstance(template, str):
        return
    for match in _PERCENT_WIDTH.finditer(template):
        for width in match.groups():
            if width == "*" or (width is not None and int(width) > MAX_TEXT):
                raise _refuse(f"{what}中的宽度「{match.group(0)}」太大或不确定")


def _check_format(template: str, args: Iterable[Any]) -> None:
    """`'{:>999999999}'.format(x)` and nested widths given as arguments."""
    for field in _FORMAT_SPEC.findall(template):
        if any(len(digits) > 6 for digits in re.findall(r"\d+", field)):
            raise _refuse(f"format 中的宽度「{field}」太大")
    if "{" in template and any(
        isinstance(arg, int) and abs(arg) > MAX_TEXT for arg in args if not isinstance(arg, bool)
    ):
        raise _refuse("format 的参数太大")


def bounded_binop(op: str, left: Any, right: Any) -> None:
    """Raise RenderLimit if `left op right` would build a value over the bounds."""
    if op == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            bits = max(left.bit_length(), 1) * right
            if abs(left) > 1 and bits > MAX_INT_BITS:
                raise _refuse(f"乘方 {_short(left)}**{_short(right)} 的结果太大")
    elif op == "*":
        ints = isinstance(left, int) and isinstance(right, int)
        if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise _refuse("乘法的结果太大")
        for sequence, count in ((left, right), (right, left)):
            size = _length(sequence)
            if size is not None and isinstance(count, int):
                _check_text(size * count, f"重复「{_short(sequence)}」{_short(count)} 次")
    elif op == "+":
        sizes = (_length(left), _length(right))
        if sizes[0] is not None and sizes[1] is not None:
            _check_text(sizes[0] + sizes[1], "连接两个值")
    elif op == "%":
        _check_percent(left, "格式化")


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value) if isinstance(value, int) else "…"
    if isinstance(value, int) and value.bit_length() > 64:
        return "一个很大的数"
    return text if len(text) <= 20 else text[:17] + "…"


# --- string methods and filters that build long values ---------------------------------------


def _check_str_method(name: str, text: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    if name in ("ljust", "rjust", "center", "zfill") and args and isinstance(args[0], int):
        _check_text(args[0], f"{name}({_short(args[0])})")
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            _check_text(len(text) + max(size, 0) * text.count("\t"), "expandtabs")
    elif name == "replace" and len(args) >= 2:
        _check_text(_replaced_size(text, args[0], args[1], args[2] if len(args) > 2 else -1), "replace")
    elif name in ("format", "format_map"):
        _check_format(text, [*args, *kwargs.values()])


def _replaced_size(text: Any, old: Any, new: Any, count: Any = -1) -> int:
    text, old, new = str(text), str(old), str(new)
    found = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _joined(separator: str, items: Iterable[Any]) -> list[Any]:
    listed = []
    size = 0
    for item in items:
        listed.append(item)
        size += len(item) if isinstance(item, str) else 0
        _check_text(size + len(separator) * (len(listed) - 1), "join")
    return listed


def _bounded_filters() -> dict[str, Callable[..., Any]]:
    def center(value: Any, width: int = 80) -> Any:
        _check_text(width if isinstance(width, int) else 0, "center")
        return FILTERS["center"](value, width)

    def indent(value: Any, width: int | str = 4, *args: Any, **kwargs: Any) -> Any:
        per_line = width if isinstance(width, int) else len(str(width))
        _check_text(len(str(value)) + per_line * (str(value).count("\n") + 1), "indent")
        return FILTERS["indent"](value, width, *args, **kwargs)

    def replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: Any = None) -> Any:
        _check_text(_replaced_size(value, old, new, -1 if count is None else count), "replace")
        return FILTERS["replace"](eval_ctx, value, old, new, count)

    def do_format(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_percent(value, "format")
        return FILTERS["format"](value, *args, **kwargs)

    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = value if attribute is not None else _joined(str(d), value)
        return FILTERS["join"](eval_ctx, items, d, attribute)

    def batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        if isinstance(linecount, int) and linecount > MAX_RANGE:
            raise _refuse(f"batch({_short(linecount)}) 太大")
        return FILTERS["batch"](value, linecount, fill_with)

    def do_slice(value: Any, slices: int, fill_with: Any = None) -> Any:
        if isinstance(slices, int) and slices > MAX_RANGE:
            raise _refuse(f"slice({_short(slices)}) 太大")
        return FILTERS["slice"](value, slices, fill_with)

    for wrapper, name in ((replace, "replace"), (join, "join")):
        wrapper.jinja_pass_arg = FILTERS[name].jinja_pass_arg  # type: ignore[union-attr]
    return {
        "center": center,
        "indent": indent,
        "replace": replace,
        "format": do_format,
        "join": join,
        "batch": batch,
        "slice": do_slice,
    }


# --- the environment --------------------------------------------------------------------------


class _Buffer(list[Any]):
    """Where a macro or a `{% set %}`/`{% filter %}` block collects its output: bounded as it grows."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def append(self, item: Any) -> None:
        self.size += len(item) if isinstance(item, str) else 0
        if self.size > MAX_OUTPUT:
            raise _refuse(f"宏或 set、filter 块的内容超过 {MAX_OUTPUT:,} 个字符的上限")
        super().append(item)

    def extend(self, items: Iterable[Any]) -> None:
        for item in items:
            self.append(item)


class _BoundedCodeGenerator(CodeGenerator):
    """`a ~ b` goes through the environment, which checks the length of the result; the output of a
    macro or block is collected in a `_Buffer`."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.new_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


_DICT_ATTRIBUTES = frozenset(dir(dict))  # what getattr finds on a plain dict instance (it has no __dict__)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with every operation that could build a huge value checked first."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = self.bounded_range
        self.globals["lipsum"] = _bounded_lipsum
        self.filters.update(_bounded_filters())
        self.concat = self.bounded_buffer  # type: ignore[method-assign]
        self.iterations = 0

    @staticmethod
    def new_buffer() -> _Buffer:
        return _Buffer()

    def bounded_buffer(self, pieces: Iterable[str]) -> str:
        """What a macro, `{% set %}…{% endset %}` block or `{% filter %}` block produced, joined."""
        listed = list(pieces)
        size = sum(len(piece) for piece in listed)
        if size > MAX_OUTPUT:
            raise _refuse(f"宏或 set、filter 块的内容超过 {MAX_OUTPUT:,} 个字符的上限")
        return "".join(listed)

    def bounded_range(self, *args: int) -> range:
        items = range(*args)
        if len(items) > MAX_RANGE:
            raise _refuse(f"range 有 {len(items):,} 项，超过 {MAX_RANGE:,} 的上限")
        self.iterations += len(items)
        if self.iterations > MAX_ITERATIONS:
            raise _refuse(f"循环次数超过每份文档 {MAX_ITERATIONS:,} 次的上限（range 套 range？）")
        return items

    def bounded_concat(self, value: str) -> str:
        _check_text(len(value), "用 ~ 连接")
        return value

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`x.name` on a plain dict: the sandbox tries the attribute first and, when the dict has none
        (so for every field of a context), takes the item after catching that failure. A name no dict
        has is looked up as the item straight away: the same value, without raising and catching."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        bounded_binop(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        _check_int(result, "计算")
        return result

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        target = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            name = getattr(target, "__name__", "")
            if name == "join" and args:
                args = (_joined(owner, args[0]), *args[1:])
            else:
                _check_str_method(name, owner, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n > 100 or max > 1000:
        raise _refuse("lipsum 的段数或长度太大")
    return generate_lorem_ipsum(n, html, min, max)


# --- one render -------------------------------------------------------------------------------


class RenderTimeout(RenderLimit):
    pass


def render_bounded(env: BoundedEnvironment, template: Any, context: Mapping[str, Any]) -> str:
    """Render within the bounds: iterations counted per call, output size and time checked."""
    env.iterations = 0
    pieces: list[str] = []
    size = 0
    deadline = time.monotonic() + MAX_SECONDS
    with _alarm(MAX_SECONDS):
        for piece in template.generate(context):
            pieces.append(piece)
            size += len(piece)
            if size > MAX_OUTPUT:
                raise _refuse(f"填好的文档超过 {MAX_OUTPUT:,} 个字符的上限")
            if time.monotonic() > deadline:
                raise RenderTimeout(f"填写一份文档超过 {MAX_SECONDS:g} 秒")
    return "".join(pieces)


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """A timer signal that interrupts a render running too long (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(*_: object) -> None:
        raise RenderTimeout(f"填写一份文档超过 {seconds:g} 秒（循环太多？）")

    previous = signal.signal(signal.SIGALRM, expire)
    remaining = signal.setitimer(signal.ITIMER_REAL, seconds)[0]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if remaining:
            signal.setitimer(signal.ITIMER_REAL, remaining)


__all__ = [
    "MAX_ITERATIONS",
    "MAX_OUTPUT",
    "MAX_RANGE",
    "MAX_SECONDS",
    "MAX_TEXT",
    "BoundedEnvironment",
    "RenderLimit",
    "RenderTimeout",
    "render_bounded",
]
