import { act } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import type { ImpactReport, ImpactRow } from "../bindings";
import { mount } from "../testing";

const api = vi.hoisted(() => ({ priceImpact: vi.fn(), exportPriceImpact: vi.fn() }));
vi.mock("../api", () => api);
const { ImpactTab } = await import("./ImpactTab");

// jsdom lays nothing out: the grid's scrolling element is 300 px high.
const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
beforeAll(() => Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 300 }));
afterAll(() => height && Object.defineProperty(HTMLElement.prototype, "clientHeight", height));
afterEach(() => vi.clearAllMocks());

const row = (over: Partial<ImpactRow>): ImpactRow => ({
  market: "US",
  customerId: "c1",
  customerName: "Contoso Ltd",
  subscriptionId: "s1",
  subscription: "Contoso seats",
  renewal: "2026-12-01T00:00:00Z",
  autoRenew: true,
  quantity: 25,
  kind: "increase",
  productId: "P1",
  product: "Teams Essentials",
  skuId: "0001",
  plan: "Teams Essentials",
  publisher: "Microsoft",
  term: "P1Y",
  billingPlan: "Monthly",
  currency: "USD",
  oldPrice: 4,
  newPrice: 5,
  amount: 1,
  percent: 25,
  ...over,
});
const REPORT: ImpactReport = {
  spans: [{ market: "US", from: "2026-11-20", to: "2026-11-21", changes: 3 }],
  skipped: [],
  rows: [
    row({ subscriptionId: "s9", customerName: "Fabrikam", subscription: "Old plan", kind: "removed", newPrice: null, amount: null, percent: null, renewal: "2027-01-05T00:00:00Z", autoRenew: false }),
    row({}),
    row({ subscriptionId: "s2", customerName: "Adatum", subscription: "Adatum seats", kind: "decrease", oldPrice: 10, newPrice: 9, amount: -1, percent: -10, renewal: "2026-12-20T00:00:00Z" }),
  ],
};

async function view(report: ImpactReport = REPORT) {
  api.priceImpact.mockResolvedValue(report);
  const el = await mount(<ImpactTab market="US" markets={[]} status={null} params={{ view: "price-lists" }} navigate={() => {}} toast={() => {}} reconnect={() => {}} />);
  await act(async () => {});
  return el;
}

/** The grid's data rows as the user reads them: [aria-rowindex, text of each cell]. */
const rows = (el: HTMLElement) =>
  [...el.querySelectorAll<HTMLElement>("#impact-table [role=row]:not(.thead)")].map((r) => [r.getAttribute("aria-rowindex"), ...[...r.querySelectorAll("[role=gridcell]")].map((c) => c.textContent)]);

describe("the customers touched", () => {
  it("lists the touched subscriptions in the one grid, in the core's order, with every detail", async () => {
    const el = await view();
    const grid = el.querySelector("#impact-table");
    expect(grid?.getAttribute("role")).toBe("grid");
    expect(grid?.getAttribute("aria-label")).toBe("Subscriptions touched by price changes in US");
    expect(grid?.getAttribute("aria-rowcount")).toBe("4");
    expect([...el.querySelectorAll("#impact-table [role=columnheader]")].map((h) => h.textContent)).toEqual(["Renewal", "Customer", "Subscription", "Product and plan", "Change", "Old → new", "Percent"]);
    const shown = rows(el);
    expect(shown.map((r) => r[0])).toEqual(["2", "3", "4"]);
    expect(shown[0]).toEqual(["2", "Jan 5, 2027", "Fabrikam", "Old plan25 seats · auto-renew off", "Teams Essentials · Teams Essentials1 year · Monthly", "Plan removed", "$4.00 → –", ""]);
    expect(shown[1]?.[5]).toBe("Price up");
    expect(shown[1]?.[6]).toBe("$4.00 → $5.00");
    expect(shown[1]?.[3]).toContain("auto-renew on");
    expect(el.querySelector("#impact-table [aria-rowindex='2']")?.classList.contains("removed")).toBe(true);
    expect(el.querySelector("[role=status]")?.textContent).toContain("3 subscriptions touched");
  });

  it("sorts by a header and moves the selection with the arrows", async () => {
    const el = await view();
    const percent = [...el.querySelectorAll<HTMLElement>("#impact-table [role=columnheader]")].find((h) => h.textContent === "Percent");
    await act(async () => percent?.click());
    expect(percent?.getAttribute("aria-sort")).toBe("descending");
    // Largest rise first; the removed plan has no percent and goes last.
    expect(rows(el).map((r) => r[2])).toEqual(["Contoso Ltd", "Adatum", "Fabrikam"]);
    await act(async () => {
      el.querySelector<HTMLElement>("#impact-table")?.focus();
      document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
    });
    expect(el.querySelector("#impact-table [aria-selected='true'] [role=gridcell]:nth-child(2)")?.textContent).toBe("Contoso Ltd");
  });

  it("says when no customer holds a changed plan, and which markets have nothing to compare", async () => {
    const el = await view({ spans: REPORT.spans, skipped: [{ market: "DE", reason: "no an earlier price snapshot of DE than 2026-11-21" }], rows: [] });
    expect(el.textContent).toContain("No customer holds a plan whose price changed.");
    expect(el.textContent).toContain("Nothing to compare yet in DE");
    expect(el.querySelector("#impact-table")?.getAttribute("aria-rowcount")).toBe("1");
    expect(el.querySelector<HTMLButtonElement>(".impact-bar button")?.disabled).toBe(true);
  });
});
