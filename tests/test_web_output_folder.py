"""The 工作台 uses only an output folder inside its workspace: the settings form refuses any other
(the error beside the field), and one set by hand in fanpin.toml is neither listed, served, zipped
nor written through the page — each refusal said in Chinese. The command line is not limited."""

from __future__ import annotations

import os
from pathlib import Path

import lxml.html
import pytest

from fanpin_docs.settings import load_settings
from web_pages_support import Page, new_workspace, text_of

SECRET = "别人的文件，不该被工作台读到"


def field_error(html: lxml.html.HtmlElement, key: str) -> str:
    box = next(div for div in html.find_class("field") if div.find("input").get("name") == key)
    errors = box.find_class("field-error")
    return text_of(errors[0]) if errors else ""


def form_values(page: Page) -> dict[str, str]:
    form = next(f for f in page.html("/").forms if f.action == "/settings#settings")
    return {name: value or "" for name, value in form.form_values()}


def outside_folder(tmp_path: Path) -> Path:
    """A folder beside the workspace holding a file the page must never hand out."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "passwd").write_text(SECRET, encoding="utf-8")
    return folder


def point_output_at(workspace: Path, folder: str) -> None:
    """fanpin.toml edited by hand (the command line accepts any folder)."""
    settings = workspace / "fanpin.toml"
    text = settings.read_text(encoding="utf-8")
    assert 'dir = "output"' in text
    settings.write_text(text.replace('dir = "output"', f"dir = {folder!r}"), encoding="utf-8")
    assert load_settings(workspace).output_dir(None) == workspace / folder


@pytest.mark.parametrize("chosen", ["/etc", "../../..", "..", ".", "", "escape"])
def test_the_form_refuses_an_output_folder_outside_the_workspace(tmp_path: Path, chosen: str) -> None:
    workspace = new_workspace(tmp_path)
    (workspace / "escape").symlink_to(outside_folder(tmp_path), target_is_directory=True)
    page = Page(workspace)
    before = (workspace / "fanpin.toml").read_bytes()
    values = form_values(page) | {"output.dir": chosen, "township.township": "城西街道"}
    answer = page.client.post("/settings", data=values)
    assert answer.status_code == 422
    html = lxml.html.fromstring(answer.text)
    assert field_error(html, "output.dir").startswith("输出文件夹要在工作区文件夹里面")
    assert field_error(html, "township.township") == ""
    assert (workspace / "fanpin.toml").read_bytes() == before


def test_the_form_keeps_an_output_folder_inside_the_workspace(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    values = form_values(page) | {"output.dir": "成果/2024"}
    answer = page.client.post("/settings", data=values, follow_redirects=False)
    assert answer.status_code == 303
    assert load_settings(workspace).output_dir(None) == workspace / "成果/2024"
    assert field_error(page.html("/"), "output.dir") == ""


def test_a_hand_set_outside_folder_is_neither_listed_served_nor_written(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    outside = outside_folder(tmp_path)
    point_output_at(workspace, os.path.relpath(outside, workspace))
    page = Page(workspace)

    shown = page.html("/")
    assert field_error(shown, "output.dir").startswith("输出文件夹要在工作区文件夹里面")

    for url in (
        "/results",
        "/api/results/file?path=passwd",
        "/api/results/zip",
        "/results/preview?path=passwd",
        "/api/results/preview?path=passwd",
    ):
        answer = page.get(url)
        assert answer.status_code == 403, url
        assert SECRET not in answer.text and "passwd" not in answer.text
        assert "不在工作区文件夹" in answer.text and "工作台不列出、不下载、也不写入" in answer.text, url
    assert page.get("/api/results/file?path=passwd").json()["error"].startswith("错误：设置里的输出文件夹")

    refused = page.post("/api/runs", json={"kind": "plan"})
    assert refused.status_code == 409
    assert "不在工作区文件夹" in refused.json()["error"]
    assert sorted(p.name for p in outside.iterdir()) == ["passwd"]  # nothing written there
