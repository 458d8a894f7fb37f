#!/usr/bin/env bash
# Build the UI for the tests, then run the end-to-end tests (the real app under Xvfb through tauri-driver).
# Usage: scripts/e2e.sh [TEST_NAME_FILTER]   e.g. scripts/e2e.sh buy
# Screenshots land in target/e2e-shots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# The UI with the perf log the tests read (window.__cspdesk, ui/src/perf.ts); the production
# bundle, without it, is put back afterwards so that no later build of the app embeds the E2E's.
(cd ui && npm run build:e2e >/dev/null)
trap '(cd ui && npm run build >/dev/null)' EXIT
export E2E=1 NO_AT_BRIDGE=1
timeout 2400 keyctl session - dbus-run-session -- xvfb-run -a -s '-screen 0 1280x800x24' \
  cargo test --workspace --test e2e --locked -- --test-threads=1 --nocapture "$@"
