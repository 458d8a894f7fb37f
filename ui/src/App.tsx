// The window: sidebar, top bar, sandbox banner, and the current view.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import * as api from "./api";
import type { Progress } from "./bindings";
import { Customers } from "./customers/Customers";
import { count } from "./format";
import { Invoices } from "./invoices/Invoices";
import { Marketplace } from "./marketplace/Marketplace";
import { Orders } from "./orders/Orders";
import { PriceLists } from "./prices/PriceLists";
import { Publishers } from "./publishers/Publishers";
import { ScheduleNotice } from "./prices/ScheduleTab";
import { SessionBanner } from "./settings/SessionBanner";
import { Settings } from "./settings/Settings";
import type { Route } from "./shell/nav";
import { ErrorBanner } from "./shell/ErrorBanner";
import { SandboxBanner } from "./shell/SandboxBanner";
import { Sidebar } from "./shell/Sidebar";
import { Toast, useToast } from "./shell/Toast";
import { UpdateAtStart } from "./desktop/UpdateAtStart";
import { TopBar } from "./shell/TopBar";
import { Subscriptions } from "./subscriptions/Subscriptions";
import { useBadges } from "./subscriptions/useBadges";
import { t, useLocale } from "./i18n";

export interface SyncRun {
  progress: Progress | null;
}

export function App() {
  const client = useQueryClient();
  const [route, navigate] = useState<Route>({ view: "marketplace" });
  const { toast, show } = useToast();

  const connection = useQuery({
    queryKey: ["connection"],
    queryFn: async () => {
      const [status, markets, settings] = await Promise.all([api.connectionStatus(), api.markets(), api.readSettings()]);
      return { status, markets, defaultMarket: settings.values.markets[0] ?? "US" };
    },
    staleTime: Infinity,
  });
  const status = connection.data?.status ?? null;
  const markets = connection.data?.markets ?? [];
  // The settings' default market until the user picks one.
  const [picked, setMarket] = useState<string | null>(null);
  const market = picked ?? connection.data?.defaultMarket ?? "US";
  const connect = () => void connection.refetch();

  // On connect and on each market change: the stored catalog, or a sync first.
  const lastSyncKey = ["catalog", market, connection.dataUpdatedAt];
  const stored = useQuery({ queryKey: lastSyncKey, queryFn: () => api.lastSync(market), enabled: status !== null });
  const lastSync = stored.data ?? null;
  const [progress, setProgress] = useState<Progress | null>(null);
  const sync = useMutation({
    mutationFn: (m: string) => {
      setProgress(null);
      return api.syncCatalog(m, setProgress);
    },
    onSuccess: (s, m) => {
      client.setQueryData(["catalog", m, connection.dataUpdatedAt], s);
      show(t("app.synced", { market: m, n: count(s.offers) }));
    },
    onError: (e) => e.kind === "cancelled" && show(t("app.syncCancelled")),
  });
  const start = sync.mutate;
  const autoSynced = useRef<string | null>(null);
  const storedKey = JSON.stringify(lastSyncKey);
  useEffect(() => {
    if (stored.data !== null || autoSynced.current === storedKey) return;
    autoSynced.current = storedKey;
    start(market);
  }, [stored.data, storedKey, market, start]);
  const syncRun: SyncRun | null = sync.isPending ? { progress } : null;
  const syncError = (sync.error?.kind === "cancelled" ? null : sync.error) ?? stored.error;

  const { badges, titles } = useBadges(status);
  // A navigate() to another route opens the view anew, with it.
  const key = JSON.stringify(route);
  const props = { key, market, markets, status, navigate, toast: show, reconnect: connect };
  const toSettings = () => navigate({ view: "settings" });
  // A language switch renders every view anew in the new language (the data stays cached).
  const lang = useLocale();

  return (
    <div className="app" key={lang}>
      <Sidebar view={route.view} onSelect={(view) => navigate({ view })} badges={badges} badgeTitles={titles} />
      <div className="main">
        <TopBar
          status={status}
          connectFailed={connection.error !== null}
          markets={markets}
          market={market}
          onMarket={setMarket}
          lastSync={lastSync}
          syncRun={syncRun}
          onSync={() => start(market)}
          onCancel={() => void api.cancelSync()}
          onAccount={toSettings}
        />
        {status?.sandbox && <SandboxBanner status={status} onConnect={toSettings} />}
        <SessionBanner toast={show} onSettings={toSettings} />
        <ScheduleNotice />
        {connection.error && (
          <ErrorBanner
            error={connection.error}
            what={t("app.cspDeskCouldNotConnect")}
            hint={connection.error.kind === "auth" ? t("app.signInFromSettingsThe") : t("app.withNoTenantConfiguredIt")}
            onRetry={connect}
          />
        )}
        {syncError && (
          <ErrorBanner
            error={syncError}
            what={t("app.theCatalogForMarketCould", { market })}
            onRetry={() => start(market)}
            onDismiss={sync.reset}
          />
        )}
        {route.view === "marketplace" && (
          <Marketplace
            market={market}
            ready={lastSync !== null}
            catalog={lastSync?.fetchedAt ?? ""}
            syncing={syncRun !== null}
            navigate={navigate}
          />
        )}
        {route.view === "price-lists" && <PriceLists {...props} params={route} />}
        {route.view === "customers" && <Customers {...props} params={route} />}
        {route.view === "subscriptions" && <Subscriptions {...props} params={route} />}
        {route.view === "orders" && <Orders {...props} params={route} />}
        {route.view === "invoices" && <Invoices {...props} params={route} />}
        {route.view === "publishers" && <Publishers {...props} params={route} />}
        {route.view === "settings" && <Settings {...props} params={route} />}
      </div>
      <Toast toast={toast} />
      <UpdateAtStart />
    </div>
  );
}
