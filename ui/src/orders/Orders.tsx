// The Orders view: the journal of orders placed from this app, with their state, filterable by
// customer. Params: `customerId` (pre-selects the customer filter).
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import * as api from "../api";
import { ago, count, dateTime, isoPeriod } from "../format";
import type { OrderRow } from "../bindings";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Empty, Grid, type GridColumn } from "../shell/Grid";
import { Options } from "../shell/Options";
import type { ViewProps } from "../shell/nav";
import { stateLabel, isOpen } from "./buy";
import "./orders.css";
import { customersOf } from "../subscriptions/time";
import { t } from "../i18n";

export function Orders({ params, navigate }: ViewProps<"orders">) {
  const [customerId, setCustomerId] = useState<string>(params.customerId ?? "");
  const journal = useQuery({ queryKey: ["orders"], queryFn: () => api.orders(null) });
  const all = journal.data ?? null;
  const error = journal.error;
  const load = () => void journal.refetch();
  const [selected, setSelected] = useState<number | null>(null);

  // The customers that have orders, for the filter.
  const customers = useMemo(() => customersOf(all ?? [], customerId), [all, customerId]);

  const rows = useMemo(() => (all ?? []).filter((o) => !customerId || o.customerId === customerId), [all, customerId]);
  const open = rows.filter((o) => isOpen(o.state)).length;

  // The columns and their header words.
  const columns: Array<GridColumn<OrderRow>> = [
    {
      id: "customer",
      header: t("orders.customer"),
      width: "minmax(110px, 16fr)",
      render: (o) => (
        <button type="button" className="link" onClick={() => navigate({ view: "customers", customerId: o.customerId })}>
          {o.customerName}
        </button>
      ),
    },
    {
      id: "offer",
      header: t("orders.offer"),
      width: "minmax(160px, 30fr)",
      render: (o) => (
        <>
          {o.productTitle} <span className="muted" title={t("orders.skuSkuid", { skuId: o.skuId })}>· {o.plan ?? o.skuId}</span>
        </>
      ),
    },
    { id: "qty", header: t("orders.qty"), width: "48px", className: "num", minWidth: 700, render: (o) => o.quantity },
    { id: "term", header: t("orders.term"), width: "minmax(90px, 14fr)", minWidth: 860, render: (o) => (o.trial ? t("orders.trialTermduration", { termDuration: isoPeriod(o.termDuration) }) : t("orders.termBilling", { duration: isoPeriod(o.termDuration), billing: o.billingCycle })) },
    {
      id: "state",
      header: t("orders.state"),
      width: "minmax(110px, 15fr)",
      render: (o) => (
        <>
          <span className={`pill state ${o.state}`}>{stateLabel(o.state)}</span>
          {o.status && o.state === "placed" && <span className="muted small"> · {o.status}</span>}
        </>
      ),
    },
    {
      id: "order",
      header: t("orders.order"),
      width: "minmax(110px, 17fr)",
      minWidth: 600,
      render: (o) => (
        <code className="small" title={o.orderId ?? t("orders.noOrderInPartnerCenter")}>
          {o.orderId ?? "–"}
        </code>
      ),
    },
    { id: "placed", header: t("orders.placed"), width: "minmax(70px, 12fr)", render: (o) => <span title={dateTime(o.createdAt)}>{ago(o.createdAt)}</span> },
  ];

  return (
    <section className="view orders-view" aria-label={t("orders.orders")}>
      <div className="toolbar">
        <h1>{t("orders.orders")}</h1>
        <label className="filter-label" htmlFor="orders-customer">
          {t("orders.customer")}
        </label>
        <select id="orders-customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
          <Options items={[["", t("orders.allCustomers")], ...customers]} />
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
      <div className="list">
        {all && rows.length === 0 && (
          <Empty label={t("orders.customers")} onClick={() => navigate({ view: "customers" })}>
            {customerId ? t("orders.noneForCustomer") : t("orders.none")}
          </Empty>
        )}
        <Grid
          id="orders-table"
          label={t("orders.orders")}
          columns={columns}
          count={rows.length}
          rowAt={(i) => rows[i]}
          selected={selected}
          onSelect={setSelected}
          rowProps={(o) => ({ "data-order": o?.orderId ?? "", title: o ? (o.error ?? t("orders.msRequestidCheckoutrequestid", { checkoutRequestId: o.checkoutRequestId })) : undefined })}
        />
      </div>
      {selected !== null && rows[selected]?.error && (
        <div className="banner" role="note">
          <div>
            <strong>{stateLabel(rows[selected].state)}:</strong> {rows[selected].error}
          </div>
        </div>
      )}
    </section>
  );
}
