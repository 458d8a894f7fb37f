// The one grid of the app: every list (offers, customers, subscriptions, orders, invoice lines,
// publishers, price changes) is this component. TanStack Table holds the column model, the sort
// and which columns show; TanStack Virtual renders only the rows on screen.
// - Data: `count` rows, read with `rowAt(i)`. A view whose rows come from the core in windows
//   (offers, invoice lines) gets `onRange(first, last)` for the rows on screen and asks the core
//   for that window only; a row not loaded yet shows a placeholder.
// - Sorting is the view's: a header click calls `onSort`, and the view sorts (or asks the core).
// - Columns that drop by width: a column with `minWidth` shows only when the grid is that wide.
// - Keyboard, through the one shortcut layer: arrows, PageUp/PageDown, Home/End move the
//   selection, Enter opens it, Esc closes (`onClose`). From outside a field, arrows and Enter
//   bring the focus into the grid.
// - ARIA grid: the scrolling element is the grid (focusable, `aria-activedescendant` on the
//   selected row), its header row sticks at the top; `aria-rowcount`/`aria-rowindex` count the
//   header as row 1, so the first data row is 2.
import { type ColumnDef, type SortingState, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, type RefObject, memo, useCallback, useEffect, useMemo, useRef } from "react";

import { useShortcuts } from "./shortcuts";
import { useEvent } from "./useEvent";
import type { ListSort } from "./sort";
import { useKeyed } from "./useKeyed";
import { useWidth } from "./useWidth";
import { t } from "../i18n";

/** One column. Its `header` is the words shown at the top (the place to translate them). */
export interface GridColumn<T> {
  id: string;
  header: string;
  /** A CSS grid track: "96px", "minmax(120px, 1.5fr)". */
  width: string;
  render: (row: T, index: number) => ReactNode;
  /** Whether a click on the header sorts by it (the view decides how). */
  sortable?: boolean;
  /** The first click sorts descending (amounts, dates). */
  descFirst?: boolean;
  /** Hidden when the grid is narrower than this (px): the low-priority columns. */
  minWidth?: number;
  /** Class of the header and the cells ("num" right-aligns). */
  className?: string;
  /** Instead of the header's words (a "select all" box); `header` stays its accessible name. */
  head?: () => ReactNode;
}

export type GridSort = ListSort;

/** Attributes of a row element: a class, a tooltip, `data-*` for tests and lookups. */
export type RowProps = { className?: string; title?: string } & Partial<Record<`data-${string}`, string>>;

export interface GridProps<T> {
  /** The grid element's id (tests and the views find it by this). */
  id: string;
  /** The grid's accessible name. */
  label: string;
  columns: ReadonlyArray<GridColumn<T>>;
  count: number;
  rowAt: (index: number) => T | undefined;
  rowHeight?: number;
  className?: string;
  sort?: GridSort;
  onSort?: (sort: GridSort) => void;
  selected: number | null;
  /** The arrows and a click move the selection here. */
  onSelect: (index: number) => void;
  /** Enter (and a double click) opens the selected row. */
  onOpen?: (index: number) => void;
  /** A click opens the row (rather than only selecting it). */
  clickOpens?: boolean;
  /** Esc: close what the grid opened (absent while nothing is open: Esc goes on). */
  onClose?: () => void;
  /** The rows on screen changed (a windowed view asks the core for them). */
  onRange?: (first: number, last: number) => void;
  /** A new value scrolls back to the top (a new filter or sort). */
  resetKey?: unknown;
  rowProps?: (row: T | undefined, index: number) => RowProps;
  /** Identifies a row across answers (stable for the view's question): a row whose key is
   * unchanged is not rendered again. Without it, only the same row object is. */
  rowKey?: (row: T) => string;
  /** The grid element, for a view that moves the focus into it (from its search field). */
  gridRef?: RefObject<HTMLDivElement | null>;
  /** Whether the grid answers the arrows etc. while focus is elsewhere in the view (default true). */
  keys?: boolean;
  /** Width assumed before the first measurement. */
  initialWidth?: number;
}

const HEADER_HEIGHT = 30;
const MOVES: Record<string, number | "page" | "-page" | "home" | "end"> = { ArrowDown: 1, ArrowUp: -1, PageDown: "page", PageUp: "-page", Home: "home", End: "end" };

/** The index a key moves the selection to, in a list of `count` with `page` rows on screen. */
export function moveTo(key: string, current: number | null, count: number, page: number): number | null {
  const m = MOVES[key];
  if (m === undefined || count === 0) return null;
  if (m === "home") return 0;
  if (m === "end") return count - 1;
  const d = m === "page" ? page : m === "-page" ? -page : m;
  if (current === null) return d > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + d));
}

/**
 * `columns`, each sortable unless it says otherwise. The columns' own properties are copied as
 * they are: a `header` getter stays a getter (a spread would read it once, in the language of
 * the moment a module-level list is made, before the app has chosen its language).
 */
