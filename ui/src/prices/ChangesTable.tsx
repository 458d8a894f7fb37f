// The changes between two snapshots: a virtualized table with a fixed row height and sortable
// headers. Arrow keys move the selection; the product cell's tooltip has the publisher and IDs.
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, memo, useEffect, useRef, useState } from "react";

import type { PriceChangeRow } from "../bindings/PriceChangeRow";
import { type ChangeSort, type ChangeSortKey, kindLabel, formatMoney, formatPercent, termLabel } from "./prices";
import { useWidth } from "../shell/useWidth";
import { t } from "../i18n";

const ROW_HEIGHT = 28;

interface Column {
  id: ChangeSortKey;
  header: string;
  width: string;
  numeric?: boolean;
  render: (r: PriceChangeRow) => ReactNode;
}

const COLUMNS: Column[] = [
  { id: "kind", get header() { return t("changesTable.change"); }, width: "96px", render: (r) => <span className={`pill kind-${r.kind}`}>{kindLabel(r.kind)}</span> },
  {
    id: "product",
    get header() { return t("changesTable.product"); },
    width: "minmax(150px, 2fr)",
    render: (r) => (
      <span className="title-cell" title={t("changesTable.productPublisherProductIdProductid", { product: r.product, publisher: r.publisher, productId: r.productId })}>
        {r.product}
      </span>
    ),
  },
  { id: "sku", get header() { return t("changesTable.sku"); }, width: "64px", render: (r) => <span title={r.skuId}>{r.skuId}</span> },
  { id: "plan", get header() { return t("changesTable.plan"); }, width: "minmax(90px, 1.2fr)", render: (r) => <span title={r.plan}>{r.plan}</span> },
  {
    id: "term",
    get header() { return t("changesTable.term"); },
    width: "minmax(96px, 0.9fr)",
    render: (r) => (
      <span title={`${r.term} · ${r.billingPlan}`}>
        {termLabel(r.term)}
        {r.billingPlan && <span className="muted"> · {r.billingPlan.toLowerCase()}</span>}
      </span>
    ),
  },
  { id: "oldPrice", get header() { return t("changesTable.oldPrice"); }, width: "88px", numeric: true, render: (r) => formatMoney(r.oldPrice, r.currency) },
  { id: "newPrice", get header() { return t("changesTable.newPrice"); }, width: "88px", numeric: true, render: (r) => formatMoney(r.newPrice, r.currency) },
  {
    id: "amount",
    get header() { return t("changesTable.amount"); },
    width: "92px",
    numeric: true,
    render: (r) => <span className={r.amount == null ? "" : r.amount > 0 ? "up" : "down"}>{formatMoney(r.amount, r.currency, true)}</span>,
  },
  {
    id: "percent",
    get header() { return t("changesTable.percent"); },
    width: "68px",
    numeric: true,
    render: (r) => <span className={r.percent == null ? "" : r.percent > 0 ? "up" : "down"}>{formatPercent(r.percent)}</span>,
  },
];

/** Columns that give way first when the table is narrow. */
function visibleFor(width: number): Column[] {
  const hide = new Set<string>(width < 760 ? ["sku", "plan", "oldPrice"] : width < 940 ? ["sku"] : []);
  return COLUMNS.filter((c) => !hide.has(c.id));
}

interface Props {
  rows: PriceChangeRow[];
  sort: ChangeSort;
  onSort: (s: ChangeSort) => void;
}

export const ChangesTable = memo(function ChangesTable({ rows, sort, onSort }: Props) {
  const [boxRef, width] = useWidth(900);
  const [selected, setSelected] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const columns = visibleFor(width);
  const template = columns.map((c) => c.width).join(" ");
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  useEffect(() => {
    setSelected(null);
    virtualizer.scrollToOffset(0);
  }, [rows, virtualizer]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const at = selected ?? -1;
    const to =
      e.key === "ArrowDown" ? at + 1 : e.key === "ArrowUp" ? at - 1 : e.key === "PageDown" ? at + page : e.key === "PageUp" ? at - page : e.key === "Home" ? 0 : e.key === "End" ? rows.length - 1 : null;
    if (to === null) {
      if (e.key === "Escape") setSelected(null);
      return;
    }
    e.preventDefault();
    const i = Math.min(rows.length - 1, Math.max(0, to));
    setSelected(i);
    virtualizer.scrollToIndex(i, { align: "auto" });
  };

  return (
    <div className="table changes-table" ref={boxRef}>
      <div className="thead" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const on = sort.key === c.id;
          return (
            <div
              key={c.id}
              role="columnheader"
              aria-sort={on ? (sort.descending ? "descending" : "ascending") : "none"}
              className={c.numeric ? "th sortable num-col" : "th sortable"}
              data-col={c.id}
              title={t("changesTable.sort")}
              onClick={() => onSort({ key: c.id, descending: on ? !sort.descending : c.numeric === true })}
            >
              {c.header}
              {on && <span className="sort-arrow">{sort.descending ? " ▼" : " ▲"}</span>}
            </div>
          );
        })}
      </div>
      <div className="tbody" id="changes-table" ref={scrollRef} role="grid" aria-rowcount={rows.length} aria-label={t("changesTable.priceChanges")} tabIndex={0} onKeyDown={onKeyDown}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = rows[v.index];
            if (!r) return null;
            return (
              <div
                key={v.key}
                role="row"
                aria-rowindex={v.index + 1}
                aria-selected={selected === v.index}
                className={selected === v.index ? "tr selected" : "tr"}
                data-kind={r.kind}
                style={{ height: ROW_HEIGHT, transform: `translateY(${v.start}px)`, gridTemplateColumns: template }}
                onClick={() => setSelected(v.index)}
              >
                {columns.map((c) => (
                  <div key={c.id} role="gridcell" className={c.numeric ? `td c-${c.id} num num-col` : `td c-${c.id}`}>
                    {c.render(r)}
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
