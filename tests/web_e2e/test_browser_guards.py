"""The 工作台's guards seen from a real browser: a page reached under another host name (DNS
rebinding) is refused, and a change sent without the page's CSRF token is refused and changes nothing."""

from __future__ import annotations

from playwright.sync_api import Page
from web_support import REBOUND_HOST, Server, screenshot


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
