// What the component tests share (also vitest's setup file): React's act() environment, what
// jsdom lacks and the tables use, and `mount`, which renders into the page with a fresh data layer
// and takes it down after the test.
import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, act } from "react";
import { type Root, createRoot } from "react-dom/client";
import { afterEach } from "vitest";

import { setLocale } from "./i18n";
import { newQueryClient } from "./query";

// Tests read the English catalog, whatever the machine's language is.
setLocale("en");

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
// eslint-disable-next-line @typescript-eslint/unbound-method -- read only to see whether jsdom has it
Element.prototype.scrollTo ??= function () {};

const mounted: Array<{ host: HTMLElement; root: Root }> = [];
afterEach(() => {
  for (const { host, root } of mounted.splice(0)) {
    act(() => root.unmount());
    host.remove();
  }
});

/** Render `node` into the page (with its own QueryClient) and let its first effects run. */
export async function mount(node: ReactNode): Promise<HTMLDivElement> {
  const host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  mounted.push({ host, root });
  const client = newQueryClient();
  await act(async () => root.render(<QueryClientProvider client={client}>{node}</QueryClientProvider>));
  return host;
}
