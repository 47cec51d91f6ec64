#!/usr/bin/env bash
# The test suite, on a fresh machine too: installs what the tests need (Debian's chromium for
# the browser test, CJK fonts so its screenshots are readable, patch for the fix tests,
# LibreOffice Writer to open the repaired Word files), then runs `cargo test`. Arguments are
# passed on to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v patch >/dev/null 2>&1 || need+=(patch)
command -v mkfifo >/dev/null 2>&1 || need+=(coreutils)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need+=(fonts-noto-cjk)
# LibreOffice without its recommends (Java, galleries): Writer is all the Word test needs.
lean=()
command -v soffice >/dev/null 2>&1 || lean+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ] || [ ${#lean[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "error: the tests need: ${need[*]} ${lean[*]} (Debian packages); install them as root" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${need[*]} ${lean[*]}" >&2
  $sudo apt-get update -qq
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ ${#lean[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
  fi
fi

cargo test "$@"
# Tests that need root (they mount a tmpfs) are ignored by a plain `cargo test`; as root they
# run here, and fail if they cannot do what they test.
if [ "$(id -u)" -eq 0 ] && [ $# -eq 0 ]; then
  cargo test --test outputs -- --ignored
fi
