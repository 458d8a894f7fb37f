// The Export tab: markets, format, the marketplace's filters as chips, where to save, Export;
// then a progress bar with rows written and rows/s (Cancel), then Open file / Show in folder.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import * as api from "../api";
import type { CustomerList, ExportFormat } from "../bindings";
import { count, dateTime, regionName } from "../format";
import { EMPTY_FILTER, keptFilter } from "../marketplace/windowing";
import { ErrorBanner } from "../shell/ErrorBanner";
import { FileButtons } from "../shell/Export";
import { MarketOptions } from "../shell/Options";
import type { ViewProps } from "../shell/nav";
import { priceErrorHint } from "./errors";
import { cancelExport, resetExport, startExport, useExportRun } from "./exportRun";
import { dayLabel, filterChips, formatElapsed, formatRate, hasFilters, newExportId, prettyId, withFormat } from "./prices";
import { t } from "../i18n";
import { Trans } from "react-i18next";

// The choices survive leaving the view (a path typed by hand is not lost).
const remembered = {
  /** Null: the top bar's market, until the user picks some here. */
  markets: null as string[] | null,
  format: "xlsx" as ExportFormat,
  bom: true,
  applyFilters: true,
  /** Null: the dated default name; a string: what the user typed or picked. */
  path: null as string | null,
  /** A customer price list (the Pricing tab's rules) instead of the partner's own. */
  forCustomer: false,
  customer: { customer: "", partner: "", validDays: 30, internal: false } as CustomerList,
};

