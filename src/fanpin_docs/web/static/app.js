// 工作台的公共脚本：发送带安全令牌（CSRF）的请求。
"use strict";

const fanpin = {
  csrfToken() {
    return document.querySelector('meta[name="csrf-token"]').content;
  },
  // POST with the session's CSRF token; `body` is a FormData, an object (sent as JSON) or nothing.
  async post(url, body) {
    const headers = { "X-CSRF-Token": fanpin.csrfToken(), Accept: "application/json" };
    let payload = body;
    if (body && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const response = await fetch(url, { method: "POST", headers, body: payload, credentials: "same-origin" });
    let data = {};
    try {
      data = await response.json();
    } catch (_) {
      data = { error: "服务器返回的内容无法识别，请刷新页面后重试。" };
    }
    if (!response.ok && !data.error) data.error = "操作没有完成（" + response.status + "）。";
    return { ok: response.ok, status: response.status, data };
  },
};
window.fanpin = fanpin;
