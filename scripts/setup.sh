#!/usr/bin/env bash
# Install what building, running and testing CSP Desk needs on Debian. Idempotent: safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libgtk-3-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  webkit2gtk-driver xvfb xauth dbus dbus-x11 at-spi2-core keyutils imagemagick xdotool
  # Korean text in the window (the UI's Korean catalog).
  fonts-nanum
  python3-pip
  # The package smoke test (scripts/package-smoke.sh): the updater installs a .deb with
  # `sudo dpkg -i` when no pkexec prompt is available (as root in CI); rpm reads the .rpm's
  # dependencies back.
  sudo rpm)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: apt installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
command -v tauri-driver >/dev/null || cargo install tauri-driver --version 2.1.0 --locked

if [ -f ui/package.json ]; then
  command -v npm >/dev/null || { echo "setup: Node.js 20 with npm is required" >&2; exit 1; }
  # `npm ci` refuses a lock file without other platforms' optional packages (rollup's native
  # builds), which a registry serving only some platforms produces; `npm install --no-save`
  # installs the same locked versions without touching the lock file.
  (cd ui && if [ -d node_modules ] && [ node_modules -nt package-lock.json ]; then :; else
     npm ci --no-audit --no-fund || npm install --no-audit --no-fund --no-save; fi)
fi
echo "setup: done"
