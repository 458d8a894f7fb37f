// Pure helpers of the Price lists view: filter chips, rates, sorting the changes, file formats.
// Tested without a webview.
import type { ExportFormat, OfferFilter, PriceChangeKind, PriceChangeRow } from "../bindings";
import { count, day, decimal, typeLabel } from "../format";
import { type ListSort, type SortValue, compareText, sortByKey } from "../shell/sort";
import { t } from "../i18n";

export interface Chip {
  key: string;
  text: string;
}

/** "It operations" from "it-operations", for a category whose label is not known. */
export function prettyId(id: string): string {
  const s = id.replace(/[-_]+/g, " ").trim();
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : id;
}

/** The marketplace filters as chips, in the order the marketplace shows them. */
export function filterChips(f: OfferFilter, categoryLabel: (id: string) => string = prettyId): Chip[] {
  const chips: Chip[] = [];
  const search = f.search.trim();
  if (search) chips.push({ key: "search", text: `“${search}”` });
  for (const ty of f.types) chips.push({ key: `type:${ty}`, text: typeLabel(ty) });
  for (const c of f.categories) chips.push({ key: `category:${c}`, text: categoryLabel(c) });
  switch (f.publisher.kind) {
    case "microsoft":
      chips.push({ key: "publisher", text: t("prices.chip.microsoft") });
      break;
    case "partner":
      chips.push({ key: "publisher", text: t("prices.chip.partners") });
      break;
    case "named":
      chips.push({ key: "publisher", text: t("prices.chip.publisher", { name: f.publisher.name }) });
      break;
    default:
      break;
  }
  if (f.trialOnly) chips.push({ key: "trial", text: t("prices.chip.trialOnly") });
  return chips;
}

export const hasFilters = (f: OfferFilter): boolean => filterChips(f).length > 0;

/** "48,210 rows/s", "850 rows/s", "—" when not known yet. */
export function formatRate(rowsPerSecond: number | null | undefined): string {
  if (rowsPerSecond == null || !Number.isFinite(rowsPerSecond) || rowsPerSecond <= 0) return t("prices.rate", { rate: "—" });
  const r = rowsPerSecond >= 100 ? Math.round(rowsPerSecond / 10) * 10 : Math.round(rowsPerSecond);
  return t("prices.rate", { rate: count(r) });
}

/** "0.4 s", "12 s", "2 min 05 s". */
export function formatElapsed(ms: number): string {
  if (ms < 10_000) return t("time.s", { s: decimal(ms / 1000) });
  const s = Math.round(ms / 1000);
  if (s < 60) return t("time.s", { s });
  return t("time.minS", { m: Math.floor(s / 60), s: String(s % 60).padStart(2, "0") });
}

// Every kind has its words: the compiler fails here when the core adds one.
const KIND_LABELS: Record<PriceChangeKind, () => string> = {
  new: () => t("prices.kind.new"),
  removed: () => t("prices.kind.removed"),
  increase: () => t("prices.kind.increase"),
  decrease: () => t("prices.kind.decrease"),
};
export const kindLabel = (k: PriceChangeKind): string => KIND_LABELS[k]();

export type ChangeSortKey = "kind" | "product" | "sku" | "plan" | "term" | "oldPrice" | "newPrice" | "amount" | "percent";

export type ChangeSort = ListSort<ChangeSortKey>;

export const KIND_ORDER: Record<PriceChangeKind, number> = { increase: 0, decrease: 1, new: 2, removed: 3 };

const CHANGE_VALUES: Record<ChangeSortKey, SortValue<PriceChangeRow>> = {
  kind: (r) => KIND_ORDER[r.kind],
  product: (r) => r.product,
  sku: (r) => r.skuId,
  plan: (r) => r.plan,
  term: (r) => `${r.term} ${r.billingPlan}`,
  oldPrice: (r) => r.oldPrice,
  newPrice: (r) => r.newPrice,
  amount: (r) => r.amount,
  percent: (r) => r.percent,
};

/** Sorted copy; rows without a value always go last. Ties by product. */
export const sortChanges = (rows: readonly PriceChangeRow[], sort: ChangeSort): PriceChangeRow[] =>
  sortByKey(rows, CHANGE_VALUES, sort, (a, b) => compareText(a.product, b.product) || compareText(a.skuId, b.skuId));

/** Rows of the kinds shown whose product, plan, SKU or publisher contains `find`. */
export function filterChanges(rows: readonly PriceChangeRow[], kinds: ReadonlySet<PriceChangeKind>, find: string): PriceChangeRow[] {
  const q = find.trim().toLowerCase();
  return rows.filter(
    (r) =>
      kinds.has(r.kind) &&
      (!q || r.product.toLowerCase().includes(q) || r.plan.toLowerCase().includes(q) || r.skuId.toLowerCase().includes(q) || r.publisher.toLowerCase().includes(q) || r.productId.toLowerCase().includes(q)),
  );
}

/** The path with the format's extension, when it ends in the other format's (or none). */
export function withFormat(path: string, format: ExportFormat): string {
  const other = format === "xlsx" ? "csv" : "xlsx";
  if (path.toLowerCase().endsWith(`.${other}`)) return `${path.slice(0, -other.length)}${format}`;
  if (path.trim() && !/\.[A-Za-z0-9]{1,5}$/.test(path)) return `${path}.${format}`;
  return path;
}

/** The format a picked file name asks for: .csv is CSV, anything else a workbook. */
export const formatOf = (path: string): ExportFormat => (path.trim().toLowerCase().endsWith(".csv") ? "csv" : "xlsx");

/** "21 Nov 2026" from "2026-11-21" (a snapshot day, no time zone shift). */
export const dayLabel = (d: string): string => day(d, "short");

let seq = 0;
/** A fresh id for one export, so its Cancel stops that export only. */
export function newExportId(): string {
  seq += 1;
  return `export-${Date.now().toString(36)}-${seq}`;
}
