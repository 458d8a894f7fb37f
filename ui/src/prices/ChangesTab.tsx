// The Changes tab: a market, two snapshot days (default: the two newest), the counts by kind
// (click to show or hide a kind), the sortable table, and the changes exported to a file.
// With fewer than two snapshots it says so and offers "Fetch today's snapshot".
import { useMutation, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import * as api from "../api";
import type { PriceChangeKind, PriceChangeRow } from "../bindings";
import { count, isoPeriod, money, percent } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { useExport } from "../shell/Export";
import { type GridSort, RowsGrid, sortable } from "../shell/Grid";
import { useKeyed } from "../shell/useKeyed";
import type { ViewProps } from "../shell/nav";
import { MarketOptions } from "../shell/Options";
import { SearchField } from "../shell/SearchField";
import { useSearchKeys } from "../shell/shortcuts";
import { priceErrorHint } from "./errors";
import { type ChangeSort, kindLabel, dayLabel, filterChanges, formatOf, sortChanges, withFormat } from "./prices";
import { t } from "../i18n";
import { Trans } from "react-i18next";

const ALL_KINDS: PriceChangeKind[] = ["increase", "decrease", "new", "removed"];
const DAY_ENDS = ["from", "to"] as const;

// The changes in the one grid: its columns, their header words and the widths below which they
// give way. The product cell's tooltip has the publisher and IDs.
// Amounts sort largest first on the first click.
const COLUMNS = sortable<PriceChangeRow>([
  { id: "kind", get header() { return t("changesTable.change"); }, width: "96px", render: (r) => <span className={`pill kind-${r.kind}`}>{kindLabel(r.kind)}</span> },
  {
    id: "product",
    get header() { return t("changesTable.product"); },
    width: "minmax(150px, 2fr)",
    render: (r) => (
      <span className="title-cell" title={t("changesTable.productPublisherProductIdProductid", { product: r.product, publisher: r.publisher, productId: r.productId })}>
        {r.product}
      </span>
    ),
  },
  { id: "sku", get header() { return t("changesTable.sku"); }, width: "64px", minWidth: 940, render: (r) => <span title={r.skuId}>{r.skuId}</span> },
  { id: "plan", get header() { return t("changesTable.plan"); }, width: "minmax(90px, 1.2fr)", minWidth: 760, render: (r) => <span title={r.plan}>{r.plan}</span> },
  {
    id: "term",
    get header() { return t("changesTable.term"); },
    width: "minmax(96px, 0.9fr)",
    render: (r) => (
      <span title={`${r.term} · ${r.billingPlan}`}>
        {isoPeriod(r.term)}
        {r.billingPlan && <span className="muted"> · {r.billingPlan.toLowerCase()}</span>}
      </span>
    ),
  },
  { id: "oldPrice", get header() { return t("changesTable.oldPrice"); }, width: "88px", minWidth: 760, className: "num", descFirst: true, render: (r) => money(r.oldPrice, r.currency) },
  { id: "newPrice", get header() { return t("changesTable.newPrice"); }, width: "88px", className: "num", descFirst: true, render: (r) => money(r.newPrice, r.currency) },
  {
    id: "amount",
    get header() { return t("changesTable.amount"); },
    width: "92px",
    className: "num",
    descFirst: true,
    render: (r) => <span className={r.amount == null ? "" : r.amount > 0 ? "up" : "down"}>{money(r.amount, r.currency, { signed: true })}</span>,
  },
  {
    id: "percent",
    get header() { return t("changesTable.percent"); },
    width: "68px",
    className: "num",
    descFirst: true,
    render: (r) => <span className={r.percent == null ? "" : r.percent > 0 ? "up" : "down"}>{percent(r.percent)}</span>,
  },
]);

const rowProps = (r: PriceChangeRow | undefined) => ({ "data-kind": r?.kind });

export function ChangesTab({ market: topMarket, markets, toast }: ViewProps) {
  // The market follows the top bar's, unless picked here; the two days, the two newest unless picked.
  const [sel, setSel] = useKeyed(topMarket, { market: topMarket, from: null as string | null, to: null as string | null });
  const { market, from, to } = sel;
  const changes = useQuery({
    queryKey: ["price-changes", market, from, to],
    queryFn: () => api.priceChanges(market, from, to),
    // Other days of the same market keep the table until they arrive.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[1] === market ? prev : undefined),
  });
  const data = changes.data ?? null;
  const error = changes.error;
  const [kinds, setKinds] = useState<ReadonlySet<PriceChangeKind>>(new Set(ALL_KINDS));
  const [find, setFind] = useState("");
  const [sort, setSort] = useState<GridSort>({ key: "kind", descending: false });

  const fetching = useMutation({
    mutationFn: () => api.fetchPriceSnapshots([market]),
    onSuccess: ([s]) => {
      toast(t("changesTab.snapshotKept", { market, n: count(s?.rows ?? 0) }));
      setSel({ market, from: null, to: null });
      void changes.refetch();
    },
  });
  const exporter = useExport({
    // The name picked decides the format: .csv writes CSV, anything else a workbook.
    write: (path) => api.exportPriceChanges(market, data?.from ?? null, data?.to ?? null, withFormat(path ?? "", formatOf(path ?? "")), formatOf(path ?? "")),
    summary: (w) => t("changesTab.changes", { count: w.rows, n: count(w.rows) }),
    what: t("changesTab.notExported"),
    id: "changes-written",
  });
  const exportChanges = () => data?.from && data.to && exporter.start(api.defaultChangesPath(market, data.from, data.to, "xlsx"));

  const pickMarket = (m: string) => {
    setSel({ market: m, from: null, to: null });
    exporter.reset();
  };

  // Ctrl+F finds in the list; Esc clears the search.
  const findRef = useSearchKeys();

  const rows = useMemo(() => sortChanges(filterChanges(data?.changes ?? [], kinds, find), sort as ChangeSort), [data, kinds, find, sort]);

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
      {error && <ErrorBanner error={error} what={t("changesTab.theChangesOfMarketCould", { market })} hint={priceErrorHint(error, [market])} onRetry={() => void changes.refetch()} />}
      {fetching.error && <ErrorBanner error={fetching.error} what={t("changesTab.todaySPriceSheetOf", { market })} hint={priceErrorHint(fetching.error, [market])} onDismiss={fetching.reset} />}
      {exporter.status}

      <div className="changes-bar">
        <label className="inline-field">
          <Trans i18nKey="changesTab.market" components={{ span: <span className="bar-label" /> }} />
          <select id="changes-market" value={market} onChange={(e) => pickMarket(e.target.value)}>
            <MarketOptions markets={markets} current={market} />
          </select>
        </label>
        {/* The two days: "from" before "to", each offering only the days that keep it so. */}
        {ready &&
          DAY_ENDS.map((which) => (
            <label key={which} className="inline-field">
              {which === "from" ? <Trans i18nKey="changesTab.from" components={{ span: <span className="bar-label" /> }} /> : <Trans i18nKey="changesTab.to" components={{ span: <span className="bar-label" /> }} />}
              <select id={`changes-${which}`} value={data?.[which] ?? ""} onChange={(e) => setSel({ ...sel, [which]: e.target.value || null })}>
                {days.map((d) => (
                  <option key={d} value={d} disabled={which === "from" ? data?.to != null && d >= data.to : data?.from != null && d <= data.from}>
                    {dayLabel(d)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        <span className="spacer" />
        {(ready || error) && (
          <button type="button" id="fetch-snapshot" disabled={fetching.isPending} onClick={() => fetching.mutate()} title={t("changesTab.fetchTodaySPriceSheet", { market })}>
            {fetching.isPending ? t("changesTab.fetching") : t("changesTab.fetchTodaySSnapshot")}
          </button>
        )}
      </div>

      {data && !ready && (
        <div className="changes-empty" id="changes-notice">
          <h2>{data.state === "oneSnapshot" ? t("changesTab.oneSnapshotSoFar") : t("changesTab.noSnapshotYet")}</h2>
          {/* The core's sentence, said from its state and parameters (its English words stay the CLI's). */}
          <p>
            {data.state === "noSnapshot"
              ? t("changesTab.noSnapshotMessage", { market })
              : data.to && data.to === new Date().toISOString().slice(0, 10)
                ? t("changesTab.oneSnapshotToday", { market })
                : data.to
                  ? t("changesTab.oneSnapshotOn", { market, day: dayLabel(data.to) })
                  : data.message}
          </p>
          {data.state === "oneSnapshot" && data.to && (
            <p className="muted">
              <Trans i18nKey="changesTab.snapshotOfToForMarket" values={{ to: dayLabel(data.to), market }} components={{ code: <code /> }} />
              {data.to === new Date().toISOString().slice(0, 10) && t("changesTab.fetchingAgainReplacesTodayS")}
            </p>
          )}
          <button type="button" className="primary" id="fetch-snapshot" disabled={fetching.isPending} onClick={() => fetching.mutate()}>
            {fetching.isPending ? t("changesTab.fetching") : t("changesTab.fetchTodaySSnapshot")}
          </button>
        </div>
      )}

      {ready && data && (
        <>
          <div className="changes-summary" id="changes-summary">
            <span className="result-count">
              {t("changesTab.changes", { count: total, n: count(total) })}
            </span>
            <span className="chips">
              {ALL_KINDS.map((k) => (
                <button key={k} type="button" className={kinds.has(k) ? `chip kind-chip on kind-${k}` : `chip kind-chip kind-${k}`} data-kind={k} aria-pressed={kinds.has(k)} onClick={() => toggleKind(k)}>
                  {kindLabel(k)} <span className="count">{count(countOf[k])}</span>
                </button>
              ))}
            </span>
            <span className="spacer" />
            <SearchField
              ref={findRef}
              id="changes-find"
              className="changes-find"
              placeholder={t("changesTab.findProductOrSku")}
              label={t("changesTab.findAProductPlanOr")}
              value={find}
              onSearch={setFind}
              onKeyDown={(e) => e.key === "Escape" && setFind("")}
            />
            <button type="button" id="export-changes" disabled={total === 0} onClick={exportChanges} title={t("changesTab.toXlsxOrCsvPrices", { currency })}>
              {t("changesTab.exportChanges")}
            </button>
          </div>
          <div className="list">
            {total === 0 && <div className="empty">{t("changesTab.noPriceChangedBetweenThese")}</div>}
            {total > 0 && rows.length === 0 && <div className="empty">{t("changesTab.noChangeMatchesClearThe")}</div>}
            <RowsGrid id="changes-table" className="changes-table" label={t("changesTable.priceChanges")} columns={COLUMNS} rows={rows} sort={sort} onSort={setSort} rowProps={rowProps} />
          </div>
        </>
      )}
      {!data && changes.isFetching && <div className="changes-empty muted">{t("changesTab.readingTheSnapshots")}</div>}
    </div>
  );
}
