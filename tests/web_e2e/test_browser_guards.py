"""The 工作台's guards seen from a real browser: a page reached under another host name (DNS
rebinding) is refused; a change sent without the page's CSRF token, and a program renamed as a
workbook, are refused and change nothing in the workspace; with a password, a page asks to sign in
first and then shows the page the clerk was going to."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from browser_support import REBOUND_HOST, Server, screenshot
from cards_support import write_inputs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_first_page_opens_on_the_printed_address(serve, page: Page) -> None:
    server: Server = serve()
    assert (server.workspace / "fanpin.toml").is_file()  # a new folder was made a workspace
    response = page.goto(server.url)
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "工作区"
    navigation = page.get_by_role("navigation", name="主导航")
    for label in ("工作区", "检查", "生成", "结果", "台账"):
        assert navigation.get_by_role("link", name=label, exact=True).is_visible()
    screenshot(page, "工作区-新建")


def test_a_rebound_host_name_is_refused(serve, page: Page) -> None:
    """`rebound.example` resolves to 127.0.0.1 in this browser (as an attacker's DNS would make it):
    the server answers with a refusal, not the page."""
    server: Server = serve()
    port = server.host.rsplit(":", 1)[1]
    response = page.goto(f"http://{REBOUND_HOST}:{port}/")
    assert response is not None and response.status == 400
    body = page.locator("body").inner_text()
    assert "拒绝访问" in body and "Host" in body
    assert "工作区" not in body and str(server.workspace) not in body
    assert not page.context.cookies()  # no session handed out


def workspace_files(workspace: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(workspace)): p.read_bytes() for p in sorted(workspace.rglob("*")) if p.is_file()
    }


def test_a_change_without_the_csrf_token_is_refused(serve, page: Page, tmp_path: Path) -> None:
    """The page's own script sends the token; the same upload from the page without it is refused
    and changes nothing in the workspace."""
    server: Server = serve()
    roster, _ = write_inputs(tmp_path / "输入")
    page.goto(server.url)
    before = workspace_files(server.workspace)
    answer = page.evaluate(
        """async bytes => {
            const response = await fetch('/api/inputs/roster', {
                method: 'POST', body: new Uint8Array(bytes),
                headers: {'X-File-Name': encodeURIComponent('户籍监测名单.xlsx'), Accept: 'application/json'}});
            return {status: response.status, body: await response.json()};
        }""",
        list(roster.read_bytes()),
    )
    assert answer["status"] == 403, answer
    assert "CSRF" in answer["body"]["error"]
    assert workspace_files(server.workspace) == before


def test_a_renamed_program_is_refused(serve, page: Page) -> None:
    """A Windows program renamed 户籍监测名单.xlsx: the kind is decided by the content, so it is refused
    with a Chinese message beside the upload, and nothing in the workspace changes."""
    server: Server = serve()
    page.goto(server.url)
    before = workspace_files(server.workspace)
    program = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" * 64
    )
    with page.expect_response(lambda response: "/api/inputs" in response.url) as sent:
        page.get_by_label("户籍监测名单", exact=True).set_input_files(
            {"name": "户籍监测名单.xlsx", "mimeType": XLSX, "buffer": program}
        )
    assert sent.value.status == 400
    row = page.get_by_role("row").filter(has=page.get_by_label("户籍监测名单", exact=True))
    expect(row).to_contain_text("不是 Excel 工作簿")
    message = row.inner_text()
    assert "户籍监测名单.xlsx" in message and "Traceback" not in message
    assert workspace_files(server.workspace) == before
    screenshot(page, "工作区-拒绝改名的程序")


def test_with_a_password_every_page_asks_to_sign_in_first(serve, page: Page, tmp_path: Path) -> None:
    secret = tmp_path / "密码.txt"
    secret.write_text("青山镇-2024\n", encoding="utf-8")
    server: Server = serve(None, "--password-file", str(secret))
    page.goto(server.url + "results")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("结果")
    password = page.get_by_label("密码", exact=True)
    expect(password).to_be_visible()
    screenshot(page, "登录")
    password.fill("青山镇-2024")
    with page.expect_navigation():
        password.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("结果")  # back where the clerk was going
