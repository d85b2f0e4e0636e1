"""The page scripts share one set of request helpers (`fanpin` in static/app.js): none sends its own
requests or builds its own CSRF/file-name headers, and app.js is loaded before any page script."""

from __future__ import annotations

import re
from pathlib import Path

import fanpin_docs.web

WEB = Path(fanpin_docs.web.__file__).parent
STATIC = WEB / "static"


def page_scripts() -> dict[str, str]:
    scripts = {
        p.name: p.read_text(encoding="utf-8") for p in sorted(STATIC.glob("*.js")) if p.name != "app.js"
    }
    assert {"pages.js", "ledger.js", "runs.js", "results.js"} <= set(scripts)
    return scripts


def test_only_app_js_sends_requests() -> None:
    for name, text in page_scripts().items():
        for helper in ("fetch(", "X-CSRF-Token", "X-File-Name", "XMLHttpRequest", "response.json()"):
            assert helper not in text, f"{name} has its own {helper}; use fanpin.* from app.js"
    shared = (STATIC / "app.js").read_text(encoding="utf-8")
    for helper in ("request(", "getJson(", "post(", "sendFile(", "getPage(", "filterRows("):
        assert re.search(r"^  (async )?" + re.escape(helper), shared, re.MULTILINE), helper


def test_app_js_comes_before_every_page_script() -> None:
    base = (WEB / "templates" / "base.html").read_text(encoding="utf-8")
    assert base.index("/static/app.js") < base.index("{% block content %}")
    loaded = set()
    for template in (WEB / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for script in re.findall(r'src="/static/(\w+\.js)"', text):
            loaded.add(script)
            if script != "app.js" and not template.name.startswith("_"):
                assert text.startswith('{% extends "base.html" %}'), template.name
    assert set(page_scripts()) <= loaded
