// 工作台的公共脚本：发送带安全令牌（CSRF）的请求、上传文件、读取回答、筛选表格的行。
// 各页的脚本（pages.js、ledger.js、runs.js、results.js）都用这里的 fanpin 对象，不再各写一份。
"use strict";

const fanpin = {
  csrfToken() {
    return document.querySelector('meta[name="csrf-token"]').content;
  },

  // fetch, then the answer as {ok, status, data}: data is the JSON the server sent (its Chinese
  // `error` when refused), or an error of our own when the answer is not JSON.
  async request(url, options, failed) {
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", ...options });
    } catch (_) {
      return { ok: false, status: 0, data: { error: "无法连接工作台：确认它还在运行，然后刷新页面。" } };
    }
    let data = {};
    try {
      data = await response.json();
    } catch (_) {
      data = { error: "服务器返回的内容无法识别，请刷新页面后重试。" };
    }
    if (!response.ok && !data.error) data.error = (failed || "操作没有完成") + "（" + response.status + "）。";
    return { ok: response.ok, status: response.status, data };
  },

  // GET a JSON answer.
  getJson(url) {
    return fanpin.request(url, { headers: { Accept: "application/json" } });
  },

  // POST with the session's CSRF token; `body` is a FormData, an object (sent as JSON) or nothing.
  post(url, body) {
    const headers = { "X-CSRF-Token": fanpin.csrfToken(), Accept: "application/json" };
    let payload = body;
    if (body && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    return fanpin.request(url, { method: "POST", headers, body: payload });
  },

  // POST one file as the request body, its name in X-File-Name (web/uploads.py); the server decides
  // where it is kept.
  sendFile(url, file) {
    const headers = {
      "X-CSRF-Token": fanpin.csrfToken(),
      "X-File-Name": encodeURIComponent(file.name),
      Accept: "application/json",
    };
    return fanpin.request(url, { method: "POST", headers, body: file }, "上传没有完成");
  },

  // The page at `url` (this page again, say) as a document, or null when it could not be loaded.
  async getPage(url) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return null;
      return new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (_) {
      return null;
    }
  },

  // Hide the rows that do not hold every word of `query` (or that `keep` refuses); returns how many
  // are shown and whether any word was typed.
  filterRows(rows, query, keep) {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const text = row.textContent.toLowerCase();
      const visible = (!keep || keep(row)) && words.every((word) => text.includes(word));
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    return { shown, filtered: words.length > 0 };
  },

  // One problem as a table row, as the server renders it (_problems.html): place, value, 错误/提醒
  // with the message, and the fix, each in its own cell; `p` is web/checking.problem_json's shape.
  problemRow(p) {
    const row = document.createElement("tr");
    const severity = p.error ? "error" : "warning";
    row.dataset.severity = severity;
    for (const value of [p.file, p.sheet, p.row === null ? "" : String(p.row), p.column, p.value]) {
      row.insertCell().textContent = value;
    }
    const tag = document.createElement("span");
    tag.className = "tag tag-" + severity;
    tag.textContent = p.error ? "错误" : "提醒";
    row.insertCell().append(tag, " " + p.message);
    row.insertCell().textContent = p.hint;
    return row;
  },

  // A whole problems table (header and rows), for an answer that refuses a file.
  problemsTable(problems) {
    const table = document.createElement("table");
    table.className = "problems";
    const head = table.createTHead().insertRow();
    for (const title of ["文件", "工作表", "行", "列", "原值", "问题", "怎么改"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = title;
      head.appendChild(th);
    }
    table.createTBody().append(...problems.map(fanpin.problemRow));
    return table;
  },
};
window.fanpin = fanpin;
