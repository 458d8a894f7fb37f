import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { GraphExportProgress, InvoiceSummary, LineWindow } from "../bindings";
import type { ViewProps } from "../shell/nav";
import { mount } from "../testing";
import { exportStage } from "./lines";


const api = vi.hoisted(() => ({
  listInvoices: vi.fn(),
  invoiceLines: vi.fn(),
  exportInvoiceLines: vi.fn(),
}));
vi.mock("../api", () => api);

const { Invoices } = await import("./Invoices");

const invoice: InvoiceSummary = {
  id: "G000123",
  unbilled: false,
  invoiceDate: "2026-11-08T00:00:00Z",
  period: { start: "2026-10-01", end: "2026-10-31", invoiceAvailable: "2026-11-08", label: "October 2026 charges · invoice available 8 November 2026", message: { code: "billingPeriod", params: { start: "2026-10-01", invoiceAvailable: "2026-11-08" } } },
  totalCharges: 120,
  paidAmount: 0,
  currencyCode: "USD",
  currencySymbol: "$",
};

const empty: LineWindow = {
  invoiceId: "G000123",
  total: 0,
  all: 0,
  offset: 0,
  rows: [],
  totals: [],
  trials: 0,
  customers: [],
  publishers: [],
  products: [],
  fetchedAt: "2026-11-09T10:00:00Z",
};

let host: HTMLDivElement | null = null;
afterEach(() => vi.clearAllMocks());

const status = () => host!.querySelector("#export-status");

describe("Graph export progress", () => {
  it("puts each stage in words, with how far along the files it is", () => {
    expect(exportStage({ stage: "started", what: "the export of invoice G000123" })).toEqual({
      stage: "Requested",
      detail: "Microsoft Graph accepted the export of invoice G000123",
      fraction: null,
    });
    expect(exportStage({ stage: "waiting", status: "running", waited_secs: 40, next_check_secs: 20 }).stage).toBe("Running");
    expect(exportStage({ stage: "downloading", file: 2, files: 4, lines: 12345 })).toEqual({
      stage: "Downloading file 2 of 4",
      detail: "12,345 lines read",
      fraction: 0.25,
    });
    expect(exportStage({ stage: "done", lines: 1 }).detail).toBe("1 line read");
  });

  it("shows the running export in the Invoices view until the lines arrive", async () => {
    api.listInvoices.mockResolvedValue([invoice]);
    let tell: (p: GraphExportProgress) => void = () => {};
    let finish: (w: LineWindow) => void = () => {};
    api.invoiceLines.mockImplementation(
      (_q: unknown, onProgress: (p: GraphExportProgress) => void) =>
        new Promise<LineWindow>((resolve) => {
          tell = onProgress;
          finish = resolve;
        }),
    );
    const props = { navigate: vi.fn(), toast: vi.fn(), params: {} } as unknown as ViewProps;
    host = await mount(<Invoices {...props} />);
    expect(api.invoiceLines).toHaveBeenCalledTimes(1);
    expect(status()).toBeNull();

    await act(async () => tell({ stage: "started", what: "the export of invoice G000123" }));
    expect(status()!.textContent).toContain("Requested");
    expect(status()!.textContent).toContain("the export of invoice G000123");

    await act(async () => tell({ stage: "waiting", status: "running", waited_secs: 35, next_check_secs: 10 }));
    expect(status()!.textContent).toContain("Running");
    expect(status()!.textContent).toContain("35 s so far");

    await act(async () => tell({ stage: "downloading", file: 3, files: 4, lines: 250000 }));
    expect(status()!.textContent).toContain("Downloading file 3 of 4");
    expect(status()!.textContent).toContain("250,000 lines read");
    expect((status()!.querySelector("progress") as HTMLProgressElement).value).toBe(0.5);

    await act(async () => finish(empty));
    expect(status()).toBeNull();
    expect(host.querySelector("#lines-empty")!.textContent).toContain("no marketplace line items");
  });
});
