// 预览：预览图生成失败时显示服务器的中文说明。
"use strict";

(function () {
  const image = document.querySelector("[data-preview]");
  if (!image) return;
  const wait = document.querySelector("[data-preview-wait]");
  const problem = document.querySelector("[data-preview-error]");
  image.addEventListener("load", () => {
    if (wait) wait.hidden = true;
  });
  image.addEventListener("error", async () => {
    if (wait) wait.hidden = true;
    image.hidden = true;
    let message = "无法生成预览图。可以下载文件后用 Word/WPS 打开。";
    try {
      const response = await fetch(image.src, { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (data.error) message = data.error;
    } catch (_) {
      /* 保留上面的说明 */
    }
    problem.textContent = message;
    problem.hidden = false;
  });
})();
