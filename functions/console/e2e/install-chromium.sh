#!/usr/bin/env bash
# Installs Debian's Chromium for the console's browser tests, when it is not on the machine yet. The only place the
# project installs a browser: the tests call this before they start one (as root on this kind of machine; elsewhere
# with sudo when it can be had). Playwright's own browser download is never used.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium
