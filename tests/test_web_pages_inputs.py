"""The 工作区 page: the four workbooks' states, uploads (kind by content, size limit, wrong kind, a
renamed program), earlier versions and their restore, blank workbooks and the card template."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from fanpin_docs.web import uploads
from web_pages_support import BAD_ID, GOOD_IDS, Page, leftovers, new_workspace, roster_bytes, text_of

LABELS = ("户籍监测名单", "帮扶措施台账", "培训考勤表", "项目申报表")

EXAMPLE_ONLY = "✓ 1 条记录，1 处提醒"  # a blank workbook: its example row, named in a warning


def states(page: Page) -> dict[str, str]:
    html = page.html("/")
    return {
        kind: text_of(html.get_element_by_id(f"state-{kind}"))
        for kind in ("roster", "measures", "training", "projects")
    }


def test_each_workbook_has_an_upload_labelled_with_its_name(tmp_path: Path) -> None:
    html = Page(new_workspace(tmp_path)).html("/")
    labels = {text_of(label): label.get("for") for label in html.iter("label")}
    for label in LABELS:
        target = html.get_element_by_id(labels[label])
        assert target.tag == "input" and target.get("type") == "file"
    assert [text_of(b) for b in html.iter("button") if text_of(b) == "检查"] == ["检查"]


def test_states_before_and_after_an_upload_with_an_error(tmp_path: Path) -> None:
    page = Page(new_workspace(tmp_path))
    assert set(states(page).values()) == {"检查中…"}  # nothing read yet: the page asks /api/check
    checked = page.check()
    assert {kind: checked[kind]["text"] for kind in checked} == dict.fromkeys(
        ("roster", "measures", "training", "projects"), EXAMPLE_ONLY
    )
    for kind in checked:  # the blank workbooks' example row is named: documents would include it
        [example] = checked[kind]["problems"]
        assert (example["row"], example["error"]) == (2, False) and "空白表自带的示例行" in example["message"]
    answer = page.upload("/api/inputs/roster", roster_bytes(tmp_path, bad=True), "十二月名单.xlsx")
    assert answer.status_code == 200, answer.text
    assert "已保存为户籍监测名单「户籍监测名单.xlsx」" in answer.json()["message"]
    assert states(page)["roster"] == "检查中…"
    roster = page.check()["roster"]
    assert (roster["state"], roster["text"], roster["file"]) == ("errors", "1 处错误", "户籍监测名单.xlsx")
    [problem] = roster["problems"]
    place = (problem["file"], problem["sheet"], problem["row"], problem["column"])
    assert place == ("户籍监测名单.xlsx", "Sheet1", 4, "证件号码")
    shown = states(page)
    assert shown["roster"] == "1 处错误"
    rows = page.html("/").get_element_by_id("first-problems-rows").findall("tr")
    places = [[text_of(td) for td in row.findall("td")][:4] for row in rows]
    assert places[0] == ["户籍监测名单.xlsx", "Sheet1", "4", "证件号码"]  # errors first, then the examples
    assert {place[2] for place in places[1:]} == {"2"}
    assert shown["projects"] == EXAMPLE_ONLY  # not read again, still known
    # the fixed roster: the error is gone
    page.upload("/api/inputs/roster", roster_bytes(tmp_path, bad=False), "名单-改好.xlsx")
    assert page.check()["roster"]["text"] == "✓ 2 条记录"
    rows = page.html("/").get_element_by_id("first-problems-rows").findall("tr")
    assert "户籍监测名单.xlsx" not in [text_of(row.find("td")) for row in rows]


def test_the_page_shows_the_cached_state_without_reading_a_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = Page(new_workspace(tmp_path))
    page.check()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page read a workbook")

    monkeypatch.setattr("fanpin_docs.web.checking.check_workbooks", refuse)
    assert states(page)["roster"] == EXAMPLE_ONLY
    assert page.check()["training"]["text"] == EXAMPLE_ONLY  # nothing changed: nothing read


def test_a_workbook_dropped_anywhere_is_stored_as_the_kind_it_is(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    measures = (workspace / "帮扶措施台账.xlsx").read_bytes()
    answer = page.upload("/api/inputs", measures, "台账（新）.xlsx")
    assert answer.status_code == 200, answer.text
    assert answer.json()["kind"] == "measures"
    assert (workspace / "帮扶措施台账.xlsx").read_bytes() == measures
    assert not (workspace / "台账（新）.xlsx").exists()  # stored under the workspace's name only


def test_a_workbook_on_the_wrong_input_is_refused(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    before = (workspace / "户籍监测名单.xlsx").read_bytes()
    answer = page.upload("/api/inputs/roster", (workspace / "帮扶措施台账.xlsx").read_bytes(), "台账.xlsx")
    assert answer.status_code == 400
    assert answer.json()["error"] == (
        "「台账.xlsx」是帮扶措施台账，不是户籍监测名单，没有保存。请把它放到「帮扶措施台账」一栏。"
    )
    assert (workspace / "户籍监测名单.xlsx").read_bytes() == before
    assert not (workspace / "旧版本").exists() and leftovers(workspace) == []


def test_a_program_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    before = sorted(p.name for p in workspace.iterdir())
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 40
    for url in ("/api/inputs", "/api/inputs/roster"):
        answer = page.upload(url, program, "名单.xlsx")
        assert answer.status_code == 400
        assert answer.json()["error"].startswith("「名单.xlsx」没有保存：文件已损坏，或者并不是 Excel 工作簿")
    answer = page.upload("/api/inputs", program, "setup.exe")
    assert answer.status_code == 400 and "（.exe）不能使用" in answer.json()["error"]
    assert "在 Excel 或 WPS 中另存为" in answer.json()["error"]  # Word saves no workbook
    template = page.upload("/api/template", program, "卡.xlsx")
    assert (
        template.status_code == 400
        and "请上传 .docx 文件（在 Word 或 WPS 中另存为" in template.json()["error"]
    )
    assert sorted(p.name for p in workspace.iterdir()) == before and leftovers(workspace) == []


def test_an_abandoned_upload_folder_is_removed_by_the_next_upload(tmp_path: Path) -> None:
    import os

    workspace = new_workspace(tmp_path)
    abandoned = workspace / ".fanpin-upload-killed"
    abandoned.mkdir()
    (abandoned / "名单.xlsx").write_bytes(b"half")
    os.utime(abandoned, (0, 0))
    Page(workspace).upload("/api/inputs/roster", roster_bytes(tmp_path, bad=False), "名单.xlsx")
    assert leftovers(workspace) == []


def test_an_upload_past_the_size_limit_is_refused_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert uploads.MAX_UPLOAD == 50 * 1024 * 1024
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    roster = roster_bytes(tmp_path, bad=False)
    monkeypatch.setattr(uploads, "MAX_UPLOAD", len(roster) - 1)
    before = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}

    def chunks():  # type: ignore[no-untyped-def]
        for start in range(0, len(roster), 1000):  # streamed: no Content-Length to refuse it by
            yield roster[start : start + 1000]

    for body in (roster, chunks()):
        answer = page.post("/api/inputs/roster", content=body, headers={"X-File-Name": "big.xlsx"})
        assert answer.status_code == 413
        assert "文件超过" in answer.json()["error"] and "没有保存" in answer.json()["error"]
    assert {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()} == before
    assert leftovers(workspace) == []


def test_the_replaced_version_is_kept_and_can_be_restored(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    blank = (workspace / "户籍监测名单.xlsx").read_bytes()
    first, second = roster_bytes(tmp_path, bad=True), roster_bytes(tmp_path, bad=False)
    page.upload("/api/inputs/roster", first, "a.xlsx")
    answer = page.upload("/api/inputs/roster", second, "b.xlsx")
    assert "原来的文件保存为旧版本「户籍监测名单-" in answer.json()["message"]
    versions = sorted((workspace / "旧版本").iterdir())
    assert sorted(v.read_bytes() for v in versions) == sorted([blank, first])
    html = page.html("/")
    buttons = [b for b in html.iter("button") if b.get("data-restore") == "roster"]
    assert sorted(b.get("data-version") for b in buttons) == [v.name for v in versions]
    older = next(v.name for v in versions if v.read_bytes() == first)
    answer = page.post("/api/inputs/roster/restore", json={"version": older})
    assert answer.status_code == 200, answer.text
    assert (workspace / "户籍监测名单.xlsx").read_bytes() == first
    kept = sorted(v.read_bytes() for v in (workspace / "旧版本").iterdir())
    assert kept == sorted([blank, second])  # the current one kept as a dated copy too
    assert page.check()["roster"]["text"] == "1 处错误"
    for name in (older, "../fanpin.toml", "户籍监测名单.xlsx"):
        refused = page.post("/api/inputs/roster/restore", json={"version": name})
        assert refused.status_code == 400 and "没有找到" in refused.json()["error"]
    assert (workspace / "户籍监测名单.xlsx").read_bytes() == first


def test_blank_workbooks_and_the_card_template_download_as_init_writes_them(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    for kind, label in zip(("roster", "measures", "training", "projects"), LABELS, strict=True):
        answer = page.get(f"/api/inputs/{kind}/blank")
        assert answer.status_code == 200
        assert answer.content == (workspace / f"{label}.xlsx").read_bytes()
        assert "filename*=UTF-8''" in answer.headers["content-disposition"]
    template = page.get("/api/template")
    assert template.content == (workspace / "templates" / "明白卡.docx").read_bytes()


def _docx(path: Path, *paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path.read_bytes()


def _template_page(tmp_path: Path) -> tuple[Path, Page, Path, bytes]:
    """A new workspace, its page, its card template and that template's bytes before anything is sent."""
    workspace = new_workspace(tmp_path)
    current = workspace / "templates" / "明白卡.docx"
    return workspace, Page(workspace), current, current.read_bytes()


