#!/usr/bin/env bash
# The VS Code extension's whole test: install its packages, lint (tsc strict), unit tests
# (vitest, stubbed vscode), build (esbuild), package (.vsix) and the end-to-end test in a real
# VS Code (code-server + headless Chromium through playwright-core).
# Run from anywhere: `bash editors/vscode/scripts/test.sh`. Re-runnable; the slow installs
# (Node 24, code-server, Chromium) are cached under the repository's .cache/.
# Env: CODEMYSPEC_SKIP_E2E=1 stops after packaging; CODEMYSPEC_UPDATE_SCREENSHOTS=1 also
# writes the screenshots to editors/vscode/images/ (the READMEs show them).
set -euo pipefail

EXTENSION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$EXTENSION_DIR/../.." && pwd)"
cd "$EXTENSION_DIR"

started=$SECONDS
step() { echo "== vscode [$((SECONDS - started))s] $*"; }
fail() { echo "== vscode: FAILED: $*" >&2; exit 1; }

# One Node for everything: the Node 24 that code-server needs, from PyPI (cached).
step "Node 24"
eval "$(bash scripts/setup-e2e.sh --node)" || fail "could not install Node 24"
export PATH="$E2E_NODE_BIN_DIR:$PATH"
echo "node $(node --version), npm $(npm --version 2>/dev/null)"

# npm ci wipes node_modules; skip it when node_modules already matches the lock file.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.codemyspec-lock-hash"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  step "npm ci: node_modules matches package-lock.json, kept"
else
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci"
  echo "$lock_hash" > "$stamp"
fi

step "lint (tsc --noEmit, strict)"
npm run --silent lint || fail "type errors (npm run lint)"

step "unit tests (vitest)"
npm run --silent test:unit || fail "unit tests (npm run test:unit)"

step "build (esbuild)"
npm run --silent build || fail "build (npm run build)"

step "package (vsce)"
rm -f dist/codemyspec.vsix
npm run --silent package || fail "packaging (npm run package)"
[ -f dist/codemyspec.vsix ] || fail "dist/codemyspec.vsix was not written"

if [ "${CODEMYSPEC_SKIP_E2E:-0}" = "1" ]; then
  step "end-to-end test skipped (CODEMYSPEC_SKIP_E2E=1)"
  exit 0
fi

step "code-server, Chromium (cached after the first run)"
eval "$(bash scripts/setup-e2e.sh)" || fail "could not install code-server or Chromium"

[ -x "$REPO_ROOT/.venv/bin/python" ] || fail "the repository's virtual environment is missing: run make venv"

# code-server must not outlive this script, whatever happens to the test.
pidfile="$(mktemp)"
export E2E_PIDFILE="$pidfile"
cleanup() {
  if [ -s "$pidfile" ]; then kill -TERM -- "-$(cat "$pidfile")" 2>/dev/null || true; fi
  rm -f "$pidfile"
}
trap cleanup EXIT INT TERM

step "end-to-end test in code-server"
node e2e/run.mjs || fail "end-to-end test (screenshots and logs in tests/artifacts/)"
step "all passed"
