import { QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { PolicyInfo, SubscriptionItem } from "../bindings";
import { setLocale } from "../i18n";
import { newQueryClient } from "../query";
import { SubscriptionDetail } from "./SubscriptionDetail";
import { sub } from "./fixture";


const NOW = Date.parse("2026-11-21T08:00:00Z");
const POLICY: PolicyInfo = { monthlyHours: 24, annualHours: 336, source: "Partner Center rule", sourceUrl: null, origin: "default" };

let host: HTMLDivElement | null = null;
afterEach(() => {
  host?.remove();
  clearMocks();
  vi.useRealTimers();
  setLocale("en");
});

function render(s: SubscriptionItem, onChange: (s: SubscriptionItem) => void = () => {}): HTMLDivElement {
  vi.useFakeTimers({ now: NOW, toFake: ["Date", "setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
  mockIPC((cmd) => {
    if (cmd === "quantity_bounds") return { planName: "Pro", min: 1, max: 50, unitType: "Licenses" };
    if (cmd === "cancel_subscription") return { ...s, status: "cancelled", canCancel: false, cancellableUntil: null, cancelBlocked: { code: "cancelBlockedCancelled" } };
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- Tauri rejects with the IpcError DTO, a plain object
    throw { kind: "notFound", message: `unexpected ${cmd}`, retryable: false };
  });
  host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  void act(() =>
    root.render(
      <QueryClientProvider client={newQueryClient()}>
        <SubscriptionDetail sub={s} skew={0} policy={POLICY} onChange={onChange} onClose={() => {}} navigate={() => {}} toast={() => {}} />
      </QueryClientProvider>,
    ),
  );
  return host;
}

const cancelButton = (el: HTMLElement) => el.querySelector<HTMLButtonElement>("#cancel-button")!;

describe("SubscriptionDetail", () => {
  it("inside the window: a ticking countdown and Cancel enabled", () => {
    const el = render(sub());
    expect(el.querySelector("#countdown")?.textContent).toBe("Closes in 3 h 12 min 00 s");
    expect(cancelButton(el).disabled).toBe(false);
    act(() => {
      vi.advanceTimersByTime(1005);
    });
    expect(el.querySelector("#countdown")?.textContent).toBe("Closes in 3 h 11 min 59 s");
    expect(el.querySelector("#deadline-source")?.textContent).toContain("cancellationAllowedUntilDate");
  });

  it("after the window: Cancel disabled, saying when it closed", () => {
    const el = render(sub({ deadline: { at: "2026-11-21T07:00:00Z", kind: "subscriptionField", source: "x", message: { code: "deadlineSubscriptionField" } }, cancellableUntil: "2026-11-21T07:00:00Z" }));
    expect(cancelButton(el).disabled).toBe(true);
    expect(el.querySelector("#cancel-reason")?.textContent).toMatch(/^The cancellation window closed on .+\.$/);
    expect(el.querySelector("#countdown")).toBeNull();
  });

  it("a computed deadline shows the policy and its source", () => {
    const el = render(sub({ deadline: { at: "2026-11-21T11:12:00Z", kind: "policy", source: "policy: Partner Center rule", message: { code: "deadlinePolicy", params: { source: "Microsoft" } } } }));
    expect(el.querySelector("#deadline-source")?.textContent).toContain("monthly 24 hours, annual 14 days. Partner Center rule");
  });

  it("Cancel asks first, naming customer, product and refund, then shows what Partner Center read back", async () => {
    const changed: SubscriptionItem[] = [];
    const el = render(sub(), (s) => changed.push(s));
    act(() => cancelButton(el).click());
    const dialog = document.querySelector("#cancel-dialog")!;
    expect(dialog.querySelector("#confirm-customer")?.textContent).toBe("Contoso");
    expect(dialog.querySelector("#confirm-product")?.textContent).toContain("Fabrikam CRM");
    expect(dialog.querySelector("#confirm-refund")?.textContent).toBe("Full refund");
    await act(async () => {
      document.querySelector<HTMLButtonElement>("#confirm-cancel")!.click();
      await vi.runOnlyPendingTimersAsync();
    });
    expect(changed.at(-1)?.status).toBe("cancelled");
    expect(document.querySelector("#cancel-dialog")).toBeNull();
  });

  it("says the refund in the UI's language, from the core's code", () => {
    setLocale("ko");
    const el = render(sub({ refund: "Partial refund", refundMessage: { code: "refundPartial" } }));
    act(() => cancelButton(el).click());
    expect(document.querySelector("#confirm-refund")?.textContent).toBe("부분 환불");
    expect(el.textContent).toContain("부분 환불");
  });
});
