// The Invoices view: billing periods (each with its rule in words) on the left, the selected
// period's marketplace line items on the right (sortable, filtered, with totals in the invoice's
// currency), export to .xlsx/.csv, and for each line a way to its publisher's contacts.
// Keyboard: Ctrl+F filters by customer, arrows move, Enter opens a line, Esc closes or clears.
import { useQuery } from "@tanstack/react-query";
import { Fragment, useCallback, useRef, useState } from "react";

import * as api from "../api";
import { count, day, money } from "../format";
import type { GraphExportProgress, LineRow } from "../bindings";
import { covers, rowAt, windowFor } from "../marketplace/windowing";
import { Detail, Fact } from "../shell/Detail";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Empty, Grid, type GridColumn, opening, sortable } from "../shell/Grid";
import { useExport } from "../shell/Export";
import type { ViewProps } from "../shell/nav";
import { composing } from "../shell/SearchField";
import { useKeyed } from "../shell/useKeyed";
import { useSearchKeys } from "../shell/shortcuts";
import { ExportStatus } from "./ExportStatus";
import "./invoices.css";
import {
  DEFAULT_LINE_SORT,
  EMPTY_LINE_FILTERS,
  type LineFilters,
  type LineSort,
  buildLineQuery,
  chargeLabel,
  contactsParams,
  countText,
  defaultInvoice,
  exportFileName,
  hasFilters,
  periodStatus,
  periodTitle,
  totalsText,
} from "./lines";
import { t, say } from "../i18n";
import { Trans } from "react-i18next";

const ROW_HEIGHT = 30;

const shortDate = (iso: string | null) => (iso ? day(iso, "short") : "–");

/** The filter fields: what each filters, its placeholder and name, and its suggestions. */
const filterFields = (): Array<[keyof LineFilters, string, string, "customers" | "publishers" | "products"]> => [
  ["customer", t("invoices.customerCtrlF"), t("invoices.filterByCustomer"), "customers"],
  ["publisher", t("invoices.publisher"), t("invoices.filterByPublisher"), "publishers"],
  ["product", t("invoices.productOrPlan"), t("invoices.filterByProduct"), "products"],
];

/** The first window of a new question. */
const TOP = { offset: 0, limit: 200 };

