#!/usr/bin/env bash
# Fetches ftfy's public mojibake test cases (tests/test_cases.json in its source distribution)
# into a folder outside the repository, for `cargo run --release --example mojibake_accuracy`.
# The cases are ftfy's (Apache-2.0); they are read at bench time and never committed here.
# The source distribution is fetched with `pip download` only, from wherever pip is configured
# to look; nothing else is asked.
#
# Usage: scripts/fetch-ftfy-cases.sh [DEST]   (default DEST: /tmp/transmend-ftfy)
set -euo pipefail
version="6.3.1"
dest="${1:-/tmp/transmend-ftfy}"
mkdir -p "$dest"
sdist="$dest/ftfy-$version.tar.gz"
if [ ! -f "$sdist" ]; then
  if command -v pip >/dev/null 2>&1; then
    pip=(pip)
  elif command -v pip3 >/dev/null 2>&1; then
    pip=(pip3)
  elif command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
    pip=(python3 -m pip)
  else
    echo "error: this script fetches ftfy $version with pip, and pip is not installed;" \
      "install it (Debian: apt-get install python3-pip) and run the script again" >&2
    exit 1
  fi
  "${pip[@]}" download --no-deps --no-binary :all: --no-build-isolation "ftfy==$version" -d "$dest" >/dev/null 2>&1 ||
    "${pip[@]}" download --no-deps --no-binary :all: "ftfy==$version" -d "$dest" >/dev/null
  if [ ! -f "$sdist" ]; then
    echo "error: pip download left no $sdist" >&2
    exit 1
  fi
fi
tar -xzf "$sdist" -C "$dest" "ftfy-$version/tests/test_cases.json"
mv "$dest/ftfy-$version/tests/test_cases.json" "$dest/test_cases.json"
echo "$dest/test_cases.json"
