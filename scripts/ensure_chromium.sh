#!/usr/bin/env bash
# Make sure headless Chromium is available (for the HTML report rendering test).
# Idempotent: installs the Debian package `chromium` (and a small CJK font) only when missing.
#   bash scripts/ensure_chromium.sh
set -euo pipefail
have_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; }
if { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } && have_font; then
  echo "chromium: present ($(command -v chromium || echo /usr/bin/chromium)), CJK font present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: missing and apt-get is not available; install Chromium by hand" >&2
  exit 1
fi
sudo_cmd=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; else
    echo "chromium: missing and not root (no sudo); install the 'chromium' package" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
pkgs=""
command -v chromium >/dev/null 2>&1 || pkgs="chromium"
have_font || pkgs="$pkgs fonts-wqy-zenhei"   # a small CJK font, so Chinese renders in screenshots
# shellcheck disable=SC2086
$sudo_cmd apt-get install -y -qq --no-install-recommends $pkgs
command -v chromium >/dev/null 2>&1 || { echo "chromium: install failed" >&2; exit 1; }
echo "chromium: installed ($(command -v chromium))"
