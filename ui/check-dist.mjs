// After `vite build [--mode e2e]`: keep dist/.gitkeep (Tauri's generate_context! needs the folder
// in a fresh checkout), and check where the E2E's perf log (window.__cspdesk, src/perf.ts) went:
// into the E2E's bundle, and never into any other.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";

const e2e = process.argv[2] === "e2e";
writeFileSync("dist/.gitkeep", "");
const files = readdirSync("dist", { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && /\.(js|html)$/.test(f.name));
const has = files.some((f) => readFileSync(`${f.parentPath}/${f.name}`, "utf8").includes("__cspdesk"));
if (has !== e2e) {
  console.error(e2e ? "dist: the E2E build lacks window.__cspdesk (src/perf.ts)" : "dist: window.__cspdesk (src/perf.ts) is in a production build");
  process.exit(1);
}
