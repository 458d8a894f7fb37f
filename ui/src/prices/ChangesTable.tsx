// The changes between two snapshots, in the one grid: its columns, their header words and the
// widths below which they give way. The product cell's tooltip has the publisher and IDs.
import { memo, useCallback } from "react";

import type { PriceChangeRow } from "../bindings";
import { isoPeriod, money, percent } from "../format";
import { type GridSort, RowsGrid, sortable } from "../shell/Grid";
import { type ChangeSort, type ChangeSortKey, kindLabel } from "./prices";
import { t } from "../i18n";

// Amounts sort largest first on the first click.
const COLUMNS = sortable<PriceChangeRow>([
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
  { id: "sku", get header() { return t("changesTable.sku"); }, width: "64px", minWidth: 940, render: (r) => <span title={r.skuId}>{r.skuId}</span> },
  { id: "plan", get header() { return t("changesTable.plan"); }, width: "minmax(90px, 1.2fr)", minWidth: 760, render: (r) => <span title={r.plan}>{r.plan}</span> },
  {
    id: "term",
    get header() { return t("changesTable.term"); },
    width: "minmax(96px, 0.9fr)",
    render: (r) => (
      <span title={`${r.term} · ${r.billingPlan}`}>
        {isoPeriod(r.term)}
        {r.billingPlan && <span className="muted"> · {r.billingPlan.toLowerCase()}</span>}
      </span>
    ),
  },
  { id: "oldPrice", get header() { return t("changesTable.oldPrice"); }, width: "88px", minWidth: 760, className: "num", descFirst: true, render: (r) => money(r.oldPrice, r.currency) },
  { id: "newPrice", get header() { return t("changesTable.newPrice"); }, width: "88px", className: "num", descFirst: true, render: (r) => money(r.newPrice, r.currency) },
  {
    id: "amount",
    get header() { return t("changesTable.amount"); },
    width: "92px",
    className: "num",
    descFirst: true,
    render: (r) => <span className={r.amount == null ? "" : r.amount > 0 ? "up" : "down"}>{money(r.amount, r.currency, { signed: true })}</span>,
  },
  {
    id: "percent",
    get header() { return t("changesTable.percent"); },
    width: "68px",
    className: "num",
    descFirst: true,
    render: (r) => <span className={r.percent == null ? "" : r.percent > 0 ? "up" : "down"}>{percent(r.percent)}</span>,
  },
]);

const rowProps = (r: PriceChangeRow | undefined) => ({ "data-kind": r?.kind });

interface Props {
  rows: PriceChangeRow[];
  sort: ChangeSort;
  onSort: (s: ChangeSort) => void;
}

export const ChangesTable = memo(function ChangesTable({ rows, sort, onSort }: Props) {
  const sortBy = useCallback((s: GridSort) => onSort({ key: s.key as ChangeSortKey, descending: s.descending }), [onSort]);
  return (
    <RowsGrid id="changes-table" className="changes-table" label={t("changesTable.priceChanges")} columns={COLUMNS} rows={rows} sort={sort} onSort={sortBy} rowProps={rowProps} />
  );
});
