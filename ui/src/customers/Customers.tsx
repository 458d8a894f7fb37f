// The Customers view: the list with search (company name, domain, tenant id), and a customer's
// detail on the right: billing country, subscriptions, orders placed from this app, and "Buy…".
// Keyboard: Ctrl+F search, arrows move, Enter opens, Esc closes the panel or clears the search.
// Params: `customerId` (opens that customer's detail).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";

import * as api from "../api";
import { ago, count, dateTime } from "../format";
import { BuyFlow } from "../orders/BuyFlow";
import { stateLabel, timeLeft } from "../orders/buy";
import { pcStatusLabel } from "../subscriptions/time";
import "../orders/orders.css";
import type { CustomerDetail, CustomerRow } from "../bindings";
import { Detail, Fact } from "../shell/Detail";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Empty, Grid, type GridColumn, type GridSort, opening } from "../shell/Grid";
import type { ViewProps } from "../shell/nav";
import { SearchField } from "../shell/SearchField";
import { useSearchKeys } from "../shell/shortcuts";
import { useDebounced } from "../shell/useDebounced";
import { sortRows } from "../shell/sort";
import { type Col, Table } from "../shell/Table";
import { useKeyed } from "../shell/useKeyed";
import { t } from "../i18n";

type SortKey = "companyName" | "domain" | "tenantId";

const COLUMNS: Array<GridColumn<CustomerRow>> = [
  { id: "companyName", get header() { return t("customers.company"); }, width: "minmax(140px, 38fr)", sortable: true, className: "c-title", render: (c) => c.companyName },
  { id: "domain", get header() { return t("customers.domain"); }, width: "minmax(120px, 28fr)", sortable: true, render: (c) => c.domain },
  { id: "tenantId", get header() { return t("customers.tenantId"); }, width: "minmax(120px, 34fr)", sortable: true, minWidth: 480, render: (c) => <code className="small">{c.tenantId}</code> },
];

export function Customers({ market, markets, params, navigate }: ViewProps<"customers">) {
  const [search, setSearch] = useState("");
  const asked = useDebounced(search, search ? 100 : 0);
  // Refresh re-reads the list from Partner Center (and every search after it does too).
  const [refreshes, setRefreshes] = useState(0);
  const refresh = () => setRefreshes((r) => r + 1);
  const listed = useQuery({ queryKey: ["customers", asked, refreshes], queryFn: () => api.customers(asked, refreshes > 0), placeholderData: keepPreviousData });
  const rows = listed.data ?? null;
  const [selected, setSelected] = useKeyed<number | null>(search, null);
  const [openId, setOpenId] = useState<string | null>(params.customerId ?? null);
  const [sort, setSort] = useState<GridSort>({ key: "companyName", descending: false });
  const searchRef = useSearchKeys(!openId && search !== "" && (() => setSearch("")));
  const gridRef = useRef<HTMLDivElement | null>(null);

  const sorted = useMemo(() => sortRows(rows ?? [], (c) => c[sort.key as SortKey], sort.descending), [rows, sort]);
  // The row selected: the cursor, or the customer opened (from elsewhere too).
  const openIndex = openId ? sorted.findIndex((c) => c.id === openId) : -1;
  const current = selected ?? (openIndex >= 0 ? openIndex : null);

  const opened = opening(setSelected, (i) => setOpenId(sorted[i]?.id ?? openId), !!openId && (() => setOpenId(null)));

  return (
    <section className="view customers-view" aria-label={t("customers.customers")}>
      <div className="toolbar">
        <h1>{t("customers.customers")}</h1>
        <SearchField
          ref={searchRef}
          id="customer-search"
          className="search"
          label={t("customers.searchCustomers")}
          placeholder={t("customers.searchCompanyNameDomainOr")}
          value={search}
          onSearch={setSearch}
          onKeyDown={(e) => {
            // Down and Enter from the search: into the list (Enter opens the first customer).
            if (e.key !== "ArrowDown" && e.key !== "Enter") return;
            e.preventDefault();
            gridRef.current?.focus();
            if (e.key === "Enter" && sorted.length > 0) opened.onOpen(current ?? 0);
            else if (current === null && sorted.length > 0) setSelected(0);
          }}
        />
        <span className="result-count" id="customer-count">
          {rows ? t("customers.count", { count: rows.length, n: count(rows.length) }) : t("customers.loading")}
        </span>
        <span className="spacer" />
        <button type="button" onClick={refresh} title={t("customers.readTheCustomerListFrom")}>
          {t("customers.refresh")}
        </button>
      </div>
      {listed.error && <ErrorBanner error={listed.error} what={t("customers.theCustomersCouldNotBe")} onRetry={refresh} />}
      <div className={openId ? "content with-detail" : "content"}>
        <div className="list">
          {rows && rows.length === 0 && (
            <Empty label={t("customers.clearSearch")} onClick={() => setSearch("")}>
              {t("customers.noCustomerMatchesSearch", { search })}
            </Empty>
          )}
          <Grid
            id="customer-table"
            label={t("customers.customers")}
            columns={COLUMNS}
            count={sorted.length}
            rowAt={(i) => sorted[i]}
            sort={sort}
            onSort={setSort}
            selected={current}
            {...opened}
            gridRef={gridRef}
            rowProps={(c) => ({ "data-id": c?.id, className: c && c.id === openId ? "open" : undefined })}
          />
        </div>
        {openId && <CustomerPanel id={openId} market={market} marketCodes={markets.map((m) => m.code)} navigate={navigate} onClose={() => setOpenId(null)} />}
      </div>
    </section>
  );
}

type Sub = CustomerDetail["subscriptions"][number];

