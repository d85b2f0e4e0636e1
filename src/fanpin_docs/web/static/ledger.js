// 台账页：还没算好的两张表（变化、疑点）向 /api/ledger/tables 取来放进页面；筛选表格的行；
// 上传名单存入一期，显示结果或问题（文件、工作表、行、列分开列出）。
"use strict";

(function () {
  function setUpFilters(root) {
    root.querySelectorAll("input[data-filter]").forEach((input) => {
      const table = document.getElementById(input.dataset.filter);
      const count = root.querySelector('[data-count-for="' + input.dataset.filter + '"]');
      const rows = Array.from(table.tBodies[0].rows);
      const show = () => {
        const { shown, filtered } = fanpin.filterRows(rows, input.value);
        count.textContent = filtered ? "显示 " + shown + " / " + rows.length + " 条" : "共 " + rows.length + " 条";
      };
      input.addEventListener("input", show);
      show();
    });
  }

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  // The tables the page answered without (「计算中…」): made by the server, then put in their place;
  // when they cannot be made, the server's Chinese message where they would be.
  async function loadTables() {
    const pending = document.querySelector("[data-tables]");
    if (!pending) return;
    const answer = await fanpin.getJson(pending.dataset.tables);
    if (!pending.isConnected) return; // the page was refreshed meanwhile; its own request fills it
    if (!answer.ok) {
      pending.querySelectorAll("[data-pending]").forEach((place) => {
        place.replaceWith(element("div", answer.data.error, "problem"));
      });
      pending.removeAttribute("aria-busy");
      return;
    }
    const made = document.createElement("template");
    made.innerHTML = answer.data.html;
    const tables = made.content.firstElementChild;
    pending.replaceWith(tables);
    setUpFilters(tables);
  }

  async function refreshData() {
    const page = await fanpin.getPage(location.href);
    if (!page) return;
    document.querySelectorAll("[data-refresh]").forEach((old) => {
      const fresh = page.getElementById(old.id);
      if (fresh) {
        old.replaceWith(fresh);
        setUpFilters(fresh);
      }
    });
    await loadTables();
  }

  function showRefusal(result, data) {
    result.appendChild(element("div", data.error, "problem"));
    if (data.problems) result.appendChild(fanpin.problemsTable(data.problems));
  }

  async function add(event) {
    event.preventDefault();
    const form = event.target;
    const result = document.getElementById("ledger-add-result");
    const button = form.querySelector('button[type="submit"]');
    const roster = form.elements.roster.files[0];
    const measures = form.elements.measures.files[0];
    const query = new URLSearchParams({ period: form.elements.period.value.trim() });
    button.disabled = true;
    result.replaceChildren(element("p", "正在上传、读取和校验……", "muted"));
    try {
      if (measures) {
        const held = await fanpin.sendFile("/api/ledger/measures", measures);
        if (!held.ok) {
          result.replaceChildren();
          showRefusal(result, held.data);
          return;
        }
        query.set("measures", held.data.measures);
      }
      const answer = await fanpin.sendFile("/api/ledger/periods?" + query.toString(), roster);
      result.replaceChildren();
      if (!answer.ok) {
        showRefusal(result, answer.data);
        return;
      }
      answer.data.results.forEach((stored) => {
        const box = element("div", undefined, stored.status === "unchanged" ? "notice" : "success");
        box.appendChild(element("p", stored.line));
        if (stored.changes.length) {
          const list = element("ul");
          stored.changes.forEach((line) => list.appendChild(element("li", line)));
          box.appendChild(list);
        }
        stored.notes.forEach((note) => box.appendChild(element("p", "提示：" + note, "muted")));
        result.appendChild(box);
      });
      form.reset();
      await refreshData();
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpFilters(document);
    document.getElementById("ledger-add").addEventListener("submit", add);
    loadTables();
  });
})();
