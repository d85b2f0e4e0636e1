"""Every 工作台 download is named by the one Content-Disposition builder (`web.downloads.attachment`):
a plain ASCII fallback and the UTF-8 name, for a file of the output folder and a blank workbook alike."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from fanpin_docs.inputs.kinds import KINDS
from fanpin_docs.web.downloads import attachment
from web_pages_support import Page, new_workspace


def test_the_header_keeps_the_name_and_a_safe_fallback() -> None:
    name = '明白卡 "张三";\r\n/..\\(1).docx'
    header = attachment(name)
    assert "\r" not in header and "\n" not in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "____________..__1_.docx"
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name
    assert header.startswith('attachment; filename="') and header.count(";") == 2


def test_a_result_and_a_blank_workbook_are_named_alike(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    output = workspace / "output"
    output.mkdir()
    result = "培训 名单(1).xlsx"
    (output / result).write_bytes(b"PK not really a workbook")
    page = Page(workspace)

    served = page.get(f"/api/results/file?path={result}")
    assert served.status_code == 200
    assert served.headers["content-disposition"] == attachment(result)

    blank = page.get("/api/inputs/roster/blank")
    assert blank.status_code == 200
    assert blank.headers["content-disposition"] == attachment(f"{KINDS['roster'].label}-空白.xlsx")
