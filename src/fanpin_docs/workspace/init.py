"""`fanpin init`: a township's workspace folder.

A workspace holds `fanpin.toml` (the township's settings, with a Chinese comment on
every setting), the four input workbooks, and copies of the default templates and the shipped
policies that the office may edit. Commands run inside it need no arguments.

Nothing a user may have filled in is ever overwritten: an existing `fanpin.toml` is refused unless
`force`, and existing workbooks, templates and policy files are kept as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import BaseModel

from ..errors import SettingsError
from ..inputs import INPUT_KINDS
from ..inputs.blank import GIVEN_MEASURES
from ..output import write_atomic
from ..policy import Policy, load_policy
from ..settings import SETTINGS_FILE, SettingsFile
from .layout import INPUT_FILES, build_workbook, workbook_bytes

TEMPLATES_DIR = "templates"
POLICIES_DIR = "policies"

_HEADER = """\
# 防返贫文书工作区设置（fanpin.toml）
# 在本文件夹或其子文件夹中运行 fanpin 命令时自动读取；命令行参数（如 --policy、--out）优先于这里的设置。
# 格式：# 之后是说明；文字要加英文双引号；日期写作 2024-04-30；数字直接写。
"""

_SECTIONS = {
    "township": "乡镇基本信息",
    "documents": "公文和表格落款",
    "funds": "资金",
    "inputs": f"输入工作簿（路径相对于本文件夹；命令行的 {'、'.join(k.option for k in INPUT_KINDS)} 优先）",
    "calendar": "工作日历（计算公示期等工作日）",
    "output": "输出",
}

# One comment per setting; a test checks that every field of SettingsFile has one.
COMMENTS = {
    "township.county": "区县全称，印在文书标题和落款中，如 重庆市黔江区",
    "township.township": "乡镇（街道）名称，如 城东街道",
    "township.year": "工作年度：项目申报、补贴发放、明白卡所属的年度",
    "township.policy": "适用的政策：内置政策名（{shipped}），policies/ 文件夹中的文件名（不带 .toml），或 .toml 文件路径",
    "documents.issuing_body": "发文机关，印在公文版头和落款，如 某某镇人民政府",
    "documents.document_number": "发文字号，如 某府发〔2024〕3号（年份用六角括号〔〕）",
    "documents.signatory": "署名：发文机关署名或负责人",
    "documents.date": "成文日期，如 2024-04-30，用于全部文书（不符合某份文书的日期规则时报错）；"
    "不填时每份文书按规则定日期（发放类在培训结业后，通知在开班前，见 README）。"
    "也用作生成文件的固定时间，不填时用工作年度的 1 月 1 日",
    "documents.prepared_by": "制表人（补贴发放花名册等表格的落款）",
    "documents.reviewed_by": "审核人",
    "documents.responsible": "负责人",
    "documents.contact": "公示的联系人及电话，如 镇乡村振兴办 张三 023-12345678",
    "funds.allocation": "本年度衔接资金分配额度（元），用于项目库汇总表和实施方案；不清楚时保持注释状态",
    **{f"inputs.{kind.key}": kind.setting_note for kind in INPUT_KINDS},
    "calendar.holidays": "国务院办公厅公布的法定节假日和调休已内置，不必填写。这里只写本地另外放假的日子；"
    "程序还不知道的年份（提示「不知道某年的法定节假日」时）按当年放假通知写入全部放假日子",
    "calendar.workdays": "本地另外上班的日子；程序还不知道的年份写入当年调休上班的周末",
    "calendar.publicity_days": "公示期（工作日数）",
    "calendar.notice_days": "培训通知提前几个工作日发出（没有设置成文日期时，通知日期为开班前第几个工作日）",
    "output.dir": "生成的文书存放的文件夹（相对于本文件夹）",
}

_EXAMPLES = {
    "documents.date": "2024-04-30",
    "funds.allocation": "3000000",
    "calendar.holidays": "[2027-01-01, 2027-02-05]",
    "calendar.workdays": "[2027-02-14]",
}


@dataclass
class InitResult:
    """What `init_workspace` did: files written, files that already existed and were kept, notes."""

    root: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def default_settings(
    *, township: str = "", county: str = "", year: int | None = None, policy: Policy | None = None
) -> SettingsFile:
    """Settings for a new workspace: the given values, the rest from the policy (county, year) or empty."""
    county = county or (policy.county if policy else "")
    year = year or (policy.year if policy else None)
    issuing_body = ""
    if township:
        issuing_body = township + ("办事处" if township.endswith("街道") else "人民政府")
    return SettingsFile.model_validate(
        {
            "township": {
                "county": county,
                "township": township,
                "year": year,
                "policy": policy.key if policy else "",
            },
            "documents": {"issuing_body": issuing_body, "signatory": issuing_body},
            "inputs": dict(INPUT_FILES),
        }
    )


def init_workspace(
    folder: Path,
    *,
    township: str = "",
    county: str = "",
    year: int | None = None,
    policy: str | None = None,
    force: bool = False,
) -> InitResult:
    """Create a workspace in `folder`: fanpin.toml, blank input workbooks, templates and policies.

    `policy` is a shipped name or a path to a .toml file (copied into the workspace's policies/).
    Refuses (SettingsError) when fanpin.toml exists, unless `force`; never overwrites anything else.
    """
    settings_path = folder / SETTINGS_FILE
    if settings_path.exists() and not force:
        raise SettingsError(
            f"「{folder}」已经是工作区（已有 {SETTINGS_FILE}），不会覆盖",
            hint="换一个文件夹，或加 --force 重写设置文件（已有的工作簿、模板和政策文件不会被覆盖）",
        )
    if folder.exists() and not folder.is_dir():
        raise SettingsError(f"「{folder}」是一个文件，不是文件夹", hint="给出一个文件夹路径")
    loaded = load_policy(policy) if policy else None
    result = InitResult(root=folder)
    folder.mkdir(parents=True, exist_ok=True)
    copy_defaults(folder, result)
    if policy and loaded is not None and Path(policy).suffix.lower() == ".toml":
        _keep_or_copy(Path(policy).read_bytes(), folder / POLICIES_DIR / f"{loaded.key}.toml", result)
    settings = default_settings(township=township, county=county, year=year, policy=loaded)
    write_settings(settings_path, settings)
    result.written.append(settings_path)
    write_blank_inputs(folder, settings, loaded, result)
    if not loaded:
        result.notes.append(f"没有指定政策：请在 {SETTINGS_FILE} 的 [township] 中填写 policy")
    if not township:
        result.notes.append(
            f"没有指定乡镇：请在 {SETTINGS_FILE} 的 [township] 中填写 township 和 [documents] 中的发文机关"
        )
    return result


# --- fanpin.toml ------------------------------------------------------------------------------


def write_settings(path: Path, settings: SettingsFile, *, header: str = "") -> None:
    write_atomic(path, render_settings(settings, header=header).encode("utf-8"))


def render_settings(settings: SettingsFile, *, header: str = "") -> str:
    """fanpin.toml text: every section and setting with its Chinese comment; unset values commented out."""
    from ..policy import shipped_policies

    shipped = "、".join(shipped_policies())
    lines = [(header.rstrip("\n") + "\n") if header else "", _HEADER]
    for section, model in settings:
        lines.append(f"\n# ---- {_SECTIONS[section]} ----\n[{section}]\n")
        for key, value in _fields(model):
            comment = COMMENTS[f"{section}.{key}"].format(shipped=shipped)
            lines.append(f"# {comment}\n")
            if value is None or value == []:
                lines.append(f"# {key} = {_EXAMPLES.get(f'{section}.{key}', '')}\n")
            else:
                lines.append(f"{key} = {toml_value(value)}\n")
    text = "".join(lines)
    tomllib.loads(text)  # what we write must read back
    return text


def _fields(model: BaseModel) -> Iterator[tuple[str, object]]:
    for name in type(model).model_fields:
        yield name, getattr(model, name)


def toml_value(value: object) -> str:
    """A TOML literal for the value types of SettingsFile."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [toml_value(v) for v in value]
        if len(items) <= 6:
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


# --- blank input workbooks --------------------------------------------------------------------


def write_blank_inputs(
    folder: Path, settings: SettingsFile, policy: Policy | None, result: InitResult
) -> None:
    """The four input workbooks with a header row, one example row, notes and drop-down lists."""
    for kind in INPUT_KINDS:
        target = folder / (getattr(settings.inputs, kind.key) or INPUT_FILES[kind.key])
        if target.exists():
            result.kept.append(target)
            continue
        write_atomic(target, blank_workbook(kind.key, settings, policy))
        result.written.append(target)


def blank_workbook(kind: str, settings: SettingsFile, policy: Policy | None) -> bytes:
    """The blank input workbook of `kind` (header, notes, drop-down lists, one example row) as
    `fanpin init` writes it for these settings and this policy."""
    from .examples import example_rows

    year = settings.township.year or (policy.year if policy else dt.date.today().year)
    choices = {"措施名称": measure_names(policy)}
    rows = example_rows(settings, policy, year)[kind]
    return workbook_bytes(build_workbook(kind, rows, choices=choices), timestamp=f"{year}-01-01T00:00:00Z")


def measure_names(policy: Policy | None) -> tuple[str, ...]:
    """The 措施名称 drop-down: the policy's rules, then items paid by a given amount."""
    names = [r.name for r in policy.rules if r.role != "training"] if policy else []
    return tuple(dict.fromkeys([*names, *GIVEN_MEASURES]))


# --- templates and policies -------------------------------------------------------------------


def copy_defaults(folder: Path, result: InitResult, *, overwrite: bool = False) -> None:
    """Copy the package's default templates and shipped policies into the workspace."""
    for name in (TEMPLATES_DIR, POLICIES_DIR):
        (folder / name).mkdir(parents=True, exist_ok=True)
    for relative, data in default_files():
        _keep_or_copy(data, folder / relative, result, overwrite=overwrite)


def default_files() -> Iterator[tuple[str, bytes]]:
    """The package's default templates and shipped policies: ("templates/明白卡.docx", bytes), …."""
    package = resources.files("fanpin_docs")
    for name in (TEMPLATES_DIR, POLICIES_DIR):
        for relative, source in _files_under(package / name):
            yield f"{name}/{relative}", source.read_bytes()


def _files_under(root: Traversable, prefix: str = "") -> Iterable[tuple[str, Traversable]]:
    if not root.is_dir():
        return
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")) or entry.name.endswith((".py", ".pyc")):
            continue
        if entry.is_dir():
            yield from _files_under(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry


def _keep_or_copy(data: bytes, target: Path, result: InitResult, *, overwrite: bool = False) -> None:
    if target.exists() and not overwrite:
        result.kept.append(target)
        return
    write_atomic(target, data)
    result.written.append(target)
