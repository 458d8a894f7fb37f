// The virtualized offer table: fixed row height, sortable headers, only the loaded window
// rendered. The column model and sort state come from TanStack Table; rows from TanStack Virtual.
import { type RefObject, memo, useCallback, useMemo } from "react";

import type { OfferRow, SortKey } from "../bindings";
import { typeLabel } from "../format";
import { Grid, type GridColumn, type GridSort } from "../shell/Grid";
import { type LoadedWindow, type SortState, rowAt as rowAtOf } from "./windowing";
import { t } from "../i18n";

export const ROW_HEIGHT = 28;

// The columns, their header words and which give way first when the table is narrow (the
// detail panel open at 1024 px).
const COLUMNS: Array<GridColumn<OfferRow>> = [
  {
    id: "title",
    get header() { return t("offerTable.offer"); },
    width: "minmax(180px, 2.4fr)",
    sortable: true,
    render: (r) => (
      <span className="title-cell" title={r.title}>
        {r.title}
      </span>
    ),
  },
  { id: "publisher", get header() { return t("offerTable.publisher"); }, width: "minmax(120px, 1.5fr)", sortable: true, render: (r) => <span title={r.publisherName}>{r.publisherName}</span> },
  { id: "type", get header() { return t("offerTable.type"); }, width: "128px", sortable: true, minWidth: 560, render: (r) => typeLabel(r.type) },
  { id: "categories", get header() { return t("offerTable.categories"); }, width: "minmax(110px, 1.3fr)", minWidth: 760, render: (r) => <span title={r.categories.join(", ")}>{r.categories.join(", ")}</span> },
  { id: "trial", get header() { return t("offerTable.trial"); }, width: "64px", sortable: true, render: (r) => (r.freeTrial ? <span className="pill trial">{t("offerTable.freeTrial")}</span> : "") },
  { id: "plans", get header() { return t("offerTable.plans"); }, width: "56px", sortable: true, minWidth: 760, className: "num", render: (r) => r.plans || "–" },
  { id: "csp", get header() { return t("offerTable.csp"); }, width: "78px", render: (r) => <CspCell purchasable={r.purchasable} saas={r.type === "saas"} /> },
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

interface Props {
  total: number;
  win: LoadedWindow | null;
  sort: SortState;
  onSort: (s: SortState) => void;
  selected: number | null;
  onSelect: (i: number) => void;
  onOpen: (i: number) => void;
  onClose?: () => void;
  onRange: (first: number, last: number) => void;
  gridRef: RefObject<HTMLDivElement | null>;
  resetKey: string;
}

const rowProps = (r: OfferRow | undefined) => ({ "data-key": r?.key });
// An offer's key names the same row in every answer for the same catalog.
const offerKey = (r: OfferRow) => r.key;

/** Memoized: typing re-renders the filters, not the table, until the new rows arrive. */
export const OfferTable = memo(function OfferTable({ total, win, sort, onSort, ...rest }: Props) {
  const rowAt = useCallback((i: number) => rowAtOf(win, i), [win]);
  const gridSort = useMemo(() => ({ key: sort.key, descending: sort.descending }), [sort]);
  const sortBy = useCallback((s: GridSort) => onSort({ key: s.key as SortKey, descending: s.descending }), [onSort]);
  return <Grid id="offer-table" label={t("offerTable.offers")} columns={COLUMNS} count={total} rowAt={rowAt} rowHeight={ROW_HEIGHT} sort={gridSort} onSort={sortBy} clickOpens rowProps={rowProps} rowKey={offerKey} {...rest} />;
});
