#!/usr/bin/env bash
# Installs what fanpin-docs needs outside Python: LibreOffice (Word/Excel → PDF), python3-uno (the
# bridge through which warm LibreOffice instances convert a batch in parallel), Chinese fonts
# (Noto CJK, so PDFs show Chinese instead of boxes), Liberation fonts (the metrics of Times New Roman and
# Arial, so PDFs break lines as Word does), poppler (pdftoppm/pdfinfo, used by tests) and Chromium (the
# headless browser the 工作台's browser tests drive through Playwright; Playwright's own browser
# download is not used) with its translations, so the tests' screenshots show a Chinese browser
# (「选择文件」) as the offices' PCs do.
# Safe to run again: does nothing when everything is present. On a machine without apt-get it only
# says what to install; `fanpin` works without them except for --pdf.
set -euo pipefail

# (grep -q would stop reading early; under pipefail fc-list then fails with SIGPIPE and the check with it)
have_all() {
  command -v soffice >/dev/null 2>&1 &&
    /usr/bin/python3 -c "import uno" >/dev/null 2>&1 &&
    command -v pdftoppm >/dev/null 2>&1 &&
    command -v chromium >/dev/null 2>&1 &&
    [ -f /usr/lib/chromium/locales/zh-CN.pak ] &&
    [ -n "$(fc-list :lang=zh 2>/dev/null)" ] &&
    fc-list 2>/dev/null | grep -ci "Liberation Serif" >/dev/null
}

if have_all; then
  echo "setup-system: LibreOffice、python3-uno、中文字体、poppler、Chromium 已安装"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: 未找到 apt-get。请手动安装 LibreOffice 和中文字体（Windows/WPS 办公电脑通常已具备）；不装也能生成 Word/Excel，只是不能 --pdf。" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-noto-cjk fonts-liberation2 poppler-utils \
  chromium chromium-l10n >/dev/null
echo "setup-system: 已安装 LibreOffice、python3-uno、Noto CJK 与 Liberation 字体、poppler 和 Chromium"
