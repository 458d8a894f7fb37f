// The Subscriptions view: All · Closing soon · Waiting for activation across customers (or one,
// with params.customerId), filters, sortable columns, checkboxes for bulk auto-renew, export,
// and the detail panel with the live countdown, Cancel, auto-renew, seats and the activation link.
// Keyboard: Ctrl+F search, arrows move, Enter opens, Esc closes the detail or clears the search.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";

import * as api from "../api";
import type { AutoRenewResult, SubscriptionItem, SubscriptionList, SubscriptionState } from "../bindings";
import { count, date, dateTime, isoPeriod } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Empty, Grid, type GridColumn, opening, sortable } from "../shell/Grid";
import { useExport } from "../shell/Export";
import type { ViewProps } from "../shell/nav";
import { SearchField } from "../shell/SearchField";
import { Options } from "../shell/Options";
import { useSearchKeys } from "../shell/shortcuts";
import { SubscriptionDetail } from "./SubscriptionDetail";
import "./subscriptions.css";
import {
  billingLabel,
  EMPTY_LIST_FILTER,
  type ListFilter,
  statusLabel,
  type Segment,
  type Sort,
  countdown,
  customersOf,
  inSegment,
  keyOfRow,
  matches,
  skewOf,
  sortRows,
  termLabel,
  waitingFor,
  windowOpen,
} from "./time";
import { useNow } from "./useNow";
import { t, say } from "../i18n";
import { Trans } from "react-i18next";

/** How often the list is read again from Partner Center while the view is open. */
const REFRESH_MS = 120_000;
const STATUSES: readonly SubscriptionState[] = ["pendingFulfillment", "active", "suspended", "cancelled"];

/** The columns, their header words and the widths below which they give way; `now` ticks the countdowns. */
const columnsAt = (now: number) =>
  sortable<SubscriptionItem>([
  { id: "customer", header: t("subscriptions.customer"), width: "minmax(90px, 1.4fr)", render: (s) => <span title={s.customerName}>{s.customerName}</span> },
  { id: "product", header: t("subscriptions.product"), width: "minmax(90px, 1.8fr)", render: (s) => <span title={s.friendlyName || s.productName}>{s.productName}</span> },
  { id: "publisher", header: t("subscriptions.publisher"), width: "minmax(90px, 1.1fr)", minWidth: 640, render: (s) => <span title={s.publisherName}>{s.publisherName}</span> },
  { id: "plan", header: t("subscriptions.plan"), width: "minmax(70px, 0.9fr)", minWidth: 760, render: (s) => <span title={s.planName}>{s.planName}</span> },
  { id: "quantity", header: t("subscriptions.qty"), width: "44px", minWidth: 920, className: "num", render: (s) => s.quantity },
  {
    id: "term",
    header: t("subscriptions.termBilling"),
    width: "118px",
    minWidth: 1050,
    render: (s) =>
      s.isTrial ? (
        <span className="pill trial" title={t("subscriptions.freeTrialTermduration", { termDuration: termLabel(s.termDuration) })}>
          {t("subscriptions.trial")}
        </span>
      ) : (
        <span title={t("subscriptions.termBilledTitle", { termDuration: termLabel(s.termDuration), billing: billingLabel(s.billingCycle).toLowerCase() })}>
          {isoPeriod(s.termDuration, true)} · {billingLabel(s.billingCycle).toLowerCase()}
        </span>
      ),
  },
  { id: "status", header: t("subscriptions.status"), width: "132px", render: (s) => <StatusPill status={s.status} /> },
  { id: "autoRenew", header: t("subscriptions.renew"), width: "52px", minWidth: 640, render: (s) => (s.autoRenewEnabled ? t("subscriptions.onShort") : <span className="muted">{t("subscriptions.off")}</span>) },
  { id: "created", header: t("subscriptions.created"), width: "92px", minWidth: 920, descFirst: true, render: (s) => date(s.creationDate) },
  { id: "commitmentEnd", header: t("subscriptions.termEnds"), width: "92px", minWidth: 1170, render: (s) => date(s.commitmentEndDate) },
  { id: "deadline", header: t("subscriptions.cancelBy"), width: "minmax(112px, 1fr)", minWidth: 520, render: (s) => <DeadlineCell s={s} now={now} /> },
  ]);

