"""工作区: the first page — the four input workbooks with their state (from the check cache: no
workbook is read to show the page; the page's script asks `/api/check` for the stale ones), their
uploads and earlier versions, the card template, the policy in use and the fanpin.toml form."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import Response

from ..cards.trial import TEMPLATE_NAME, workspace_template
from ..errors import FanpinError
from ..policy import load_policy
from ..policy.summary import RULE_HEADERS, PolicySummary, summarize
from ..settings import Settings, load_settings
from ..workspace.versions import versions_of
from .checking import checks_of
from .inputs import WORKBOOK_SUFFIXES
from .rendering import render
from .settings_form import build_form, current_errors, current_values
from .wording import page_failure

router = APIRouter()


@router.get("/")
def workspace(request: Request) -> Response:
    return workspace_page(request)


def workspace_page(
    request: Request,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; `values` and `errors` are a submitted settings form that was refused."""
    root: Path = request.app.state.server.workspace
    state = checks_of(request.app.state).state()
    settings = _settings(root)
    notice = ""
    if values is None:
        values, notice = current_values(root)
        errors = current_errors(root)
    policy, policy_problem = _policy(settings)
    template = workspace_template(settings) if settings is not None else None
    return render(
        request,
        "workspace.html",
        title="工作区",
        state=state,
        versions={
            k.kind: versions_of(k.path, root, WORKBOOK_SUFFIXES) if k.path is not None else []
            for k in state.kinds
        },
        policy=policy,
        policy_problem=policy_problem,
        rule_headers=RULE_HEADERS,
        template_name=TEMPLATE_NAME,
        template_own=template is not None,
        template_versions=versions_of(template, root) if template is not None else [],
        form=build_form(values, errors, workspace=root),
        form_notice=notice,
        form_failed=bool(errors) and status_code != 200,
        saved=request.query_params.get("saved") == "settings",
        status_code=status_code,
    )


def _settings(root: Path) -> Settings | None:
    try:
        return load_settings(root)
    except FanpinError:
        return None  # the check state says what is wrong with fanpin.toml


def _policy(settings: Settings | None) -> tuple[PolicySummary | None, str]:
    if settings is None:
        return None, ""
    name = settings.township.policy
    if not name:
        return None, "fanpin.toml 中没有设置适用的政策（[township] policy）：在下方设置中选择。"
    try:
        return summarize(load_policy(name, search_dirs=settings.policy_dirs())), ""
    except FanpinError as error:
        return None, page_failure(error).text