def test_a_template_with_an_unknown_field_is_refused_with_its_place(tmp_path: Path) -> None:
    workspace, page, current, before = _template_page(tmp_path)
    bad = _docx(tmp_path / "bad.docx", "户主：{{ household.head }}", "{{ household.nosuch }}")
    answer = page.upload("/api/template", bad, "我的明白卡.docx")
    assert answer.status_code == 400
    message = answer.json()["error"]
    assert message.startswith("新模板没有启用，仍使用原来的模板。")
    assert "模板「我的明白卡.docx」第 2 段的 {{ household.nosuch }}" in message
    assert current.read_bytes() == before and leftovers(workspace) == []


def test_an_earlier_template_or_the_built_in_one_can_be_put_back(tmp_path: Path) -> None:
    """Each kept version has its 恢复 button, checked as an upload is; 改回内置模板 brings the shipped one."""
    from fanpin_docs.settings import Settings
    from fanpin_docs.templating.rendering import find_template

    workspace, page, current, original = _template_page(tmp_path)
    good = _docx(tmp_path / "good.docx", "户主：{{ household.head }}", "合计 {{ policy_total }} 元")
    assert page.upload("/api/template", good, "新卡.docx").status_code == 200
    html = page.html("/")
    [kept] = [
        b.get("data-version") for b in html.iter("button") if b.get("data-restore-template") is not None
    ]
    assert [text_of(b) for b in html.iter("button") if b.get("id") == "builtin-template"] == ["改回内置模板"]

    answer = page.post("/api/template/restore", json={"version": kept})
    assert answer.status_code == 200, answer.text
    assert answer.json()["message"].startswith(
        f"已恢复明白卡模板的旧版本「{kept}」，恢复前的模板保存为旧版本"
    )
    assert current.read_bytes() == original

    blank = _docx(tmp_path / "blank.docx", "测试")
    stray = workspace / "旧版本" / "明白卡-20230101-080000.docx"  # an old template from before the check
    stray.write_bytes(blank)
    refused = page.post("/api/template/restore", json={"version": stray.name})
    assert refused.status_code == 400 and refused.json()["error"].startswith(
        "旧版本没有恢复，仍使用原来的模板。"
    )
    assert "没有用到任何一户的字段" in refused.json()["error"] and current.read_bytes() == original

    current.write_bytes(good)
    assert page.post("/api/template/builtin", json={}).status_code == 200
    assert current.read_bytes() == find_template("明白卡.docx", Settings()).read_bytes()
    assert good in [v.read_bytes() for v in (workspace / "旧版本").glob("明白卡-*.docx")]
    assert leftovers(workspace) == [] and not list((workspace / "templates").glob(".fanpin-*"))


