#!/usr/bin/env bash
# The package smoke test (issue 19), run by scripts/test.sh after the E2E:
#  1. build the release .deb/.rpm (version N) once, with a throwaway updater key made here;
#  2. apt-get install ./N.deb (apt resolves the WebKitGTK dependencies);
#  3. the installed cspdesk --version and cspdesk offers list --json;
#  4. the installed app under Xvfb through WebDriver: the Marketplace on the embedded sandbox,
#     the About box;
#  5. updates from a loopback feed: unreachable and malformed feeds are quiet, an older
#     version is ignored, a tampered artifact and one signed by another key are refused (N
#     stays installed and working), then N+1 (same build cache, only the version differs)
#     is found, downloaded, verified and installed: dpkg -s shows N+1;
#  6. purge: the program goes, the user's data and settings stay.
# Each step's time is printed and written to target/package-smoke/timings.txt.
# Needs root (or sudo) for apt/dpkg, and the tools scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
root=$(pwd)
work="$root/target/package-smoke"
rm -rf "$work"; mkdir -p "$work/feed"
timings="$work/timings.txt"; : > "$timings"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
t0=$(date +%s); last=$t0
lap() { local now; now=$(date +%s); printf '%-44s %5d s\n' "$1" $((now - last)) | tee -a "$timings"; last=$now; }
say() { printf '\n== package: %s\n' "$*"; }

conf_version=$(node -p 'require("./src-tauri/tauri.conf.json").version')
N="${CSPDESK_SMOKE_VERSION:-$conf_version}"
NEXT=$(node -p "const [a,b,c]='$N'.split('.').map(Number); [a,b,c+1].join('.')")
pkg=csp-desk
arch=$(dpkg --print-architecture)

say "throwaway updater keys (made for this run, never kept)"
tauri=ui/node_modules/.bin/tauri
# CSPDESK_SMOKE_REUSE_KEYS=1 keeps the last run's throwaway keys (target/package-smoke-keys), so
# that rerunning the test does not rebuild the app for a new key.
keys="$root/target/package-smoke-keys"
if [ "${CSPDESK_SMOKE_REUSE_KEYS:-}" != 1 ] || [ ! -f "$keys/key.pub" ] || [ ! -f "$keys/other-key" ]; then
  rm -rf "$keys"; mkdir -p "$keys"
  "$tauri" signer generate --ci -p "" -w "$keys/key" >/dev/null
  "$tauri" signer generate --ci -p "" -w "$keys/other-key" >/dev/null
