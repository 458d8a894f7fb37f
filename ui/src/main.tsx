import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import * as api from "./api";
import { localeOf, setLocale, setOsLanguage } from "./i18n";
import { queryClient } from "./query";
import "./styles.css";

const root = document.getElementById("root");
// The language the settings name (or the OS's) before the first paint, so no English flashes.
const language = api.readSettings().then(
  (s) => {
    setOsLanguage(s.osLanguage);
    setLocale(localeOf(s.values.language));
  },
  () => undefined,
);
if (root) {
  void language.then(() =>
    createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
    ),
  );
}