export function ExportTab({ market, markets, navigate, toast, onShowChanges }: ViewProps & { onShowChanges: () => void }) {
  // The marketplace's current filters (type, category, publisher, trial, search).
  const [filter] = useState(keptFilter);
  const [choice, setChoice] = useState(() => ({ ...remembered }));
  const change = (patch: Partial<typeof choice>) => {
    Object.assign(remembered, patch);
    setChoice({ ...choice, ...patch });
  };
  const { format, bom, applyFilters, forCustomer, customer, path: customPath } = choice;
  const chosen = choice.markets ?? [market];
  const setCustomer = (patch: Partial<CustomerList>) => change({ customer: { ...customer, ...patch } });
  const setCustomPath = (path: string | null) => change({ path });
  const pickMarkets = (next: string[]) => change({ markets: next });
  const run = useExportRun();
  const running = run.state === "running";

  // Category labels and how many offers the filters match, in the top bar's (synced) market.
  const filtering = hasFilters(filter);
  const matched = useQuery({
    queryKey: ["offers", market, "count", filter],
    queryFn: () => api.queryOffers(market, { filter, sort: "title", descending: false, offset: 0, limit: 1 }),
    enabled: filtering,
  });
  const matching = matched.data?.total ?? null;
  const chipsOf = useMemo(() => {
    const categories = matched.data?.facets.categories ?? [];
    return filterChips(filter, (id: string) => categories.find((c) => c.value === id)?.label ?? prettyId(id));
  }, [filter, matched.data]);

  // What the last export changed: the snapshot dates and the next default file name.
  const doneAt = run.state === "done" ? run.result.path : null;
  const snapshots = useQuery({ queryKey: ["price-status", chosen, doneAt], queryFn: () => api.priceListStatus(chosen) });
  const status = snapshots.data ?? null;
  const suggested = useQuery({
    queryKey: ["price-default-path", chosen, format, forCustomer, doneAt],
    queryFn: () => api.defaultPriceListPath(chosen, format, forCustomer),
    enabled: chosen.length > 0,
  });
  const defaultPath = suggested.data ?? "";

  const path = customPath ?? defaultPath;
  const pickFormat = (f: ExportFormat) => change({ format: f, path: customPath === null ? null : withFormat(customPath, f) });
  const saveAs = useMutation({
    mutationFn: async () => {
      const picked = await api.saveSpreadsheetAs(path, [format]);
      if (picked) setCustomPath(withFormat(picked, format));
    },
  });

  const exportNow = () => {
    saveAs.reset();
    void startExport(
      {
        exportId: newExportId(),
        markets: chosen,
        format,
        bom: format === "csv" && bom,
        path,
        filter: applyFilters ? filter : EMPTY_FILTER,
        customer: forCustomer ? customer : null,
      },
      toast,
    );
  };

  const available = markets.filter((m) => !chosen.includes(m.code));
  const nameOf = (code: string) => regionName(code, markets.find((m) => m.code === code)?.name ?? code);
  const snapshotOf = (code: string) => status?.markets.find((m) => m.market === code);
  const lastExport = status?.lastExport ?? null;

  return (
    <div className="prices-panel" id="panel-export" role="tabpanel" aria-labelledby="tab-export">
      {snapshots.error && <ErrorBanner error={snapshots.error} what={t("exportTab.theSnapshotsCouldNotBe")} onRetry={() => void snapshots.refetch()} />}
      {run.state === "failed" && (
        <ErrorBanner error={run.error} what={t("exportTab.thePriceListWasNot")} hint={priceErrorHint(run.error, run.request.markets)} onRetry={exportNow} onDismiss={resetExport} />
      )}
      {saveAs.error && <ErrorBanner error={saveAs.error} what={t("exportTab.saveAsFailed")} onDismiss={saveAs.reset} />}

      <div className="prices-scroll">
        <div className="export-form">
          <div className="field-label" id="markets-label">
            {t("exportTab.markets")}
          </div>
          <div className="field">
            <div className="market-chips" id="price-markets" role="group" aria-labelledby="markets-label">
              {chosen.map((code) => (
                <span key={code} className="chip on market-chip" data-market={code} title={nameOf(code)}>
                  {code}
                  <span className="chip-name">{"\u00a0· "}{nameOf(code)}</span>
                  {chosen.length > 1 && (
                    <button type="button" className="chip-x" aria-label={t("exportTab.removeCode", { code: nameOf(code) })} disabled={running} onClick={() => pickMarkets(chosen.filter((c) => c !== code))}>
                      ×
                    </button>
                  )}
                </span>
              ))}
              <select
                id="price-add-market"
                aria-label={t("exportTab.addAMarket")}
                value=""
                disabled={running || available.length === 0}
                onChange={(e) => {
                  const code = e.target.value;
                  if (code) pickMarkets([...chosen, code]);
                }}
              >
                <option value="">{t("exportTab.addAMarket2")}</option>
                <MarketOptions markets={available} />
              </select>
            </div>
            <div className="hint" id="price-last-snapshot">
              {t("exportTab.lastSnapshot")}{" "}
              {chosen.map((code, i) => {
                const s = snapshotOf(code);
                const day = s?.days[0];
                return (
                  <span key={code}>
                    {i > 0 && " · "}
                    {code} {day ? <strong>{dayLabel(day)}</strong> : <span className="muted">{t("exportTab.noneYet")}</span>}
                  </span>
                );
              })}
              <Trans i18nKey="exportTab.anExportKeepsTodayS" components={{ span: <span className="muted" /> }} />
            </div>
          </div>

          <div className="field-label">{t("exportTab.format")}</div>
          <div className="field row">
            <div className="segmented" role="radiogroup" aria-label={t("exportTab.format")}>
              <button type="button" role="radio" id="format-xlsx" aria-checked={format === "xlsx"} className={format === "xlsx" ? "seg on" : "seg"} disabled={running} onClick={() => pickFormat("xlsx")}>
                {t("exportTab.excelXlsx")}
              </button>
              <button type="button" role="radio" id="format-csv" aria-checked={format === "csv"} className={format === "csv" ? "seg on" : "seg"} disabled={running} onClick={() => pickFormat("csv")}>
                {t("exportTab.csvCsv")}
              </button>
            </div>
            {format === "csv" && (
              <label className="check" title={t("exportTab.aByteOrderMarkMakes")}>
                <input type="checkbox" id="price-bom" checked={bom} disabled={running} onChange={(e) => change({ bom: e.target.checked })} />
                {t("exportTab.byteOrderMarkForExcel")}
              </label>
            )}
          </div>

          <div className="field-label">{t("exportTab.filters")}</div>
          <div className="field">
            <div className="row">
              {filtering ? (
                <div className={applyFilters ? "chips" : "chips off"} id="price-filter-chips">
                  {chipsOf.map((c) => (
                    <span key={c.key} className="chip filter-chip" data-chip={c.key}>
                      {c.text}
                    </span>
                  ))}
                </div>
              ) : (
                <Trans i18nKey="exportTab.noneEveryOfferOfThe" components={{ span: <span className="muted" id="price-filter-chips" /> }} />
              )}
              <button type="button" className="link" id="edit-in-marketplace" onClick={() => navigate({ view: "marketplace" })}>
                {filtering ? t("exportTab.editInMarketplace") : t("exportTab.filterInMarketplace")}
              </button>
            </div>
            {filtering && (
              <label className="check">
                <input type="checkbox" id="apply-filters" checked={applyFilters} disabled={running} onChange={(e) => change({ applyFilters: e.target.checked })} />
                {t("exportTab.exportOnlyMatchingOffers")}
                {matching !== null && chosen.includes(market) && (
                  <span className="muted">
                    {" "}
                    {t("exportTab.matchingIn", { count: matching, n: count(matching), market })}
                  </span>
                )}
              </label>
            )}
          </div>

          <div className="field-label" id="price-for-label">
            {t("exportTab.for")}
          </div>
          <div className="field">
            <div className="segmented" role="radiogroup" aria-labelledby="price-for-label">
              <button type="button" role="radio" id="for-partner" aria-checked={!forCustomer} className={forCustomer ? "seg" : "seg on"} disabled={running} onClick={() => change({ forCustomer: false, path: null })}>
                {t("exportTab.youYourCost")}
              </button>
              <button type="button" role="radio" id="for-customer" aria-checked={forCustomer} className={forCustomer ? "seg on" : "seg"} disabled={running} onClick={() => change({ forCustomer: true, path: null })}>
                {t("exportTab.aCustomerYourPrices")}
              </button>
            </div>
            {forCustomer && (
              <div className="customer-fields">
                <label>
                  {t("exportTab.customer")}
                  <input id="price-customer" value={customer.customer} disabled={running} onChange={(e) => setCustomer({ customer: e.target.value })} />
                </label>
                <label>
                  {t("exportTab.yourCompany")}
                  <input id="price-partner" value={customer.partner} disabled={running} onChange={(e) => setCustomer({ partner: e.target.value })} />
                </label>
                <label>
                  {t("exportTab.validForDays")}
                  <input type="number" min={1} max={365} value={customer.validDays} disabled={running} onChange={(e) => setCustomer({ validDays: Number(e.target.value) })} />
                </label>
                <label className="check">
                  <input type="checkbox" id="price-internal" checked={customer.internal} disabled={running} onChange={(e) => setCustomer({ internal: e.target.checked })} />
                  {t("exportTab.internalCopyAddCostMargin")}
                </label>
                <Trans i18nKey="exportTab.sellPricesComeFromThe" components={{ span: <span className="muted small" /> }} />
              </div>
            )}
          </div>

          <label className="field-label" htmlFor="price-export-path">
            {t("exportTab.saveTo")}
          </label>
          <div className="field">
            <div className="row path-row">
              <input
                id="price-export-path"
                className="path-input"
                spellCheck={false}
                value={path}
                disabled={running}
                placeholder={t("exportTab.homeYouDownloadsPricelistXlsx")}
                onChange={(e) => setCustomPath(e.target.value)}
              />
              <button type="button" id="price-save-as" disabled={running} onClick={() => saveAs.mutate()}>
                {t("exportTab.saveAs")}
              </button>
            </div>
            {customPath !== null && customPath !== defaultPath && (
              <button type="button" className="link small" onClick={() => setCustomPath(null)}>
                {t("exportTab.useTheDatedDefaultName")}
              </button>
            )}
          </div>

          <div />
          <div className="field row">
            <button type="button" className="primary" id="price-export-button" disabled={running || chosen.length === 0 || !path.trim()} onClick={exportNow}>
              {t("exportTab.export")} {format === "xlsx" ? t("exportTab.xlsx") : t("exportTab.csv")}
            </button>
            <span className="muted small">{t("exportTab.fetchesAndKeeps", { count: chosen.length })}</span>
          </div>
        </div>

        {run.state === "running" && (
          <div className="run-card" id="price-progress" role="status" aria-live="polite">
            <div className="run-line">
              <strong>{run.progress?.phase === "writing" ? t("exportTab.writingRows") : t("exportTab.fetchingSheets", { count: run.request.markets.length, markets: run.request.markets.join(", ") })}</strong>
              <span className="spacer" />
              <button type="button" id="price-cancel" disabled={run.cancelling} onClick={cancelExport}>
                {run.cancelling ? t("exportTab.cancelling") : t("exportTab.cancel")}
              </button>
            </div>
            <progress className="run-bar" aria-label={t("exportTab.exportProgress")} />
            <div className="run-stats num">
              <Trans i18nKey="exportTab.rowsRowsWrittenRowspersecondElapsedms" values={{ rows: count(run.progress?.rows ?? 0), rowsPerSecond: formatRate(run.progress?.rowsPerSecond), elapsedMs: formatElapsed(run.progress?.elapsedMs ?? 0) }} components={{ span: <span id="price-rows" />, span2: <span id="price-rate" />, span3: <span /> }} />
            </div>
          </div>
        )}

        {run.state === "done" && (
          <div className="run-card done" id="price-result">
            <div className="run-line">
              <strong>
                <Trans i18nKey="exportTab.rowsRowsWrittenInElapsedms" values={{ rows: count(run.result.rows), elapsedMs: formatElapsed(run.result.elapsedMs) }} components={{ span: <span className="muted" /> }} />
              </strong>
              <span className="spacer" />
              <button type="button" className="ghost close" aria-label={t("exportTab.dismiss")} onClick={resetExport}>
                ✕
              </button>
            </div>
            <div className="result-path" id="price-result-path" title={run.result.path}>
              {run.result.path}
            </div>
            <div className="muted small">
              {t("exportTab.pricesOfDay", { day: dayLabel(run.result.day) })}{" "}
              {run.result.markets.map((m) => t("exportTab.marketRows", { market: m.market, n: count(m.rows), currency: m.currency })).join(" · ")}
            </div>
            <div className="run-line">
              <FileButtons path={run.result.path} id="price" className="" />
              <button type="button" className="link" onClick={onShowChanges}>
                {t("exportTab.whatChangedSinceTheLast")}
              </button>
            </div>
          </div>
        )}

        <div className="last-export" id="price-last-export">
          <Trans i18nKey="exportTab.lastExport" components={{ span: <span className="muted" /> }} />
          {lastExport ? (
            <>
              <Trans i18nKey="exportTab.atRowsRowsPath" values={{ at: dateTime(lastExport.at), rows: count(lastExport.rows), path: lastExport.path }} components={{ strong: <strong />, span: <span className="result-path inline" title={lastExport.path} /> }} />
              {lastExport.exists ? (
                run.state !== "done" && (
                  <>
                    {" "}
                    <FileButtons path={lastExport.path} className="link" />
                  </>
                )
              ) : (
                <span className="muted"> {t("exportTab.movedOrDeletedSince")}</span>
              )}
            </>
          ) : (
            <span className="muted">{t("exportTab.noneYet")}</span>
          )}
        </div>
      </div>
    </div>
  );
}
