// The Orders view: the journal of orders placed from this app, with their state, filterable by
// customer. Params: `customerId` (pre-selects the customer filter).
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import * as api from "../api";
import { ago, dateTime } from "../format";
import type { OrderRow } from "../bindings/OrderRow";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Grid, type GridColumn } from "../shell/Grid";
import type { ViewProps } from "../shell/nav";
import { STATE_LABELS, durationLabel, isOpen } from "./buy";
import "./orders.css";

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

  // The columns and their header words.
  const columns: Array<GridColumn<OrderRow>> = [
    {
      id: "customer",
      header: "Customer",
      width: "minmax(110px, 16fr)",
      render: (o) => (
        <button type="button" className="link" onClick={() => navigate({ view: "customers", customerId: o.customerId })}>
          {o.customerName}
        </button>
      ),
    },
    {
      id: "offer",
      header: "Offer",
      width: "minmax(160px, 30fr)",
      render: (o) => (
        <>
          {o.productTitle} <span className="muted" title={`SKU ${o.skuId}`}>· {o.plan ?? o.skuId}</span>
        </>
      ),
    },
    { id: "qty", header: "Qty", width: "48px", className: "num", minWidth: 700, render: (o) => o.quantity },
    { id: "term", header: "Term", width: "minmax(90px, 14fr)", minWidth: 860, render: (o) => (o.trial ? `Trial, ${durationLabel(o.termDuration)}` : `${durationLabel(o.termDuration)}, ${o.billingCycle}`) },
    {
      id: "state",
      header: "State",
      width: "minmax(110px, 15fr)",
      render: (o) => (
        <>
          <span className={`pill state ${o.state}`}>{STATE_LABELS[o.state]}</span>
          {o.status && o.state === "placed" && <span className="muted small"> · {o.status}</span>}
        </>
      ),
    },
    {
      id: "order",
      header: "Order",
      width: "minmax(110px, 17fr)",
      minWidth: 600,
      render: (o) => (
        <code className="small" title={o.orderId ?? "No order in Partner Center"}>
          {o.orderId ?? "–"}
        </code>
      ),
    },
    { id: "placed", header: "Placed", width: "minmax(70px, 12fr)", render: (o) => <span title={dateTime(o.createdAt)}>{ago(o.createdAt)}</span> },
  ];

  return (
    <section className="view orders-view" aria-label="Orders">
      <div className="toolbar">
        <h1>Orders</h1>
        <label className="filter-label" htmlFor="orders-customer">
          Customer
        </label>
        <select id="orders-customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
          <option value="">All customers</option>
          {customers.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <span className="result-count" id="orders-count">
          {all ? `${rows.length} ${rows.length === 1 ? "order" : "orders"}` : "Loading…"}
        </span>
        {open > 0 && (
          <span className="pill warn" title="Checked against Partner Center at start, so none is placed twice">
            {open} with an unknown outcome
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      {error && <ErrorBanner error={error} what="The orders could not be listed" onRetry={load} />}
      <div className="list">
        {all && rows.length === 0 && (
          <div className="empty">
            No orders placed from this app{customerId ? " for this customer" : ""} yet. Buy from an offer's detail in the Marketplace, or from a customer.{" "}
            <button type="button" className="link" onClick={() => navigate({ view: "customers" })}>
              Customers
            </button>
          </div>
        )}
        <Grid
          id="orders-table"
          label="Orders"
          columns={columns}
          count={rows.length}
          rowAt={(i) => rows[i]}
          selected={selected}
          onSelect={setSelected}
          rowProps={(o) => ({ "data-order": o?.orderId ?? "", title: o ? (o.error ?? `MS-RequestId ${o.checkoutRequestId}`) : undefined })}
        />
      </div>
      {selected !== null && rows[selected]?.error && (
        <div className="banner" role="note">
          <div>
            <strong>{STATE_LABELS[rows[selected].state]}:</strong> {rows[selected].error}
          </div>
        </div>
      )}
    </section>
  );
}
