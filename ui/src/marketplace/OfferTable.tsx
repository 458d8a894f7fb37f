// The virtualized offer table: fixed row height, sortable headers, only the loaded window
// rendered. The column model and sort state come from TanStack Table; rows from TanStack Virtual.
import { type ColumnDef, type SortingState, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, type RefObject, memo, useEffect, useMemo } from "react";

import type { OfferRow } from "../bindings/OfferRow";
import type { SortKey } from "../bindings/SortKey";
import { typeLabel } from "../format";
import { type LoadedWindow, type SortState, rowAt } from "./windowing";
import { useWidth } from "../shell/useWidth";
import { t } from "../i18n";

export const ROW_HEIGHT = 28;

interface ColumnMeta {
  width: string;
  render: (r: OfferRow) => ReactNode;
}

const SORTABLE: ReadonlySet<string> = new Set<SortKey>(["title", "publisher", "type", "trial", "plans"]);

const COLUMNS: Array<ColumnDef<OfferRow> & { id: string; meta: ColumnMeta }> = [
  {
    id: "title",
    get header() { return t("offerTable.offer"); },
    meta: {
      width: "minmax(180px, 2.4fr)",
      render: (r) => (
        <span className="title-cell" title={r.title}>
          {r.title}
        </span>
      ),
    },
  },
  { id: "publisher", get header() { return t("offerTable.publisher"); }, meta: { width: "minmax(120px, 1.5fr)", render: (r) => <span title={r.publisherName}>{r.publisherName}</span> } },
  { id: "type", get header() { return t("offerTable.type"); }, meta: { width: "128px", render: (r) => typeLabel(r.type) } },
  {
    id: "categories",
    get header() { return t("offerTable.categories"); },
    enableSorting: false,
    meta: { width: "minmax(110px, 1.3fr)", render: (r) => <span title={r.categories.join(", ")}>{r.categories.join(", ")}</span> },
  },
  { id: "trial", get header() { return t("offerTable.trial"); }, meta: { width: "64px", render: (r) => (r.freeTrial ? <span className="pill trial">{t("offerTable.freeTrial")}</span> : "") } },
  { id: "plans", get header() { return t("offerTable.plans"); }, meta: { width: "56px", render: (r) => <span className="num">{r.plans || "–"}</span> } },
  {
    id: "csp",
    get header() { return t("offerTable.csp"); },
    enableSorting: false,
    meta: { width: "78px", render: (r) => <CspCell purchasable={r.purchasable} saas={r.type === "saas"} /> },
  },
];

/** Whether CSP sells it: a SaaS offer it does not sell is bought from the publisher on the
 * Azure Marketplace; other offers are deployed and billed through the Azure portal. */
export function CspCell({ purchasable, saas }: { purchasable: boolean; saas: boolean }) {
  if (purchasable)
    return (
      <span className="pill csp" title={t("offerTable.canBeBoughtForA")}>
        {t("offerTable.csp")}
      </span>
    );
  if (saas)
    return (
      <span className="pill warn" title={t("offerTable.cspDoesNotSellThis")}>
        {t("offerTable.notInCsp")}
      </span>
    );
  return (
    <span className="muted" title={t("offerTable.managedAndBilledThroughThe")}>
      {t("offerTable.portal")}
    </span>
  );
}

/** Columns that give way first when the table is narrow (detail panel open at 1024 px). */
function hiddenFor(width: number): Record<string, boolean> {
  if (width < 560) return { categories: false, plans: false, type: false };
  if (width < 760) return { categories: false, plans: false };
  return {};
}

interface Props {
  total: number;
  win: LoadedWindow | null;
  sort: SortState;
  onSort: (s: SortState) => void;
  selected: number | null;
  onSelect: (i: number) => void;
  onOpen: (i: number) => void;
  onRange: (first: number, last: number) => void;
  scrollRef: RefObject<HTMLDivElement | null>;
  resetKey: string;
  onKeyDown: (e: React.KeyboardEvent) => void;
}

/** Memoized: typing re-renders the filters, not the table, until the new rows arrive. */
export const OfferTable = memo(function OfferTable({ total, win, sort, onSort, selected, onSelect, onOpen, onRange, scrollRef, resetKey, onKeyDown }: Props) {
  const [boxRef, width] = useWidth(900);

  const sorting: SortingState = useMemo(() => [{ id: sort.key, desc: sort.descending }], [sort]);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the table is memoized by hand
  const table = useReactTable<OfferRow>({
    data: [],
    columns: COLUMNS,
    state: { sorting, columnVisibility: hiddenFor(width) },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    getCoreRowModel: getCoreRowModel(),
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first && SORTABLE.has(first.id)) onSort({ key: first.id as SortKey, descending: first.desc });
    },
  });
  const columns = table.getVisibleLeafColumns();
  const template = columns.map((c) => (c.columnDef.meta as ColumnMeta).width).join(" ");

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    onRange(first, last);
  }, [first, last, onRange]);

  // A new filter or sort starts at the top of the list. Already there (the usual case while
  // typing): no scroll command, which would re-render the table once more after the rows.
  useEffect(() => {
    if ((scrollRef.current?.scrollTop ?? 0) !== 0) virtualizer.scrollToOffset(0);
  }, [resetKey, scrollRef, virtualizer]);

  useEffect(() => {
    if (selected !== null) virtualizer.scrollToIndex(selected, { align: "auto" });
  }, [selected, virtualizer]);

  return (
    <div className="table" ref={boxRef}>
      <div className="thead" role="row" style={{ gridTemplateColumns: template }}>
        {table.getHeaderGroups()[0]?.headers.map((h) => {
          const sorted = h.column.getIsSorted();
          const canSort = h.column.getCanSort();
          return (
            <div
              key={h.id}
              role="columnheader"
              aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
              className={canSort ? "th sortable" : "th"}
              data-col={h.id}
              onClick={canSort ? h.column.getToggleSortingHandler() : undefined}
              title={canSort ? t("offerTable.sort") : undefined}
            >
              {h.column.columnDef.header as string}
              {sorted && <span className="sort-arrow">{sorted === "asc" ? " ▲" : " ▼"}</span>}
            </div>
          );
        })}
      </div>
      <div
        className="tbody"
        id="offer-table"
        ref={scrollRef}
        role="grid"
        aria-rowcount={total}
        aria-label={t("offerTable.offers")}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((v) => {
            const r = rowAt(win, v.index);
            return (
              <div
                key={v.key}
                role="row"
                aria-rowindex={v.index + 1}
                aria-selected={selected === v.index}
                className={selected === v.index ? "tr selected" : "tr"}
                data-key={r?.key}
                style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)`, gridTemplateColumns: template }}
                onClick={() => onSelect(v.index)}
                onDoubleClick={() => onOpen(v.index)}
              >
                {columns.map((c) => (
                  <div key={c.id} role="gridcell" className={`td c-${c.id}`}>
                    {r ? (c.columnDef.meta as ColumnMeta).render(r) : c.id === "title" ? <span className="skeleton" /> : null}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});
