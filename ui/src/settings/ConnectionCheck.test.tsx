import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { ConnectionReport } from "../bindings";
import { mount } from "../testing";


const api = vi.hoisted(() => ({ checkConnection: vi.fn() }));
vi.mock("../api", () => api);

const { ConnectionCheck } = await import("./ConnectionCheck");

const report: ConnectionReport = {
  ok: false,
  checks: [
    {
      service: "Partner Center",
      call: "GET /v1/customers",
      serves: "customers, orders, subscriptions and invoices",
      ok: true,
      status: 200,
      requestId: "rid-pc",
      message: "answered: 20 customers on the first page",
      refusal: null,
    },
    {
      service: "Microsoft Graph",
      call: "GET /v1.0/reports/partners/billing/operations/0",
      serves: "invoice line items (billing reconciliation)",
      ok: false,
      status: 403,
      requestId: "rid-graph",
      message: "refused: the app registration lacks a permission. … PartnerBilling.Read.All …",
      refusal: "permission",
    },
  ],
};

afterEach(() => api.checkConnection.mockReset());

describe("ConnectionCheck", () => {
  it("shows what answered, what was refused and why, with request ids", async () => {
    api.checkConnection.mockResolvedValue(report);
    const host = await mount(<ConnectionCheck />);
    expect(host.querySelector("#connection-report")).toBeNull();
    await act(async () => {
      (host.querySelector("#check-connection") as HTMLButtonElement).click();
    });
    expect(api.checkConnection).toHaveBeenCalledTimes(1);
    const items = [...host.querySelectorAll("#connection-report li")];
    expect(items.map((i) => i.className)).toEqual(["ok", "no"]);
    const graph = items[1]?.textContent ?? "";
    expect(graph).toContain("PartnerBilling.Read.All");
    expect(graph).toContain("rid-graph");
    expect(graph).toContain("HTTP 403");
  });
});
