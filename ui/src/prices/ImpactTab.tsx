// Customers a price change touches (issue 20): each market's newest snapshot against the one
// before it (or N days before), matched against the plans customers hold; removed plans first,
// then the soonest renewal, so the account manager can tell customers before they renew.
// Exported through the one export flow.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import * as api from "../api";
import { count, money } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { useExport } from "../shell/Export";
import type { ViewProps } from "../shell/nav";
import { dayLabel, kindLabel, formatPercent, formatOf, termLabel, withFormat } from "./prices";
import { t } from "../i18n";

const DAYS = [null, 7, 30, 90] as const;

export function useImpact(market: string, days: number | null) {
  return useQuery({ queryKey: ["price-impact", market, days], queryFn: () => api.priceImpact([market], days) });
}

export function ImpactTab({ market }: ViewProps) {
  const [days, setDays] = useState<number | null>(null);
  const impact = useImpact(market, days);
  const rows = impact.data?.rows ?? [];
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
            {DAYS.map((d) => (
              <option key={d ?? "prev"} value={d ?? ""}>
                {d === null ? t("impactTab.theSnapshotBefore") : t("impactTab.dDaysBefore", { d })}
              </option>
            ))}
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
        <p key={s} className="hint">
          {t("impactTab.nothingToCompareYetIn", { value: s.split(":")[0] })}
        </p>
      ))}
      <table className="plain-table impact-table" aria-label={t("impactTab.subscriptionsTouchedByPriceChanges", { market })}>
        <thead>
          <tr>
            <th scope="col">{t("impactTab.renewal")}</th>
            <th scope="col">{t("impactTab.customer")}</th>
            <th scope="col">{t("impactTab.subscription")}</th>
            <th scope="col">{t("impactTab.productAndPlan")}</th>
            <th scope="col">{t("impactTab.change")}</th>
            <th scope="col" className="num">
              {t("impactTab.oldNew")}
            </th>
            <th scope="col" className="num">
              {t("impactTab.percent")}
            </th>
          </tr>
        </thead>
        <tbody>
          {impact.data && rows.length === 0 && impact.data.spans.length > 0 && (
            <tr>
              <td colSpan={7} className="none">
                {t("impactTab.noCustomerHoldsAPlan")}
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={`${r.subscriptionId}|${r.term}|${r.billingPlan}|${r.kind}`} className={r.kind === "removed" ? "removed" : ""}>
              <td>{r.renewal ? new Date(r.renewal).toLocaleDateString() : "—"}</td>
              <td>{r.customerName}</td>
              <td>
                {r.subscription}
                <span className="sub">
                  {t("impactTab.quantitySeatsAutoRenew", { quantity: r.quantity })} {r.autoRenew ? t("impactTab.on") : t("impactTab.off")}
                </span>
              </td>
              <td>
                {r.product} · {r.plan}
                <span className="sub">
                  {termLabel(r.term)} · {r.billingPlan}
                </span>
              </td>
              <td>
                <span className={`pill kind-${r.kind}`}>{r.kind === "removed" ? t("impactTab.planRemoved") : kindLabel(r.kind)}</span>
              </td>
              <td className="num">
                {money(r.oldPrice, r.currency)} → {money(r.newPrice, r.currency)}
              </td>
              <td className="num">{formatPercent(r.percent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
