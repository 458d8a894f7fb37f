import { describe, expect, it } from "vitest";

import type { InvoiceSummary, LineRow } from "../bindings";
import { DEFAULT_LINE_SORT, EMPTY_LINE_FILTERS, buildLineQuery, chargeLabel, contactsParams, countText, defaultInvoice, exportFileName, hasFilters, periodStatus, periodTitle, totalsText } from "./lines";
import { money } from "../format";
import { covers, rowAt } from "../marketplace/windowing";

const period = { start: "2026-10-01", end: "2026-10-31", invoiceAvailable: "2026-11-08", label: "October 2026 charges · invoice available 8 November 2026", message: { code: "billingPeriod" as const, params: { start: "2026-10-01", invoiceAvailable: "2026-11-08" } } };
const invoice: InvoiceSummary = { id: "G000123", unbilled: false, invoiceDate: "2026-11-08T01:22:47Z", period, totalCharges: 120, paidAmount: 0, currencyCode: "USD", currencySymbol: "$" };
const unbilled: InvoiceSummary = { ...invoice, id: "unbilled", unbilled: true, invoiceDate: null, totalCharges: null, period: { start: "2026-11-01", end: "2026-11-30", invoiceAvailable: "2026-12-08", label: "November 2026 charges · invoice available 8 December 2026", message: { code: "billingPeriod" as const, params: { start: "2026-11-01", invoiceAvailable: "2026-12-08" } } } };

function row(over: Partial<LineRow> = {}): LineRow {
  return {
    customerId: "c1", customerName: "Contoso", customerDomainName: "contoso.example", customerCountry: "US", publisherName: "Fabrikam", publisherId: "fabrikam",
    productId: "P1", productName: "Shield", skuId: "0001", skuName: "Gold", chargeType: "CycleCharge", trial: false, chargeStartDate: null, chargeEndDate: null,
    quantity: 2, unitPrice: 10, subtotal: 20, total: 20, currency: "USD", orderId: "o1", subscriptionId: "s1", subscriptionDescription: "", termAndBillingCycle: "", ...over,
  };
}

describe("line queries", () => {
  it("sends blank filters as null and keeps the sort and window", () => {
    const q = buildLineQuery("G1", { customer: " contoso ", publisher: "", product: "  " }, { key: "total", descending: true }, 40, 100);
    expect(q).toEqual({ invoiceId: "G1", customer: "contoso", publisher: null, product: null, sort: "total", descending: true, offset: 40, limit: 100, refresh: false });
    expect(buildLineQuery("G1", EMPTY_LINE_FILTERS, DEFAULT_LINE_SORT, 0, 10, true).refresh).toBe(true);
    expect(hasFilters(EMPTY_LINE_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_LINE_FILTERS, product: "x" })).toBe(true);
  });

  it("knows which rows a window covers", () => {
    const win = { offset: 20, rows: Array.from({ length: 10 }, (_, i) => row({ subscriptionId: `s${20 + i}` })) };
    expect(covers(win, 20, 29, 100)).toBe(true);
    expect(covers(win, 19, 25, 100)).toBe(false);
    expect(covers(win, 25, 35, 100)).toBe(false);
    expect(covers(win, 25, 35, 30)).toBe(true);
    expect(covers(null, 0, 1, 0)).toBe(false);
    expect(rowAt(win, 21)?.subscriptionId).toBe("s21");
    expect(rowAt(win, 5)).toBeUndefined();
  });
});

describe("money and periods", () => {
  it("shows amounts with the currency's symbol", () => {
    expect(money(1234.5, "USD", { locale: "en-US" })).toBe("$1,234.50");
    expect(money(0, "EUR", { locale: "en-US" })).toBe("€0.00");
    expect(money(null, "USD")).toBe("–");
    expect(money(3, "NOT-A-CURRENCY")).toBe("3.00 NOT-A-CURRENCY");
    expect(totalsText([{ currency: "USD", amount: 10 }], "en-US")).toBe("$10.00");
    expect(totalsText([], "en-US")).toBe("$0.00");
  });

  it("titles periods and says whether they are invoiced", () => {
    expect(periodTitle(invoice)).toBe("October 2026");
    expect(periodTitle(unbilled)).toBe("November 2026");
    expect(periodStatus(invoice, "en-US")).toContain("Invoice G000123");
    expect(periodStatus(invoice, "en-US")).toContain("not paid yet");
    expect(periodStatus({ ...invoice, paidAmount: 120 }, "en-US")).toContain("paid");
    expect(periodStatus(unbilled, "en-GB")).toBe("Not invoiced yet: charges so far this month. The invoice will be available on 8 December 2026.");
    expect(defaultInvoice([unbilled, invoice])).toBe("G000123");
    expect(defaultInvoice([unbilled])).toBe("unbilled");
    expect(defaultInvoice([])).toBeNull();
  });

  it("names export files after the invoice or the unbilled month", () => {
    expect(exportFileName(invoice, "xlsx")).toBe("invoice-G000123-lines.xlsx");
    expect(exportFileName(unbilled, "csv")).toBe("unbilled-2026-11-lines.csv");
  });
});

describe("lines", () => {
  it("labels charges and counts", () => {
    expect(chargeLabel(row())).toBe("Cycle charge");
    expect(chargeLabel(row({ chargeType: "Renew" }))).toBe("Renewal");
    expect(chargeLabel(row({ chargeType: "Something" }))).toBe("Something");
    expect(countText(3, 10, 1, true)).toBe("3 lines of 10 · 1 trial");
    expect(countText(1, 1, 0, false)).toBe("1 line");
  });

  it("goes to the publisher's contacts with the line's customer and subscription", () => {
    expect(contactsParams(row({ customerId: "cust", subscriptionId: "sub" }))).toEqual({ view: "publishers", customerId: "cust", subscriptionId: "sub" });
  });
});
