// The Customers view: the list with search (company name, domain, tenant id), and a customer's
// detail on the right: billing country, subscriptions, orders placed from this app, and "Buy…".
// Keyboard: Ctrl+F search, arrows move, Enter opens, Esc closes the panel or clears the search.
// Params: `customerId` (opens that customer's detail).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";

import * as api from "../api";
import { ago, count, dateTime } from "../format";
import { BuyFlow } from "../orders/BuyFlow";
import { stateLabel, timeLeft } from "../orders/buy";
import { pcStatusLabel } from "../subscriptions/time";
import "../orders/orders.css";
import { ErrorBanner } from "../shell/ErrorBanner";
import type { ViewProps } from "../shell/nav";
import { SearchField } from "../shell/SearchField";
import { focusSearch, useShortcuts } from "../shell/shortcuts";
import { useDebounced } from "../shell/useDebounced";
import { t } from "../i18n";

type SortKey = "companyName" | "domain" | "tenantId";

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
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "companyName", desc: false });
  const searchRef = useRef<HTMLInputElement | null>(null);
  const bodyRef = useRef<HTMLDivElement | null>(null);

  const sorted = useMemo(() => {
    const r = [...(rows ?? [])];
    r.sort((a, b) => a[sort.key].localeCompare(b[sort.key]) * (sort.desc ? -1 : 1));
    return r;
  }, [rows, sort]);

  // A customer opened from elsewhere (params) is scrolled into view.
  useEffect(() => {
    if (!openId) return;
    bodyRef.current?.querySelector(`tr[data-id="${CSS.escape(openId)}"]`)?.scrollIntoView({ block: "nearest" });
  }, [openId, sorted]);

  const openAt = (i: number) => {
    setSelected({ search, index: i });
    const r = sorted[i];
    if (r) setOpenId(r.id);
  };

  // Arrows and Enter move in the list from the search field too.
  const move = (e: { key: string }) => {
    const n = sorted.length;
    if (n === 0) return false;
    if (e.key === "Enter") return openAt(selected ?? 0);
    const d = e.key === "ArrowDown" ? 1 : -1;
    const next = selected === null ? (d > 0 ? 0 : n - 1) : Math.min(n - 1, Math.max(0, selected + d));
    setSelected({ search, index: next });
    const r = sorted[next];
    if (openId && r) setOpenId(r.id);
    bodyRef.current?.focus();
    bodyRef.current?.querySelector(`[data-index="${next}"]`)?.scrollIntoView({ block: "nearest" });
  };
  useShortcuts({
    "Mod+f": () => focusSearch(searchRef.current),
    Escape: () => {
      if (openId) setOpenId(null);
      else if (search) setSearch("");
      else return false;
    },
    ArrowDown: move,
    ArrowUp: move,
    Enter: move,
  });

  const header = (key: SortKey, label: string) => (
    <th
      className="sortable"
      aria-sort={sort.key === key ? (sort.desc ? "descending" : "ascending") : "none"}
      onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}
    >
      {label}
      {sort.key === key && <span className="sort-arrow">{sort.desc ? " ▼" : " ▲"}</span>}
    </th>
  );

  return (
    <div className="view customers-view" aria-label={t("customers.customers")}>
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
          onKeyDown={(e) => ["ArrowDown", "ArrowUp", "Enter"].includes(e.key) && move(e) !== false && e.preventDefault()}
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
          <div className="grid-wrap" ref={bodyRef} tabIndex={0} aria-label={t("customers.customersList")}>
            {rows && rows.length === 0 ? (
              <div className="muted" style={{ padding: 24, textAlign: "center" }}>
                {t("customers.noCustomerMatchesSearch", { search })}{" "}
                <button type="button" className="link" onClick={() => setSearch("")}>
                  {t("customers.clearSearch")}
                </button>
              </div>
            ) : (
              <table className="grid" id="customer-table">
                <colgroup>
                  <col style={{ width: "38%" }} />
                  <col style={{ width: "28%" }} />
                  <col />
                </colgroup>
                <thead>
                  <tr>
                    {header("companyName", t("customers.company"))}
                    {header("domain", t("customers.domain"))}
                    {header("tenantId", t("customers.tenantId"))}
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((c, i) => (
                    <tr
                      key={c.id}
                      data-index={i}
                      data-id={c.id}
                      className={selected === i || openId === c.id ? "selected" : ""}
                      onClick={() => openAt(i)}
                      aria-selected={openId === c.id}
                    >
                      <td className="c-title">{c.companyName}</td>
                      <td>{c.domain}</td>
                      <td>
                        <code className="small">{c.tenantId}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
        {openId && <CustomerPanel id={openId} market={market} marketCodes={markets.map((m) => m.code)} navigate={navigate} onClose={() => setOpenId(null)} />}
      </div>
    </div>
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
    <aside className="detail" id="customer-detail" aria-label={t("customers.customerDetail")}>
      <div className="detail-head">
        <div>
          <h2 id="customer-title">{d?.companyName ?? (error ? t("customers.customer") : t("customers.loading"))}</h2>
          {d && <div className="muted">{d.domain}</div>}
        </div>
        <button type="button" className="ghost close" onClick={onClose} aria-label={t("customers.closeDetailEsc")} title={t("customers.closeEsc")}>
          ✕
        </button>
      </div>
      {error && <ErrorBanner error={error} what={t("customers.theCustomerCouldNotBe")} onRetry={() => void detail.refetch()} />}
      {d && (
        <div className="detail-body">
          <section>
            <dl className="contacts">
              <dt>{t("customers.billingCountry")}</dt>
              <dd id="customer-country">{d.billingCountry ?? <span className="muted">{t("customers.notInTheBillingProfile")}</span>}</dd>
              <dt>{t("customers.tenantId")}</dt>
              <dd>
                <code className="small">{d.tenantId}</code>
              </dd>
              {d.email && (
                <>
                  <dt>{t("customers.billingEmail")}</dt>
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
                    <th>{t("customers.offer")}</th>
                    <th>{t("customers.qty")}</th>
                    <th>{t("customers.status")}</th>
                    <th>{t("customers.cancelBy")}</th>
                    <th title={t("customers.publisherContacts")}>
                      <span aria-hidden="true">☏</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.subscriptions.map((s) => (
                    <tr key={s.id} data-subscription={s.id} title={[s.friendlyName || s.offerName, s.publisherName, `${s.termDuration} ${s.billingCycle}`, ...(s.autoRenewEnabled ? [t("customers.autoRenews")] : [])].join(" · ")}>
                      <td>
                        <button
                          type="button"
                          className="link"
                          title={t("customers.openInSubscriptionsCancelAuto")}
                          onClick={() => navigate({ view: "subscriptions", customerId: d.id, subscriptionId: s.id })}
                        >
                          {s.friendlyName || s.offerName}
                        </button>
                      </td>
                      <td className="num">{s.quantity}</td>
                      <td>
                        <span className={s.status === "pending" ? "pill warn" : "pill"} title={s.status === "pending" ? t("customers.waitingForActivationByThe") : pcStatusLabel(s.status, s.statusLabel)}>
                          {s.status === "pending" ? t("customers.toActivate") : pcStatusLabel(s.status, s.statusLabel)}
                        </span>
                      </td>
                      <td title={s.cancellationDeadline ? dateTime(s.cancellationDeadline) : ""}>
                        {s.canCancel && s.cancellationDeadline ? timeLeft(s.cancellationDeadline).replace(/^in /, "") : <span className="muted">–</span>}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link publisher-contacts"
                          title={t("customers.publisherContactsPublishernameSSupport", { publisherName: s.publisherName })}
                          aria-label={t("customers.publisherContactsForFriendlyname", { friendlyName: s.friendlyName || s.offerName })}
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
            <h3>{t("customers.ordersFromThisAppLength", { length: d.orders.length })}</h3>
            {d.orders.length === 0 ? (
              <p className="muted">{t("customers.noneYet")}</p>
            ) : (
              <table className="mini" id="customer-orders">
                <colgroup>
                  <col />
                  <col style={{ width: "110px" }} />
                  <col style={{ width: "70px" }} />
                </colgroup>
                <thead>
                  <tr>
                    <th>{t("customers.offer")}</th>
                    <th>{t("customers.state")}</th>
                    <th>{t("customers.placed")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.orders.map((o) => (
                    <tr key={o.id} title={o.orderId ? t("customers.orderOrderid", { orderId: o.orderId }) : (o.error ?? "")} data-order={o.orderId ?? ""}>
                      <td>
                        {o.productTitle}
                        {o.plan && <span className="muted"> · {o.plan}</span>} × {o.quantity}
                      </td>
                      <td>
                        <span className={`pill state ${o.state}`}>{stateLabel(o.state)}</span>
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