def test_a_template_without_any_field_of_a_household_is_refused(tmp_path: Path) -> None:
    """A document saved over the template (a blank one, a note): each card would be that same page."""
    workspace, page, current, before = _template_page(tmp_path)
    for name, texts in (("测试.docx", ("测试",)), ("只有村名.docx", ("{{ village }}明白卡", "{{ year }}年"))):
        answer = page.upload("/api/template", _docx(tmp_path / name, *texts), name)
        assert answer.status_code == 400, answer.text
        message = answer.json()["error"]
        assert "没有用到任何一户的字段" in message and f"「{name}」" in message
        assert current.read_bytes() == before and leftovers(workspace) == []


def test_a_good_template_is_taken_and_the_old_one_kept(tmp_path: Path) -> None:
    workspace, page, current, before = _template_page(tmp_path)
    good = _docx(tmp_path / "good.docx", "户主：{{ household.head }}", "合计 {{ policy_total }} 元")
    answer = page.upload("/api/template", good, "新卡.docx")
    assert answer.status_code == 200, answer.text
    assert answer.json()["message"].startswith("新模板「新卡.docx」已启用（标签都可以使用，试填一张卡正常）")
    assert current.read_bytes() == good
    assert [v.read_bytes() for v in (workspace / "旧版本").glob("明白卡-*.docx")] == [before]


