// The window: sidebar, top bar, sandbox banner, and the current view.
import { useCallback, useEffect, useRef, useState } from "react";

import * as api from "./api";
import type { IpcError } from "./api";
import type { ConnectionStatus } from "./bindings/ConnectionStatus";
import type { Market } from "./bindings/Market";
import type { Progress } from "./bindings/Progress";
import type { SyncState } from "./bindings/SyncState";
import { Customers } from "./customers/Customers";
import { count } from "./format";
import { Invoices } from "./invoices/Invoices";
import { Marketplace } from "./marketplace/Marketplace";
import { Orders } from "./orders/Orders";
import { PriceLists } from "./prices/PriceLists";
import { Publishers } from "./publishers/Publishers";
import { SessionBanner } from "./settings/SessionBanner";
import { Settings } from "./settings/Settings";
import type { NavParams, ViewProps } from "./shell/nav";
import { ErrorBanner } from "./shell/ErrorBanner";
import { SandboxBanner } from "./shell/SandboxBanner";
import { Sidebar, type View } from "./shell/Sidebar";
import { Toast, useToast } from "./shell/Toast";
import { TopBar } from "./shell/TopBar";
import { Subscriptions } from "./subscriptions/Subscriptions";
import { badgeTitles, useBadges } from "./subscriptions/useBadges";

export interface SyncRun {
  progress: Progress | null;
}

export function App() {
  const [view, setView] = useState<View>("marketplace");
  const [params, setParams] = useState<NavParams>({});
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  const [connectError, setConnectError] = useState<IpcError | null>(null);
  const [markets, setMarkets] = useState<Market[]>([]);
  const [market, setMarket] = useState("US");
  const [lastSync, setLastSync] = useState<SyncState | null>(null);
  const [syncRun, setSyncRun] = useState<SyncRun | null>(null);
  const [syncError, setSyncError] = useState<IpcError | null>(null);
  // Bumped after each sync so the marketplace asks again.
  const [catalogVersion, setCatalogVersion] = useState(0);
  const [ready, setReady] = useState(false);
  const { toast, show } = useToast();
  const syncing = useRef(false);
  const marketSet = useRef(false);

  const connect = useCallback(async () => {
    setConnectError(null);
    try {
      const [s, m, first] = await Promise.all([api.connectionStatus(), api.markets(), api.readSettings()]);
      // The settings' default market, on the first connect only (before the catalog loads).
      if (!marketSet.current) setMarket(first.values.markets[0] ?? "US");
      marketSet.current = true;
      setStatus(s);
      setMarkets(m);
    } catch (e) {
      setConnectError(e as IpcError);
    }
  }, []);

  useEffect(() => {
    void connect();
  }, [connect]);

  const sync = useCallback(
    async (m: string) => {
      if (syncing.current) return;
      syncing.current = true;
      setSyncError(null);
      setSyncRun({ progress: null });
      try {
        const s = await api.syncCatalog(m, (p) => setSyncRun({ progress: p }));
        setLastSync(s);
        setReady(true);
        setCatalogVersion((v) => v + 1);
        show(`Catalog for ${m} synced: ${count(s.offers)} offers`);
      } catch (e) {
        const err = e as IpcError;
        if (err.kind === "cancelled") show("Sync cancelled; the previous catalog is kept");
        else setSyncError(err);
      } finally {
        syncing.current = false;
        setSyncRun(null);
      }
    },
    [show],
  );

  // On connect and on each market change: show the stored catalog, or sync it first.
  useEffect(() => {
    if (!status) return;
    let live = true;
    setReady(false);
    setSyncError(null);
    api
      .lastSync(market)
      .then((s) => {
        if (!live) return;
        setLastSync(s);
        if (s) setReady(true);
        else void sync(market);
      })
      .catch((e: unknown) => live && setSyncError(e as IpcError));
    return () => {
      live = false;
    };
  }, [status, market, sync]);

  const badges = useBadges(status);
  const navigate = useCallback((v: View, p?: NavParams) => {
    setParams(p ?? {});
    setView(v);
  }, []);
  const props: ViewProps = {
    market,
    markets,
    status,
    params,
    navigate,
    toast: show,
    reconnect: () => void connect(),
  };

  return (
    <div className="app">
      <Sidebar view={view} onSelect={(v) => navigate(v)} badges={badges} badgeTitles={badgeTitles(badges)} />
      <div className="main">
        <TopBar
          status={status}
          connectFailed={connectError !== null}
          markets={markets}
          market={market}
          onMarket={setMarket}
          lastSync={lastSync}
          syncRun={syncRun}
          onSync={() => void sync(market)}
          onCancel={() => void api.cancelSync()}
          onAccount={() => navigate("settings")}
        />
        {status?.sandbox && <SandboxBanner status={status} onConnect={() => navigate("settings")} />}
        <SessionBanner toast={show} onSettings={() => navigate("settings")} />
        {connectError && (
          <ErrorBanner
            error={connectError}
            what="CSP Desk could not connect"
            hint={connectError.kind === "auth" ? "Sign in from Settings (the account button in the top bar), or choose the sandbox there." : "With no tenant configured it starts its built-in sandbox: check that the data folder is writable, or unset CSPDESK_ENDPOINT and CSPDESK_ACCESS_TOKEN to use the sandbox."}
            onRetry={() => void connect()}
          />
        )}
        {syncError && (
          <ErrorBanner
            error={syncError}
            what={`The catalog for ${market} could not be synced`}
            onRetry={() => void sync(market)}
            onDismiss={() => setSyncError(null)}
          />
        )}
        {view === "marketplace" && (
          <Marketplace
            market={market}
            ready={ready}
            version={catalogVersion}
            syncing={syncRun !== null}
            navigate={navigate}
          />
        )}
        {view === "price-lists" && <PriceLists {...props} />}
        {view === "customers" && <Customers {...props} />}
        {view === "subscriptions" && <Subscriptions {...props} />}
        {view === "orders" && <Orders {...props} />}
        {view === "invoices" && <Invoices {...props} />}
        {view === "publishers" && <Publishers {...props} />}
        {view === "settings" && <Settings {...props} />}
      </div>
      <Toast toast={toast} />
    </div>
  );
}
