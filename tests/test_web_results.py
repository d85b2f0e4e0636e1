"""结果 through the 工作台: the output tree, one file with its Chinese name, a folder or everything
(下载全部) as a streamed .zip holding every output file, a page image of a card — and nothing outside
the output folder, whatever path a request names."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from html import escape
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from fanpin_docs.pdf import find_soffice, find_uno_python
from web_support import digests, make_workspace, start, wait_for, workbench

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="runs use POSIX process groups")

CARD = "明白卡/城东街道/红岩村/5001140010001_张大山.docx"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace after 生成明白卡 and 生成实施方案 (made once for the module)."""
    workspace = make_workspace(tmp_path_factory.mktemp("results") / "ws")
    with workbench(workspace) as (client, token):
        for kind in ("cards", "plan"):
            assert wait_for(client, start(client, token, kind=kind).json()["id"])["state"] == "done"
    return workspace


@pytest.fixture
def client(generated: Path):
    with workbench(generated) as (client, _):
        yield client


def test_the_page_shows_the_output_tree(client: TestClient, generated: Path) -> None:
    page = client.get("/results").text
    output = generated / "output"
    files = [p for p in output.rglob("*") if p.is_file() and not p.name.startswith(".fanpin")]
    assert files
    for path in files:
        relative = path.relative_to(output).as_posix()
        assert f'href="/api/results/file?path={quote(relative)}" download>{escape(path.name)}</a>' in page
        if path.suffix in (".docx", ".xlsx"):
            assert f'href="/results/preview?path={quote(relative)}"' in page
    assert ">下载全部</a>" in page and f"{len(files)} 个文件" in page
    assert "<summary>" in page and "明白卡" in page and "KB" in page
    assert ".fanpin-manifest" not in page and ".fanpin-lock" not in page


def test_a_file_downloads_under_its_chinese_name(client: TestClient, generated: Path) -> None:
    response = client.get("/api/results/file", params={"path": CARD})
    assert response.status_code == 200
    assert response.content == (generated / "output" / CARD).read_bytes()
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('5001140010001_张大山.docx')}" in disposition


def test_download_all_is_a_zip_of_every_output_file(client: TestClient, generated: Path) -> None:
    response = client.get("/api/results/zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert f"filename*=UTF-8''{quote('生成结果.zip')}" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        inside = {name.removeprefix("生成结果/"): archive.read(name) for name in archive.namelist()}
    expected = digests(generated / "output")
    assert set(inside) == set(expected)  # every file, and no bookkeeping (.fanpin-*)
    for relative, data in inside.items():
        assert (generated / "output" / relative).read_bytes() == data


def test_a_folder_downloads_as_a_zip(client: TestClient, generated: Path) -> None:
    response = client.get("/api/results/zip", params={"path": "明白卡/城东街道"})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    assert f"城东街道/{CARD.removeprefix('明白卡/城东街道/')}" in names
    assert all(name.startswith("城东街道/") for name in names)
    assert not any("实施方案" in name for name in names)


@pytest.mark.parametrize(
    ("route", "path"),
    [
        ("/api/results/file", "../fanpin.toml"),
        ("/api/results/file", "../户籍监测名单.xlsx"),
        ("/api/results/file", "明白卡/../../fanpin.toml"),
        ("/api/results/file", "/etc/passwd"),
        ("/api/results/file", ".fanpin-manifest.json"),
        ("/api/results/file", "outside-link"),
        ("/api/results/file", "明白卡"),  # a folder is not a file
        ("/api/results/zip", ".."),
        ("/api/results/zip", "outside-link"),
        ("/results/preview", "../户籍监测名单.xlsx"),
        ("/api/results/preview", "../户籍监测名单.xlsx"),
    ],
)
def test_paths_outside_the_output_folder_are_refused(
    client: TestClient, generated: Path, route: str, path: str
) -> None:
    link = generated / "output" / "outside-link"
    if not link.is_symlink():
        link.symlink_to(generated)
    response = client.get(route, params={"path": path}, headers={"Accept": "application/json"})
    assert response.status_code == 404, response.text
    assert "没有这个文件" in response.json()["error"]


def test_nothing_generated_yet(tmp_path: Path) -> None:
    with workbench(make_workspace(tmp_path / "ws")) as (client, _):
        assert "还没有生成任何文件" in client.get("/results").text
        response = client.get("/api/results/zip")
    assert response.status_code == 404 and "还没有生成任何文件" in response.json()["error"]


def test_without_libreoffice_the_preview_says_so_and_offers_the_file(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fanpin_docs.pdf.office.find_soffice", lambda: None)
    page = client.get("/results/preview", params={"path": CARD}).text
    assert "无法预览：没有找到 LibreOffice" in page
    assert (
        f'href="/api/results/file?path={quote(CARD)}" download>下载「5001140010001_张大山.docx」</a>' in page
    )
    image = client.get("/api/results/preview", params={"path": CARD})
    assert image.status_code == 503
    assert image.json()["error"].startswith("无法预览：没有找到 LibreOffice")


def test_only_word_and_excel_files_preview(client: TestClient, generated: Path) -> None:
    (generated / "output" / "说明.txt").write_text("x", encoding="utf-8")
    response = client.get("/api/results/preview", params={"path": "说明.txt"})
    assert response.status_code == 400 and ".docx" in response.json()["error"]


@pytest.mark.pdf
@pytest.mark.skipif(
    find_soffice() is None or find_uno_python(find_soffice() or "") is None,
    reason="needs LibreOffice and python3-uno",
)
def test_a_card_previews_as_a_png_through_one_warm_instance(generated: Path) -> None:
    with workbench(generated) as (client, _):
        page = client.get("/results/preview", params={"path": CARD}).text
        assert re.search(
            r'<img class="preview" src="/api/results/preview\?path=[^"]+" alt="「5001140010001_张大山.docx」第 1 页"',
            page,
        )
        first = client.get("/api/results/preview", params={"path": CARD})
        pool = client.app.state.previews._pool  # type: ignore[attr-defined]
        sheet = client.get("/api/results/preview", params={"path": "明白卡/明白卡清单.xlsx"})
        assert client.app.state.previews._pool is pool  # type: ignore[attr-defined]  # one pool, kept warm
        processes = pool.process_ids()
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    assert first.content.startswith(b"\x89PNG\r\n\x1a\n") and len(first.content) > 5000
    assert sheet.status_code == 200 and sheet.content.startswith(b"\x89PNG")
    assert processes and pool.process_ids() == []  # stopped with the server


def test_a_big_folder_is_listed_on_a_page_of_its_own(
    client: TestClient, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fanpin_docs.web.results.LISTED", 2)  # the village folders have 3 cards
    village = "明白卡/城东街道/红岩村"
    whole = client.get("/results").text
    assert f'<a href="/results?path={quote(village)}">列出「红岩村」中的全部 3 个文件</a>' in whole
    assert quote(CARD) not in whole
    assert quote("明白卡/明白卡清单.xlsx") in whole  # smaller folders are listed in the tree
    folder = client.get("/results", params={"path": village}).text
    assert f'href="/api/results/file?path={quote(CARD)}" download>' in folder
    assert "← 全部结果" in folder and "列出「" not in folder
    outside = client.get("/results", params={"path": ".."})
    assert outside.status_code == 404
