#!/usr/bin/env bash
# Build the UI, then run the end-to-end tests (the real app under Xvfb through tauri-driver).
# Usage: scripts/e2e.sh [TEST_NAME_FILTER]   e.g. scripts/e2e.sh buy
# Screenshots land in target/e2e-shots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npm run build >/dev/null)
export E2E=1 NO_AT_BRIDGE=1
timeout 900 keyctl session - dbus-run-session -- xvfb-run -a -s '-screen 0 1280x800x24' \
  cargo test --workspace --test e2e --locked -- --test-threads=1 --nocapture "$@"
