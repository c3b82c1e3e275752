#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
# Installs it with apt when it is missing; CHROMIUM_PATH points elsewhere if you have another.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then
  echo "Chromium: $("$path" --version 2>/dev/null || echo "$path")"
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "Chromium is missing and this is not a Debian/Ubuntu system: install Chromium and set CHROMIUM_PATH." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing Debian's chromium with apt…"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core fonts-liberation
"$path" --version
