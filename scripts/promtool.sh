#!/usr/bin/env bash
# Prints the path of a promtool: one on PATH, else Debian's `prometheus` package unpacked into
# the user's cache, outside the tree that lint and tests crawl (apt-get download + dpkg-deb -x:
# nothing is installed and no server starts).
set -euo pipefail
if command -v promtool >/dev/null; then
  command -v promtool
  exit 0
fi
dir="${PROMTOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dtsync-promtool}"
if [ ! -x "$dir/usr/bin/promtool" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  chmod 755 "$tmp" # apt's _apt user writes the download when it can
  if ! (cd "$tmp" && apt-get download -qq prometheus) >&2 2>/dev/null; then
    # a fresh box has no package lists yet
    apt-get update -qq >&2
    (cd "$tmp" && apt-get download -qq prometheus) >&2
  fi
  mkdir -p "$dir"
  dpkg-deb -x "$tmp"/prometheus_*.deb "$dir"
fi
echo "$dir/usr/bin/promtool"