export function StatusPill({ status, trial }: { status: SubscriptionState; trial?: boolean }) {
  return (
    <span className="status-cell">
      <span className={`pill status-${status}`}>{statusLabel(status)}</span>
      {trial && <span className="pill trial">{t("subscriptions.trial")}</span>}
    </span>
  );
}

function DeadlineCell({ s, now }: { s: SubscriptionItem; now: number }) {
  if (!s.deadline) return <span className="muted">–</span>;
  const at = Date.parse(s.deadline.at);
  const title = t("subscriptions.deadlineFrom", { at: dateTime(s.deadline.at), source: say(s.deadline.message, s.deadline.source) });
  if (!windowOpen(s, now)) return <span className="muted" title={title}>{date(s.deadline.at)}</span>;
  const soon = at - now <= 24 * 3_600_000;
  return (
    <span className={soon ? "deadline soon" : "deadline"} title={title}>
      {countdown(s.deadline.at, now)}
    </span>
  );
}

/** The sets, and what each says when the filters leave none of its rows. */
const SEGMENTS: Array<{ id: Segment; label: string; empty: string }> = [
  { id: "all", get label() { return t("subscriptions.all"); }, get empty() { return t("subscriptions.emptyFiltered"); } },
  { id: "closingSoon", get label() { return t("subscriptions.closingSoon"); }, get empty() { return t("subscriptions.emptyClosing"); } },
  { id: "waiting", get label() { return t("subscriptions.waitingForActivation"); }, get empty() { return t("subscriptions.emptyWaiting"); } },
];

const LIST = ["subscriptions", "list"];

