import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { RuleRow } from "../bindings";
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

  it("lists each rule in the UI's language, from its fields", async () => {
    const erp: RuleRow = { ...RULE, id: 8, words: "#8 +10% of ERP round 0.99 · publisher Contoso, in GB · promotion", percent: 10, basis: "erp", rounding: "up99", publisher: "Contoso", market: "GB", promotion: true };
    api.marginRules.mockResolvedValue([RULE, erp]);
    const rows = async () => {
      const el = await mount(<PricingTab market="US" markets={[]} status={null} params={{ view: "price-lists" }} navigate={() => {}} toast={() => {}} reconnect={() => {}} />);
      await act(async () => {});
      return [...el.querySelectorAll(".rules-table tbody td:first-child")].map((td) => td.textContent);
    };
    expect(await rows()).toEqual(["#7 +20% · everything", "#8 +10% of ERP (Up to .99) · publisher Contoso, in GB · promotion"]);
    setLocale("ko");
    expect(await rows()).toEqual(["#7 +20% · 전체", "#8 ERP의 +10% (.99로 올림) · 게시자 Contoso, GB 시장 · 프로모션"]);
  });
});
