#!/usr/bin/env bash
# Build the UI and run the CSP Desk desktop app. With no tenant configured it uses its built-in sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
./scripts/setup.sh
if [ -f ui/package.json ]; then (cd ui && npm run build); fi
if [ -d src-tauri ]; then
  exec cargo run --release -p cspdesk-app
else
  echo "The desktop shell is not built yet; starting the CLI against the sandbox instead:"
  exec cargo run --release --bin cspdesk -- offers list --market US
fi
