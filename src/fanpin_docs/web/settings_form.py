"""fanpin.toml as a form on the 工作区 page: one field per setting of `settings.SettingsFile`, checked
by that same model (each error shown beside its field) and saved through `workspace.write_settings`
(the file `fanpin init` writes, every setting with its comment; written atomically).

POST /settings takes the form (with the page's CSRF token): saved → back to the page; wrong → the
page again with what was typed and the errors beside the fields. The output folder must lie inside
the workspace (`outputs.inside`): the page reads and writes no other folder.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError
from starlette.responses import RedirectResponse, Response

from ..constants import SETTINGS_FILE
from ..settings import SettingsFile, field_errors
from ..workspace import COMMENTS, write_settings
from .outputs import OUTSIDE_FIELD, inside
from .wording import page_failure

router = APIRouter()

# what each setting is called on the form (its comment in fanpin.toml is the help below it)
LABELS = {
    "township.county": "区县",
    "township.township": "乡镇（街道）",
    "township.year": "工作年度",
    "township.policy": "适用的政策",
    "documents.issuing_body": "发文机关",
    "documents.document_number": "发文字号",
    "documents.signatory": "署名",
    "documents.date": "成文日期",
    "documents.prepared_by": "制表人",
    "documents.reviewed_by": "审核人",
    "documents.responsible": "负责人",
    "documents.contact": "公示联系人及电话",
    "funds.allocation": "衔接资金分配额度（元）",
    "inputs.roster": "户籍监测名单文件",
    "inputs.measures": "帮扶措施台账文件",
    "inputs.training": "培训考勤表文件",
    "inputs.projects": "项目申报表文件",
    "calendar.holidays": "本地另外放假的日子",
    "calendar.workdays": "本地另外上班的日子",
    "calendar.publicity_days": "公示期（工作日）",
    "calendar.notice_days": "通知提前（工作日）",
    "output.dir": "输出文件夹",
}
SECTION_TITLES = {
    "township": "乡镇基本信息",
    "documents": "公文和表格落款",
    "funds": "资金",
    "inputs": "输入工作簿（相对于工作区文件夹）",
    "calendar": "工作日历",
    "output": "输出",
}
_LIST_SPLIT = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class FormField:
    key: str  # township.year: the form field's name and the setting's place in fanpin.toml
    label: str
    help: str
    kind: str  # text / number / date / dates (a list of dates) / decimal
    value: str  # as the form shows it
    error: str = ""
    choices: tuple[str, ...] = ()  # suggested values (the policies there are)

    @property
    def input_id(self) -> str:
        return "setting-" + self.key.replace(".", "-")


@dataclass(frozen=True)
class FormSection:
    name: str
    title: str
    fields: tuple[FormField, ...]


def _shape(annotation: Any) -> tuple[str, bool]:
    """(form kind, may be empty → None) of a setting's type."""
    optional = False
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        annotation = members[0]
    if typing.get_origin(annotation) is list:
        return "dates", optional
    if annotation is dt.date:
        return "date", optional
    if annotation is int:
        return "number", optional
    if annotation is Decimal:
        return "decimal", optional
    return "text", optional


def _sections() -> typing.Iterator[tuple[str, type[BaseModel]]]:
    for name, info in SettingsFile.model_fields.items():
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        yield name, model


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def build_form(
    values: dict[str, str], errors: dict[str, str] | None = None, *, workspace: Path | None = None
) -> list[FormSection]:
    """The form's sections with `values` (by key) and `errors` (by key) filled in; the policy field
    suggests the shipped policies and those in the workspace's policies/ folder."""
    from ..policy import shipped_policies

    errors = errors or {}
    shipped = "、".join(shipped_policies())
    policies = list(shipped_policies())
    if workspace is not None and (workspace / "policies").is_dir():
        policies += [path.stem for path in sorted((workspace / "policies").glob("*.toml"))]
    suggestions = {"township.policy": tuple(dict.fromkeys(policies))}
    sections = []
    for name, model in _sections():
        fields = []
        for key, info in model.model_fields.items():
            place = f"{name}.{key}"
            kind, _ = _shape(info.annotation)
            fields.append(
                FormField(
                    place,
                    LABELS[place],
                    COMMENTS[place].format(shipped=shipped),
                    kind,
                    values.get(place, ""),
                    errors.get(place, ""),
                    suggestions.get(place, ()),
                )
            )
        sections.append(FormSection(name, SECTION_TITLES[name], tuple(fields)))
    return sections


