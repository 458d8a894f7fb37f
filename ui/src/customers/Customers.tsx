// The Customers view: the list with search (company name, domain, tenant id), and a customer's
// detail on the right: billing country, subscriptions, orders placed from this app, and "Buy…".
// Keyboard: Ctrl+F search, arrows move, Enter opens, Esc closes the panel or clears the search.
// Params: `customerId` (opens that customer's detail).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";

import * as api from "../api";
import { ago, dateTime } from "../format";
import { BuyFlow } from "../orders/BuyFlow";
import { STATE_LABELS, timeLeft } from "../orders/buy";
import "../orders/orders.css";
import type { CustomerRow } from "../bindings/CustomerRow";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Grid, type GridColumn, type GridSort } from "../shell/Grid";
import type { ViewProps } from "../shell/nav";
import { SearchField } from "../shell/SearchField";
import { focusSearch, useShortcuts } from "../shell/shortcuts";
import { useDebounced } from "../shell/useDebounced";

type SortKey = "companyName" | "domain" | "tenantId";

const COLUMNS: Array<GridColumn<CustomerRow>> = [
  { id: "companyName", header: "Company", width: "minmax(140px, 38fr)", sortable: true, className: "c-title", render: (c) => c.companyName },
  { id: "domain", header: "Domain", width: "minmax(120px, 28fr)", sortable: true, render: (c) => c.domain },
  { id: "tenantId", header: "Tenant ID", width: "minmax(120px, 34fr)", sortable: true, minWidth: 480, render: (c) => <code className="small">{c.tenantId}</code> },
];

export function Customers({ market, markets, params, navigate }: ViewProps<"customers">) {
  const [search, setSearch] = useState("");
  const asked = useDebounced(search, search ? 100 : 0);
  // Refresh re-reads the list from Partner Center (and every search after it does too).
  const [refreshes, setRefreshes] = useState(0);
  const refresh = () => setRefreshes((r) => r + 1);
  const listed = useQuery({ queryKey: ["customers", asked, refreshes], queryFn: () => api.customers(asked, refreshes > 0), placeholderData: keepPreviousData });
  const rows = listed.data ?? null;
  const [cursor, setSelected] = useState({ search, index: null as number | null });
  const selected = cursor.search === search ? cursor.index : null;
  const [openId, setOpenId] = useState<string | null>(params.customerId ?? null);
  const [sort, setSort] = useState<GridSort>({ key: "companyName", descending: false });
  const searchRef = useRef<HTMLInputElement | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);

  const sorted = useMemo(() => {
    const k = sort.key as SortKey;
    return [...(rows ?? [])].sort((a, b) => a[k].localeCompare(b[k]) * (sort.descending ? -1 : 1));
  }, [rows, sort]);
  // The row selected: the cursor, or the customer opened (from elsewhere too).
  const openIndex = openId ? sorted.findIndex((c) => c.id === openId) : -1;
  const current = selected ?? (openIndex >= 0 ? openIndex : null);

  const openAt = (i: number) => {
    setSelected({ search, index: i });
    const r = sorted[i];
    if (r) setOpenId(r.id);
  };
  // The arrows move the selection; an open detail follows it.
  const select = (i: number) => (openId ? openAt(i) : setSelected({ search, index: i }));
  useShortcuts({
    "Mod+f": () => focusSearch(searchRef.current),
    Escape: () => {
      if (openId || !search) return false;
      setSearch("");
    },
  });

  return (
    <section className="view customers-view" aria-label="Customers">
      <div className="toolbar">
        <h1>Customers</h1>
        <SearchField
          ref={searchRef}
          id="customer-search"
          className="search"
          label="Search customers"
          placeholder="Search company name, domain or tenant id (Ctrl+F)"
          value={search}
          onSearch={setSearch}
          onKeyDown={(e) => {
            // Down and Enter from the search: into the list (Enter opens the first customer).
            if (e.key !== "ArrowDown" && e.key !== "Enter") return;
            e.preventDefault();
            gridRef.current?.focus();
            if (e.key === "Enter" && sorted.length > 0) openAt(current ?? 0);
            else if (current === null && sorted.length > 0) setSelected({ search, index: 0 });
          }}
        />
        <span className="result-count" id="customer-count">
          {rows ? `${rows.length} ${rows.length === 1 ? "customer" : "customers"}` : "Loading…"}
        </span>
        <span className="spacer" />
        <button type="button" onClick={refresh} title="Read the customer list from Partner Center again">
          Refresh
        </button>
      </div>
      {listed.error && <ErrorBanner error={listed.error} what="The customers could not be listed" onRetry={refresh} />}
      <div className={openId ? "content with-detail" : "content"}>
        <div className="list">
          {rows && rows.length === 0 && (
            <div className="empty">
              No customer matches “{search}”.{" "}
              <button type="button" className="link" onClick={() => setSearch("")}>
                Clear search
              </button>
            </div>
          )}
          <Grid
            id="customer-table"
            label="Customers"
            columns={COLUMNS}
            count={sorted.length}
            rowAt={(i) => sorted[i]}
            sort={sort}
            onSort={setSort}
            selected={current}
            onSelect={select}
            onOpen={openAt}
            clickOpens
            onClose={openId ? () => setOpenId(null) : undefined}
            gridRef={gridRef}
            rowProps={(c) => ({ "data-id": c?.id, className: c && c.id === openId ? "open" : undefined })}
          />
        </div>
        {openId && <CustomerPanel id={openId} market={market} marketCodes={markets.map((m) => m.code)} navigate={navigate} onClose={() => setOpenId(null)} />}
      </div>
    </section>
  );
}

