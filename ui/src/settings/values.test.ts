import { describe, expect, it } from "vitest";

import type { SettingsValues } from "../bindings";
import { hasOverrides, parseMarkets } from "./values";

const defaults: SettingsValues = {
  connection: "sandbox",
  tenantId: "",
  clientId: "",
  armSubscription: "",
  markets: ["US"],
  exportDir: "",
  language: "system",
  endpoints: { partnerCenter: "", partnerApi: "", arm: "", authority: "" },
};

describe("settings form values", () => {
  it("reads the other markets as codes, each once", () => {
    expect(parseMarkets(" gb, us;de  gb ,")).toEqual(["GB", "US", "DE"]);
    expect(parseMarkets("  ")).toEqual([]);
  });

  it("opens the advanced section only when an override is set", () => {
    expect(hasOverrides(defaults)).toBe(false);
    expect(hasOverrides({ ...defaults, endpoints: { ...defaults.endpoints, arm: " http://127.0.0.1:4000 " } })).toBe(true);
  });
});