def current_values(workspace: Path) -> tuple[dict[str, str], str]:
    """The settings in fanpin.toml as form values, and what is wrong with the file when it cannot be
    read as TOML (its values are then not shown)."""
    try:
        raw = tomllib.loads((workspace / SETTINGS_FILE).read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError:
        raw = {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return {}, (
            f"设置文件 {SETTINGS_FILE} 格式错误，无法读取（{type(exc).__name__}）：下面的表单是空的，"
            "保存会按表单重写整个文件。也可以用记事本打开它按 TOML 格式修改。"
        )
    values = {}
    for name, model in _sections():
        found = raw.get(name)
        section: dict[str, Any] = found if isinstance(found, dict) else {}
        for key in model.model_fields:
            if key in section:
                values[f"{name}.{key}"] = _shown(section[key])
    return values, ""


def current_errors(workspace: Path) -> dict[str, str]:
    """What the model finds wrong in fanpin.toml as it is, by setting (and an output folder the page
    does not use, set there by hand)."""
    try:
        raw = tomllib.loads((workspace / SETTINGS_FILE).read_text(encoding="utf-8"), parse_float=Decimal)
        settings = SettingsFile.model_validate(raw)
    except ValidationError as exc:
        return field_errors(exc)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    if not inside(workspace, workspace / settings.output.dir):
        return {"output.dir": OUTSIDE_FIELD}
    return {}


def parse(values: dict[str, str]) -> SettingsFile | dict[str, str]:
    """The submitted form as settings, or the errors by setting."""
    raw: dict[str, dict[str, object]] = {}
    for name, model in _sections():
        section: dict[str, object] = {}
        for key, info in model.model_fields.items():
            text = values.get(f"{name}.{key}", "").strip()
            kind, optional = _shape(info.annotation)
            if kind == "dates":
                section[key] = [part for part in _LIST_SPLIT.split(text) if part]
            elif text or not optional and kind == "text":
                section[key] = text
            elif not optional:
                continue  # an emptied number keeps the model's default
            else:
                section[key] = None
        raw[name] = section
    try:
        return SettingsFile.model_validate(raw)
    except ValidationError as exc:
        return field_errors(exc)


def policy_error(settings: SettingsFile, workspace: Path) -> str:
    """Why the settings' policy cannot be found as the commands look for it ('' when it is found or none
    is named): a name no policy has (「黔江」) is refused beside its field, not saved. A policy file
    that is found but wrong is told in the policy's own panel (the settings can still be saved)."""
    from ..errors import FanpinError
    from ..policy.loader import read_policy_file
    from ..settings import Settings

    name = settings.township.policy
    if not name:
        return ""
    try:
        read_policy_file(name, Settings(settings, workspace).policy_dirs())
    except FanpinError as error:
        return page_failure(error).detail
    return ""


@router.get("/settings")
def settings_page() -> Response:
    """Where a refused form was shown: reloading it goes back to the page."""
    return RedirectResponse("/#settings", status_code=303)


@router.post("/settings")
async def save(request: Request) -> Response:
    from .workspace_page import workspace_page

    form = await request.form()
    values = {key: value for key, value in form.items() if isinstance(value, str) and key in _KEYS}
    workspace: Path = request.app.state.server.workspace
    parsed = parse(values)
    if not isinstance(parsed, dict) and not inside(workspace, workspace / parsed.output.dir):
        parsed = {"output.dir": OUTSIDE_FIELD}  # the page neither shows nor writes other folders
    if not isinstance(parsed, dict) and (wrong := policy_error(parsed, workspace)):
        parsed = {"township.policy": wrong}
    if isinstance(parsed, dict):
        return workspace_page(request, values=values, errors=parsed, status_code=422)
    write_settings(workspace / SETTINGS_FILE, parsed)
    return RedirectResponse("/?saved=settings#settings", status_code=303)


_KEYS = frozenset(LABELS)