export function Subscriptions({ params, navigate, toast }: ViewProps<"subscriptions">) {
  const client = useQueryClient();
  const listed = useQuery({ queryKey: LIST, queryFn: () => api.listSubscriptions(null, "all"), refetchInterval: REFRESH_MS });
  const list = listed.data ?? null;
  const skew = list ? skewOf(list.now) : 0;
  const [filter, setFilter] = useState<ListFilter>(() => ({
    ...EMPTY_LIST_FILTER,
    customerId: params.customerId ?? "",
    segment: params.segment ?? "all",
  }));
  const [sort, setSort] = useState<Sort>({ key: "created", descending: true });
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  // The window opens a view anew for each navigate() with other params (e.g. from Customers).
  const [openKey, setOpenKey] = useState<string | null>(params.subscriptionId && params.customerId ? `${params.customerId}/${params.subscriptionId}` : null);
  const [cursor, setCursor] = useState<number | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);
  const now = useNow(skew, 60_000);

  const rows = useMemo(() => list?.rows ?? [], [list]);
  const customers = useMemo(() => customersOf(rows, filter.customerId), [rows, filter.customerId]);
  const publishers = useMemo(() => [...new Set(rows.map((r) => r.publisherName))].filter(Boolean).sort((a, b) => a.localeCompare(b)), [rows]);

  // The segment counts follow the other filters (customer, status, publisher, search).
  const counts = useMemo(() => {
    const base = rows.filter((r) => matches(r, { ...filter, segment: "all" }, now));
    return new Map(SEGMENTS.map((s) => [s.id, base.filter((r) => inSegment(r, s.id, now)).length]));
  }, [rows, filter, now]);

  const shown = useMemo(() => sortRows(rows.filter((r) => matches(r, filter, now)), sort), [rows, filter, sort, now]);

  const byKey = useMemo(() => new Map(rows.map((r) => [keyOfRow(r), r])), [rows]);
  const open = openKey ? byKey.get(openKey) ?? null : null;

  const onSegment = (s: Segment) => {
    setFilter((f) => ({ ...f, segment: s }));
    // Closing soon reads best closing-first until a column is picked.
    if (s === "closingSoon") setSort({ key: "deadline", descending: false });
    setCursor(null);
  };

  /** Rows as Partner Center read them back, into the list; the badges count again. */
  const patch = useCallback(
    (changed: (r: SubscriptionItem) => SubscriptionItem) => {
      client.setQueryData<SubscriptionList>(LIST, (l) => l && { ...l, rows: l.rows.map(changed) });
      void client.invalidateQueries({ queryKey: ["subscriptions", "badges"] });
    },
    [client],
  );
  const replace = useCallback((item: SubscriptionItem) => patch((r) => (keyOfRow(r) === keyOfRow(item) ? item : r)), [patch]);

  const toggle = (k: string) =>
    setChecked((c) => {
      const n = new Set(c);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });
  const shownKeys = shown.map(keyOfRow);
  const allChecked = shownKeys.length > 0 && shownKeys.every((k) => checked.has(k));
  const checkedRows = [...checked].map((k) => byKey.get(k)).filter((r): r is SubscriptionItem => !!r);

  const bulk = useMutation({
    mutationFn: async (on: boolean) => ({ on, results: await api.setAutoRenewBulk(checkedRows.map((r) => ({ customerId: r.customerId, subscriptionId: r.id })), on) }),
    onSuccess: ({ on, results }) => {
      // The values read back, into the rows.
      patch((r) => {
        const res = results.find((x) => x.customerId === r.customerId && x.subscriptionId === r.id);
        return res && res.autoRenewEnabled !== null ? { ...r, autoRenewEnabled: res.autoRenewEnabled } : r;
      });
      const ok = results.filter((r) => r.ok).length;
      if (ok === results.length) {
        toast(on ? t("subscriptions.autoRenewOnFor", { count: ok }) : t("subscriptions.autoRenewOffFor", { count: ok }));
        setChecked(new Set());
      } else {
        // Keep only the failed rows ticked, to retry them.
        setChecked(new Set(results.filter((r) => !r.ok).map((r) => `${r.customerId}/${r.subscriptionId}`)));
      }
    },
  });

  const exporter = useExport({
    write: (path) => api.exportSubscriptions(path ?? "", shown.map((r) => ({ customerId: r.customerId, subscriptionId: r.id }))),
    summary: (r) => t("subscriptions.count", { count: r.rows, n: count(r.rows) }),
    what: t("subscriptions.exportFailed"),
    hint: (e) => (e.kind === "invalid" ? t("subscriptions.exportInvalidHint") : undefined),
    id: "subscriptions-saved",
  });

  // Keyboard: Ctrl+F and Esc here; the grid takes the arrows, Enter and (with a detail open) Esc.
  const searchRef = useSearchKeys(!openKey && filter.search !== "" && (() => setFilter((f) => ({ ...f, search: "" }))));
  const opened = opening(setCursor, (i) => setOpenKey(shown[i] ? keyOfRow(shown[i]) : openKey), !!openKey && (() => setOpenKey(null)));

  const columns: Array<GridColumn<SubscriptionItem>> = [
    {
      id: "select",
      header: t("subscriptions.selectAllShown"),
      width: "28px",
      head: () => <input type="checkbox" aria-label={t("subscriptions.selectAllShown")} checked={allChecked} onChange={() => setChecked(allChecked ? new Set() : new Set(shownKeys))} />,
      render: (s) => (
        <input type="checkbox" aria-label={t("subscriptions.selectProductnameForCustomername", { productName: s.productName, customerName: s.customerName })} checked={checked.has(keyOfRow(s))} onClick={(e) => e.stopPropagation()} onChange={() => toggle(keyOfRow(s))} />
      ),
    },
    ...columnsAt(now),
  ];

  const empty = list && shown.length === 0 ? SEGMENTS.find((s) => s.id === filter.segment)?.empty : null;
  const filtered = filter.customerId !== "" || filter.status !== "" || filter.publisher !== "" || filter.search !== "";
  const clearFilters = () => setFilter((f) => ({ ...EMPTY_LIST_FILTER, segment: f.segment }));

  return (
    <div className="view subscriptions">
      <div className="filters">
        <div className="filter-row">
          <div className="segmented" role="tablist" aria-label={t("subscriptions.subscriptionSets")}>
            {SEGMENTS.map((s) => (
              <button
                key={s.id}
                type="button"
                role="tab"
                id={`seg-${s.id}`}
                aria-selected={filter.segment === s.id}
                className={filter.segment === s.id ? "seg on" : "seg"}
                onClick={() => onSegment(s.id)}
              >
                {s.label} <span className="count">{list ? count(counts.get(s.id) ?? 0) : ""}</span>
              </button>
            ))}
          </div>
          <span className="spacer" />
          <button type="button" onClick={() => void listed.refetch()} disabled={listed.isFetching} title={t("subscriptions.readTheSubscriptionsAgainFrom")}>
            {listed.isFetching ? t("subscriptions.refreshing") : t("subscriptions.refresh")}
          </button>
          <button type="button" id="export-subs" onClick={() => exporter.start(`subscriptions-${new Date(now).toISOString().slice(0, 10)}.xlsx`)} disabled={shown.length === 0} title={t("subscriptions.exportTheRowsShownTo")}>
            {t("subscriptions.export")}
          </button>
        </div>
        <div className="filter-row">
          <SearchField
            ref={searchRef}
            className="search"
            id="subs-search"
            label={t("subscriptions.searchSubscriptions")}
            placeholder={t("subscriptions.searchCtrlF")}
            title={t("subscriptions.searchCustomersProductsPlansPublishers")}
            value={filter.search}
            onSearch={(search) => setFilter((f) => ({ ...f, search }))}
            onKeyDown={(e) => {
              // Arrows move in the list from the search field too.
              if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
              e.preventDefault();
              gridRef.current?.focus();
              opened.onSelect(Math.min(shown.length - 1, Math.max(0, (cursor ?? -1) + (e.key === "ArrowDown" ? 1 : -1))));
            }}
          />
          <select aria-label={t("subscriptions.customer")} id="subs-customer" value={filter.customerId} onChange={(e) => setFilter((f) => ({ ...f, customerId: e.target.value }))}>
            <Options items={[["", t("subscriptions.allCustomers")], ...customers]} />
          </select>
          <select aria-label={t("subscriptions.status")} id="subs-status" value={filter.status} onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value as ListFilter["status"] }))}>
            <Options items={[["", t("subscriptions.allStatuses")], ...STATUSES.map((s) => [s, statusLabel(s)] as const)]} />
          </select>
          <select aria-label={t("subscriptions.publisher")} id="subs-publisher" className="publisher-select" value={filter.publisher} onChange={(e) => setFilter((f) => ({ ...f, publisher: e.target.value }))}>
            <Options items={[["", t("subscriptions.allPublishers")], ...publishers.map((p) => [p, p] as const)]} />
          </select>
          {filtered && (
            <button type="button" className="link" onClick={clearFilters}>
              {t("subscriptions.clearFilters")}
            </button>
          )}
          <span className="result-count" id="subs-count">
            {list ? t("subscriptions.lengthShown", { length: count(shown.length) }) : ""}
          </span>
        </div>
      </div>
      {listed.error && <ErrorBanner error={listed.error} what={t("subscriptions.theSubscriptionsCouldNotBe")} onRetry={() => void listed.refetch()} />}
      {exporter.status}
      {bulk.error && <ErrorBanner error={bulk.error} what={t("subscriptions.autoRenewCouldNotBe")} onDismiss={bulk.reset} />}
      {checked.size > 0 && (
        <div className="bulk-bar" id="bulk-bar">
          <Trans i18nKey="subscriptions.sizeSelected" values={{ size: checked.size }} components={{ strong: <strong /> }} />
          <button type="button" disabled={bulk.isPending} onClick={() => bulk.mutate(true)} id="bulk-renew-on">
            {t("subscriptions.autoRenewOn")}
          </button>
          <button type="button" disabled={bulk.isPending} onClick={() => bulk.mutate(false)} id="bulk-renew-off">
            {t("subscriptions.autoRenewOff")}
          </button>
          {bulk.isPending && <span className="muted">{t("subscriptions.changingSizeAndReadingEach", { size: checked.size })}</span>}
          <span className="spacer" />
          <button type="button" className="ghost" onClick={() => setChecked(new Set())}>
            {t("subscriptions.clearSelection")}
          </button>
        </div>
      )}
      {bulk.data && (
        <BulkResults
          bulk={bulk.data}
          names={(r) => {
            const s = byKey.get(`${r.customerId}/${r.subscriptionId}`);
            return s ? `${s.customerName} · ${s.productName}` : r.subscriptionId;
          }}
          onClose={bulk.reset}
        />
      )}
      <div className={open ? "content with-detail" : "content"}>
        <div className="list">
          {!list && !listed.error && <div className="empty">{t("subscriptions.readingSubscriptionsFromEveryCustomer")}</div>}
          {empty && (
            <Empty id="subs-empty" label={filtered ? t("subscriptions.clearFilters") : undefined} onClick={clearFilters}>
              {empty}
            </Empty>
          )}
          <Grid
            id="subs-table"
            className="subs-table"
            label={t("subscriptions.subscriptions")}
            columns={columns}
            count={shown.length}
            rowAt={(i) => shown[i]}
            sort={sort}
            onSort={(s) => setSort(s as Sort)}
            selected={cursor}
            {...opened}
            gridRef={gridRef}
            initialWidth={1000}
            rowProps={(s) => ({ "data-id": s?.id, className: s && keyOfRow(s) === openKey ? "selected" : undefined })}
          />
          {filter.segment === "waiting" && shown.length > 0 && (
            <div className="list-foot muted">
              {t("subscriptions.oldestWaitingFor", { waiting: waitingFor(shown.reduce<string | null>((a, r) => (!a || (r.creationDate && r.creationDate < a) ? r.creationDate : a), null), now) })}
            </div>
          )}
        </div>
        {open && list && (
          <SubscriptionDetail
            key={openKey}
            sub={open}
            skew={skew}
            policy={list.policy}
            onChange={replace}
            onClose={() => setOpenKey(null)}
            navigate={navigate}
            toast={toast}
          />
        )}
      </div>
    </div>
  );
}

