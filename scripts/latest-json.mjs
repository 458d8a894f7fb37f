#!/usr/bin/env node
// Writes the updater feed (latest.json) for the bundles in a folder: every platform whose
// package and .sig are there, under the updater's `{os}-{arch}-{bundle}` keys
// (linux-x86_64-deb, linux-x86_64-rpm, windows-x86_64-msi, windows-x86_64-nsis,
// darwin-aarch64-app, darwin-x86_64-app), plus the plain `{os}-{arch}` keys older updaters read.
// Usage: node scripts/latest-json.mjs DIR VERSION BASE_URL [NOTES] > latest.json
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [dir, version, base, notes = ""] = process.argv.slice(2);
if (!dir || !version || !base) {
  console.error("usage: latest-json.mjs DIR VERSION BASE_URL [NOTES]");
  process.exit(2);
}
const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const files = walk(dir);
const arch = (name) => (/(aarch64|arm64)/.test(name) ? "aarch64" : "x86_64");
const kinds = [
  [/\.deb$/, (n) => `linux-${arch(n)}-deb`],
  [/\.rpm$/, (n) => `linux-${arch(n)}-rpm`],
  [/\.msi$/, (n) => `windows-${arch(n)}-msi`],
  [/-setup\.exe$/, (n) => `windows-${arch(n)}-nsis`],
  [/\.app\.tar\.gz$/, (n) => `darwin-${arch(n)}-app`],
];
const platforms = {};
for (const f of files) {
  const name = f.slice(dir.length).replace(/^\/+/, "");
  const kind = kinds.find(([re]) => re.test(name));
  if (!kind || !files.includes(`${f}.sig`)) continue;
  const base_name = name.split("/").pop();
  if (!base_name.includes(version)) continue;
  platforms[kind[1](base_name)] = {
    signature: readFileSync(`${f}.sig`, "utf8").trim(),
    url: `${base.replace(/\/$/, "")}/${encodeURIComponent(base_name)}`,
  };
}
// Plain keys for updaters that do not know the bundle type: the first of each OS's kinds.
for (const [plain, pick] of [
  ["linux-x86_64", ["linux-x86_64-deb", "linux-x86_64-rpm"]],
  ["windows-x86_64", ["windows-x86_64-nsis", "windows-x86_64-msi"]],
  ["darwin-aarch64", ["darwin-aarch64-app"]],
  ["darwin-x86_64", ["darwin-x86_64-app"]],
]) {
  const k = pick.find((p) => platforms[p]);
  if (k) platforms[plain] = platforms[k];
}
if (Object.keys(platforms).length === 0) {
  console.error(`latest-json: no signed bundle of ${version} in ${dir}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({ version, notes, pub_date: new Date().toISOString(), platforms }, null, 2) + "\n");
