// The one sort of the app's lists (customers, subscriptions, price changes, touched customers):
// by a value per row, numbers as numbers and text as people read it ("Plan 9" before "Plan 10",
// case and accents aside). Rows without a value always go last; ties keep `tie`'s order, else
// the rows' own (the sort is stable).

/** A row's value for one sort key; null when it has none. */
export type SortValue<R> = (r: R) => string | number | null;

export interface ListSort<K extends string = string> {
  key: K;
  descending: boolean;
}

const text = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

/** A sorted copy of `rows` by `value`. */
export function sortRows<R>(rows: readonly R[], value: SortValue<R>, descending: boolean, tie: (a: R, b: R) => number = () => 0): R[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    let c = 0;
    if (typeof x === "number" && typeof y === "number") c = x - y;
    else if (x !== null && y !== null) c = text.compare(String(x), String(y));
    return c !== 0 ? c * dir : tie(a, b);
  });
}

/** A sorted copy of `rows` by the value `values` has for `sort.key` (none: as they are). */
export const sortByKey = <R, K extends string>(rows: readonly R[], values: Partial<Record<K, SortValue<R>>>, sort: ListSort<K>, tie?: (a: R, b: R) => number): R[] =>
  sortRows(rows, values[sort.key] ?? (() => null), sort.descending, tie);

/** Text compared as the sort compares it (a tie-breaker's words). */
export const compareText = (a: string, b: string): number => text.compare(a, b);