def test_the_policy_in_use_is_shown_with_its_rules_and_assumed_values(tmp_path: Path) -> None:
    section = Page(new_workspace(tmp_path)).html("/").get_element_by_id("policy-heading").getparent()
    html = text_of(section)
    assert "黔江区2023年防返贫保增收政策措施" in html and "监测范围：人均纯收入 7,000 元" in html
    rows = [[text_of(cell) for cell in row.iter("td")] for row in section.iter("tr")]
    assert ["产业到户补助", "按投入的 80%，每户每年最高 2,000 元", "验收达标", "区乡村振兴局"] in rows
    assert "补充设定" in html and "7000 元为占位值" in html


def test_no_full_id_number_in_any_response(tmp_path: Path) -> None:
    page = Page(new_workspace(tmp_path))
    page.upload("/api/inputs/roster", roster_bytes(tmp_path, bad=True), "名单.xlsx")
    page.check()
    for url in ("/", "/check"):
        page.get(url)
    assert any(BAD_ID[:6] + "********" + BAD_ID[-4:] in text for text in page.texts)  # shown, masked
    for number in (*GOOD_IDS, BAD_ID):
        assert not any(number in text for text in page.texts)


def test_a_workbook_the_settings_do_not_name_is_stored_and_named_there(tmp_path: Path) -> None:
    from fanpin_docs.settings import load_settings

    workspace = new_workspace(tmp_path)
    text = (workspace / "fanpin.toml").read_text(encoding="utf-8")
    (workspace / "fanpin.toml").write_text(
        text.replace('projects = "项目申报表.xlsx"', 'projects = ""'), "utf-8"
    )
    (workspace / "项目申报表.xlsx").rename(tmp_path / "projects.xlsx")
    page = Page(workspace)
    assert states(page)["projects"] == "还没有这个文件"
    answer = page.upload("/api/inputs", (tmp_path / "projects.xlsx").read_bytes(), "项目.xlsx")
    assert answer.status_code == 200, answer.text
    assert load_settings(workspace).input_path("projects", None) == workspace / "项目申报表.xlsx"
    assert page.check()["projects"]["text"] == EXAMPLE_ONLY


def test_a_very_long_file_name_keeps_its_extension(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    name = "城东街道" + "十二月防返贫监测名单" * 30 + ".xlsx"  # 304 characters
    answer = page.upload("/api/inputs/roster", roster_bytes(tmp_path, bad=False), name)
    assert answer.status_code == 200, answer.text
    assert "已保存为户籍监测名单「户籍监测名单.xlsx」" in answer.json()["message"]
    refused = page.upload("/api/inputs/roster", b"MZ\x90\x00", "程序" * 200 + ".exe")
    assert refused.status_code == 400 and "（.exe）不能使用" in refused.json()["error"]