fi
cp "$keys"/* "$work/"
export CSPDESK_UPDATER_PUBKEY; CSPDESK_UPDATER_PUBKEY=$(cat "$work/key.pub")

say "release build and bundles, version $N"
(cd ui && npm run build >/dev/null)
CSPDESK_SKIP_UI_BUILD=1 CSPDESK_VERSION="$N" scripts/package.sh
lap "release build + deb/rpm bundles (N=$N)"
deb_n=$(ls target/release/bundle/deb/*_"${N}"_"$arch".deb)
rpm_n=$(ls target/release/bundle/rpm/*-"${N}"-1.*.rpm)
cp "$deb_n" "$work/${pkg}_${N}_${arch}.deb"; cp "$rpm_n" "$work/"
dpkg-deb -I "$work/${pkg}_${N}_${arch}.deb" | sed -n '/Package:/,$p'
dpkg-deb -c "$work/${pkg}_${N}_${arch}.deb" | grep -o 'usr/.*' | grep -E 'bin/|\.desktop|icons' | tee "$work/deb-files.txt"
for want in "usr/bin/cspdesk-app$" "usr/bin/cspdesk$" "usr/share/applications/.*desktop$" "hicolor/32x32/apps" "hicolor/128x128/apps" "hicolor/256x256/apps" "hicolor/512x512/apps"; do
  grep -q -- "$want" "$work/deb-files.txt" || { echo "package: the .deb lacks $want" >&2; exit 1; }
done
dpkg-deb -f "$work/${pkg}_${N}_${arch}.deb" Depends | grep >/dev/null 'libwebkit2gtk-4.1-0.*libgtk-3-0\|libgtk-3-0.*libwebkit2gtk-4.1-0' || { echo "package: Depends lacks libwebkit2gtk-4.1-0" >&2; exit 1; }
rpm_deps=$(rpm -qpR "$rpm_n" 2>/dev/null || true)
[ -z "$rpm_deps" ] || echo "$rpm_deps" | grep >/dev/null "libwebkit2gtk-4.1" || { echo "package: the .rpm does not require WebKitGTK 4.1" >&2; exit 1; }

say "install N with apt (dependencies resolved by apt)"
$SUDO apt-get purge -y -q "$pkg" >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$work/${pkg}_${N}_${arch}.deb" >/dev/null
dpkg -s "$pkg" | grep >/dev/null "^Version: $N$"
desktop=$(dpkg -L "$pkg" | grep '\.desktop$')
grep -q '^Categories=Office;Finance;' "$desktop" && grep -q '^Comment=' "$desktop" || { echo "package: $desktop lacks the category or comment" >&2; cat "$desktop"; exit 1; }
lap "apt-get install ./N.deb"

say "the installed CLI"
home="$work/home"; mkdir -p "$home"
HOME="$home" CSPDESK_DATA_DIR="$work/cli-data" cspdesk --version
HOME="$home" CSPDESK_DATA_DIR="$work/cli-data" cspdesk offers list --json | head -c 600; echo
[ "$(command -v cspdesk)" = /usr/bin/cspdesk ]
lap "installed cspdesk --version, offers list"

# One E2E case against the installed app (tests/e2e/package.rs; the E2E binary is built once
# by the gate). HOME is a fresh one, so the app's logs, window state and data are the test's.
e2e_bin=""
run_case() {
  E2E=1 NO_AT_BRIDGE=1 E2E_APP=/usr/bin/cspdesk-app E2E_PACKAGE="$1" HOME="$home" \
    timeout 600 keyctl session - dbus-run-session -- xvfb-run -a -s '-screen 0 1280x800x24' \
    "$e2e_bin" --test-threads=1 --nocapture installed_package
}
feed_json() { # version url signature-file
  node -e '
    const [v, url, sigFile] = process.argv.slice(1);
    const sig = require("fs").readFileSync(sigFile, "utf8").trim();
    const p = { signature: sig, url };
    process.stdout.write(JSON.stringify({ version: v, notes: "Faster price list exports.\nThe About box shows the commit.",
      pub_date: "2026-12-05T00:00:00Z", platforms: { "linux-x86_64-deb": p, "linux-x86_64-rpm": p } }, null, 2));
  ' "$@"
}

say "N+1 = $NEXT with updater artifacts (same build cache: only the version differs)"
TAURI_SIGNING_PRIVATE_KEY=$(cat "$work/key") TAURI_SIGNING_PRIVATE_KEY_PASSWORD="" \
  CSPDESK_SKIP_UI_BUILD=1 CSPDESK_VERSION="$NEXT" CSPDESK_BUNDLES=deb scripts/package.sh
lap "N+1 relink + deb bundle + signature"
deb_next=$(ls target/release/bundle/deb/*_"${NEXT}"_"$arch".deb)
cp "$deb_next" "$work/feed/${pkg}_${NEXT}_${arch}.deb"
cp "$deb_next.sig" "$work/feed/${pkg}_${NEXT}_${arch}.deb.sig"
# Tampered: the same package with bytes changed after signing.
cp "$deb_next" "$work/feed/tampered.deb"
printf 'tampered' | dd of="$work/feed/tampered.deb" bs=1 seek=4096 conv=notrunc status=none
# Signed by another key (one the app does not trust).
cp "$deb_next" "$work/feed/other-key.deb"
TAURI_SIGNING_PRIVATE_KEY=$(cat "$work/other-key") TAURI_SIGNING_PRIVATE_KEY_PASSWORD="" \
  "$tauri" signer sign "$work/feed/other-key.deb" >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/feed" >"$work/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -fsS "$base/" >/dev/null 2>&1 && break; sleep 0.1; done
feed_json "$NEXT" "$base/${pkg}_${NEXT}_${arch}.deb" "$work/feed/${pkg}_${NEXT}_${arch}.deb.sig" > "$work/feed/latest.json"
feed_json "$NEXT" "$base/tampered.deb" "$work/feed/${pkg}_${NEXT}_${arch}.deb.sig" > "$work/feed/tampered.json"
feed_json "$NEXT" "$base/other-key.deb" "$work/feed/other-key.deb.sig" > "$work/feed/other-key.json"
feed_json "0.0.1" "$base/${pkg}_${NEXT}_${arch}.deb" "$work/feed/${pkg}_${NEXT}_${arch}.deb.sig" > "$work/feed/older.json"
printf '{"version": "%s", "platforms": ' "$NEXT" > "$work/feed/malformed.json"

say "the installed app: Marketplace on the embedded sandbox, About box"
e2e_bin=$(cargo test --workspace --test e2e --locked --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)
[ -x "$e2e_bin" ] || { echo "package: the E2E binary was not found" >&2; exit 1; }
# WebDriver's ports are shared with other E2E runs on this machine: hold the E2E lock from here
# to the end (the builds above ran without it).
exec 9>/tmp/cspdesk-e2e.lock
flock 9
lap "waiting for the E2E lock"
run_case launch
E2E_VERSION="$N" run_case about
lap "installed app launch + Marketplace + About (WebDriver)"

say "bad feeds: quiet, never blocking"
E2E_FEED="http://127.0.0.1:9/latest.json" E2E_EXPECT="could not be reached" E2E_SHOT=unreachable run_case quiet
E2E_FEED="$base/malformed.json" E2E_EXPECT="latest.json" E2E_SHOT=malformed run_case quiet
lap "unreachable + malformed feed (quiet)"

say "an older version offered is ignored"
E2E_FEED="$base/older.json" E2E_VERSION="$N" run_case latest
lap "older version ignored"

say "a tampered artifact and a wrong signature are refused; N stays"
E2E_FEED="$base/tampered.json" run_case refused
dpkg -s "$pkg" | grep >/dev/null "^Version: $N$"
E2E_FEED="$base/other-key.json" run_case refused
dpkg -s "$pkg" | grep >/dev/null "^Version: $N$"
HOME="$home" cspdesk --version
ls /tmp | grep >/dev/null '^tauri_deb_update' && { echo "package: a staged update was left in /tmp" >&2; exit 1; } || true
lap "tampered + wrong key refused, N still installed"

say "N finds N+1, downloads, verifies and installs it"
E2E_FEED="$base/latest.json" E2E_NEXT_VERSION="$NEXT" run_case update
dpkg -s "$pkg" | grep "^Version:"
dpkg -s "$pkg" | grep >/dev/null "^Version: $NEXT$" || { echo "package: dpkg -s does not show $NEXT after the update" >&2; exit 1; }
lap "update N -> N+1 installed (dpkg -s)"

say "purge: the program goes, the user's data and settings stay"
ls "$home" >/dev/null
$SUDO apt-get purge -y -q "$pkg" >/dev/null
! dpkg -s "$pkg" >/dev/null 2>&1
[ ! -e /usr/bin/cspdesk ] && [ ! -e /usr/bin/cspdesk-app ]
# The user's files (logs and data under ~/.local/share, settings) were never the package's.
[ -d "$home/.local/share/com.cspdesk.desktop" ] && [ -f "$root/target/e2e-package-update-settings/settings.toml" ] \
  || { echo "package: purging removed the user's data" >&2; ls -la "$home" "$home/.local/share" >&2 || true; exit 1; }
lap "purge"
echo "package smoke: all passed in $(( $(date +%s) - t0 )) s" | tee -a "$timings"
