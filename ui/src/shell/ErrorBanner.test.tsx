import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";

import { IpcError } from "../api";
import { ErrorBanner } from "./ErrorBanner";

// React's act() needs this flag outside a test framework adapter.

let host: HTMLDivElement | null = null;
afterEach(() => host?.remove());

function render(error: IpcError, onRetry?: () => void): HTMLDivElement {
  host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  act(() => root.render(<ErrorBanner error={error} what="The catalog could not be synced" onRetry={onRetry} />));
  return host;
}

describe("ErrorBanner", () => {
  it("says what to do by kind, not by message text", () => {
    const net = render(new IpcError("network", "could not reach Partner Center", true));
    expect(net.textContent).toContain("could not reach Partner Center");
    expect(net.textContent).toContain("Check the network connection");
    expect(net.querySelector("[data-kind='network']")).not.toBeNull();
    const auth = render(new IpcError("auth", "token refused", false));
    expect(auth.textContent).toContain("CSPDESK_ACCESS_TOKEN");
  });

  it("offers Try again when the view can retry", () => {
    let retried = 0;
    const el = render(new IpcError("throttled", "slow down", true), () => retried++);
    const button = Array.from(el.querySelectorAll("button")).find((b) => b.textContent === "Try again");
    expect(button).toBeDefined();
    act(() => button?.click());
    expect(retried).toBe(1);
  });

  it("shows Partner Center's code and the request id in a copyable details line", () => {
    const el = render(
      new IpcError("api", "Partner Center refused the order", false, { code: "800002", requestId: "9c1d-42" }),
    );
    expect(el.querySelector("#error-details")?.textContent).toBe("code 800002 · request id 9c1d-42");
    expect(Array.from(el.querySelectorAll("button")).some((b) => b.textContent === "Copy")).toBe(true);
    const plain = render(new IpcError("invalid", "not a market", false));
    expect(plain.querySelector("#error-details")).toBeNull();
  });
});
