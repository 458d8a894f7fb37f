import { describe, expect, it } from "vitest";

import type { SettingsValues } from "../bindings/SettingsValues";
import { checkEndpoint, hasOverrides, parseMarkets, validate } from "./validate";

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

describe("settings form validation", () => {
  it("accepts the defaults", () => {
    expect(validate(defaults)).toEqual({});
    expect(hasOverrides(defaults)).toBe(false);
  });

  it("names each wrong field with what to write instead", () => {
    const e = validate({
      ...defaults,
      tenantId: "contoso tenant",
      clientId: "1234",
      armSubscription: "sub-1",
      markets: ["USA"],
    });
    expect(Object.keys(e).sort()).toEqual(["armSubscription", "clientId", "markets", "tenantId"]);
    expect(e.clientId).toContain("not a GUID");
    expect(e.tenantId).toContain("contoso.onmicrosoft.com");
    expect(e.markets).toContain("two-letter");
  });

  it("refuses plain http to another machine, allows it on this one", () => {
    expect(checkEndpoint("http://proxy.example.com")).toContain("only https://");
    expect(checkEndpoint("http://127.0.0.1:8080")).toBeUndefined();
    expect(checkEndpoint("http://localhost/")).toBeUndefined();
    expect(checkEndpoint("https://api.partnercenter.microsoft.com")).toBeUndefined();
    expect(checkEndpoint("ftp://example.com")).toContain("not an https://");
    expect(checkEndpoint("api.example.com")).toContain("not a URL");
    const e = validate({ ...defaults, endpoints: { ...defaults.endpoints, arm: "http://10.0.0.5" } });
    expect(Object.keys(e)).toEqual(["endpoints.arm"]);
  });

  it("asks Partner Center for a client id, unless signing in at a local sandbox", () => {
    expect(validate({ ...defaults, connection: "partner-center" }).clientId).toContain("application (client) id");
    const local = { ...defaults.endpoints, authority: "http://127.0.0.1:4000/" };
    expect(validate({ ...defaults, connection: "partner-center", endpoints: local })).toEqual({});
    expect(
      validate({ ...defaults, connection: "partner-center", clientId: "C5D3E4F1-0A2B-4C6D-8E9F-1A2B3C4D5E6F" }),
    ).toEqual({});
  });

  it("reads markets as codes, the first being the default", () => {
    expect(parseMarkets(" gb, us;de  gb ,")).toEqual(["GB", "US", "DE"]);
    expect(validate({ ...defaults, markets: [] }).markets).toContain("at least one");
    expect(validate({ ...defaults, markets: ["XX"] }, ["US", "GB"]).markets).toContain("does not sell in `XX`");
  });
});
