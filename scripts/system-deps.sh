#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages when it is missing: Chromium for the
# browser tests and a PostgreSQL server for the scale-out tests. Needs root (or sudo) to install.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "Missing Debian packages: ${missing[*]}. Install them (apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
echo "Installing ${missing[*]} from Debian's packages…"
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
