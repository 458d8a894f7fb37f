// The Changes tab: a market, two snapshot days (default: the two newest), the counts by kind
// (click to show or hide a kind), the sortable table, and the changes exported to a file.
// With fewer than two snapshots it says so and offers "Fetch today's snapshot".
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import * as api from "../api";
import type { IpcError } from "../api";
import type { PriceChangeKind } from "../bindings/PriceChangeKind";
import type { PriceChanges } from "../bindings/PriceChanges";
import type { ExportResult } from "../bindings/ExportResult";
import { count } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import type { ViewProps } from "../shell/nav";
import { ChangesTable } from "./ChangesTable";
import { priceErrorHint } from "./errors";
import { type ChangeSort, KIND_LABELS, dayLabel, filterChanges, formatOf, sortChanges, withFormat } from "./prices";

const ALL_KINDS: PriceChangeKind[] = ["increase", "decrease", "new", "removed"];

export function ChangesTab({ market: topMarket, markets, toast }: ViewProps) {
  const [market, setMarket] = useState(topMarket);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [data, setData] = useState<PriceChanges | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [kinds, setKinds] = useState<ReadonlySet<PriceChangeKind>>(new Set(ALL_KINDS));
  const [find, setFind] = useState("");
  const [sort, setSort] = useState<ChangeSort>({ key: "kind", descending: false });
  const [fetching, setFetching] = useState(false);
  const [written, setWritten] = useState<ExportResult | null>(null);
  const [actionError, setActionError] = useState<{ what: string; error: IpcError; hint?: string } | null>(null);
  const findRef = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    setMarket(topMarket);
  }, [topMarket]);

  const load = useCallback(() => {
    let live = true;
    setLoading(true);
    api
      .priceChanges(market, from, to)
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e as IpcError))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [market, from, to]);
  useEffect(load, [load]);

  const pickMarket = (m: string) => {
    setMarket(m);
    setFrom(null);
    setTo(null);
    setData(null);
    setWritten(null);
  };

  // Ctrl+F finds in the list; Esc clears the search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f") {
        e.preventDefault();
        findRef.current?.focus();
        findRef.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const rows = useMemo(() => sortChanges(filterChanges(data?.changes ?? [], kinds, find), sort), [data, kinds, find, sort]);

  const fetchToday = async () => {
    setFetching(true);
    setActionError(null);
    try {
      const [s] = await api.fetchPriceSnapshots([market]);
      toast(`Today's snapshot of ${market} kept: ${count(s?.rows ?? 0)} price rows`);
      setFrom(null);
      setTo(null);
      load();
    } catch (e) {
      const err = e as IpcError;
      setActionError({ what: `Today's price sheet of ${market} could not be fetched`, error: err, hint: priceErrorHint(err, [market]) });
    } finally {
      setFetching(false);
    }
  };

  const exportChanges = async () => {
    if (!data?.from || !data.to) return;
    setActionError(null);
    try {
      const suggested = await api.defaultChangesPath(market, data.from, data.to, "xlsx");
      const picked = await api.saveSpreadsheetAs(suggested, ["xlsx", "csv"]);
      if (!picked) return;
      // The name picked decides the format: .csv writes CSV, anything else a workbook.
      const format = formatOf(picked);
      const w = await api.exportPriceChanges(market, data.from, data.to, withFormat(picked, format), format);
      setWritten(w);
      toast(`Changes exported: ${count(w.rows)} rows`);
    } catch (e) {
      setActionError({ what: "The changes were not exported (no file was written)", error: e as IpcError });
    }
  };

  const fileAction = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      setActionError({ what, error: e as IpcError });
    }
  };

  const toggleKind = (k: PriceChangeKind) => {
    const next = new Set(kinds);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    setKinds(next.size === 0 ? new Set(ALL_KINDS) : next);
  };

  const days = data?.snapshots ?? [];
  const ready = data?.state === "ready";
  const summary = data?.summary;
  const countOf: Record<PriceChangeKind, number> = {
    increase: summary?.increases ?? 0,
    decrease: summary?.decreases ?? 0,
    new: summary?.new ?? 0,
    removed: summary?.removed ?? 0,
  };
  const total = ready ? (data?.changes.length ?? 0) : 0;
  const currency = data?.currency ?? markets.find((m) => m.code === market)?.currency ?? "";

  return (
    <div className="prices-panel" id="panel-changes" role="tabpanel" aria-labelledby="tab-changes">
      {error && <ErrorBanner error={error} what={`The changes of ${market} could not be read`} hint={priceErrorHint(error, [market])} onRetry={load} onDismiss={() => setError(null)} />}
      {actionError && <ErrorBanner error={actionError.error} what={actionError.what} hint={actionError.hint} onDismiss={() => setActionError(null)} />}

      <div className="changes-bar">
        <label className="inline-field">
          <span className="bar-label">Market</span>
          <select id="changes-market" value={market} onChange={(e) => pickMarket(e.target.value)}>
            {(markets.length ? markets : [{ code: market, name: market, currency: "" }]).map((m) => (
              <option key={m.code} value={m.code}>
                {m.code} · {m.name}
              </option>
            ))}
          </select>
        </label>
        {ready && (
          <>
            <label className="inline-field">
              <span className="bar-label">From</span>
              <select id="changes-from" value={data?.from ?? ""} onChange={(e) => setFrom(e.target.value || null)}>
                {days.map((d) => (
                  <option key={d} value={d} disabled={data?.to != null && d >= data.to}>
                    {dayLabel(d)}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              <span className="bar-label">To</span>
              <select id="changes-to" value={data?.to ?? ""} onChange={(e) => setTo(e.target.value || null)}>
                {days.map((d) => (
                  <option key={d} value={d} disabled={data?.from != null && d <= data.from}>
                    {dayLabel(d)}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <span className="spacer" />
        {(ready || error) && (
          <button type="button" id="fetch-snapshot" disabled={fetching} onClick={() => void fetchToday()} title={`Fetch today's price sheet of ${market} and keep it as today's snapshot`}>
            {fetching ? "Fetching…" : "Fetch today's snapshot"}
          </button>
        )}
      </div>

      {written && (
        <div className="banner written-banner" id="changes-written">
          <span>
            ✓ {count(written.rows)} changes written to <span className="result-path inline">{written.path}</span>
          </span>
          <span className="banner-actions">
            <button type="button" onClick={() => void fileAction("The file could not be opened", () => api.openExportedFile(written.path))}>
              Open file
            </button>
            <button type="button" onClick={() => void fileAction("The folder could not be shown", () => api.revealExportedFile(written.path))}>
              Show in folder
            </button>
            <button type="button" className="ghost" aria-label="Dismiss" onClick={() => setWritten(null)}>
              ✕
            </button>
          </span>
        </div>
      )}

      {data && !ready && (
        <div className="changes-empty" id="changes-notice">
          <h2>{data.state === "oneSnapshot" ? "One snapshot so far" : "No snapshot yet"}</h2>
          <p>{data.message}</p>
          {data.state === "oneSnapshot" && data.to && (
            <p className="muted">
              Snapshot of {dayLabel(data.to)} for {market}. CSP Desk keeps one per market per day: each export keeps today's, and so does a daily <code>cspdesk prices fetch --market {market}</code> from cron.
              {data.to === new Date().toISOString().slice(0, 10) && " Fetching again replaces today's snapshot with the latest prices."}
            </p>
          )}
          <button type="button" className="primary" id="fetch-snapshot" disabled={fetching} onClick={() => void fetchToday()}>
            {fetching ? "Fetching…" : "Fetch today's snapshot"}
          </button>
        </div>
      )}

      {ready && data && (
        <>
          <div className="changes-summary" id="changes-summary">
            <span className="result-count">
              {count(total)} {total === 1 ? "change" : "changes"}
            </span>
            <span className="chips">
              {ALL_KINDS.map((k) => (
                <button key={k} type="button" className={kinds.has(k) ? `chip kind-chip on kind-${k}` : `chip kind-chip kind-${k}`} data-kind={k} aria-pressed={kinds.has(k)} onClick={() => toggleKind(k)}>
                  {KIND_LABELS[k]} <span className="count">{count(countOf[k])}</span>
                </button>
              ))}
            </span>
            <span className="spacer" />
            <input
              ref={findRef}
              type="search"
              className="changes-find"
              placeholder="Find product or SKU"
              aria-label="Find a product, plan or SKU"
              value={find}
              onChange={(e) => setFind(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Escape") setFind("");
              }}
            />
            <button type="button" id="export-changes" disabled={total === 0} onClick={() => void exportChanges()} title={`To .xlsx or .csv (prices in ${currency})`}>
              Export changes…
            </button>
          </div>
          <div className="list">
            {total === 0 && <div className="empty">No price changed between these two days.</div>}
            {total > 0 && rows.length === 0 && <div className="empty">No change matches; clear the search or show more kinds.</div>}
            <ChangesTable rows={rows} sort={sort} onSort={setSort} />
          </div>
        </>
      )}
      {!data && loading && <div className="changes-empty muted">Reading the snapshots…</div>}
    </div>
  );
}