function CustomerPanel({
  id,
  market,
  marketCodes,
  navigate,
  onClose,
}: {
  id: string;
  market: string;
  marketCodes: string[];
  navigate: ViewProps["navigate"];
  onClose: () => void;
}) {
  const detail = useQuery({ queryKey: ["customer", id], queryFn: () => api.customerDetail(id) });
  const d = detail.data ?? null;
  const error = detail.error;
  const [buying, setBuying] = useState(false);
  // After the buy flow: its orders and subscriptions, read again.
  const closeBuy = () => {
    setBuying(false);
    void detail.refetch();
  };

  // Offers are searched in the customer's own market when it is one the app knows.
  const buyMarket = d?.billingCountry && marketCodes.includes(d.billingCountry) ? d.billingCountry : market;

  return (
    <aside className="detail" id="customer-detail" aria-label="Customer detail">
      <div className="detail-head">
        <div>
          <h2 id="customer-title">{d?.companyName ?? (error ? "Customer" : "Loading…")}</h2>
          {d && <div className="muted">{d.domain}</div>}
        </div>
        <button type="button" className="ghost close" onClick={onClose} aria-label="Close detail (Esc)" title="Close (Esc)">
          ✕
        </button>
      </div>
      {error && <ErrorBanner error={error} what="The customer could not be shown" onRetry={() => void detail.refetch()} />}
      {d && (
        <div className="detail-body">
          <section>
            <dl className="contacts">
              <dt>Billing country</dt>
              <dd id="customer-country">{d.billingCountry ?? <span className="muted">not in the billing profile</span>}</dd>
              <dt>Tenant ID</dt>
              <dd>
                <code className="small">{d.tenantId}</code>
              </dd>
              {d.email && (
                <>
                  <dt>Billing email</dt>
                  <dd>{d.email}</dd>
                </>
              )}
            </dl>
            <div className="detail-actions">
              <button
                type="button"
                className="primary"
                id="customer-buy"
                disabled={!d.billingCountry}
                title={d.billingCountry ? `Buy a SaaS offer sold in ${d.billingCountry}` : "Complete the billing profile in Partner Center first"}
                onClick={() => setBuying(true)}
              >
                Buy…
              </button>
              <button type="button" onClick={() => navigate({ view: "orders", customerId: d.id })}>
                All orders
              </button>
            </div>
          </section>
          <section>
            <h3>Subscriptions ({d.subscriptions.length})</h3>
            {d.subscriptions.length === 0 ? (
              <p className="muted">No subscriptions.</p>
            ) : (
              <table className="mini" id="customer-subscriptions">
                <colgroup>
                  <col />
                  <col style={{ width: "28px" }} />
                  <col style={{ width: "92px" }} />
                  <col style={{ width: "74px" }} />
                  <col style={{ width: "26px" }} />
                </colgroup>
                <thead>
                  <tr>
                    <th>Offer</th>
                    <th>Qty</th>
                    <th>Status</th>
                    <th>Cancel by</th>
                    <th title="Publisher contacts">
                      <span aria-hidden="true">☏</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.subscriptions.map((s) => (
                    <tr key={s.id} data-subscription={s.id} title={`${s.friendlyName || s.offerName} · ${s.publisherName} · ${s.termDuration} ${s.billingCycle}${s.autoRenewEnabled ? " · auto-renews" : ""}`}>
                      <td>
                        <button
                          type="button"
                          className="link"
                          title="Open in Subscriptions: cancel, auto-renew, seats, plan, activation link"
                          onClick={() => navigate({ view: "subscriptions", customerId: d.id, subscriptionId: s.id })}
                        >
                          {s.friendlyName || s.offerName}
                        </button>
                      </td>
                      <td className="num">{s.quantity}</td>
                      <td>
                        <span className={s.status === "pending" ? "pill warn" : "pill"} title={s.status === "pending" ? "Waiting for activation by the customer" : s.statusLabel}>
                          {s.status === "pending" ? "to activate" : s.statusLabel}
                        </span>
                      </td>
                      <td title={s.cancellationDeadline ? dateTime(s.cancellationDeadline) : ""}>
                        {s.canCancel && s.cancellationDeadline ? timeLeft(s.cancellationDeadline).replace(/^in /, "") : <span className="muted">–</span>}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link publisher-contacts"
                          title={`Publisher contacts: ${s.publisherName}'s support for this subscription`}
                          aria-label={`Publisher contacts for ${s.friendlyName || s.offerName}`}
                          onClick={() => navigate({ view: "publishers", customerId: d.id, subscriptionId: s.id })}
                        >
                          ☏
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section>
            <h3>Orders from this app ({d.orders.length})</h3>
            {d.orders.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <table className="mini" id="customer-orders">
                <colgroup>
                  <col />
                  <col style={{ width: "110px" }} />
                  <col style={{ width: "70px" }} />
                </colgroup>
                <thead>
                  <tr>
                    <th>Offer</th>
                    <th>State</th>
                    <th>Placed</th>
                  </tr>
                </thead>
                <tbody>
                  {d.orders.map((o) => (
                    <tr key={o.id} title={o.orderId ? `Order ${o.orderId}` : (o.error ?? "")} data-order={o.orderId ?? ""}>
                      <td>
                        {o.productTitle}
                        {o.plan && <span className="muted"> · {o.plan}</span>} × {o.quantity}
                      </td>
                      <td>
                        <span className={`pill state ${o.state}`}>{STATE_LABELS[o.state]}</span>
                      </td>
                      <td title={dateTime(o.createdAt)}>{ago(o.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
      {buying && d && <BuyFlow market={buyMarket} customer={{ id: d.id, name: d.companyName }} onClose={closeBuy} navigate={navigate} />}
    </aside>
  );
}