/** A customer's subscriptions: each to its row in Subscriptions, and to its publisher's contacts. */
const subscriptionCols = (customerId: string, navigate: ViewProps["navigate"]): Array<Col<Sub>> => [
  {
    head: t("customers.offer"),
    cell: (s) => (
      <button type="button" className="link" title={t("customers.openInSubscriptionsCancelAuto")} onClick={() => navigate({ view: "subscriptions", customerId, subscriptionId: s.id })}>
        {s.friendlyName || s.offerName}
      </button>
    ),
  },
  { head: t("customers.qty"), width: "28px", className: "num", cell: (s) => s.quantity },
  {
    head: t("customers.status"),
    width: "92px",
    cell: (s) => (
      <span className={s.status === "pending" ? "pill warn" : "pill"} title={s.status === "pending" ? t("customers.waitingForActivationByThe") : pcStatusLabel(s.status, s.statusLabel)}>
        {s.status === "pending" ? t("customers.toActivate") : pcStatusLabel(s.status, s.statusLabel)}
      </span>
    ),
  },
  {
    head: t("customers.cancelBy"),
    width: "74px",
    title: (s) => (s.cancellationDeadline ? dateTime(s.cancellationDeadline) : ""),
    cell: (s) => (s.canCancel && s.cancellationDeadline ? timeLeft(s.cancellationDeadline).replace(/^in /, "") : <span className="muted">–</span>),
  },
  {
    head: <span aria-hidden="true">☏</span>,
    headTitle: t("customers.publisherContacts"),
    width: "26px",
    cell: (s) => (
      <button
        type="button"
        className="link publisher-contacts"
        title={t("customers.publisherContactsPublishernameSSupport", { publisherName: s.publisherName })}
        aria-label={t("customers.publisherContactsForFriendlyname", { friendlyName: s.friendlyName || s.offerName })}
        onClick={() => navigate({ view: "publishers", customerId, subscriptionId: s.id })}
      >
        ☏
      </button>
    ),
  },
];

/** The orders placed from this app for a customer. */
const ORDER_COLS: Array<Col<CustomerDetail["orders"][number]>> = [
  {
    get head() { return t("customers.offer"); },
    cell: (o) => (
      <>
        {o.productTitle}
        {o.plan && <span className="muted"> · {o.plan}</span>} × {o.quantity}
      </>
    ),
  },
  { get head() { return t("customers.state"); }, width: "110px", cell: (o) => <span className={`pill state ${o.state}`}>{stateLabel(o.state)}</span> },
  { get head() { return t("customers.placed"); }, width: "70px", title: (o) => dateTime(o.createdAt), cell: (o) => ago(o.createdAt) },
];

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
    <Detail
      id="customer-detail"
      label={t("customers.customerDetail")}
      title={d?.companyName ?? (error ? t("customers.customer") : t("customers.loading"))}
      titleId="customer-title"
      sub={d && <div className="muted">{d.domain}</div>}
      onClose={onClose}
    >
      {error && <ErrorBanner error={error} what={t("customers.theCustomerCouldNotBe")} onRetry={() => void detail.refetch()} />}
      {d && (
        <div className="detail-body">
          <section>
            <dl className="contacts">
              <Fact label={t("customers.billingCountry")} id="customer-country">
                {d.billingCountry ?? <span className="muted">{t("customers.notInTheBillingProfile")}</span>}
              </Fact>
              <Fact label={t("customers.tenantId")}>
                <code className="small">{d.tenantId}</code>
              </Fact>
              {d.email && <Fact label={t("customers.billingEmail")}>{d.email}</Fact>}
            </dl>
            <div className="detail-actions">
              <button
                type="button"
                className="primary"
                id="customer-buy"
                disabled={!d.billingCountry}
                title={d.billingCountry ? t("customers.buyASaasOfferSold", { billingCountry: d.billingCountry }) : t("customers.completeTheBillingProfileIn")}
                onClick={() => setBuying(true)}
              >
                {t("customers.buy")}
              </button>
              <button type="button" onClick={() => navigate({ view: "orders", customerId: d.id })}>
                {t("customers.allOrders")}
              </button>
            </div>
          </section>
          <section>
            <h3>{t("customers.subscriptionsLength", { length: d.subscriptions.length })}</h3>
            {d.subscriptions.length === 0 ? (
              <p className="muted">{t("customers.noSubscriptions")}</p>
            ) : (
              <Table className="mini" id="customer-subscriptions" rows={d.subscriptions} cols={subscriptionCols(d.id, navigate)} rowKey={(s) => s.id} rowProps={(s) => ({ "data-subscription": s.id, title: [s.friendlyName || s.offerName, s.publisherName, `${s.termDuration} ${s.billingCycle}`, ...(s.autoRenewEnabled ? [t("customers.autoRenews")] : [])].join(" · ") })} />
            )}
          </section>
          <section>
            <h3>{t("customers.ordersFromThisAppLength", { length: d.orders.length })}</h3>
            {d.orders.length === 0 ? (
              <p className="muted">{t("customers.noneYet")}</p>
            ) : (
              <Table className="mini" id="customer-orders" rows={d.orders} cols={ORDER_COLS} rowKey={(o) => o.id} rowProps={(o) => ({ title: o.orderId ? t("customers.orderOrderid", { orderId: o.orderId }) : (o.error ?? ""), "data-order": o.orderId ?? "" })} />
            )}
          </section>
        </div>
      )}
      {buying && d && <BuyFlow market={buyMarket} customer={{ id: d.id, name: d.companyName }} onClose={closeBuy} navigate={navigate} />}
    </Detail>
  );
}