function BulkResults({ bulk, names, onClose }: { bulk: { on: boolean; results: AutoRenewResult[] }; names: (r: AutoRenewResult) => string; onClose: () => void }) {
  const failed = bulk.results.filter((r) => !r.ok);
  return (
    <div className={failed.length ? "bulk-results has-failures" : "bulk-results"} id="bulk-results" role="status">
      <div className="bulk-results-head">
        <strong>
          {t("subscriptions.autoRenew")} {bulk.on ? t("subscriptions.onShort") : t("subscriptions.off")}{t("subscriptions.lengthOfLength2Changed", { length: bulk.results.length - failed.length, length2: bulk.results.length })}
          {failed.length ? t("subscriptions.lengthFailedStillTickedTo", { length: failed.length }) : ""}.
        </strong>
        <button type="button" className="ghost" onClick={onClose} aria-label={t("subscriptions.dismiss")}>
          ✕
        </button>
      </div>
      <ul>
        {bulk.results.map((r) => (
          <li key={`${r.customerId}/${r.subscriptionId}`} className={r.ok ? "ok" : "failed"}>
            <span aria-hidden="true">{r.ok ? "✓" : "✕"}</span> {names(r)} —{" "}
            {r.ok ? t("subscriptions.autoRenewValueReadBack", { value: r.autoRenewEnabled ? t("subscriptions.onShort") : t("subscriptions.off") }) : r.error}
          </li>
        ))}
      </ul>
    </div>
  );
}
