"""What the 工作台 says: the command line's words (`failures.describe_failure`, the readers' problems,
a run's notes) with what a person at the command line types turned into what a person at the page does.

A hint such as 「或加 --force 覆盖」 or 「用 --period 指定季度」 names an option the page shows as a
checkbox or a field (「覆盖修改过的文件」, 「期间」); `for_the_page` rewrites those phrases, so that no
message on the page asks for a command-line option. A bug's advice (run again with --debug) means
nothing to someone in a browser; the page asks instead for what the 工作台's window shows (the server
logs the details there).

Kept free of the web framework: the run's child process (`child.py`) uses it too.
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import InputError, counted
from ..failures import Failure, describe_failure

PAGE_PROBLEMS = 20  # an input's problems listed where a run failed; the 检查 page has them all
BUG_ADVICE = "请把工作台窗口（运行 fanpin serve 的命令行窗口）里显示的内容发给维护人员。"

# the command line's phrases and the page's, the more particular first
PAGE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"或加 --force 覆盖", "或勾选「覆盖修改过的文件」后重新生成"),
        (r"加 --force", "勾选「覆盖修改过的文件」"),
        (r"--force", "「覆盖修改过的文件」"),
        (
            r"用 --policy 指定（内置：([^）]*)），或在 fanpin\.toml 的 \[township\] 中设置 policy",
            r"在下方「设置」的「适用的政策」中填写（内置：\1）",
        ),
        (r"或用 --policy 加内置政策名", "或在「设置」的「适用的政策」中填写内置政策名"),
        (r"--policy", "「设置」的「适用的政策」"),
        (r"用 --period 指定季度，如 fanpin ledger add \S+ --period (\S+)", r"在「期间」中填写季度，如 \1"),
        (r"或用 --period 指定，如 --period (\S+)", r"或在「期间」中填写季度，如 \1"),
        (r"按 --period 存为", "按填写的期间存为"),
        (r"也没有给出 --period", "也没有填写「期间」"),
        (r"--from (\S+) 应早于 --to (\S+)", r"比较的前一期 \1 应早于后一期 \2"),
        (r"或改用更早的 --from", "或选更早的一期"),
        (r"--from (\S+)：", r"前一期 \1："),
        (r"--to (\S+)：", r"后一期 \1："),
        (r"--period (\S+)：", r"期间 \1："),
        (r"用 --from 指定要比较的期间", "选择要与它比较的另一期"),
        (r"（也可用 --period 指定）", "（也可在「期间」中填写）"),
        (r"用 --start 指定公示开始日期", "在「成文日期」中填写公示开始的日期"),
        (r"fanpin plan --date", "「成文日期」"),
        (r"--date|--start", "「成文日期」"),
        (
            r"核对 --village（行政村名称）和 --household（户编号）是否与名单一致",
            "核对「只生成某村」中的村名是否与名单中的行政村一致",
        ),
        (r"--village", "「只生成某村」"),
    )
)


def for_the_page(text: str) -> str:
    """`text` with the command line's options named as the page's controls."""
    if "--" not in text:
        return text
    for pattern, replacement in PAGE_WORDS:
        text = pattern.sub(replacement, text)
    return text


def page_failure(error: BaseException) -> Failure:
    """`describe_failure(error)` in the page's words, with a bug's advice as the page gives it; of an
    input's problems, the first `PAGE_PROBLEMS` (the 检查 page lists them all, with a marked copy)."""
    failure = describe_failure(error)
    if failure.is_bug:
        return dataclasses.replace(failure, detail=f"（{type(error).__name__}）。{BUG_ADVICE}")
    if isinstance(error, InputError) and len(error.problems) > PAGE_PROBLEMS:
        shown = error.problems[:PAGE_PROBLEMS]
        lines = [f"  {i}. {p.describe()}" for i, p in enumerate(shown, 1)]
        more = (
            f"  …… 以上列出 {counted(shown):,} 处（共 {counted(error.problems):,} 处），"
            "全部问题在「检查」页逐条列出（可下载标注了问题的工作簿）"
        )
        return dataclasses.replace(failure, detail=for_the_page("\n".join([error.message, *lines, more])))
    return dataclasses.replace(failure, detail=for_the_page(failure.detail))
