"""The 工作区 page without a mouse: Tab reaches each workbook's upload, the 检查 button and every
generate button, and the focused control is visibly marked."""

from __future__ import annotations

from playwright.sync_api import Page

from browser_support import Server

UPLOADS = ("户籍监测名单", "帮扶措施台账", "培训考勤表", "项目申报表")
BUTTONS = ("检查", "生成明白卡", "生成培训文书", "生成项目申报", "生成实施方案", "生成通知公示")
MAX_TABS = 300

FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const label = element.labels && element.labels.length ? element.labels[0].innerText : '';
    return {
        tag: element.tagName.toLowerCase(), type: element.type || '', label: label.trim(),
        text: (element.innerText || '').trim(),
        marked: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
            || style.boxShadow !== 'none',
    };
}"""


def test_tab_reaches_uploads_and_generate_buttons(serve, page: Page) -> None:
    server: Server = serve()
    page.goto(server.url)
    uploads: dict[str, dict] = {}
    buttons: dict[str, dict] = {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if focused["tag"] == "input" and focused["type"] == "file":
            uploads.setdefault(focused["label"], focused)
        elif focused["tag"] == "button":
            buttons.setdefault(focused["text"], focused)
        if set(UPLOADS) <= uploads.keys() and set(BUTTONS) <= buttons.keys():
            break
    assert set(UPLOADS) <= uploads.keys(), sorted(uploads)
    assert set(BUTTONS) <= buttons.keys(), sorted(buttons)
    unmarked = [name for name in BUTTONS if not buttons[name]["marked"]]
    assert not unmarked, f"focus not visible on {unmarked}"
