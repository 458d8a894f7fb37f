// The Invoices view's data logic: queries, windows, money and period wording. Pure functions,
// so they are tested without a webview.
import type { CurrencyTotal } from "../bindings/CurrencyTotal";
import type { GraphExportProgress } from "../bindings/GraphExportProgress";
import type { InvoiceSummary } from "../bindings/InvoiceSummary";
import type { LineQuery } from "../bindings/LineQuery";
import type { LineRow } from "../bindings/LineRow";
import type { LineSortKey } from "../bindings/LineSortKey";
import type { ExportFormat } from "../bindings/ExportFormat";
import { money } from "../format";
import type { RouteTo } from "../shell/nav";

export interface LineFilters {
  customer: string;
  publisher: string;
  product: string;
}

export const EMPTY_LINE_FILTERS: LineFilters = { customer: "", publisher: "", product: "" };

export interface LineSort {
  key: LineSortKey;
  descending: boolean;
}

export const DEFAULT_LINE_SORT: LineSort = { key: "chargeStart", descending: false };

const blank = (s: string): string | null => (s.trim() === "" ? null : s.trim());

export function buildLineQuery(invoiceId: string, f: LineFilters, sort: LineSort, offset: number, limit: number, refresh = false): LineQuery {
  return {
    invoiceId,
    customer: blank(f.customer),
    publisher: blank(f.publisher),
    product: blank(f.product),
    sort: sort.key,
    descending: sort.descending,
    offset,
    limit,
    refresh,
  };
}

export const hasFilters = (f: LineFilters): boolean => [f.customer, f.publisher, f.product].some((v) => v.trim() !== "");

/** "$120.00" or "$120.00 + €30.00" (an invoice has one currency; a mix is shown as it is). */
export function totalsText(totals: CurrencyTotal[], locale?: string): string {
  if (totals.length === 0) return money(0, "USD", { locale });
  return totals.map((t) => money(t.amount, t.currency, { locale })).join(" + ");
}

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** "October 2026" for the period an invoice bills. */
export function periodMonth(inv: InvoiceSummary): string {
  if (!inv.period) return inv.id;
  return MONTH.format(new Date(`${inv.period.start}T00:00:00Z`));
}

/** The title of a billing period in the list (the current one is marked beside it). */
export function periodTitle(inv: InvoiceSummary): string {
  return periodMonth(inv);
}

/** What the selected period's header says under its rule. */
export function periodStatus(inv: InvoiceSummary, locale?: string): string {
  if (inv.unbilled) {
    const avail = inv.period ? formatDay(inv.period.invoiceAvailable, locale) : "the 8th of next month";
    return `Not invoiced yet: charges so far this month. The invoice will be available on ${avail}.`;
  }
  const parts = [`Invoice ${inv.id}`];
  if (inv.invoiceDate) parts.push(`issued ${new Date(inv.invoiceDate).toLocaleDateString(locale)}`);
  if (inv.totalCharges !== null) {
    parts.push(money(inv.totalCharges, inv.currencyCode, { locale }));
    const paid = inv.paidAmount ?? 0;
    parts.push(inv.totalCharges <= 0 || paid >= inv.totalCharges ? "paid" : "not paid yet");
  }
  return parts.join(" · ");
}

/** A calendar day ("2026-11-08") in the user's locale. */
export function formatDay(day: string, locale?: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** The invoice the view opens on: the newest issued one, else the current period. */
export function defaultInvoice(list: InvoiceSummary[]): string | null {
  return (list.find((i) => !i.unbilled) ?? list[0])?.id ?? null;
}

const CHARGE_LABELS: Record<string, string> = {
  new: "New",
  renew: "Renewal",
  cyclecharge: "Cycle charge",
  cancel: "Cancellation",
  cancelimmediate: "Cancellation",
  addquantity: "Seats added",
  removequantity: "Seats removed",
};

export function chargeLabel(row: LineRow): string {
  return CHARGE_LABELS[row.chargeType.toLowerCase()] ?? row.chargeType;
}

/** Where "Publisher contacts" goes for a line. */
export function contactsParams(row: LineRow): RouteTo<"publishers"> {
  return { view: "publishers", customerId: row.customerId, subscriptionId: row.subscriptionId };
}

/** The file name "Save as…" suggests. */
export function exportFileName(inv: InvoiceSummary, ext: ExportFormat): string {
  if (inv.unbilled && inv.period) return `unbilled-${inv.period.start.slice(0, 7)}-lines.${ext}`;
  return `invoice-${inv.id}-lines.${ext}`;
}

/** "42 lines · 3 trials" (and "of 120" when filtered). */
export function countText(shown: number, all: number, trials: number, filtered: boolean): string {
  const lines = `${shown.toLocaleString()} ${shown === 1 ? "line" : "lines"}`;
  const of = filtered ? ` of ${all.toLocaleString()}` : "";
  const t = trials > 0 ? ` · ${trials} ${trials === 1 ? "trial" : "trials"}` : "";
  return `${lines}${of}${t}`;
}

/** A Graph export's progress in words: the stage, what it is doing, and how far along the
 * files it is (`null` while nobody knows: requested or being prepared). */
export interface ExportStage {
  stage: string;
  detail: string;
  fraction: number | null;
}

const count = (n: number) => n.toLocaleString("en-US");

export function exportStage(p: GraphExportProgress): ExportStage {
  switch (p.stage) {
    case "started":
      return { stage: "Requested", detail: `Microsoft Graph accepted ${p.what}`, fraction: null };
    case "waiting":
      return {
        stage: "Running",
        detail: `Microsoft Graph is preparing the lines (${p.status}, ${p.waited_secs} s so far; next check in ${p.next_check_secs} s)`,
        fraction: null,
      };
    case "downloading":
      return {
        stage: `Downloading file ${p.file} of ${p.files}`,
        detail: `${count(p.lines)} ${p.lines === 1 ? "line" : "lines"} read`,
        fraction: p.files > 0 ? (p.file - 1) / p.files : null,
      };
    case "done":
      return { stage: "Read", detail: `${count(p.lines)} ${p.lines === 1 ? "line" : "lines"} read`, fraction: 1 };
  }
}
