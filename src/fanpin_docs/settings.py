"""Township settings (`fanpin.toml`), merged with the command line in one stated order.

Order of precedence: command-line option > fanpin.toml > what the data says (e.g. the township
named in the roster) > defaults. Commands report which settings were defaulted.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator
from pydantic_core import PydanticCustomError

from .constants import SETTINGS_FILE
from .errors import SettingsError
from .inputs import INPUT_KINDS

# C0 and C1 control characters (a NUL, a line break, a tab): no name, date line or file path holds one,
# and a NUL in a path makes every file operation fail
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        if isinstance(value, str) and (found := _CONTROL.search(value)):
            raise PydanticCustomError(
                "control_character",
                "含有看不见的控制字符（U+{code}），不能使用",
                {"code": f"{ord(found.group()):04X}"},
            )
        return value


class TownshipSection(_Section):
    county: str = ""
    township: str = ""
    year: int | None = Field(default=None, ge=2015, le=2100)
    policy: str = ""


class DocumentsSection(_Section):
    issuing_body: str = ""  # 发文机关
    document_number: str = ""  # 发文字号, e.g. 某府发〔2024〕3号
    signatory: str = ""  # 署名（发文机关署名或负责人）
    date: dt.date | None = None  # 成文日期; also the fixed timestamp of document properties
    prepared_by: str = ""  # 制表人
    reviewed_by: str = ""  # 审核人
    responsible: str = ""  # 负责人
    contact: str = ""  # 联系人及电话（公示）


class FundsSection(_Section):
    allocation: Decimal | None = Field(default=None, ge=0)  # 本年度衔接资金分配额度


if TYPE_CHECKING:
    InputsSection = _Section  # read by kind with getattr (Settings.input_path)
else:
    # one path setting per kind of input workbook, in the table's order
    InputsSection = create_model(
        "InputsSection", __base__=_Section, **{kind.key: (str, "") for kind in INPUT_KINDS}
    )


class CalendarSection(_Section):
    """Local changes to the official calendar (`fanpin_docs.holidays`), or a year it does not know."""

    holidays: list[dt.date] = []  # days off besides the official holidays
    workdays: list[dt.date] = []  # days worked besides the official working days (调休)
    publicity_days: int = Field(default=5, ge=1, le=60)
    notice_days: int = Field(default=5, ge=1, le=60)  # a training 通知 goes out this many working days ahead


class OutputSection(_Section):
    dir: str = "output"


class SettingsFile(_Section):
    township: TownshipSection = TownshipSection()
    documents: DocumentsSection = DocumentsSection()
    funds: FundsSection = FundsSection()
    inputs: InputsSection = InputsSection()
    calendar: CalendarSection = CalendarSection()
    output: OutputSection = OutputSection()


@dataclass(frozen=True)
class Settings:
    """Settings of one run; `root` is the workspace folder (None outside a workspace)."""

    data: SettingsFile = field(default_factory=SettingsFile)
    root: Path | None = None

    @property
    def township(self) -> TownshipSection:
        return self.data.township

    @property
    def documents(self) -> DocumentsSection:
        return self.data.documents

    @property
    def calendar(self) -> CalendarSection:
        return self.data.calendar

    @property
    def allocation(self) -> Decimal | None:
        return self.data.funds.allocation

    def input_path(self, kind: str, given: Path | None) -> Path | None:
        """The workbook of a kind: the command line's, else the workspace's setting (relative to the workspace)."""
        if given is not None:
            return given
        configured = getattr(self.data.inputs, kind)
        if configured and self.root is not None:
            return self.root / configured
        return None

    def output_dir(self, given: Path | None) -> Path:
        if given is not None:
            return given
        base = self.root if self.root is not None else Path.cwd()
        return base / self.data.output.dir

    def policy_dirs(self) -> tuple[Path, ...]:
        return (self.root / "policies",) if self.root is not None else ()

    def template_dirs(self) -> tuple[Path, ...]:
        return (self.root / "templates",) if self.root is not None else ()

    def fixed_timestamp(self, fallback_year: int) -> str:
        """The document-properties timestamp: the settings' document date, else 1 January of the year."""
        day = self.documents.date or dt.date(self.township.year or fallback_year, 1, 1)
        return f"{day.isoformat()}T00:00:00Z"


def find_workspace(start: Path | None = None) -> Path | None:
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / SETTINGS_FILE).is_file():
            return candidate
    return None


def load_settings(workspace: Path | None = None) -> Settings:
    """Settings of the workspace containing `workspace` (or the current folder); empty outside one."""
    root = find_workspace(workspace)
    if root is None:
        return Settings()
    path = root / SETTINGS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"设置文件「{path}」格式错误：{exc}", hint="按 TOML 格式修改，字符串要加引号"
        ) from None
    except UnicodeDecodeError:
        raise SettingsError(f"设置文件「{path}」不是 UTF-8 编码", hint="用记事本另存为 UTF-8 编码") from None
    try:
        data = SettingsFile.model_validate(raw)
    except ValidationError as exc:
        lines = [f"设置文件「{path}」有 {exc.error_count()} 处错误："]
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            lines.append(f"  · [{where}]：{_message(error)}")
        raise SettingsError("\n".join(lines), hint="按提示修改 fanpin.toml") from None
    return Settings(data=data, root=root)


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Each bad setting of a SettingsFile validation, by its place (`township.year`), in Chinese;
    the settings form shows each beside its field."""
    found: dict[str, str] = {}
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"] if not isinstance(part, int))
        found.setdefault(where, _message(error))
    return found


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "不认识的设置项（拼写错误？）"
    if kind == "control_character":
        return f"{error['msg']}：删除后重新输入这一项"
    if kind.startswith("date"):
        return f"日期应写作 2024-04-30，实际为「{error.get('input')}」"
    if kind == "finite_number":  # nan, inf (read as Decimal NaN, Infinity)
        written = str(error.get("input")).lower().replace("infinity", "inf")
        return f"应为实际的数字（不能写 nan 或 inf），实际为「{written}」"
    if kind.startswith(("decimal", "int")):
        return f"应为数字，实际为「{error.get('input')}」"
    context = error.get("ctx") or {}
    bounds = {
        "greater_than": "大于",
        "greater_than_equal": "不小于",
        "less_than": "小于",
        "less_than_equal": "不大于",
    }
    if kind in bounds:
        return f"数值超出范围：应{bounds[kind]} {next(iter(context.values()), '')}，实际为「{error.get('input')}」"
    if kind in {"string_type", "list_type", "dict_type", "model_type", "bool_type", "bool_parsing"}:
        shape = {
            "string_type": "加引号的文字",
            "list_type": "列表，如 [2024-05-01, 2024-05-02]",
            "bool_type": "true 或 false",
            "bool_parsing": "true 或 false",
        }.get(kind, "一个设置段落，如 [township]")
        return f"应为{shape}，实际为「{error.get('input')}」"
    return str(error["msg"])
