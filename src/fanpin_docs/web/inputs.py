"""The workspace's files from the page: uploading an input workbook (its kind decided by its content,
`check.detect_kind`, and stored under the extension that content calls for, `readers.suffixes`) or a card template (checked at once as `fanpin cards` checks it), putting back an
earlier version, downloading the blank workbooks and the card template in use.

Routes (the page's script sends a file as the request body, see `uploads`):
- POST /api/inputs            a workbook dropped anywhere on the page: stored as the kind it is
- POST /api/inputs/{kind}     a workbook for that kind: refused when it is another kind
- POST /api/inputs/{kind}/restore   {"version": "户籍监测名单-20261201-171700.xlsx"}
- GET  /api/inputs/{kind}/blank     the blank workbook `fanpin init` writes
- GET  /api/template          the card template in use;  POST /api/template  a new one
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from ..cards.trial import TEMPLATE_NAME, check_card_template
from ..check import detect_kind
from ..constants import SETTINGS_FILE
from ..errors import FanpinError, InputError, SettingsError
from ..inputs import KINDS
from ..policy import Policy, load_policy
from ..readers.sources import EXCEL_SUFFIXES
from ..readers.suffixes import content_suffix
from ..settings import Settings, load_settings
from ..templating.rendering import find_template
from ..workspace import blank_workbook, write_settings
from ..workspace.versions import replace_keeping_version, restore_version, versions_of
from .security import inside_workspace
from .uploads import DOCX, XLSX, download, received, sent_name
from .wording import page_failure

router = APIRouter()

WORKBOOK_SUFFIXES = EXCEL_SUFFIXES | {".csv"}


def workspace_of(request: Request) -> Path:
    workspace: Path = request.app.state.server.workspace
    return workspace


def _settings(request: Request) -> Settings:
    return load_settings(workspace_of(request))


def _policy(settings: Settings) -> Policy | None:
    name = settings.township.policy
    return load_policy(name, search_dirs=settings.policy_dirs()) if name else None


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise HTTPException(404, "没有这种工作簿。")
    return kind


def stored_path(workspace: Path, settings: Settings, kind: str) -> Path:
    """Where the workspace keeps the workbook of `kind`: its fanpin.toml setting, else the name
    `fanpin init` gives it; never outside the workspace."""
    configured = getattr(settings.data.inputs, kind) or KINDS[kind].file_name
    try:
        path = inside_workspace(workspace, configured)
    except HTTPException:
        raise SettingsError(
            f"fanpin.toml 中 [inputs] {kind} 的设置「{configured}」不在工作区文件夹中，工作台不会写到工作区以外",
            hint="在下方设置中改为工作区中的文件名，如 " + KINDS[kind].file_name,
        ) from None
    if path.suffix.lower() not in WORKBOOK_SUFFIXES or path.is_dir():
        raise SettingsError(
            f"fanpin.toml 中 [inputs] {kind} 的设置「{configured}」不是工作簿的文件名",
            hint="在下方设置中改为以 .xlsx 结尾的文件名，如 " + KINDS[kind].file_name,
        )
    return path


async def _upload_workbook(request: Request, expected: str | None) -> dict[str, Any]:
    workspace = workspace_of(request)
    settings = _settings(request)
    name = sent_name(request, WORKBOOK_SUFFIXES, "工作簿.xlsx")
    async with received(request, workspace, name) as upload:
        try:
            kind = await run_in_threadpool(detect_kind, upload)
        except InputError as error:  # not a workbook, or none of the four
            reasons = "；".join(
                p.message + (f"。处理办法：{p.hint}" if p.hint else "") for p in error.problems[:3]
            )
            raise HTTPException(400, f"「{name}」没有保存：{reasons}。") from None
        if expected is not None and kind != expected:
            raise HTTPException(
                400,
                f"「{name}」是{KINDS[kind].label}，不是{KINDS[expected].label}，没有保存。"
                f"请把它放到「{KINDS[kind].label}」一栏。",
            )
        current = stored_path(workspace, settings, kind)
        suffix = await run_in_threadpool(content_suffix, upload)
        target = current.with_name(current.stem + suffix)
        if target.suffix.lower() == current.suffix.lower():
            target = current
        kept = await run_in_threadpool(
            lambda: replace_keeping_version(
                upload, current, workspace, target=target, record=_recorder(settings, kind, workspace)
            )
        )
    message = f"已保存为{KINDS[kind].label}「{target.name}」"
    if kept is not None:
        message += f"，原来的文件保存为旧版本「{kept.name}」"
    if _relative(target, workspace) != getattr(settings.data.inputs, kind):
        message += f"，并在 fanpin.toml 的 [inputs] 中设为 {kind}"
    return {"kind": kind, "file": target.name, "message": message + "。"}


def _relative(path: Path, workspace: Path) -> str:
    return path.relative_to(workspace.resolve()).as_posix()


def _recorder(settings: Settings, kind: str, workspace: Path) -> Callable[[Path], None]:
    """Names the stored workbook in fanpin.toml (when it is not named there already: a new file, or
    another extension), so that the commands find it too."""

    def record(stored: Path) -> None:
        relative = _relative(stored, workspace)
        if relative == getattr(settings.data.inputs, kind) or settings.root is None:
            return
        inputs = settings.data.inputs.model_copy(update={kind: relative})
        updated = settings.data.model_copy(update={"inputs": inputs})
        write_settings(settings.root / SETTINGS_FILE, updated)

    return record


@router.post("/api/inputs")
async def upload_any(request: Request) -> dict[str, Any]:
    return await _upload_workbook(request, None)


@router.post("/api/inputs/{kind}")
async def upload(kind: str, request: Request) -> dict[str, Any]:
    return await _upload_workbook(request, _kind(kind))


@router.post("/api/inputs/{kind}/restore")
def restore(kind: str, request: Request, version: str = Body(embed=True)) -> dict[str, Any]:
    workspace = workspace_of(request)
    settings = _settings(request)
    current = stored_path(workspace, settings, _kind(kind))
    kept, target = restore_version(
        version,
        current,
        workspace,
        suffixes=WORKBOOK_SUFFIXES,
        record=_recorder(settings, kind, workspace),
    )
    message = f"已恢复旧版本「{version}」"
    if kept is not None:
        message += f"，恢复前的文件保存为旧版本「{kept.name}」"
    return {"kind": kind, "file": target.name, "message": message + "。"}


@router.get("/api/inputs/{kind}/blank")
def blank(kind: str, request: Request) -> Any:
    settings = _settings(request)
    data = blank_workbook(_kind(kind), settings.data, _policy(settings))
    return download(data, f"{KINDS[kind].label}-空白.xlsx", XLSX)


@router.get("/api/template")
def template(request: Request) -> Any:
    path = find_template(TEMPLATE_NAME, _settings(request))
    return download(path.read_bytes(), TEMPLATE_NAME, DOCX)


@router.post("/api/template")
async def upload_template(request: Request) -> dict[str, Any]:
    """A new card template: checked with the workspace's roster, ledger and policy as `fanpin cards`
    would check it; kept only when it passes (the old one becomes a dated copy)."""
    workspace = workspace_of(request)
    settings = _settings(request)
    name = sent_name(request, {".docx"}, TEMPLATE_NAME)
    target = inside_workspace(workspace, f"templates/{TEMPLATE_NAME}")
    async with received(request, target.parent, TEMPLATE_NAME) as upload:
        repairs, tried = await run_in_threadpool(
            _check_template, settings, upload, name, "新模板没有启用，仍使用原来的模板。"
        )
        kept = replace_keeping_version(upload, target, workspace)
    message = f"新模板「{name}」已启用（{'标签都可以使用，试填一张卡正常' if tried else '标签都可以使用'}）"
    if kept is not None:
        message += f"，原来的模板保存为旧版本「{kept.name}」"
    return {"message": message + "。", "notes": [note.describe() for note in repairs]}


@router.post("/api/template/restore")
def restore_template(request: Request, version: str = Body(embed=True)) -> dict[str, Any]:
    """Put an earlier card template back, checked first as an upload is (it may predate a check)."""
    workspace = workspace_of(request)
    settings = _settings(request)
    target = inside_workspace(workspace, f"templates/{TEMPLATE_NAME}")
    chosen = next((v for v in versions_of(target, workspace, {".docx"}) if v.name == version), None)
    if chosen is not None:
        _check_template(settings, chosen.path, version, "旧版本没有恢复，仍使用原来的模板。")
    kept, _ = restore_version(version, target, workspace, suffixes={".docx"})
    message = f"已恢复明白卡模板的旧版本「{version}」"
    if kept is not None:
        message += f"，恢复前的模板保存为旧版本「{kept.name}」"
    return {"message": message + "。"}


@router.post("/api/template/builtin")
def builtin_template(request: Request) -> dict[str, Any]:
    """Go back to the shipped card template; the workspace's own is kept as a dated copy."""
    workspace = workspace_of(request)
    target = inside_workspace(workspace, f"templates/{TEMPLATE_NAME}")
    shipped = find_template(TEMPLATE_NAME, Settings())
    target.parent.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=".fanpin-", suffix=".docx", delete=False
    ) as copy:
        copy.write(shipped.read_bytes())
    try:
        kept = replace_keeping_version(Path(copy.name), target, workspace)
    finally:
        Path(copy.name).unlink(missing_ok=True)
    message = "已改回内置的明白卡模板"
    if kept is not None:
        message += f"，原来的模板保存为旧版本「{kept.name}」"
    return {"message": message + "。"}


def _check_template(settings: Settings, path: Path, shown: str, outcome: str) -> tuple[list, bool]:
    """`check_card_template` with the workspace's roster, ledger and policy; HTTP 400 saying `outcome`."""
    roster, measures = (_existing(settings, kind) for kind in ("roster", "measures"))
    try:
        return check_card_template(path, settings, roster, measures, _checked_policy(settings), display=shown)
    except FanpinError as error:
        raise HTTPException(400, f"{outcome}{page_failure(error).text}") from None


def _existing(settings: Settings, kind: str) -> Path | None:
    path = settings.input_path(kind, None)
    return path if path is not None and path.is_file() else None


def _checked_policy(settings: Settings) -> Policy | None:
    """The policy for the trial card; a policy file that does not load only skips the trial."""
    try:
        return _policy(settings)
    except FanpinError:
        return None
