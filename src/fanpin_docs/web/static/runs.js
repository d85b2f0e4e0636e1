// 生成：按钮提交一次生成，轮询 /api/runs/<id> 显示进度，取消，显示结果摘要。
"use strict";

(function () {
  const section = document.querySelector("[data-runs]");
  if (!section) return;
  const box = section.querySelector("[data-run]");
  const refused = section.querySelector("[data-run-refused]");
  const bar = box.querySelector("progress");
  const cancel = box.querySelector("[data-run-cancel]");
  const buttons = section.querySelectorAll(".run-form button[type=submit]");
  let timer = null;
  let currentId = null;

  function text(selector, value) {
    box.querySelector(selector).textContent = value;
  }

  function list(items, className) {
    const ul = document.createElement("ul");
    if (className) ul.className = className;
    for (const item of items) {
      const li = document.createElement("li");
      li.textContent = item;
      ul.appendChild(li);
    }
    return ul;
  }

  function showSummary(run) {
    const region = box.querySelector("[data-run-summary]");
    region.replaceChildren();
    if (run.state !== "done" || !run.summary) return;
    const summary = run.summary;
    const head = document.createElement("p");
    head.className = "success";
    head.textContent = "✓ " + run.label + "完成：共 " + summary.file_count + " 个文件，用时 " + run.seconds + " 秒。";
    region.appendChild(head);
    region.appendChild(list(summary.lines));
    if (summary.notes.length) {
      const title = document.createElement("p");
      title.textContent = "提示（" + summary.notes.length + " 条）：";
      region.appendChild(title);
      region.appendChild(list(summary.notes, "run-notes"));
    }
    const link = document.createElement("a");
    link.href = "/results";
    link.textContent = "到「结果」查看和下载";
    region.appendChild(link);
  }

  function show(run) {
    if (!run) return;
    currentId = run.id;
    box.hidden = false;
    const running = run.state === "running";
    text("[data-run-label]", run.label + "（" + run.started + " 开始）");
    text("[data-run-state]", run.state_text);
    text("[data-run-phase]", running ? " · " + run.phase : " · 用时 " + run.seconds + " 秒");
    if (run.total > 0) {
      bar.max = run.total;
      bar.value = run.done;
      bar.setAttribute("aria-valuetext", run.done + " / " + run.total);
      text("[data-run-count]", run.done + " / " + run.total);
    } else if (running) {
      bar.removeAttribute("value"); // 还不知道总数：不定进度
      text("[data-run-count]", "");
    } else {
      bar.max = 1;
      bar.value = run.state === "done" ? 1 : 0;
    }
    cancel.hidden = !running;
    cancel.disabled = run.state_text === "正在取消";
    for (const button of buttons) button.disabled = running;
    const error = box.querySelector("[data-run-error]");
    error.hidden = !run.error || run.state === "done";
    error.textContent = run.error || "";
    error.className = run.state === "cancelled" ? "notice" : "problem";
    showSummary(run);
    if (running) schedule();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, 400);
  }

  async function poll() {
    if (!currentId) return;
    const reply = await fanpin.getJson("/api/runs/" + encodeURIComponent(currentId));
    if (reply.ok) show(reply.data);
    else schedule();
  }

  for (const form of section.querySelectorAll(".run-form")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = { kind: form.dataset.kind };
      for (const field of form.elements) {
        if (!field.name) continue;
        body[field.name] = field.type === "checkbox" ? field.checked : field.value;
      }
      refused.hidden = true;
      const reply = await fanpin.post("/api/runs", body);
      if (!reply.ok) {
        refused.textContent = reply.data.error;
        refused.hidden = false;
        const now = await fanpin.getJson("/api/runs"); // 另一个标签页开始的生成：也显示出来
        if (now.ok && now.data.current) show(now.data.current);
        return;
      }
      show(reply.data);
      box.scrollIntoView({ block: "nearest", behavior: "smooth" }); // 进度在按钮下方，可能不在屏幕内
    });
  }

  cancel.addEventListener("click", async () => {
    if (!currentId) return;
    cancel.disabled = true;
    const reply = await fanpin.post("/api/runs/" + encodeURIComponent(currentId) + "/cancel");
    if (reply.ok) show(reply.data);
  });

  fanpin.getJson("/api/runs").then((reply) => {
    if (reply.ok && reply.data.current) show(reply.data.current);
  });
})();
