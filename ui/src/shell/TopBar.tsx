// Connection badge, market picker, last sync and the Sync button (a progress bar while syncing).
import type { SyncRun } from "../App";
import type { ConnectionStatus, Market, SyncState } from "../bindings";
import { ago, count, dateTime, phaseLabel } from "../format";
import { AccountBadge } from "../settings/AccountBadge";
import { useNow } from "../subscriptions/useNow";
import { MarketOptions } from "./Options";
import { t } from "../i18n";
import { Trans } from "react-i18next";

interface Props {
  status: ConnectionStatus | null;
  connectFailed: boolean;
  markets: Market[];
  market: string;
  onMarket: (m: string) => void;
  lastSync: SyncState | null;
  syncRun: SyncRun | null;
  onSync: () => void;
  onCancel: () => void;
  /** Open Settings (from the signed-in account's badge). */
  onAccount?: () => void;
}

export function TopBar({ status, connectFailed, markets, market, onMarket, lastSync, syncRun, onSync, onCancel, onAccount }: Props) {
  // "Synced 5 min ago" stays true as time passes.
  useNow(0, 30_000);
  const p = syncRun?.progress;
  const pct = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : null;
  return (
    <header className="topbar">
      <span
        className={status ? (status.sandbox ? "badge sandbox" : "badge tenant") : "badge offline"}
        title={status ? t("topBar.endpointDataInDatadir", { endpoint: status.endpoint, dataDir: status.dataDir }) : t("topBar.connecting")}
        id="connection-badge"
      >
        {status ? (status.mode === "embeddedSandbox" ? t("topBar.sandbox") : status.mode === "partnerCenter" ? t("topBar.partnerCenter") : status.label) : connectFailed ? t("topBar.notConnected") : t("topBar.connecting")}
      </span>
      {onAccount && <AccountBadge onOpen={onAccount} />}
      <label className="market">
        <Trans i18nKey="topBar.market" components={{ span: <span /> }} />
        <select
          id="market"
          value={market}
          onChange={(e) => onMarket(e.target.value)}
          disabled={syncRun !== null}
        >
          <MarketOptions markets={markets} current={market} />
        </select>
      </label>
      <div className="spacer" />
      {syncRun ? (
        <div className="sync-progress" role="status" aria-live="polite">
          <span className="sync-phase">
            {p ? phaseLabel(p.phase) : t("topBar.startingSync")}
            {p && p.total > 0 ? ` ${count(p.done)} / ${count(p.total)}` : "…"}
          </span>
          <progress id="sync-progress" max={100} value={pct ?? undefined} />
          <button type="button" onClick={onCancel}>
            {t("topBar.cancel")}
          </button>
        </div>
      ) : (
        <>
          <span className="last-sync" id="last-sync" title={lastSync ? dateTime(lastSync.fetchedAt) : undefined}>
            {lastSync ? t("topBar.syncedFetchedatOffersOffers", { fetchedAt: ago(lastSync.fetchedAt), offers: count(lastSync.offers) }) : t("topBar.neverSynced")}
          </span>
          <button type="button" id="sync-btn" className="primary" onClick={onSync} disabled={!status}>
            {t("topBar.sync")}
          </button>
        </>
      )}
    </header>
  );
}
