// The Price lists view: Export (markets, format, the marketplace's filters, for you or for a
// customer, where to save; progress with rows/s and Cancel; Open file / Show in folder), Changes
// (what moved between two daily snapshots), Customers touched (the changes that hit plans
// customers hold, with a badge), Pricing (the margin rules) and Daily export (the schedule and
// its runs). Params: `tab` = one of TABS' ids.
import { useState } from "react";

import type { ViewProps } from "../shell/nav";
import { ChangesTab } from "./ChangesTab";
import { ExportTab } from "./ExportTab";
import { ImpactTab, useImpact } from "./ImpactTab";
import { PricingTab } from "./PricingTab";
import { ScheduleTab } from "./ScheduleTab";
import "./prices.css";
import "./desk.css";
import { t } from "../i18n";

const TABS = [
  { id: "export", get label() { return t("priceLists.export"); } },
  { id: "changes", get label() { return t("priceLists.changes"); } },
  { id: "impact", get label() { return t("priceLists.customersTouched"); } },
  { id: "pricing", get label() { return t("priceLists.pricing"); } },
  { id: "schedule", get label() { return t("priceLists.dailyExport"); } },
] as const;

type Tab = (typeof TABS)[number]["id"];

// The tab survives leaving the view and coming back.
let lastTab: Tab = "export";
const keepTab = (item: Tab) => {
  lastTab = item;
};

export function PriceLists(props: ViewProps<"price-lists">) {
  const [tab, setTabState] = useState<Tab>(() => props.params.tab ?? lastTab);
  const setTab = (item: Tab) => {
    keepTab(item);
    setTabState(item);
  };
  const touched = useImpact(props.market, null).data?.rows.length ?? 0;
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault();
    const at = TABS.findIndex((item) => item.id === tab);
    const next = TABS[(at + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length]?.id ?? "export";
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <section className="view prices" aria-label={t("priceLists.priceLists")}>
      <div className="prices-head">
        <h1>{t("priceLists.priceLists")}</h1>
        <div className="tabs" role="tablist" aria-label={t("priceLists.priceLists")} onKeyDown={onKey}>
          {TABS.map((item) => (
            <button
              key={item.id}
              type="button"
              role="tab"
              id={`tab-${item.id}`}
              aria-selected={tab === item.id}
              aria-controls={`panel-${item.id}`}
              tabIndex={tab === item.id ? 0 : -1}
              className={tab === item.id ? "tab on" : "tab"}
              onClick={() => setTab(item.id)}
            >
              {item.label}
              {item.id === "impact" && touched > 0 && (
                <span className="badge" title={t("priceLists.touchedSubscriptionsTouched", { touched })}>
                  {touched}
                </span>
              )}
            </button>
          ))}
        </div>
      </div>
      {tab === "export" && <ExportTab {...props} onShowChanges={() => setTab("changes")} />}
      {tab === "changes" && <ChangesTab {...props} />}
      {tab === "impact" && <ImpactTab {...props} />}
      {tab === "pricing" && <PricingTab {...props} />}
      {tab === "schedule" && (
        <div role="tabpanel" id="panel-schedule" aria-labelledby="tab-schedule">
          <ScheduleTab market={props.market} toast={props.toast} />
        </div>
      )}
    </section>
  );
}
