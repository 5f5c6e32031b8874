#!/usr/bin/env bash
# The browser tests use Debian's chromium (Playwright cannot download its own
# here) and a CJK font so the pages it renders have their text. Installs both
# when missing and this user may; otherwise says what to install.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || { [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi wenquanyi; }; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[e2e] installing chromium and fonts-wqy-microhei with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
else
  echo "[e2e] needs /usr/bin/chromium (Debian: apt-get install chromium fonts-wqy-microhei), or CHROMIUM_PATH" >&2
  exit 1
fi
