#!/usr/bin/env bash
# Build the release Linux packages (.deb and .rpm) with Tauri's bundler, which writes both
# itself: no dpkg-deb or rpmbuild is needed. The packages hold the app (/usr/bin/cspdesk-app),
# the cspdesk CLI (/usr/bin/cspdesk, from the same release build), the desktop entry, the icons
# and the WebKitGTK dependencies. AppImage is not built: its tools are downloaded at build time.
#
# Usage: scripts/package.sh
# Environment (all optional; nothing tracked is edited):
#   CSPDESK_VERSION            the package and app version (default: tauri.conf.json's)
#   CSPDESK_BUNDLES            what to build (default: deb,rpm)
#   TAURI_SIGNING_PRIVATE_KEY  (+ TAURI_SIGNING_PRIVATE_KEY_PASSWORD) also write the updater
#                              artifacts (.deb.sig, .rpm.sig) signed with this minisign key
#   CSPDESK_UPDATER_PUBKEY     the public key the app trusts, instead of tauri.conf.json's
#                              (tests use a throwaway key)
#   CSPDESK_UPDATE_FEED        the update feed built into the app (a settings file can replace it)
#   CSPDESK_SKIP_UI_BUILD=1    ui/dist is already the production build
# Output: target/release/bundle/deb/*.deb, target/release/bundle/rpm/*.rpm
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -x ui/node_modules/.bin/tauri ] || { echo "package: ui/node_modules/.bin/tauri missing: run scripts/setup.sh" >&2; exit 1; }

if [ "${CSPDESK_SKIP_UI_BUILD:-}" != 1 ]; then
  (cd ui && npm run build >/dev/null)
fi

# The configuration merged over tauri.conf.json for this build (Tauri's --config).
config=$(node -e '
  const c = { build: { beforeBuildCommand: "" }, bundle: {} };
  const e = process.env;
  if (e.CSPDESK_VERSION) c.version = e.CSPDESK_VERSION;
  if (e.TAURI_SIGNING_PRIVATE_KEY) c.bundle.createUpdaterArtifacts = true;
  if (e.CSPDESK_UPDATER_PUBKEY) c.plugins = { updater: { pubkey: e.CSPDESK_UPDATER_PUBKEY } };
  process.stdout.write(JSON.stringify(c));
')
# The commit for the About box, also when building from a worktree or a tarball.
CSPDESK_COMMIT="${CSPDESK_COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}"
export CSPDESK_COMMIT

start=$(date +%s)
# One cargo build for the app and the CLI (the CLI is packaged as /usr/bin/cspdesk).
(cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --bundles "${CSPDESK_BUNDLES:-deb,rpm}" \
  --config "$config" -- --locked -p cspdesk-app -p cspdesk)
echo "package: built in $(( $(date +%s) - start )) s"
ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm 2>/dev/null || true
