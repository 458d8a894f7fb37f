// Which slice of the list to ask the core for, given the rows the virtualizer shows.
// Pure functions, so the table's data logic is tested without a webview.
import type { OfferFilter, OfferQuery, OfferRow, SortKey } from "../bindings";

/** Rows fetched beyond the visible ones on each side, so small scrolls need no round trip. */
export const OVERSCAN_ROWS = 40;
/** Window starts are aligned to this, so nearby scroll positions ask for the same window. */
export const PAGE = 20;
/** The core refuses larger windows; the table never needs one. */
export const MAX_LIMIT = 500;

/** The rows loaded of a windowed list (offers, invoice lines), from `offset`. */
export interface LoadedWindow<T = OfferRow> {
  offset: number;
  rows: T[];
}

/** The window to fetch for visible rows `first..=last` of `total`. */
export function windowFor(first: number, last: number, total: number): { offset: number; limit: number } {
  const from = Math.max(0, first - OVERSCAN_ROWS);
  const offset = Math.floor(from / PAGE) * PAGE;
  const end = Math.min(Math.max(total, last + 1), last + 1 + OVERSCAN_ROWS);
  const limit = Math.min(MAX_LIMIT, Math.max(PAGE, end - offset));
  return { offset, limit };
}

/** Whether the loaded window already covers visible rows `first..=last` (clamped to `total`). */
export function covers<T>(win: LoadedWindow<T> | null, first: number, last: number, total: number): boolean {
  if (!win) return false;
  if (total === 0) return true;
  const lastNeeded = Math.min(last, total - 1);
  return first >= win.offset && lastNeeded < win.offset + win.rows.length;
}

/** What the table and the filter bar show for one answer. */
export interface Shown {
  total: number;
  facets: unknown;
  win: LoadedWindow;
}

/** Whether `next` would show exactly what `prev` shows: the same count, the same facet counts
 * and the same rows in the same places. Then the keystroke's rows are on screen already. */
export function sameOnScreen(prev: Shown | null, next: Shown): boolean {
  if (!prev || prev.total !== next.total || prev.win.offset !== next.win.offset) return false;
  const a = prev.win.rows;
  const b = next.win.rows;
  if (a.length !== b.length || a.some((r, i) => r.key !== b[i]?.key)) return false;
  return JSON.stringify(prev.facets) === JSON.stringify(next.facets);
}

/** The row at absolute index `i`, if loaded. */
export function rowAt<T>(win: LoadedWindow<T> | null, i: number): T | undefined {
  if (!win) return undefined;
  return win.rows[i - win.offset];
}

export interface SortState {
  key: SortKey;
  descending: boolean;
}

export function buildQuery(filter: OfferFilter, sort: SortState, offset: number, limit: number): OfferQuery {
  return { filter, sort: sort.key, descending: sort.descending, offset, limit };
}

export const EMPTY_FILTER: OfferFilter = {
  types: [],
  categories: [],
  publisher: { kind: "any" },
  trialOnly: false,
  search: "",
};

/** The marketplace's filters, kept while the app runs: the view starts from them when it is
 * opened again, and the Price lists view exports with them. */
let kept: OfferFilter = EMPTY_FILTER;
export const keptFilter = (): OfferFilter => kept;
export const keepFilter = (f: OfferFilter): void => {
  kept = f;
};
