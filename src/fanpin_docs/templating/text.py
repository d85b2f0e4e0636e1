"""Editable text templates of 公文 wording (实施方案, 通知, 公示), rendered in a sandboxed Jinja environment
(the .docx templates of the cards are `templating.loading`'s).

The shipped defaults are in `fanpin_docs/templates/` (e.g. `实施方案.txt`); a file of the same name
in a workspace's `templates/` (or `--template`) replaces it. Rendering gives marked-up text (see the template's header) that
`gongwen.OfficialDocument.render_marked` lays out. The text is not XML: python-docx escapes it when
it is written, so autoescaping is off here (it would print 「&amp;」).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SecurityError

from ..errors import TemplateError
from .limits import BoundedEnvironment, RenderLimit, render_bounded


def find_text_template(given: Path | None, template_dirs: tuple[Path, ...], name: str) -> tuple[str, str]:
    """(template text, where it came from): `given`, else `name` in a workspace's templates/, else the
    shipped default of that name."""
    if given is not None:
        if not given.is_file():
            raise TemplateError(f"找不到模板文件「{given}」", hint="检查 --template 给出的路径")
        return _read(given), str(given)
    for folder in template_dirs:
        candidate = folder / name
        if candidate.is_file():
            return _read(candidate), str(candidate)
    shipped = resources.files("fanpin_docs") / "templates" / name
    return shipped.read_text(encoding="utf-8"), f"{name}（内置）"


def _read(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Notepad on a Chinese Windows may save in GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TemplateError(f"模板「{path}」不是 UTF-8 或 GBK 编码的文本", hint="用记事本另存为 UTF-8 编码")


def render_text_template(text: str, origin: str, context: dict[str, Any]) -> str:
    """Render in the bounded sandbox with StrictUndefined: an unknown field is an error naming it, not a
    blank; a template that would loop, compute or print without end is refused (`templating.limits`)."""
    environment = BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    known = "、".join(sorted(context))
    try:
        template = environment.from_string(text)
        return render_bounded(environment, template, context)
    except TemplateSyntaxError as error:
        raise TemplateError(
            f"模板「{origin}」第 {error.lineno} 行语法错误：{error.message}",
            hint="检查 {{ }} 和 {% %} 是否成对",
        ) from None
    except UndefinedError as error:
        raise TemplateError(
            f"模板「{origin}」使用了没有的字段：{error.message}",
            hint=f"可用的字段：{known}（见内置模板开头的说明）",
        ) from None
    except RenderLimit as error:
        raise TemplateError(
            f"模板「{origin}」超出了生成一份文书的限度：{error}", hint="去掉模板中过大的循环、计算或重复文字"
        ) from None
    except SecurityError as error:
        raise TemplateError(
            f"模板「{origin}」包含不允许的操作：{error}", hint="模板中只能使用数据字段和简单的循环、判断"
        ) from None
    except JinjaError as error:
        raise TemplateError(f"模板「{origin}」无法生成：{error}", hint="按提示修改模板") from None
    except (TypeError, ValueError, ArithmeticError) as error:  # e.g. arithmetic on a text field
        raise TemplateError(
            f"模板「{origin}」中的表达式无法计算：{error}", hint="检查模板中的计算和过滤器"
        ) from None
