import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { RuleRow } from "../bindings/RuleRow";
import { setLocale } from "../i18n";
import { mount } from "../testing";

const api = vi.hoisted(() => ({ marginRules: vi.fn(), removeMarginRule: vi.fn() }));
vi.mock("../api", () => api);
const { PricingTab } = await import("./PricingTab");

afterEach(() => {
  vi.clearAllMocks();
  setLocale("en");
});

const RULE: RuleRow = { words: "+20% on everything", id: 7, percent: 20, fixed: null, basis: "unit", rounding: "none", promotion: false, productType: null, publisher: null, category: null, productId: null, skuId: null, market: null };

describe("the Pricing tab", () => {
  it("says a removed rule in the UI's language", async () => {
    setLocale("ko");
    api.marginRules.mockResolvedValue([RULE]);
    api.removeMarginRule.mockResolvedValue([]);
    const toast = vi.fn();
    const el = await mount(<PricingTab market="US" markets={[]} status={null} params={{ view: "price-lists" }} navigate={() => {}} toast={toast} reconnect={() => {}} />);
    await act(async () => {});
    await act(async () => el.querySelector<HTMLButtonElement>(".rules-table .actions button")?.click());
    expect(api.removeMarginRule).toHaveBeenCalledWith(7);
    expect(toast).toHaveBeenCalledWith("규칙을 삭제했습니다");
  });
});
