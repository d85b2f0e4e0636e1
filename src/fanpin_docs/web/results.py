"""结果: the output folder as a tree; one file, a folder or everything (下载全部) downloaded; a page
image of any .docx/.xlsx (`/results`, `/api/results/…`).

Every path a request names is relative to the output folder and resolved by `inside_workspace`
against it, so nothing outside the output folder can be read through these routes; an output folder
outside the workspace (fanpin.toml edited by hand) is refused as a whole (403, saying why).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response, StreamingResponse

from .downloads import attachment
from .outputs import LISTED, OutputOutside, Previews, output_folder, shown, tree, zip_stream
from .rendering import render
from .security import inside_workspace
from .wording import page_failure

router = APIRouter()

NO_FILE = "没有这个文件（可能已被重新生成或删除），请刷新结果页。"


def output_root(request: Request) -> Path:
    """The workspace's output folder, as the commands resolve it (fanpin.toml [output] dir); refused
    when it is not inside the workspace."""
    workspace: Path = request.app.state.server.workspace
    try:
        return output_folder(workspace)
    except OutputOutside as error:
        raise HTTPException(403, page_failure(error).text) from None


def _target(request: Request, path: str, *, folder: bool = False) -> Path:
    root = output_root(request)
    target = inside_workspace(root, path)
    if not all(shown(Path(part)) for part in Path(path).parts):
        raise HTTPException(404, NO_FILE)
    if not (target.is_dir() if folder else target.is_file()):
        raise HTTPException(404, NO_FILE)
    return target


def previews(request: Request) -> Previews:
    found: Previews = request.app.state.previews
    return found


@router.get("/results")
def results_page(request: Request, path: str = "") -> Response:
    """The whole output tree, or (`path`) one folder of it with every file listed."""
    root = output_root(request)
    folder = _target(request, path, folder=True) if path else None
    return render(
        request,
        "results.html",
        title="结果",
        root=tree(root, folder),
        output=root,
        focused=path,
        listed=LISTED,
    )


@router.get("/api/results/file")
def download_file(request: Request, path: str) -> Response:
    target = _target(request, path)
    return FileResponse(target, headers={"Content-Disposition": attachment(target.name)})


@router.get("/api/results/zip")
def download_zip(request: Request, path: str = "") -> Response:
    """A folder of the output (or, without `path`, all of it) as a .zip, streamed as it is made."""
    root = output_root(request)
    if path:
        folder = _target(request, path, folder=True)
    elif root.is_dir():
        folder = root
    else:
        raise HTTPException(404, "还没有生成任何文件。")
    name = folder.name if path else "生成结果"
    return StreamingResponse(
        zip_stream(folder, name),
        media_type="application/zip",
        headers={"Content-Disposition": attachment(f"{name}.zip")},
    )


@router.get("/results/preview")
def preview_page(request: Request, path: str) -> Response:
    target = _target(request, path)
    return render(
        request,
        "preview.html",
        title=f"预览：{target.name}",
        path=path,
        file_name=target.name,
        unavailable=Previews.unavailable(),
    )


@router.get("/api/results/preview")
async def preview_png(request: Request, path: str) -> Response:
    """Page 1 of a .docx/.xlsx as PNG; without LibreOffice a Chinese message (503) saying so."""
    target = _target(request, path)
    if target.suffix.lower() not in (".docx", ".xlsx"):
        raise HTTPException(400, "只有 Word（.docx）和 Excel（.xlsx）文件可以预览。")
    why = Previews.unavailable()
    if why is not None:
        raise HTTPException(503, f"无法预览：{why}。可以下载文件后用 Word/WPS 打开。")
    image = await run_in_threadpool(previews(request).png, target)
    return Response(image, media_type="image/png", headers={"Cache-Control": "no-store"})
