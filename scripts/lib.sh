#!/usr/bin/env bash
# Shared set-up for scripts/run and scripts/test: install missing Debian packages from
# deps/debian-packages.txt, then configure and build with CMake presets (ccache, ninja).
# All build chatter goes to stderr; stdout belongs to trustsheet and ctest.
set -euo pipefail
TS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TS_PRESET="${TS_PRESET:-dev}"

ts_log() { printf '[trustsheet] %s\n' "$*" >&2; }

ts_install_packages() {
  local missing=()
  local pkg
  while read -r pkg; do
    pkg="${pkg%%#*}"; pkg="${pkg//[[:space:]]/}"
    [ -n "$pkg" ] || continue
    # "a|b": either package will do; the first is installed when neither is.
    local alt found=""
    for alt in ${pkg//|/ }; do
      if dpkg-query -W -f='${Status}' "$alt" 2>/dev/null | grep -q "install ok installed"; then found=1; break; fi
    done
    [ -n "$found" ] || missing+=("${pkg%%|*}")
  done < "$TS_ROOT/deps/debian-packages.txt"
  [ ${#missing[@]} -eq 0 ] && return 0
  ts_log "installing missing packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { ts_log "need root (or sudo) to install: ${missing[*]}"; exit 1; }
    sudo="sudo"
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Runs in a subshell (the parentheses): its `cd` and exports stay inside, so the caller keeps
# its working directory and relative paths (`scripts/run import mysheet.csv`) still resolve.
ts_build() (  # ts_build [targets...]
  export CCACHE_DIR="${CCACHE_DIR:-$TS_ROOT/.ccache}"
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-2G}"
  cd "$TS_ROOT"
  if [ ! -f "build/$TS_PRESET/build.ninja" ]; then
    cmake --preset "$TS_PRESET" >&2
  fi
  local jobs; jobs="$(nproc 2>/dev/null || echo 2)"
  if [ $# -gt 0 ]; then
    cmake --build --preset "$TS_PRESET" -j "$jobs" --target "$@" >&2
  else
    cmake --build --preset "$TS_PRESET" -j "$jobs" >&2
  fi
)

# The browser tests' npm packages (tests/browser: playwright-core, axe-core; no browser download,
# they drive Debian's chromium): `npm ci` when node_modules is missing or older than the lockfile.
ts_browser_deps() {
  local dir="$TS_ROOT/tests/browser"
  [ -f "$dir/package-lock.json" ] || return 0
  if ! command -v npm >/dev/null 2>&1; then
    # Debian's nodejs without its npm (NodeSource's nodejs bundles npm, so this is not that one).
    ts_log "npm is missing: installing Debian's npm"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >&2
  fi
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    ts_log "installing the browser tests' npm packages (npm ci in tests/browser)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}
