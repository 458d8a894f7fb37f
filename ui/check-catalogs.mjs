// The catalogs' check (`npm run lint` runs it, so it is in the gate): every key the code uses is in both
// catalogs, both catalogs have the same keys (plural forms per language), the same placeholders,
// nothing empty, no key nobody uses, and a Korean text for every code the core can send.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "src");
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(t, prefix = "", out = new Map()) {
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}
const load = (lang) => flatten(JSON.parse(readFileSync(join(SRC, "locales", `${lang}.json`), "utf8")));
const base = (k) => k.replace(PLURAL, "");
const placeholders = (s) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).filter((p) => p !== "count").sort();
const tags = (s) => [...s.matchAll(/<\/?(\w+)>/g)].map((m) => m[0]).sort();

/** The keys the code names: t("…"), i18nKey="…", and the core's message codes (core.<code>). */
export function usedKeys(root = SRC) {
  const used = new Map();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "bindings" && name !== "locales") walk(path);
      } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && name !== "testing.tsx") {
        const text = readFileSync(path, "utf8");
        for (const m of text.matchAll(/\bt\(\s*"([A-Za-z0-9_.]+)"|i18nKey="([A-Za-z0-9_.]+)"/g)) used.set(m[1] ?? m[2] ?? "", relative(root, path));
      }
    }
  };
  walk(root);
  const message = readFileSync(join(root, "bindings", "index.ts"), "utf8").match(/^export type Message = .*$/m)?.[0] ?? "";
  for (const m of message.matchAll(/"code": "(\w+)"/g)) used.set(`core.${m[1]}`, "bindings: Message");
  return used;
}

export function catalogProblems(en, ko, used) {
  const problems = [];
  const enBase = new Set([...en.keys()].map(base));
  const koBase = new Set([...ko.keys()].map(base));
  for (const [k, file] of used) {
    if (!enBase.has(k)) problems.push(`${k} (used in ${file}) is missing from en.json`);
    if (!koBase.has(k)) problems.push(`${k} (used in ${file}) is missing from ko.json`);
  }
  for (const k of enBase) if (!koBase.has(k)) problems.push(`${k} is in en.json but not in ko.json`);
  for (const k of koBase) if (!enBase.has(k)) problems.push(`${k} is in ko.json but not in en.json`);
  for (const k of enBase) if (!used.has(k)) problems.push(`${k} is in the catalogs but no code uses it`);
  // Plurals: English needs one and other; Korean (no plural forms) needs other.
  for (const k of en.keys()) {
    if (!PLURAL.test(k)) continue;
    const b = base(k);
    if (!en.has(`${b}_one`) || !en.has(`${b}_other`)) problems.push(`${b}: en.json needs both _one and _other`);
    if (!ko.has(`${b}_other`) && !ko.has(b)) problems.push(`${b}: ko.json needs _other`);
  }
  const variants = (m, b) => [...m].filter(([k]) => base(k) === b).map(([, v]) => v);
  for (const b of enBase) {
    if (!koBase.has(b)) continue;
    const e = variants(en, b);
    const kv = variants(ko, b);
    for (const v of [...e, ...kv]) if (v.trim() === "") problems.push(`${b} is empty`);
    const eP = new Set(e.flatMap(placeholders));
    const kP = new Set(kv.flatMap(placeholders));
    if ([...eP].sort().join() !== [...kP].sort().join()) problems.push(`${b}: placeholders differ (en ${[...eP].join(",")} / ko ${[...kP].join(",")})`);
    if (tags(e[e.length - 1] ?? "").join() !== tags(kv[kv.length - 1] ?? "").join()) problems.push(`${b}: markup differs between en and ko`);
  }
  return [...new Set(problems)];
}

// The check checks itself first: a missing key, a one-sided key, an unused key and a lost
// placeholder must all be caught.
{
  const en = new Map([["a.b", "B {{x}}"], ["a.c_one", "one"], ["a.c_other", "{{count}} many"], ["a.d", "D"]]);
  const ko = new Map([["a.b", "비 {{x}}"], ["a.c_other", "{{count}}개"]]);
  const used = new Map([["a.b", "x.tsx"], ["a.c", "x.tsx"], ["a.e", "y.tsx"]]);
  const p = catalogProblems(en, ko, used);
  const want = ["a.e (used in y.tsx) is missing from en.json", "a.e (used in y.tsx) is missing from ko.json", "a.d is in en.json but not in ko.json", "a.d is in the catalogs but no code uses it"];
  const lost = catalogProblems(en, new Map([...ko, ["a.b", "비"]]), used);
  if (!want.every((w) => p.includes(w)) || !lost.includes("a.b: placeholders differ (en x / ko )")) {
    console.error("check-catalogs.mjs no longer catches what it must:", p, lost);
    process.exit(2);
  }
}

const problems = catalogProblems(load("en"), load("ko"), usedKeys());
if (problems.length > 0) {
  console.error(`The catalogs (src/locales/en.json, ko.json) have ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
const count = (m) => new Set([...m.keys()].map(base)).size;
console.log(`catalogs ok: en ${load("en").size} entries, ko ${load("ko").size} entries, ${count(load("en"))} keys, all used`);
