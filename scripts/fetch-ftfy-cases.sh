#!/usr/bin/env bash
# Fetches ftfy's public mojibake test cases (tests/test_cases.json in its sdist on PyPI) into a
# folder outside the repository, for `cargo run --release --example mojibake_accuracy`.
# The cases are ftfy's (Apache-2.0); they are read at bench time and never committed here.
#
# Usage: scripts/fetch-ftfy-cases.sh [DEST]   (default DEST: /tmp/transmend-ftfy)
set -euo pipefail
version="6.3.1"
dest="${1:-/tmp/transmend-ftfy}"
mkdir -p "$dest"
sdist="$dest/ftfy-$version.tar.gz"
if [ ! -f "$sdist" ]; then
  if command -v pip >/dev/null 2>&1 || command -v pip3 >/dev/null 2>&1; then
    pip="$(command -v pip || command -v pip3)"
    "$pip" download --no-deps --no-binary :all: --no-build-isolation "ftfy==$version" -d "$dest" >/dev/null 2>&1 ||
      "$pip" download --no-deps --no-binary :all: "ftfy==$version" -d "$dest" >/dev/null
  else
    # No pip: ask PyPI's JSON API for the sdist's URL.
    url="$(curl -fsSL "https://pypi.org/pypi/ftfy/$version/json" |
      python3 -c 'import json,sys; print(next(u["url"] for u in json.load(sys.stdin)["urls"] if u["packagetype"]=="sdist"))')"
    curl -fsSL -o "$sdist" "$url"
  fi
fi
tar -xzf "$sdist" -C "$dest" "ftfy-$version/tests/test_cases.json"
mv "$dest/ftfy-$version/tests/test_cases.json" "$dest/test_cases.json"
echo "$dest/test_cases.json"
