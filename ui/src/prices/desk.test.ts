import { describe, expect, it } from "vitest";

import { ruleOf } from "./PricingTab";
import { settingsOf } from "./ScheduleTab";

describe("the Pricing tab's form", () => {
  const base = { percent: "", fixed: "", basis: "unit" as const, rounding: "none" as const, scope: "all" as const, value: "", sku: "", market: "", promotion: false };

  it("hands the markup and the amount on as typed: the core reads them (20%, 12,5, 1.50)", () => {
    expect(ruleOf({ ...base, percent: "20%", fixed: "1,50" })).toMatchObject({ percent: "20%", fixed: "1,50" });
  });

  it("sets only the field of the scope chosen, and a plan's product with its SKU", () => {
    const plan = ruleOf({ ...base, percent: "10", scope: "plan", value: " DZH318Z0BXWC ", sku: "0002", market: "gb" });
    expect(plan).toMatchObject({ productId: "DZH318Z0BXWC", skuId: "0002", publisher: null, category: null, productType: null, market: "gb" });
    const publisher = ruleOf({ ...base, percent: "10", scope: "publisher", value: "Contoso", sku: "ignored" });
    expect(publisher).toMatchObject({ publisher: "Contoso", productId: null, skuId: null });
    expect(ruleOf({ ...base, percent: "10", scope: "all", value: "left over" }).publisher).toBeNull();
  });
});

describe("the Daily export form", () => {
  it("splits the markets typed, in upper case, without empties", () => {
    const s = settingsOf({
      at: "06:30",
      markets: [],
      marketsText: "gb, us  de,",
      formats: ["xlsx"],
      dir: "/tmp/prices",
      customerPrices: false,
      customerList: { customer: "", partner: "", validDays: 30, internal: false },
      keepDays: 30,
    });
    expect(s.markets).toEqual(["GB", "US", "DE"]);
    expect(s).not.toHaveProperty("marketsText");
  });
});