export const sortable = <T,>(columns: Array<GridColumn<T>>): Array<GridColumn<T>> =>
  columns.map((c) => Object.defineProperties({ sortable: true }, Object.getOwnPropertyDescriptors(c)) as GridColumn<T>);

const ariaSort = (on: false | "asc" | "desc") => (on === "asc" ? "ascending" : on === "desc" ? "descending" : "none");

function GridImpl<T>(p: GridProps<T>) {
  const { id, columns, count, rowAt, selected, sort, onSort } = p;
  const rowHeight = p.rowHeight ?? 28;
  const [boxRef, width] = useWidth(p.initialWidth ?? 900);
  const ownRef = useRef<HTMLDivElement | null>(null);
  const scrollRef = p.gridRef ?? ownRef;

  const defs = useMemo<Array<ColumnDef<T>>>(() => columns.map((c) => ({ id: c.id, header: c.header, accessorFn: () => null, enableSorting: c.sortable === true, sortDescFirst: c.descFirst === true })), [columns]);
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  const sorting: SortingState = useMemo(() => (sort ? [{ id: sort.key, desc: sort.descending }] : []), [sort]);
  const columnVisibility = useMemo(() => Object.fromEntries(columns.map((c) => [c.id, !c.minWidth || width >= c.minWidth])), [columns, width]);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the grid is memoized by hand
  const table = useReactTable<T>({
    data: [],
    columns: defs,
    state: { sorting, columnVisibility },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    onSortingChange: (updater) => {
      const first = (typeof updater === "function" ? updater(sorting) : updater)[0];
      if (first && onSort) onSort({ key: first.id, descending: first.desc });
    },
  });
  // The same array while the same columns show, so the rows on screen need not render again.
  const visible = table.getVisibleLeafColumns().map((c) => c.id).join("\n");
  const shown = useMemo(() => visible.split("\n").map((c) => byId.get(c) as GridColumn<T>), [visible, byId]);
  const template = shown.map((c) => c.width).join(" ");

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    // The sticky header sits above the rows inside the scrolling grid.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { onRange } = p;
  useEffect(() => {
    onRange?.(first, last);
  }, [first, last, onRange]);

  // A new question starts at the top. Already there (the usual case while typing): no scroll
  // command, which would render the grid once more after the rows.
  useEffect(() => {
    if ((scrollRef.current?.scrollTop ?? 0) !== 0) virtualizer.scrollToOffset(0);
  }, [p.resetKey, scrollRef, virtualizer]);

  useEffect(() => {
    if (selected !== null && selected < count) virtualizer.scrollToIndex(selected, { align: "auto" });
  }, [selected, count, virtualizer]);

  const rowId = (i: number) => `${id}-row-${i}`;
  const inGrid = () => scrollRef.current?.contains(document.activeElement) === true;
  const move = (e: KeyboardEvent) => {
    // Home and End are the grid's only while it has the focus; the arrows come to it from the view.
    if ((e.key === "Home" || e.key === "End") && !inGrid()) return false;
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / rowHeight) - 1);
    const next = moveTo(e.key, selected, count, page);
    if (!inGrid()) scrollRef.current?.focus();
    if (next !== null) p.onSelect(next);
  };
  useShortcuts(
    {
      ...Object.fromEntries(Object.keys(MOVES).map((key) => [key, move])),
      Enter: () => {
        if (selected === null || !p.onOpen) return false;
        scrollRef.current?.focus();
        p.onOpen(selected);
      },
      Escape: () => (p.onClose ? p.onClose() : false),
    },
    { enabled: p.keys !== false },
  );

  // Stable handlers for the rows, whatever the view passes (`opening()` makes new ones each render).
  const click = useEvent((i: number) => (p.clickOpens && p.onOpen ? p.onOpen(i) : p.onSelect(i)));
  const openRow = useEvent((i: number) => p.onOpen?.(i));
  const active = selected !== null && items.some((v) => v.index === selected) ? rowId(selected) : undefined;

  return (
    <div className={p.className ? `table ${p.className}` : "table"} ref={boxRef}>
      <div
        className="tbody"
        id={id}
        ref={scrollRef}
        role="grid"
        aria-label={p.label}
        aria-rowcount={count + 1}
        aria-colcount={shown.length}
        aria-activedescendant={active}
        tabIndex={0}
      >
        <div className="thead" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          {table.getHeaderGroups()[0]?.headers.map((h) => {
            const c = byId.get(h.id) as GridColumn<T>;
            const canSort = h.column.getCanSort();
            const on = h.column.getIsSorted();
            return (
              <div
                key={h.id}
                role="columnheader"
                aria-sort={canSort ? ariaSort(on) : undefined}
                aria-label={c.head ? c.header : undefined}
                className={`th${canSort ? " sortable" : ""} c-${c.id}${c.className ? ` ${c.className}` : ""}`}
                data-col={c.id}
                title={canSort ? t("grid.sortBy", { column: c.header.toLowerCase() }) : undefined}
                onClick={canSort ? h.column.getToggleSortingHandler() : undefined}
              >
                {c.head ? c.head() : c.header}
                {on && <span className="sort-arrow" aria-hidden="true">{on === "asc" ? " ▲" : " ▼"}</span>}
              </div>
            );
          })}
        </div>
        <div className="rows" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => (
            <GridRow<T>
              key={v.key}
              id={rowId(v.index)}
              row={rowAt(v.index)}
              rowKey={p.rowKey}
              index={v.index}
              top={v.start - HEADER_HEIGHT}
              height={rowHeight}
              selected={selected === v.index}
              shown={shown}
              template={template}
              rowProps={p.rowProps}
              onClick={click}
              onOpen={p.onOpen ? openRow : undefined}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowViewProps<T> {
  id: string;
  row: T | undefined;
  rowKey?: (row: T) => string;
  index: number;
  top: number;
  height: number;
  selected: boolean;
  shown: Array<GridColumn<T>>;
  template: string;
  rowProps?: (row: T | undefined, index: number) => RowProps;
  onClick: (index: number) => void;
  onOpen?: (index: number) => void;
}

function GridRowImpl<T>({ id, row, index, top, height, selected, shown, template, rowProps, onClick, onOpen }: RowViewProps<T>) {
  const extra = rowProps?.(row, index) ?? {};
  return (
    <div
      {...extra}
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`tr${selected ? " selected" : ""}${extra.className ? ` ${extra.className}` : ""}`}
      style={{ height, transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      onClick={() => onClick(index)}
      onDoubleClick={onOpen && (() => onOpen(index))}
    >
      {shown.map((c, ci) => (
        <div key={c.id} role="gridcell" className={`td c-${c.id}${c.className ? ` ${c.className}` : ""}`}>
          {row ? c.render(row, index) : ci === 0 ? <span className="skeleton" /> : null}
        </div>
      ))}
    </div>
  );
}

/** The same row as before: the same object, or one the view's `rowKey` says is the same (a
 * window of offers asked again holds new objects for the rows already on screen). */
const sameRow = <T,>(a: RowViewProps<T>, b: RowViewProps<T>) =>
  a.row === b.row || (a.row !== undefined && b.row !== undefined && a.rowKey !== undefined && a.rowKey === b.rowKey && a.rowKey(a.row) === b.rowKey(b.row));

/** Memoized: typing that leaves a row on screen as it was re-renders nothing of it. */
const GridRow = memo(
  GridRowImpl,
  (a, b) =>
    sameRow(a, b) &&
    a.index === b.index &&
    a.top === b.top &&
    a.height === b.height &&
    a.selected === b.selected &&
    a.shown === b.shown &&
    a.template === b.template &&
    a.rowProps === b.rowProps &&
    a.onClick === b.onClick &&
    a.onOpen === b.onOpen,
) as typeof GridRowImpl;

/** A grid over `rows`, all loaded, that keeps its own selection: new rows (another filter or sort)
 * start at the top with nothing selected. */
export function RowsGrid<T>({ rows, ...props }: Omit<GridProps<T>, "count" | "rowAt" | "selected" | "onSelect" | "onClose" | "resetKey"> & { rows: T[] }) {
  const [selected, setSelected] = useKeyed<number | null>(rows, null);
  const rowAt = useCallback((i: number) => rows[i], [rows]);
  return <Grid {...props} count={rows.length} rowAt={rowAt} selected={selected} onSelect={setSelected} onClose={selected !== null ? () => setSelected(null) : undefined} resetKey={rows} />;
}

/** The grid's props for a list whose rows open beside it: a click or Enter selects and opens a
 * row (`open`), the arrows move the selection (`select`) and an open row follows, Esc closes it
 * (`close`, given while a row is open). */
export function opening(select: (index: number) => void, open: (index: number) => void, close: (() => void) | false) {
  const openAt = (i: number) => {
    select(i);
    open(i);
  };
  return { onSelect: close ? openAt : select, onOpen: openAt, clickOpens: true, onClose: close || undefined };
}

/** What a list says when it has no rows, with the one thing to do about it (`label`: clear the
 * search, the filters…) when there is one. */
export function Empty({ id, label, onClick, children }: { id?: string; label?: string; onClick?: () => void; children: ReactNode }) {
  return (
    <div className="empty" id={id}>
      {children}
      {label && onClick && (
        <>
          {" "}
          <button type="button" className="link" onClick={onClick}>
            {label}
          </button>
        </>
      )}
    </div>
  );
}

/** Memoized: a view's re-render (typing in its search) leaves the grid alone until its props change. */
export const Grid = memo(GridImpl) as typeof GridImpl;