export function Invoices({ navigate }: ViewProps) {
  const listed = useQuery({ queryKey: ["invoices"], queryFn: api.listInvoices });
  const invoices = listed.data ?? null;
  const [picked, setInvoiceId] = useState<string | null>(null);
  const invoiceId = picked && invoices?.some((i) => i.id === picked) ? picked : invoices ? defaultInvoice(invoices) : null;
  const [filters, setFilters] = useState<LineFilters>(EMPTY_LINE_FILTERS);
  const [sort, setSort] = useState<LineSort>(DEFAULT_LINE_SORT);
  // Refresh reads the lines from Partner Center again: the next call asks for it, once.
  const [refreshes, setRefreshes] = useState(0);
  const refreshNext = useRef(false);
  const refresh = () => {
    refreshNext.current = true;
    setRefreshes((n) => n + 1);
  };
  // The question, less its window: a new one starts at the top, with nothing selected.
  const question = JSON.stringify([invoiceId, filters, sort, refreshes]);
  const [win0, setWin] = useKeyed(question, TOP);
  /** A Graph export running for the lines being read. */
  const [progress, setProgress] = useKeyed<GraphExportProgress | null>(question, null);
  const lines = useQuery({
    queryKey: ["invoice-lines", invoiceId, filters, sort, refreshes, win0.offset, win0.limit],
    queryFn: () => {
      const again = refreshNext.current;
      refreshNext.current = false;
      return api.invoiceLines(buildLineQuery(invoiceId ?? "", filters, sort, win0.offset, win0.limit, again), setProgress);
    },
    enabled: invoiceId !== null,
    // The rows shown stay while the next answer is on its way; another invoice's never do.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[1] === invoiceId ? prev : undefined),
  });
  const exportProgress = lines.isFetching ? progress : null;
  const linesError = lines.error;
  const [selected, setSelected] = useKeyed<number | null>(question, null);
  const [open, setOpen] = useState<LineRow | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);

  const pick = (id: string) => {
    if (id === invoiceId) return;
    // A different invoice closes the open line and forgets the last export.
    setInvoiceId(id);
    setOpen(null);
    exporter.reset();
  };

  const current = lines.data ?? null;
  const total = current?.total ?? 0;
  const win = current ? { offset: current.offset, rows: current.rows } : null;

  // Only the visible window crosses IPC: the rows the grid shows, once it has laid them out.
  const onRange = (first: number, last: number) => {
    if (current !== null && !covers(win, first, last, total)) setWin(windowFor(first, last, total));
  };

  const inv = invoices?.find((i) => i.id === invoiceId) ?? null;
  const currency = current?.rows[0]?.currency ?? inv?.currencyCode ?? "USD";

  const toContacts = useCallback((r: LineRow) => navigate(contactsParams(r)), [navigate]);

  const exporter = useExport({
    write: (path) => api.exportInvoiceLines(buildLineQuery(invoiceId ?? "", filters, sort, 0, 1), path, path ? null : "xlsx"),
    summary: (r) => t("lines.lines", { count: r.rows, n: count(r.rows) }),
    what: t("invoices.linesNotExported"),
    hint: () => t("export.chooseAnotherFolder"),
    id: "export-note",
  });
  const doExport = (saveAs: boolean) => inv && exporter.start(saveAs ? exportFileName(inv, "xlsx") : undefined);

  // The arrows move the selection; an open line follows it.
  const opened = opening(setSelected, (i) => setOpen(rowAt(win, i) ?? open), !!open && (() => setOpen(null)));
  // Ctrl+F filters by customer; Esc closes the line (the grid's) or clears the filters.
  const customerRef = useSearchKeys(!open && hasFilters(filters) && (() => setFilters(EMPTY_LINE_FILTERS)));

  const onFilterKey = (e: React.KeyboardEvent<HTMLInputElement>, key: keyof LineFilters) => {
    if (composing(e)) return;
    if (e.key === "Escape" && filters[key] !== "") {
      e.preventDefault();
      e.stopPropagation();
      setFilters({ ...filters, [key]: "" });
    } else if (e.key === "ArrowDown" || e.key === "Enter") {
      e.preventDefault();
      gridRef.current?.focus();
      if (selected === null && total > 0) setSelected(0);
    }
  };

  // The columns, their header words and the widths below which they give way.
  const columns: Array<GridColumn<LineRow>> = sortable<LineRow>([
    { id: "chargeStart", header: t("invoices.chargeDate"), width: "96px", minWidth: 640, render: (r) => <span className="num">{shortDate(r.chargeStartDate)}</span> },
    { id: "customer", header: t("invoices.customer"), width: "minmax(70px, 1.3fr)", render: (r) => <span title={`${r.customerName} · ${r.customerId}`}>{r.customerName}</span> },
    { id: "publisher", header: t("invoices.publisher"), width: "minmax(100px, 1.1fr)", minWidth: 520, render: (r) => <span title={r.publisherName}>{r.publisherName}</span> },
    {
      id: "product",
      header: t("invoices.productPlan"),
      width: "minmax(80px, 1.7fr)",
      render: (r) => (
        <span title={`${r.productName} · ${r.skuName}`}>
          {r.productName} <span className="muted">· {r.skuName}</span>
        </span>
      ),
    },
    {
      id: "chargeType",
      header: t("invoices.charge"),
      width: "92px",
      render: (r) =>
        r.trial ? (
          <span className="pill trial" title={t("invoices.aFreeTrialChargedAt")}>
            {t("invoices.trial")}
          </span>
        ) : (
          chargeLabel(r)
        ),
    },
    { id: "quantity", header: t("invoices.qty"), width: "44px", minWidth: 700, className: "num", render: (r) => r.quantity ?? "–" },
    { id: "total", header: t("invoices.total"), width: "88px", className: "num", descFirst: true, render: (r) => money(r.total, r.currency) },
    {
      id: "action",
      header: t("invoices.publisherContacts"),
      sortable: false,
      head: () => null,
      width: "78px",
      minWidth: 600,
      render: (r) => (
        <button
          type="button"
          className="contacts-btn small"
          title={t("invoices.publishernameSSupportContactsFor", { publisherName: r.publisherName })}
          onClick={(e) => {
            e.stopPropagation();
            toContacts(r);
          }}
        >
          {t("invoices.contacts")}
        </button>
      ),
    },
  ]);
  const filtered = hasFilters(filters);

  return (
    <div className="view invoices">
      {listed.error && <ErrorBanner error={listed.error} what={t("invoices.theInvoicesCouldNotBe")} onRetry={() => void listed.refetch()} />}
      <div className="invoices-body">
        <nav className="periods" aria-label={t("invoices.billingPeriods")} id="invoice-periods">
          <div className="periods-head">
            <h2>{t("invoices.billingPeriods")}</h2>
            <p className="muted small">{t("invoices.marketplaceChargesRunFromThe")}</p>
          </div>
          {!invoices && !listed.error && <p className="muted periods-empty">{t("invoices.readingInvoicesFromPartnerCenter")}</p>}
          <ul>
            {invoices?.map((i) => (
              <li key={i.id}>
                <button
                  type="button"
                  className={i.id === invoiceId ? "period on" : "period"}
                  aria-current={i.id === invoiceId ? "true" : undefined}
                  data-id={i.id}
                  onClick={() => pick(i.id)}
                >
                  <span className="period-title">
                    {periodTitle(i)}
                    {i.unbilled ? (
                      <span className="pill warn" title={t("invoices.theCurrentPeriodNotInvoiced")}>
                        {t("invoices.current")}
                      </span>
                    ) : (
                      <span className="period-total num">{money(i.totalCharges, i.currencyCode)}</span>
                    )}
                  </span>
                  <span className="period-rule">{i.period && say(i.period.message, i.period.label)}</span>
                  {!i.unbilled && <span className="period-id muted">{i.id}</span>}
                </button>
              </li>
            ))}
          </ul>
        </nav>

        <section className="lines" aria-label={t("invoices.marketplaceLineItems")}>
          {inv && (
            <header className="lines-head">
              <div className="lines-title">
                <h1 id="period-rule">{inv.period ? say(inv.period.message, inv.period.label) : inv.id}</h1>
                <p className="muted" id="period-status">
                  {periodStatus(inv)}
                </p>
              </div>
              <div className="lines-actions">
                <button type="button" onClick={refresh} disabled={lines.isFetching} title={t("invoices.readTheLinesFromPartner")}>
                  {t("invoices.refresh")}
                </button>
                <button type="button" className="primary" id="export-lines" onClick={() => doExport(false)} disabled={exporter.busy || total === 0} title={t("invoices.exportTheLinesShownWith")}>
                  {exporter.busy ? t("invoices.exporting") : t("invoices.exportXlsx")}
                </button>
                <button type="button" id="export-lines-as" onClick={() => doExport(true)} disabled={exporter.busy || total === 0} title={t("invoices.chooseWhereToSaveAs")}>
                  {t("invoices.saveAs")}
                </button>
              </div>
            </header>
          )}
          {inv && (
            <div className="line-filters filter-row">
              {filterFields().map(([key, placeholder, label, list]) => (
                <Fragment key={key}>
                  <input
                    ref={key === "customer" ? customerRef : undefined}
                    id={`filter-${key}`}
                    type="search"
                    placeholder={placeholder}
                    title={key === "customer" ? t("invoices.customerNameDomainOrId") : undefined}
                    list={`line-${list}`}
                    value={filters[key]}
                    onChange={(e) => setFilters({ ...filters, [key]: e.target.value })}
                    onKeyDown={(e) => onFilterKey(e, key)}
                    aria-label={label}
                  />
                  <datalist id={`line-${list}`}>{current?.[list].map((c) => <option key={c} value={c} />)}</datalist>
                </Fragment>
              ))}
              {filtered && (
                <button type="button" className="link" onClick={() => setFilters(EMPTY_LINE_FILTERS)}>
                  {t("invoices.clearFilters")}
                </button>
              )}
              <span className="spacer" />
              {current && (
                <span className="line-summary">
                  <Trans i18nKey="invoices.totalTotalTotals" values={{ total: countText(current.total, current.all, current.trials, filtered), totals: totalsText(current.totals) }} components={{ span: <span id="line-count" className="muted" />, span2: <span className="line-total" id="line-totals" title={t("invoices.totalOfTheValueLines", { value: filtered ? "matching " : "", currency })} /> }} />
                </span>
              )}
            </div>
          )}
          {linesError && (
            <ErrorBanner
              error={linesError}
              what={t("invoices.theLineItemsCouldNot")}
              onRetry={refresh}
            />
          )}
          {exporter.status}
          <div className={open ? "content with-detail" : "content"}>
            <div className="list">
              {inv && !current && !linesError && !exportProgress && <div className="empty">{t("invoices.readingTheInvoiceSLine")}</div>}
              {exportProgress && !linesError && <ExportStatus progress={exportProgress} />}
              {current && current.total === 0 && (
                <Empty id="lines-empty" label={filtered ? t("invoices.clearFilters") : undefined} onClick={() => setFilters(EMPTY_LINE_FILTERS)}>
                  {filtered ? t("invoices.noLineMatchesTheseFilters") : inv?.unbilled ? t("invoices.noMarketplaceChargesSoFar") : t("invoices.thisInvoiceHasNoMarketplace")}
                </Empty>
              )}
              <Grid
                id="line-table"
                label={t("invoices.lineItems")}
                columns={columns}
                count={total}
                rowAt={(i) => rowAt(win, i)}
                rowHeight={ROW_HEIGHT}
                sort={sort}
                onSort={(s) => setSort(s as LineSort)}
                selected={selected}
                {...opened}
                onRange={onRange}
                resetKey={question}
                gridRef={gridRef}
                initialWidth={800}
                rowProps={(r) => ({ "data-sub": r?.subscriptionId, className: r?.trial ? "trial-line" : undefined })}
              />
            </div>
            {open && <LineDetail line={open} onClose={() => setOpen(null)} onContacts={() => toContacts(open)} onCustomer={() => setFilters({ ...filters, customer: open.customerId })} />}
          </div>
        </section>
      </div>
    </div>
  );
}

