// Customers a price change touches (issue 20): each market's newest snapshot against the one
// before it (or N days before), matched against the plans customers hold; removed plans first,
// then the soonest renewal (the core's order, until a header sorts), so the account manager can
// tell customers before they renew. In the one grid; exported through the one export flow.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import * as api from "../api";
import type { ImpactRow } from "../bindings";
import { count, isoPeriod, money, percent } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { useExport } from "../shell/Export";
import { type GridSort, RowsGrid, sortable } from "../shell/Grid";
import type { ViewProps } from "../shell/nav";
import { Options } from "../shell/Options";
import { type SortValue, sortByKey } from "../shell/sort";
import { KIND_ORDER, dayLabel, kindLabel, formatOf, withFormat } from "./prices";
import { t } from "../i18n";

const DAYS = [null, 7, 30, 90] as const;

// Amounts sort largest first on the first click; each sort key's value.
const COLUMNS = sortable<ImpactRow>([
  { id: "renewal", get header() { return t("impactTab.renewal"); }, width: "96px", render: (r) => (r.renewal ? dayLabel(r.renewal) : "—") },
  { id: "customer", get header() { return t("impactTab.customer"); }, width: "minmax(110px, 1fr)", render: (r) => <span title={r.customerName}>{r.customerName}</span> },
  {
    id: "subscription",
    get header() { return t("impactTab.subscription"); },
    width: "minmax(130px, 1.2fr)",
    minWidth: 900,
    render: (r) => (
      <>
        <div className="line" title={r.subscription}>{r.subscription}</div>
        <div className="line sub">
          {t("impactTab.quantitySeatsAutoRenew", { quantity: r.quantity })} {r.autoRenew ? t("impactTab.on") : t("impactTab.off")}
        </div>
      </>
    ),
  },
  {
    id: "product",
    get header() { return t("impactTab.productAndPlan"); },
    width: "minmax(150px, 1.6fr)",
    render: (r) => (
      <>
        <div className="line" title={`${r.product} · ${r.plan}`}>
          {r.product} · {r.plan}
        </div>
        <div className="line sub">
          {isoPeriod(r.term)} · {r.billingPlan}
        </div>
      </>
    ),
  },
  { id: "kind", get header() { return t("impactTab.change"); }, width: "104px", render: (r) => <span className={`pill kind-${r.kind}`}>{r.kind === "removed" ? t("impactTab.planRemoved") : kindLabel(r.kind)}</span> },
  {
    id: "price",
    get header() { return t("impactTab.oldNew"); },
    width: "minmax(150px, auto)",
    className: "num",
    descFirst: true,
    render: (r) => `${money(r.oldPrice, r.currency)} → ${money(r.newPrice, r.currency)}`,
  },
  { id: "percent", get header() { return t("impactTab.percent"); }, width: "68px", className: "num", descFirst: true, render: (r) => percent(r.percent) },
]);
const VALUE: Record<string, SortValue<ImpactRow>> = {
  renewal: (r) => r.renewal,
  customer: (r) => r.customerName,
  subscription: (r) => r.subscription,
  product: (r) => `${r.product} ${r.plan}`,
  kind: (r) => KIND_ORDER[r.kind],
  price: (r) => r.amount,
  percent: (r) => r.percent,
};
const rowProps = (r: ImpactRow | undefined) => ({ className: r?.kind === "removed" ? "removed" : undefined, "data-key": r && `${r.subscriptionId}|${r.term}|${r.billingPlan}|${r.kind}`, "data-kind": r?.kind });

export function useImpact(market: string, days: number | null) {
  return useQuery({ queryKey: ["price-impact", market, days], queryFn: () => api.priceImpact([market], days) });
}

export function ImpactTab({ market }: ViewProps) {
  const [days, setDays] = useState<number | null>(null);
  const impact = useImpact(market, days);
  const [sort, setSort] = useState<GridSort | undefined>(undefined);
  const rows = useMemo(() => (sort ? sortByKey(impact.data?.rows ?? [], VALUE, sort) : (impact.data?.rows ?? [])), [impact.data, sort]);
  const exporter = useExport({
    write: (path) => api.exportPriceImpact([market], days, withFormat(path ?? "", formatOf(path ?? "")), formatOf(path ?? "")),
    summary: (w) => t("impactTab.touchedSubscriptions", { n: count(w.rows) }),
    what: t("impactTab.notExported"),
    id: "impact-written",
  });
  return (
    <div className="impact" role="tabpanel" id="panel-impact" aria-labelledby="tab-impact">
      <div className="impact-bar">
        <label>
          {t("impactTab.compareWith")}
          <select value={days ?? ""} onChange={(e) => setDays(e.target.value === "" ? null : Number(e.target.value))}>
            <Options items={DAYS.map((d) => [String(d ?? ""), d === null ? t("impactTab.theSnapshotBefore") : t("impactTab.dDaysBefore", { d })])} />
          </select>
        </label>
        <span className="hint" role="status">
          {impact.data &&
            [...impact.data.spans.map((s) => t("impactTab.span", { market: s.market, n: count(s.changes), from: dayLabel(s.from), to: dayLabel(s.to) })), t("impactTab.subscriptionsTouched", { n: count(rows.length) })].join(" · ")}
        </span>
        <button type="button" disabled={rows.length === 0 || exporter.busy} onClick={() => exporter.start(`impact-${market}.xlsx`)}>
          {t("impactTab.export")}
        </button>
      </div>
      {exporter.status}
      {impact.error && <ErrorBanner error={impact.error} what={t("impactTab.theTouchedSubscriptionsCouldNot")} />}
      {impact.data?.skipped.map((s) => (
        <p key={s.market} className="hint">
          {t("impactTab.nothingToCompareYetIn", { value: s.market })}
        </p>
      ))}
      <div className="list">
        {impact.data && rows.length === 0 && impact.data.spans.length > 0 && <div className="empty">{t("impactTab.noCustomerHoldsAPlan")}</div>}
        <RowsGrid
          id="impact-table"
          className="impact-table"
          label={t("impactTab.subscriptionsTouchedByPriceChanges", { market })}
          columns={COLUMNS}
          rows={rows}
          rowHeight={44}
          sort={sort}
          onSort={setSort}
          rowProps={rowProps}
        />
      </div>
    </div>
  );
}
