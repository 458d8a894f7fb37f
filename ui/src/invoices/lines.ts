// The Invoices view's data logic: queries, windows, money and period wording. Pure functions,
// so they are tested without a webview.
import type { CurrencyTotal, ExportFormat, GraphExportProgress, InvoiceSummary, LineQuery, LineRow, LineSortKey } from "../bindings";
import { count, date, day, money, month } from "../format";
import { locale as active, t } from "../i18n";
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

/** The title of a billing period in the list, the month it bills: "October 2026" (the current
 * one is marked beside it). */
export function periodTitle(inv: InvoiceSummary): string {
  return inv.period ? month(inv.period.start) : inv.id;
}

/** What the selected period's header says under its rule. */
export function periodStatus(inv: InvoiceSummary, locale: string = active()): string {
  if (inv.unbilled) {
    const avail = inv.period ? day(inv.period.invoiceAvailable, "long", locale) : t("lines.eighthOfNextMonth");
    return t("lines.notInvoicedYet", { date: avail });
  }
  const parts = [t("lines.invoice", { id: inv.id })];
  if (inv.invoiceDate) parts.push(t("lines.issued", { date: date(inv.invoiceDate, locale) }));
  if (inv.totalCharges !== null) {
    parts.push(money(inv.totalCharges, inv.currencyCode, { locale }));
    const paid = inv.paidAmount ?? 0;
    parts.push(inv.totalCharges <= 0 || paid >= inv.totalCharges ? t("lines.paid") : t("lines.notPaidYet"));
  }
  return parts.join(" · ");
}

/** The invoice the view opens on: the newest issued one, else the current period. */
export function defaultInvoice(list: InvoiceSummary[]): string | null {
  return (list.find((i) => !i.unbilled) ?? list[0])?.id ?? null;
}

const CHARGES = new Map<string, () => string>([
  ["new", () => t("lines.charge.new")],
  ["renew", () => t("lines.charge.renew")],
  ["cyclecharge", () => t("lines.charge.cycle")],
  ["cancel", () => t("lines.charge.cancel")],
  ["cancelimmediate", () => t("lines.charge.cancel")],
  ["addquantity", () => t("lines.charge.seatsAdded")],
  ["removequantity", () => t("lines.charge.seatsRemoved")],
]);
export const chargeLabel = (row: LineRow): string => CHARGES.get(row.chargeType.toLowerCase())?.() ?? row.chargeType;

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
  const lines = filtered ? t("lines.linesOf", { count: shown, n: count(shown), all: count(all) }) : t("lines.lines", { count: shown, n: count(shown) });
  const trial = trials > 0 ? ` · ${t("lines.trials", { count: trials, n: count(trials) })}` : "";
  return `${lines}${trial}`;
}

/** A Graph export's progress in words: the stage, what it is doing, and how far along the
 * files it is (`null` while nobody knows: requested or being prepared). */
export interface ExportStage {
  stage: string;
  detail: string;
  fraction: number | null;
}

export function exportStage(p: GraphExportProgress): ExportStage {
  switch (p.stage) {
    case "started":
      return { stage: t("lines.stage.requested"), detail: t("lines.stage.accepted", { what: p.what }), fraction: null };
    case "waiting":
      return {
        stage: t("lines.stage.running"),
        detail: t("lines.stage.preparing", { status: p.status, waited: p.waited_secs, next: p.next_check_secs }),
        fraction: null,
      };
    case "downloading":
      return {
        stage: t("lines.stage.downloading", { file: p.file, files: p.files }),
        detail: t("lines.stage.linesRead", { count: p.lines, n: count(p.lines) }),
        fraction: p.files > 0 ? (p.file - 1) / p.files : null,
      };
    case "done":
      return { stage: t("lines.stage.read"), detail: t("lines.stage.linesRead", { count: p.lines, n: count(p.lines) }), fraction: 1 };
  }
}
