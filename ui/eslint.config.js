// The UI's lint: typescript-eslint's type-aware rules and the React Hooks rules, zero warnings
// (`npm run lint`, run in the gate). The generated bindings are ts-rs output and not linted.
import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
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
    // Every user-visible string goes through the i18n layer (src/i18n.ts): no literal text in
    // JSX, nor in the attributes a person reads or hears (labels, titles, placeholders,
    // tooltips, and our own components' text props). The catalogs' keys are checked by
    // src/locales/catalog.test.ts.
    files: ["src/**/*.tsx"],
    ignores: ["src/**/*.test.tsx", "src/testing.tsx"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": {
            include: ["title", "aria-label", "aria-description", "aria-valuetext", "aria-roledescription", "placeholder", "alt", "label", "help", "hint", "what", "empty", "summary", "heading"],
          },
          callees: { exclude: ["t", "i18n(ext)?", "require", "addEventListener", "removeEventListener", "getElementById", "querySelector", "includes", "startsWith", "endsWith", "Date.*", "Intl.*", "useQuery", "useShortcuts", "api\\..*", "navigate", "setTab", "set[A-Z].*", "keyOf", "sort", "focus", "scrollTo.*"] },
          "object-properties": { exclude: ["[A-Z_-]+", "view", "tab", "kind", "key", "id", "queryKey", "segment", "type", "state", "className", "sort", "width", "align", "timeZone", "dateStyle", "timeStyle", "month", "day", "year", "style"] },
          words: { exclude: ["[0-9!-/:-@[-`{-~\\s·–—…→←↑↓×✓✕•▲▼☏✎]+", "[A-Z_-]+", "^\\p{Emoji}+$"] },
        },
      ],
    },
  },
  {
    // `await act(async () => …)` is React's way to let a test flush the microtasks an update
    // queues, with or without an await inside.
    files: ["**/*.test.ts", "**/*.test.tsx", "src/testing.tsx"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  { files: ["eslint.config.js", "check-dist.mjs", "check-catalogs.mjs"], extends: [tseslint.configs.disableTypeChecked], languageOptions: { globals: globals.node } },
);
