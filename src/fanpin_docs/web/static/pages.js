// 工作区和检查页：上传（拖放或选择文件）、恢复旧版本、刷新检查状态、筛选问题表。
"use strict";

(function () {
  const MESSAGE_KEY = "fanpin-page-message";

  function show(element, text, kind) {
    if (!element) return;
    element.textContent = text;
    element.className = kind || "";
    element.hidden = !text;
  }

  function reloadWith(message) {
    sessionStorage.setItem(MESSAGE_KEY, message);
    location.reload();
  }

  async function uploadWorkbook(file, kind) {
    const where = document.getElementById(kind ? "message-" + kind : "page-message");
    show(where, "正在上传「" + file.name + "」…", "muted");
    const result = await fanpin.sendFile(kind ? "/api/inputs/" + kind : "/api/inputs", file);
    if (result.ok) reloadWith(result.data.message);
    else show(where, result.data.error, "problem");
  }

  async function uploadTemplate(file) {
    const message = document.getElementById("template-message");
    const problem = document.getElementById("template-problem");
    show(problem, "");
    show(message, "正在检查「" + file.name + "」…", "muted");
    const result = await fanpin.sendFile("/api/template", file);
    if (result.ok) {
      const notes = (result.data.notes || []).map((note, i) => "\n  " + (i + 1) + ". [提醒] " + note);
      reloadWith(result.data.message + notes.join(""));
    } else {
      show(message, "");
      show(problem, result.data.error, "problem");
    }
  }

  function upload(file, kind) {
    if (/\.docx$/i.test(file.name) && !kind) uploadTemplate(file);
    else uploadWorkbook(file, kind);
  }

  // Ask the server to check what changed; update every state shown.
  async function refreshStates(force) {
    const stale = document.querySelector('[data-state="stale"]');
    if (!stale && !force) return true;
    const result = await fanpin.post("/api/check", force ? { force: true } : undefined);
    if (!result.ok) {
      show(document.getElementById("page-message"), result.data.error, "problem");
      return false;
    }
    const states = result.data.kinds.slice();
    if (result.data.template) states.push({ kind: "template", ...result.data.template });
    for (const kind of states) {
      const element = document.getElementById("state-" + kind.kind);
      if (!element) continue;
      element.textContent = kind.text;
      element.dataset.state = kind.state;
      element.className = "state state-" + kind.state;
    }
    showFirstProblems(result.data.kinds.flatMap((kind) => kind.problems));
    return true;
  }

  // The 工作区 page's short problems table, as the server renders it (_problems.html).
  function showFirstProblems(problems) {
    const box = document.getElementById("first-problems");
    const body = document.getElementById("first-problems-rows");
    if (!box || !body) return;
    body.replaceChildren();
    body.append(...problems.map(fanpin.problemRow));
    box.hidden = problems.length === 0;
  }

  function setUpWorkspace() {
    for (const input of document.querySelectorAll('input[type="file"][data-kind]')) {
      input.addEventListener("change", () => {
        if (input.files.length) upload(input.files[0], input.dataset.kind);
      });
    }
    const template = document.getElementById("upload-template");
    if (template) {
      template.addEventListener("change", () => {
        if (template.files.length) uploadTemplate(template.files[0]);
      });
    }
    // Drop anywhere on the page: on a workbook's row it is for that workbook, elsewhere the kind is
    // decided by the content (a .docx is a card template).
    document.addEventListener("dragover", (event) => {
      event.preventDefault();
      const row = event.target.closest && event.target.closest("tr[data-kind]");
      for (const other of document.querySelectorAll(".drop-target")) other.classList.remove("drop-target");
      if (row) row.classList.add("drop-target");
    });
    document.addEventListener("dragleave", () => {
      for (const other of document.querySelectorAll(".drop-target")) other.classList.remove("drop-target");
    });
    document.addEventListener("drop", (event) => {
      event.preventDefault();
      const row = event.target.closest && event.target.closest("tr[data-kind]");
      for (const other of document.querySelectorAll(".drop-target")) other.classList.remove("drop-target");
      const files = event.dataTransfer ? Array.from(event.dataTransfer.files) : [];
      if (files.length !== 1) {
        show(document.getElementById("page-message"), "请一次拖入一个文件。", "problem");
        return;
      }
      upload(files[0], row ? row.dataset.kind : null);
    });
    for (const button of document.querySelectorAll("button[data-restore]")) {
      button.addEventListener("click", async () => {
        const kind = button.dataset.restore;
        if (!confirm("恢复旧版本「" + button.dataset.version + "」？现在的文件会保存为旧版本。")) return;
        const result = await fanpin.post("/api/inputs/" + kind + "/restore", { version: button.dataset.version });
        if (result.ok) reloadWith(result.data.message);
        else show(document.getElementById("message-" + kind), result.data.error, "problem");
      });
    }
    const templateProblem = document.getElementById("template-problem");
    for (const button of document.querySelectorAll("button[data-restore-template]")) {
      button.addEventListener("click", async () => {
        if (!confirm("恢复明白卡模板的旧版本「" + button.dataset.version + "」？现在的模板会保存为旧版本。")) return;
        const result = await fanpin.post("/api/template/restore", { version: button.dataset.version });
        if (result.ok) reloadWith(result.data.message);
        else show(templateProblem, result.data.error, "problem");
      });
    }
    const builtin = document.getElementById("builtin-template");
    if (builtin) {
      builtin.addEventListener("click", async () => {
        if (!confirm("改回内置的明白卡模板？工作区现在的模板会保存为旧版本。")) return;
        const result = await fanpin.post("/api/template/builtin", {});
        if (result.ok) reloadWith(result.data.message);
        else show(templateProblem, result.data.error, "problem");
      });
    }
    const check = document.getElementById("check-now");
    if (check) {
      check.addEventListener("click", async () => {
        check.disabled = true;
        show(document.getElementById("page-message"), "检查中…", "muted");
        if (await refreshStates(false)) location.href = "/check";
        check.disabled = false;
      });
    }
  }

  function setUpCheck() {
    const filter = document.getElementById("filter");
    const errorsOnly = document.getElementById("errors-only");
    const count = document.getElementById("shown-count");
    const rows = Array.from(document.querySelectorAll("#problems tbody tr"));
    function apply() {
      const keep = errorsOnly.checked ? (row) => row.dataset.severity === "error" : null;
      const { shown } = fanpin.filterRows(rows, filter.value, keep);
      count.textContent = shown === rows.length ? "共 " + rows.length + " 条" : "显示 " + shown + " / " + rows.length + " 条";
    }
    filter.addEventListener("input", apply);
    errorsOnly.addEventListener("change", apply);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const message = sessionStorage.getItem(MESSAGE_KEY);
    if (message) {
      sessionStorage.removeItem(MESSAGE_KEY);
      show(document.getElementById("page-message"), message, "success");
    }
    const onCheckPage = Boolean(document.getElementById("problems"));
    if (onCheckPage) setUpCheck();
    else setUpWorkspace();
    const stale = document.querySelector('[data-state="stale"]');
    if (stale && (await refreshStates(false)) && onCheckPage) location.reload();
  });
})();
