// The UI's lint: typescript-eslint's type-aware rules and the React Hooks rules, zero warnings
// (`npm run lint`, run in the gate). The generated bindings are ts-rs output and not linted.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/bindings"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    // A missing dependency is a bug as often as not: an error, like the other hooks rules.
    rules: { "react-hooks/exhaustive-deps": "error" },
  },
  {
    // `await act(async () => …)` is React's way to let a test flush the microtasks an update
    // queues, with or without an await inside.
    files: ["**/*.test.ts", "**/*.test.tsx", "src/testing.tsx"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  { files: ["eslint.config.js", "check-dist.mjs"], extends: [tseslint.configs.disableTypeChecked], languageOptions: { globals: globals.node } },
);