function LineDetail({ line, onClose, onContacts, onCustomer }: { line: LineRow; onClose: () => void; onContacts: () => void; onCustomer: () => void }) {
  // An empty value reads as a muted dash.
  const field = (label: string, value: React.ReactNode, at?: { id: string }) => (
    <Fact label={label} id={at?.id}>
      {value === "" || value === null ? <span className="muted">–</span> : value}
    </Fact>
  );
  return (
    <Detail
      id="line-detail"
      label={t("invoices.lineItem")}
      title={line.productName}
      sub={
        <div className="detail-sub">
          <span className="pill">{line.skuName}</span>
          {line.trial ? <span className="pill trial">{t("invoices.trialChargedAt0")}</span> : <span className="pill">{chargeLabel(line)}</span>}
        </div>
      }
      onClose={onClose}
    >
      <div className="detail-body">
        <section>
          <button type="button" className="primary" id="line-publisher-contacts" onClick={onContacts}>
            {t("invoices.publisherContacts")}
          </button>
          <p className="muted small help">{t("invoices.technicalIssuesGoToPublishername", { publisherName: line.publisherName })}</p>
        </section>
        <section>
          <h3>{t("invoices.charge")}</h3>
          <dl className="contacts">
            {field(t("invoices.field.total"), <strong>{money(line.total, line.currency)}</strong>)}
            {field(t("invoices.field.quantity"), line.quantity ?? "")}
            {field(t("invoices.field.unitPrice"), money(line.unitPrice, line.currency))}
            {field(t("invoices.field.period"), t("invoices.fromTo", { from: shortDate(line.chargeStartDate), to: shortDate(line.chargeEndDate) }))}
            {field(t("invoices.field.term"), line.termAndBillingCycle)}
          </dl>
        </section>
        <section>
          <h3>{t("invoices.customer")}</h3>
          <dl className="contacts">
            {field(t("invoices.field.name"), line.customerName)}
            {field(t("invoices.field.domain"), line.customerDomainName)}
            {field(t("invoices.field.country"), line.customerCountry)}
            {field("ID", <code>{line.customerId}</code>)}
          </dl>
          <button type="button" className="link small" onClick={onCustomer}>
            {t("invoices.showOnlyThisCustomerS")}
          </button>
        </section>
        <section>
          <h3>{t("invoices.subscription")}</h3>
          <dl className="contacts">
            {field(t("invoices.field.publisher"), line.publisherName)}
            {field(t("invoices.field.subscription"), <code>{line.subscriptionId}</code>, { id: "line-subscription-id" })}
            {field(t("invoices.field.order"), <code>{line.orderId}</code>)}
            {field(t("invoices.field.productId"), <code>{line.productId}</code>)}
            {field(t("invoices.field.planId"), <code>{line.skuId}</code>)}
          </dl>
        </section>
      </div>
    </Detail>
  );
}
