import { describe, expect, it } from "vitest";

import { IpcError } from "../api";
import type { PriceChangeRow } from "../bindings";
import { EMPTY_FILTER } from "../marketplace/windowing";
import { priceErrorHint } from "./errors";
import { dayLabel, filterChanges, filterChips, formatElapsed, formatOf, formatRate, hasFilters, prettyId, sortChanges, withFormat } from "./prices";
import { isoPeriod, money, percent } from "../format";

const change = (over: Partial<PriceChangeRow>): PriceChangeRow => ({
  kind: "increase",
  productId: "P1",
  product: "Alpha",
  skuId: "0001",
  plan: "Standard",
  publisher: "Contoso",
  term: "P1Y",
  billingPlan: "Monthly",
  currency: "USD",
  oldPrice: 10,
  newPrice: 11,
  amount: 1,
  percent: 10,
  ...over,
});

describe("filterChips", () => {
  it("is empty without filters", () => {
    expect(filterChips(EMPTY_FILTER)).toEqual([]);
    expect(hasFilters(EMPTY_FILTER)).toBe(false);
  });

  it("names every active filter the way the marketplace does", () => {
    const chips = filterChips(
      { types: ["saas"], categories: ["it-operations", "security"], publisher: { kind: "partner" }, trialOnly: true, search: "  backup " },
      (id) => (id === "security" ? "Security" : prettyId(id)),
    );
    expect(chips.map((c) => c.text)).toEqual(["“backup”", "SaaS", "It operations", "Security", "Publisher: partners", "Free trial only"]);
    expect(new Set(chips.map((c) => c.key)).size).toBe(chips.length);
  });

  it("names a picked publisher and Microsoft", () => {
    expect(filterChips({ ...EMPTY_FILTER, publisher: { kind: "named", name: "Fabrikam" } })[0]?.text).toBe("Publisher: Fabrikam");
    expect(filterChips({ ...EMPTY_FILTER, publisher: { kind: "microsoft" } })[0]?.text).toBe("Publisher: Microsoft");
  });
});

describe("rates and times", () => {
  it("shows rows per second rounded, or a dash until known", () => {
    expect(formatRate(null)).toBe("— rows/s");
    expect(formatRate(0)).toBe("— rows/s");
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe("— rows/s");
    expect(formatRate(42.4)).toBe("42 rows/s");
    expect(formatRate(48_214)).toBe(`${(48_210).toLocaleString()} rows/s`);
  });

  it("shows elapsed time with a decimal under 10 s, then minutes", () => {
    expect(formatElapsed(420)).toBe("0.4 s");
    expect(formatElapsed(12_400)).toBe("12 s");
    expect(formatElapsed(125_000)).toBe("2 min 05 s");
  });
});

describe("money, percent, terms, days", () => {
  it("formats in the market's currency with a sign for amounts", () => {
    expect(money(12.5, "USD")).toContain("12.50");
    expect(money(12.5, "USD")).toContain("$");
    expect(money(3, "GBP", { signed: true })).toMatch(/^\+.*£.*3\.00|^\+£3\.00/);
    expect(money(-3, "EUR", { signed: true })).toMatch(/-|−/);
    expect(money(null, "USD")).toBe("–");
    expect(money(1, "")).toContain("1.00");
  });

  it("signs percents", () => {
    expect(percent(3.456)).toBe("+3.5 %");
    expect(percent(-12)).toBe("−12.0 %");
    expect(percent(null)).toBe("");
  });

  it("reads ISO terms", () => {
    expect(isoPeriod("P1M")).toBe("1 month");
    expect(isoPeriod("P1Y")).toBe("1 year");
    expect(isoPeriod("P3Y")).toBe("3 years");
    expect(isoPeriod("odd")).toBe("odd");
  });

  it("shows a snapshot day without shifting it by the time zone", () => {
    expect(dayLabel("2026-11-21")).toContain("21");
    expect(dayLabel("2026-11-21")).toContain("2026");
    expect(dayLabel("bad")).toBe("bad");
  });
});

describe("sortChanges and filterChanges", () => {
  const rows = [
    change({ product: "Beta", kind: "new", oldPrice: null, amount: null, percent: null, newPrice: 5 }),
    change({ product: "Alpha", kind: "decrease", oldPrice: 10, newPrice: 8, amount: -2, percent: -20 }),
    change({ product: "Gamma", kind: "increase", amount: 3, percent: 30 }),
    change({ product: "Delta", kind: "removed", newPrice: null, amount: null, percent: null, skuId: "0002" }),
  ];

  it("sorts by amount both ways with missing amounts last", () => {
    const up = sortChanges(rows, { key: "amount", descending: false }).map((r) => r.product);
    expect(up.slice(0, 2)).toEqual(["Alpha", "Gamma"]);
    const down = sortChanges(rows, { key: "amount", descending: true }).map((r) => r.product);
    expect(down.slice(0, 2)).toEqual(["Gamma", "Alpha"]);
    expect(down.slice(2).sort()).toEqual(["Beta", "Delta"]);
  });

  it("sorts by kind (increases first) and by product", () => {
    expect(sortChanges(rows, { key: "kind", descending: false }).map((r) => r.kind)).toEqual(["increase", "decrease", "new", "removed"]);
    expect(sortChanges(rows, { key: "product", descending: true }).map((r) => r.product)).toEqual(["Gamma", "Delta", "Beta", "Alpha"]);
  });

  it("keeps the input untouched", () => {
    const before = rows.map((r) => r.product);
    sortChanges(rows, { key: "product", descending: false });
    expect(rows.map((r) => r.product)).toEqual(before);
  });

  it("filters by kind and by text in product, plan, SKU or publisher", () => {
    expect(filterChanges(rows, new Set(["new", "removed"]), "")).toHaveLength(2);
    expect(filterChanges(rows, new Set(["increase", "decrease", "new", "removed"]), "0002").map((r) => r.product)).toEqual(["Delta"]);
    expect(filterChanges(rows, new Set(["increase"]), "contoso")).toHaveLength(1);
    expect(filterChanges(rows, new Set(["increase"]), "nobody")).toHaveLength(0);
  });
});

describe("formatOf", () => {
  it("reads the format from the picked name", () => {
    expect(formatOf("/tmp/changes.CSV")).toBe("csv");
    expect(formatOf("/tmp/changes.xlsx")).toBe("xlsx");
    expect(formatOf("/tmp/changes")).toBe("xlsx");
  });
});

describe("withFormat", () => {
  it("swaps or adds the extension, and leaves a matching one", () => {
    expect(withFormat("/tmp/p.xlsx", "csv")).toBe("/tmp/p.csv");
    expect(withFormat("/tmp/p.csv", "xlsx")).toBe("/tmp/p.xlsx");
    expect(withFormat("/tmp/p", "xlsx")).toBe("/tmp/p.xlsx");
    expect(withFormat("/tmp/p.xlsx", "xlsx")).toBe("/tmp/p.xlsx");
    expect(withFormat("", "xlsx")).toBe("");
  });
});

describe("priceErrorHint", () => {
  it("says what to do for a refused token and an unsold market", () => {
    expect(priceErrorHint(new IpcError("auth", "401", false), ["US"])).toMatch(/sign in again/);
    expect(priceErrorHint(new IpcError("notFound", "no price sheet for XX", false), ["XX"])).toMatch(/market you sell in/);
    expect(priceErrorHint(new IpcError("notFound", "a price snapshot of US for 2026-11-01 not found", false), ["US"])).toMatch(/fetch today's snapshot/);
    expect(priceErrorHint(new IpcError("network", "down", true), ["US"])).toBeUndefined();
  });
});
