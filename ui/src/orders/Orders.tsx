// The Orders view: the journal of orders placed from this app, with their state, filterable by
// customer. Params: `customerId` (pre-selects the customer filter).
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import * as api from "../api";
import { ago, count, dateTime } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import type { ViewProps } from "../shell/nav";
import { stateLabel, durationLabel, isOpen } from "./buy";
import "./orders.css";
import { t } from "../i18n";

export function Orders({ params, navigate }: ViewProps<"orders">) {
  const [customerId, setCustomerId] = useState<string>(params.customerId ?? "");
  const journal = useQuery({ queryKey: ["orders"], queryFn: () => api.orders(null) });
  const all = journal.data ?? null;
  const error = journal.error;
  const load = () => void journal.refetch();
  const [selected, setSelected] = useState<number | null>(null);

  // The customers that have orders, for the filter.
  const customers = useMemo(() => {
    const m = new Map<string, string>();
    for (const o of all ?? []) m.set(o.customerId, o.customerName);
    if (customerId && !m.has(customerId)) m.set(customerId, customerId);
    return [...m.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [all, customerId]);

  const rows = useMemo(() => (all ?? []).filter((o) => !customerId || o.customerId === customerId), [all, customerId]);
  const open = rows.filter((o) => isOpen(o.state)).length;

  return (
    <div className="view orders-view" aria-label={t("orders.orders")}>
      <div className="toolbar">
        <h1>{t("orders.orders")}</h1>
        <label className="filter-label" htmlFor="orders-customer">
          {t("orders.customer")}
        </label>
        <select id="orders-customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
          <option value="">{t("orders.allCustomers")}</option>
          {customers.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <span className="result-count" id="orders-count">
          {all ? t("orders.count", { count: rows.length, n: count(rows.length) }) : t("orders.loading")}
        </span>
        {open > 0 && (
          <span className="pill warn" title={t("orders.checkedAgainstPartnerCenterAt")}>
            {t("orders.openWithAnUnknownOutcome", { open })}
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={load}>
          {t("orders.refresh")}
        </button>
      </div>
      {error && <ErrorBanner error={error} what={t("orders.theOrdersCouldNotBe")} onRetry={load} />}
      <div className="grid-wrap">
        {all && rows.length === 0 ? (
          <div className="empty-inline muted" style={{ padding: 24, textAlign: "center" }}>
            {customerId ? t("orders.noneForCustomer") : t("orders.none")}{" "}
            <button type="button" className="link" onClick={() => navigate({ view: "customers" })}>
              {t("orders.customers")}
            </button>
          </div>
        ) : (
          <table className="grid" id="orders-table">
            <colgroup>
              <col style={{ width: "16%" }} />
              <col />
              <col style={{ width: "8%" }} />
              <col style={{ width: "14%" }} />
              <col style={{ width: "15%" }} />
              <col style={{ width: "17%" }} />
              <col style={{ width: "12%" }} />
            </colgroup>
            <thead>
              <tr>
                <th>{t("orders.customer")}</th>
                <th>{t("orders.offer")}</th>
                <th className="num">{t("orders.qty")}</th>
                <th>{t("orders.term")}</th>
                <th>{t("orders.state")}</th>
                <th>{t("orders.order")}</th>
                <th>{t("orders.placed")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o, i) => (
                <tr
                  key={o.id}
                  data-order={o.orderId ?? ""}
                  className={selected === i ? "selected" : ""}
                  onClick={() => setSelected(i)}
                  title={o.error ?? t("orders.msRequestidCheckoutrequestid", { checkoutRequestId: o.checkoutRequestId })}
                >
                  <td>
                    <button type="button" className="link" onClick={() => navigate({ view: "customers", customerId: o.customerId })}>
                      {o.customerName}
                    </button>
                  </td>
                  <td>
                    {o.productTitle} <span className="muted" title={t("orders.skuSkuid", { skuId: o.skuId })}>· {o.plan ?? o.skuId}</span>
                  </td>
                  <td className="num">{o.quantity}</td>
                  <td>{o.trial ? t("orders.trialTermduration", { termDuration: durationLabel(o.termDuration) }) : t("orders.termBilling", { duration: durationLabel(o.termDuration), billing: o.billingCycle })}</td>
                  <td>
                    <span className={`pill state ${o.state}`}>{stateLabel(o.state)}</span>
                    {o.status && o.state === "placed" && <span className="muted small"> · {o.status}</span>}
                  </td>
                  <td title={o.orderId ?? t("orders.noOrderInPartnerCenter")}>
                    <code className="small">{o.orderId ?? "–"}</code>
                  </td>
                  <td title={dateTime(o.createdAt)}>{ago(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {selected !== null && rows[selected]?.error && (
        <div className="banner" role="note">
          <div>
            <strong>{stateLabel(rows[selected].state)}:</strong> {rows[selected].error}
          </div>
        </div>
      )}
    </div>
  );
}
