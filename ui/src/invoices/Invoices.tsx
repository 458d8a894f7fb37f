// The Invoices view: billing periods (each with its rule in words) on the left, the selected
// period's marketplace line items on the right (sortable, filtered, with totals in the invoice's
// currency), export to .xlsx/.csv, and for each line a way to its publisher's contacts.
// Keyboard: Ctrl+F filters by customer, arrows move, Enter opens a line, Esc closes or clears.
import { useQuery } from "@tanstack/react-query";
import { Fragment, useCallback, useRef, useState } from "react";

import * as api from "../api";
import type { GraphExportProgress } from "../bindings/GraphExportProgress";
import type { LineRow } from "../bindings/LineRow";
import { covers, rowAt, windowFor } from "../marketplace/windowing";
import { money } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Grid, type GridColumn, sortable } from "../shell/Grid";
import { useExport } from "../shell/Export";
import type { ViewProps } from "../shell/nav";
import { composing } from "../shell/SearchField";
import { focusSearch, useShortcuts } from "../shell/shortcuts";
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

const ROW_HEIGHT = 30;

const shortDate = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : "–");

/** The filter fields: what each filters, its placeholder, its suggestions. */
const FILTER_FIELDS: Array<[keyof LineFilters, string, "customers" | "publishers" | "products"]> = [
  ["customer", "Customer  (Ctrl+F)", "customers"],
  ["publisher", "Publisher", "publishers"],
  ["product", "Product or plan", "products"],
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
  const [asked, setAsked] = useState({ question, ...TOP });
  const win0 = asked.question === question ? asked : { question, ...TOP };
  /** A Graph export running for the lines being read. */
  const [progress, setProgress] = useState<{ question: string; p: GraphExportProgress } | null>(null);
  const lines = useQuery({
    queryKey: ["invoice-lines", invoiceId, filters, sort, refreshes, win0.offset, win0.limit],
    queryFn: () => {
      const again = refreshNext.current;
      refreshNext.current = false;
      return api.invoiceLines(buildLineQuery(invoiceId ?? "", filters, sort, win0.offset, win0.limit, again), (p) => setProgress({ question, p }));
    },
    enabled: invoiceId !== null,
    // The rows shown stay while the next answer is on its way; another invoice's never do.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[1] === invoiceId ? prev : undefined),
  });
  const exportProgress = lines.isFetching && progress?.question === question ? progress.p : null;
  const linesError = lines.error;
  const [cursor, setCursor] = useState<{ question: string; index: number } | null>(null);
  const selected = cursor?.question === question ? cursor.index : null;
  const setSelected = (index: number | null) => setCursor(index === null ? null : { question, index });
  const [open, setOpen] = useState<LineRow | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);
  const customerRef = useRef<HTMLInputElement | null>(null);

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
    if (current !== null && !covers(win, first, last, total)) setAsked({ question, ...windowFor(first, last, total) });
  };

  const inv = invoices?.find((i) => i.id === invoiceId) ?? null;
  const currency = current?.rows[0]?.currency ?? inv?.currencyCode ?? "USD";

  const toContacts = useCallback((r: LineRow) => navigate(contactsParams(r)), [navigate]);

  const openAt = (i: number) => {
    setSelected(i);
    const r = rowAt(win, i);
    if (r) setOpen(r);
  };

  const exporter = useExport({
    write: (path) => api.exportInvoiceLines(buildLineQuery(invoiceId ?? "", filters, sort, 0, 1), path, path ? null : "xlsx"),
    summary: (r) => `${r.rows.toLocaleString()} ${r.rows === 1 ? "line" : "lines"}`,
    what: "The lines could not be exported",
    hint: () => "Choose another folder with Save as…, or check that the file is not open in another program.",
    id: "export-note",
  });
  const exporting = exporter.busy;
  const doExport = (saveAs: boolean) => inv && exporter.start(saveAs ? exportFileName(inv, "xlsx") : undefined);

  // The arrows move the selection; an open line follows it.
  const select = (i: number) => {
    setSelected(i);
    const r = open && rowAt(win, i);
    if (r) setOpen(r);
  };

  // Ctrl+F filters by customer; Esc closes the line (the grid's) or clears the filters; the grid
  // takes the arrows and Enter.
  useShortcuts({
    "Mod+f": () => focusSearch(customerRef.current),
    Escape: () => {
      if (open || !hasFilters(filters)) return false;
      setFilters(EMPTY_LINE_FILTERS);
    },
  });

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
    { id: "chargeStart", header: "Charge date", width: "96px", minWidth: 640, render: (r) => <span className="num">{shortDate(r.chargeStartDate)}</span> },
    { id: "customer", header: "Customer", width: "minmax(70px, 1.3fr)", render: (r) => <span title={`${r.customerName} · ${r.customerId}`}>{r.customerName}</span> },
    { id: "publisher", header: "Publisher", width: "minmax(100px, 1.1fr)", minWidth: 520, render: (r) => <span title={r.publisherName}>{r.publisherName}</span> },
    {
      id: "product",
      header: "Product · plan",
      width: "minmax(80px, 1.7fr)",
      render: (r) => (
        <span title={`${r.productName} · ${r.skuName}`}>
          {r.productName} <span className="muted">· {r.skuName}</span>
        </span>
      ),
    },
    {
      id: "chargeType",
      header: "Charge",
      width: "92px",
      render: (r) =>
        r.trial ? (
          <span className="pill trial" title="A free trial: charged at 0">
            Trial
          </span>
        ) : (
          chargeLabel(r)
        ),
    },
    { id: "quantity", header: "Qty", width: "44px", minWidth: 700, className: "num", render: (r) => r.quantity ?? "–" },
    { id: "total", header: "Total", width: "88px", className: "num", descFirst: true, render: (r) => money(r.total, r.currency) },
    {
      id: "action",
      header: "Publisher contacts",
      sortable: false,
      head: () => null,
      width: "78px",
      minWidth: 600,
      render: (r) => (
        <button
          type="button"
          className="contacts-btn small"
          title={`${r.publisherName}'s support contacts for this subscription`}
          onClick={(e) => {
            e.stopPropagation();
            toContacts(r);
          }}
        >
          Contacts
        </button>
      ),
    },
  ]);
  const filtered = hasFilters(filters);

  return (
    <div className="view invoices">
      {listed.error && <ErrorBanner error={listed.error} what="The invoices could not be listed" onRetry={() => void listed.refetch()} />}
      <div className="invoices-body">
        <nav className="periods" aria-label="Billing periods" id="invoice-periods">
          <div className="periods-head">
            <h2>Billing periods</h2>
            <p className="muted small">Marketplace charges run from the first to the last day of a month; the invoice is available on the 8th of the next month.</p>
          </div>
          {!invoices && !listed.error && <p className="muted periods-empty">Reading invoices from Partner Center…</p>}
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
                      <span className="pill warn" title="The current period: not invoiced yet">
                        Current
                      </span>
                    ) : (
                      <span className="period-total num">{money(i.totalCharges, i.currencyCode)}</span>
                    )}
                  </span>
                  <span className="period-rule">{i.period?.label}</span>
                  {!i.unbilled && <span className="period-id muted">{i.id}</span>}
                </button>
              </li>
            ))}
          </ul>
        </nav>

        <section className="lines" aria-label="Marketplace line items">
          {inv && (
            <header className="lines-head">
              <div className="lines-title">
                <h1 id="period-rule">{inv.period?.label ?? inv.id}</h1>
                <p className="muted" id="period-status">
                  {periodStatus(inv)}
                </p>
              </div>
              <div className="lines-actions">
                <button type="button" onClick={refresh} disabled={lines.isFetching} title="Read the lines from Partner Center again">
                  Refresh
                </button>
                <button type="button" className="primary" id="export-lines" onClick={() => doExport(false)} disabled={exporting || total === 0} title="Export the lines shown (with the filters) to an Excel workbook in the export folder">
                  {exporting ? "Exporting…" : "Export .xlsx"}
                </button>
                <button type="button" id="export-lines-as" onClick={() => doExport(true)} disabled={exporting || total === 0} title="Choose where to save, as .xlsx or .csv">
                  Save as…
                </button>
              </div>
            </header>
          )}
          {inv && (
            <div className="line-filters filter-row">
              {FILTER_FIELDS.map(([key, placeholder, list]) => (
                <Fragment key={key}>
                  <input
                    ref={key === "customer" ? customerRef : undefined}
                    id={`filter-${key}`}
                    type="search"
                    placeholder={placeholder}
                    title={key === "customer" ? "Customer name, domain or id" : undefined}
                    list={`line-${list}`}
                    value={filters[key]}
                    onChange={(e) => setFilters({ ...filters, [key]: e.target.value })}
                    onKeyDown={(e) => onFilterKey(e, key)}
                    aria-label={`Filter by ${key}`}
                  />
                  <datalist id={`line-${list}`}>{current?.[list].map((c) => <option key={c} value={c} />)}</datalist>
                </Fragment>
              ))}
              {filtered && (
                <button type="button" className="link" onClick={() => setFilters(EMPTY_LINE_FILTERS)}>
                  Clear filters
                </button>
              )}
              <span className="spacer" />
              {current && (
                <span className="line-summary">
                  <span id="line-count" className="muted">
                    {countText(current.total, current.all, current.trials, filtered)}
                  </span>
                  <span className="line-total" id="line-totals" title={`Total of the ${filtered ? "matching " : ""}lines in ${currency}`}>
                    Total {totalsText(current.totals)}
                  </span>
                </span>
              )}
            </div>
          )}
          {linesError && (
            <ErrorBanner
              error={linesError}
              what="The line items could not be read"
              onRetry={refresh}
            />
          )}
          {exporter.status}
          <div className={open ? "content with-detail" : "content"}>
            <div className="list">
              {inv && !current && !linesError && !exportProgress && <div className="empty">Reading the invoice's line items from Partner Center…</div>}
              {exportProgress && !linesError && <ExportStatus progress={exportProgress} />}
              {current && current.total === 0 && (
                <div className="empty" id="lines-empty">
                  {filtered ? (
                    <>
                      No line matches these filters.{" "}
                      <button type="button" className="link" onClick={() => setFilters(EMPTY_LINE_FILTERS)}>
                        Clear filters
                      </button>
                    </>
                  ) : inv?.unbilled ? (
                    "No marketplace charges so far this month."
                  ) : (
                    "This invoice has no marketplace line items."
                  )}
                </div>
              )}
              <Grid
                id="line-table"
                label="Line items"
                columns={columns}
                count={total}
                rowAt={(i) => rowAt(win, i)}
                rowHeight={ROW_HEIGHT}
                sort={sort}
                onSort={(s) => setSort(s as LineSort)}
                selected={selected}
                onSelect={select}
                onOpen={openAt}
                clickOpens
                onClose={open ? () => setOpen(null) : undefined}
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
  const field = (label: string, value: React.ReactNode, id?: string) => (
    <>
      <dt>{label}</dt>
      <dd id={id}>{value === "" || value === null ? <span className="muted">–</span> : value}</dd>
    </>
  );
  return (
    <aside className="detail" id="line-detail" aria-label="Line item">
      <div className="detail-head">
        <div>
          <h2>{line.productName}</h2>
          <div className="detail-sub">
            <span className="pill">{line.skuName}</span>
            {line.trial ? <span className="pill trial">Trial · charged at 0</span> : <span className="pill">{chargeLabel(line)}</span>}
          </div>
        </div>
        <button type="button" className="ghost close" onClick={onClose} aria-label="Close (Esc)" title="Close (Esc)">
          ✕
        </button>
      </div>
      <div className="detail-body">
        <section>
          <button type="button" className="primary" id="line-publisher-contacts" onClick={onContacts}>
            Publisher contacts
          </button>
          <p className="muted small help">Technical issues go to {line.publisherName}; billing and subscription questions stay with you.</p>
        </section>
        <section>
          <h3>Charge</h3>
          <dl className="contacts">
            {field("Total", <strong>{money(line.total, line.currency)}</strong>)}
            {field("Quantity", line.quantity ?? "")}
            {field("Unit price", money(line.unitPrice, line.currency))}
            {field("Period", `${shortDate(line.chargeStartDate)} – ${shortDate(line.chargeEndDate)}`)}
            {field("Term", line.termAndBillingCycle)}
          </dl>
        </section>
        <section>
          <h3>Customer</h3>
          <dl className="contacts">
            {field("Name", line.customerName)}
            {field("Domain", line.customerDomainName)}
            {field("Country", line.customerCountry)}
            {field("ID", <code>{line.customerId}</code>)}
          </dl>
          <button type="button" className="link small" onClick={onCustomer}>
            Show only this customer's lines
          </button>
        </section>
        <section>
          <h3>Subscription</h3>
          <dl className="contacts">
            {field("Publisher", line.publisherName)}
            {field("Subscription", <code>{line.subscriptionId}</code>, "line-subscription-id")}
            {field("Order", <code>{line.orderId}</code>)}
            {field("Product ID", <code>{line.productId}</code>)}
            {field("Plan ID", <code>{line.skuId}</code>)}
          </dl>
        </section>
      </div>
    </aside>
  );
}
