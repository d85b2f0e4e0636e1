"""The 检查 page (the problems table, its filters, the marked copy) and the settings form."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from fanpin_docs.settings import load_settings
from web_pages_support import BAD_ID, Page, leftovers, new_workspace, roster_bytes, text_of

HEADERS = ["文件", "工作表", "行", "列", "原值", "问题", "怎么改"]


def page_with_a_bad_roster(tmp_path: Path) -> Page:
    page = Page(new_workspace(tmp_path))
    assert page.upload("/api/inputs/roster", roster_bytes(tmp_path, bad=True), "名单.xlsx").status_code == 200
    return page


def test_the_problems_table_names_file_sheet_row_and_column(tmp_path: Path) -> None:
    page = page_with_a_bad_roster(tmp_path)
    waiting = page.html("/check")
    assert "检查中" in text_of(waiting.get_element_by_id("check-waiting"))
    page.check()
    html = page.html("/check")
    table = html.get_element_by_id("problems")
    assert [text_of(th) for th in table.iter("th")] == HEADERS
    rows = [[text_of(td) for td in tr.iter("td")] for tr in table.iter("tr") if tr.get("data-severity")]
    assert [r[0] for r in rows].count("户籍监测名单.xlsx") == 1  # the others: the blank workbooks' examples
    file, sheet, row, column, value, message, hint = rows[0]
    assert (file, sheet, row, column) == ("户籍监测名单.xlsx", "Sheet1", "4", "证件号码")
    assert value == BAD_ID[:6] + "********" + BAD_ID[-4:]
    assert message.startswith("错误 ") and "校验" in message
    assert hint
    labels = {text_of(label): label for label in html.iter("label")}
    assert html.get_element_by_id(labels["筛选"].get("for")).get("type") == "search"
    assert labels["只看错误"].find("input").get("type") == "checkbox"
    summary = text_of(html.get_element_by_id("state-roster"))
    assert summary == "1 处错误"


def test_the_marked_copy_has_the_comment_on_the_right_cell(tmp_path: Path) -> None:
    page = page_with_a_bad_roster(tmp_path)
    page.check()
    uploaded = (page.workspace / "户籍监测名单.xlsx").read_bytes()
    links = [a for a in page.html("/check").iter("a") if text_of(a) == "下载标注版"]
    assert links[0].get("href") == "/api/check/roster/marked"  # (the others mark the examples)
    answer = page.get(links[0].get("href"))
    assert answer.status_code == 200
    assert "filename*=UTF-8''" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet["G1"].value == "证件号码"
    marked = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.comment]
    assert marked == ["G4"]
    assert "校验" in sheet["G4"].comment.text
    assert sheet["G4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert leftovers(page.workspace) == []
    assert (page.workspace / "户籍监测名单.xlsx").read_bytes() == uploaded  # the user's file untouched


def test_a_workbook_without_problems_has_no_marked_copy(tmp_path: Path) -> None:
    page = Page(new_workspace(tmp_path))
    assert (
        page.upload("/api/inputs/roster", roster_bytes(tmp_path, bad=False), "名单.xlsx").status_code == 200
    )
    page.check()
    links = [a.get("href") for a in page.html("/check").iter("a") if text_of(a) == "下载标注版"]
    assert "/api/check/roster/marked" not in links
    answer = page.get("/api/check/roster/marked")
    assert answer.status_code == 404 and "没有发现问题" in answer.json()["error"]


def field(html, key: str):  # type: ignore[no-untyped-def]
    """The form field of a setting: its label, input and the error shown beside it."""
    box = next(div for div in html.find_class("field") if div.find("input").get("name") == key)
    errors = box.find_class("field-error")
    return box.find("input"), (text_of(errors[0]) if errors else "")


def test_a_wrong_setting_is_refused_with_the_error_beside_its_field(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    before = (workspace / "fanpin.toml").read_bytes()
    values = {
        "csrf_token": page.token,
        "township.township": "城西街道",
        "township.year": "二〇二四",
        "calendar.publicity_days": "0",
        "documents.date": "2024-13-01",
    }
    answer = page.client.post("/settings", data=values)
    assert answer.status_code == 422
    import lxml.html

    html = lxml.html.fromstring(answer.text)
    year, year_error = field(html, "township.year")
    assert year.get("value") == "二〇二四" and year.get("aria-invalid") == "true"
    assert year_error == "应为数字，实际为「二〇二四」"
    assert field(html, "calendar.publicity_days")[1] == "数值超出范围：应不小于 1，实际为「0」"
    assert field(html, "documents.date")[1].startswith("日期应写作 2024-04-30")
    assert field(html, "township.township") == (field(html, "township.township")[0], "")
    assert field(html, "township.township")[0].get("value") == "城西街道"  # what was typed is kept
    assert (workspace / "fanpin.toml").read_bytes() == before


def test_a_policy_no_policy_file_has_is_refused_beside_its_field(tmp_path: Path) -> None:
    """「黔江」 is not a policy: told beside the field, not 「设置已保存」 with the error further down."""
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    before = (workspace / "fanpin.toml").read_bytes()
    form = next(f for f in page.html("/").forms if f.action == "/settings#settings")
    values = {name: value or "" for name, value in form.form_values()} | {"township.policy": "黔江"}
    answer = page.client.post("/settings", data=values, follow_redirects=False)
    assert answer.status_code == 422
    import lxml.html

    policy, error = field(lxml.html.fromstring(answer.text), "township.policy")
    assert policy.get("value") == "黔江" and policy.get("aria-invalid") == "true"
    assert "没有名为「黔江」的政策" in error and "qianjiang-2023" in error
    assert (workspace / "fanpin.toml").read_bytes() == before


def test_a_valid_form_is_saved_and_read_back_by_load_settings(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    html = page.html("/")
    form = next(f for f in html.forms if f.action == "/settings#settings")
    values = {name: value or "" for name, value in form.form_values()}
    assert values["township.policy"] == "qianjiang-2023" and values["township.year"] == "2023"
    choices = html.get_element_by_id("setting-township-policy-choices")
    assert [option.get("value") for option in choices.iter("option")] == [
        "fengjie-2022",
        "heping-2024",
        "qianjiang-2023",
    ]
    values |= {
        "township.township": "城西街道",
        "documents.date": "2023-05-06",
        "calendar.holidays": "2023-05-08, 2023-05-09",
        "funds.allocation": "3000000.50",
    }
    answer = page.client.post("/settings", data=values, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/?saved=settings")
    settings = load_settings(workspace)
    assert settings.township.township == "城西街道" and settings.township.policy == "qianjiang-2023"
    assert str(settings.documents.date) == "2023-05-06"
    assert [str(day) for day in settings.calendar.holidays] == ["2023-05-08", "2023-05-09"]
    assert settings.allocation == Decimal("3000000.50")
    assert settings.calendar.publicity_days == 5
    text = (workspace / "fanpin.toml").read_text(encoding="utf-8")
    assert "# 乡镇（街道）名称" in text  # written as fanpin init writes it, with its comments
    shown = page.html("/?saved=settings")
    assert field(shown, "township.township")[0].get("value") == "城西街道"
    assert "设置已保存" in text_of(shown)


def test_the_form_needs_the_page_token(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    before = (workspace / "fanpin.toml").read_bytes()
    answer = page.client.post("/settings", data={"township.township": "别处"})
    assert answer.status_code == 403
    assert (workspace / "fanpin.toml").read_bytes() == before


def test_a_broken_settings_file_is_said_and_nothing_is_checked(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    (workspace / "fanpin.toml").write_text("[township\n", encoding="utf-8")
    page = Page(workspace)
    html = page.html("/")
    assert "格式错误" in text_of(html)
    assert text_of(html.get_element_by_id("state-roster")) == "无法检查（见上方的说明）"
    assert {kind["state"] for kind in page.check().values()} == {"unchecked"}


def test_the_workspace_card_template_is_checked_as_fanpin_check_does(tmp_path: Path) -> None:
    from docx import Document

    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    page.check()
    assert (
        text_of(page.html("/check").get_element_by_id("state-template")) == "✓ 标签都可以使用，试填一张卡正常"
    )
    document = Document()
    document.add_paragraph("{{ household.head }}")
    document.add_paragraph("{{ household.nosuch }}")
    document.save(workspace / "templates" / "明白卡.docx")  # edited in Word, not through the page
    assert text_of(page.html("/check").get_element_by_id("state-template")) == "检查中…"
    answer = page.post("/api/check").json()["template"]
    assert answer["state"] == "errors"
    assert "模板「明白卡.docx」第 2 段的 {{ household.nosuch }}" in answer["text"]
    shown = text_of(page.html("/").get_element_by_id("state-template"))
    assert "第 2 段的 {{ household.nosuch }}" in shown


def test_a_control_character_in_the_form_is_refused_beside_its_field(tmp_path: Path) -> None:
    import lxml.html

    workspace = new_workspace(tmp_path)
    page = Page(workspace)
    before = (workspace / "fanpin.toml").read_bytes()
    form = next(f for f in page.html("/").forms if f.action == "/settings#settings")
    values = {name: value or "" for name, value in form.form_values()}
    values |= {"inputs.roster": "a\x00.xlsx", "township.county": "重庆市\x00黔江区"}
    answer = page.client.post("/settings", data=values)
    assert answer.status_code == 422
    html = lxml.html.fromstring(answer.text)
    assert field(html, "inputs.roster")[1].startswith("含有看不见的控制字符（U+0000）")
    assert field(html, "township.county")[1].startswith("含有看不见的控制字符（U+0000）")
    assert (workspace / "fanpin.toml").read_bytes() == before
    for url in ("/", "/check"):
        assert page.get(url).status_code == 200


def test_a_nul_written_into_fanpin_toml_by_hand_leaves_the_pages_usable(tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    text = (workspace / "fanpin.toml").read_text(encoding="utf-8")
    (workspace / "fanpin.toml").write_text(
        text.replace('roster = "户籍监测名单.xlsx"', 'roster = "a\\u0000.xlsx"'), "utf-8"
    )
    page = Page(workspace)
    html = page.html("/")
    assert "[inputs.roster]：含有看不见的控制字符（U+0000）" in text_of(html)
    assert field(html, "inputs.roster")[1].startswith("含有看不见的控制字符")  # fixable from the form
    assert page.get("/check").status_code == 200
    assert {kind["state"] for kind in page.check().values()} == {"unchecked"}


def test_a_path_with_a_nul_is_taken_for_an_absent_file() -> None:
    from fanpin_docs.web.checking import _stat

    assert _stat(Path("a\x00.xlsx")) is None
