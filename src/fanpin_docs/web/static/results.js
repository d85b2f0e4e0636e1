// 预览：预览图生成失败时显示服务器的中文说明。
"use strict";

(function () {
  const image = document.querySelector("[data-preview]");
  if (!image) return;
  const wait = document.querySelector("[data-preview-wait]");
  const problem = document.querySelector("[data-preview-error]");

  function loaded() {
    if (wait) wait.hidden = true;
  }

  async function failed() {
    if (wait) wait.hidden = true;
    image.hidden = true;
    let message = "无法生成预览图。可以下载文件后用 Word/WPS 打开。";
    const reply = await fanpin.getJson(image.src);
    if (!reply.ok && reply.data.error) message = reply.data.error;
    problem.textContent = message;
    problem.hidden = false;
  }

  // the image may have loaded or failed before this script ran (the script is deferred)
  if (image.complete) {
    if (image.naturalWidth > 0) loaded();
    else failed();
  } else {
    image.addEventListener("load", loaded);
    image.addEventListener("error", failed);
  }
})();
