#!/usr/bin/env bash
# Build the UI and run the CSP Desk desktop app. With no tenant configured it uses its built-in sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
./scripts/setup.sh
(cd ui && npm run build)
# One build for the app and the tests (the same artifacts `scripts/test.sh` uses, so switching
# between running and testing never recompiles the dependency tree; build notes G1).
cargo test --workspace --no-run --locked -q
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display; starting the app in a virtual one (xvfb-run). Set DISPLAY to see the window." >&2
  exec xvfb-run -a -s '-screen 0 1280x800x24' target/debug/cspdesk-app "$@"
fi
exec target/debug/cspdesk-app "$@"
