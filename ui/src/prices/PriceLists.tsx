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

const TABS = [
  { id: "export", label: "Export" },
  { id: "changes", label: "Changes" },
  { id: "impact", label: "Customers touched" },
  { id: "pricing", label: "Pricing" },
  { id: "schedule", label: "Daily export" },
] as const;

type Tab = (typeof TABS)[number]["id"];

// The tab survives leaving the view and coming back.
let lastTab: Tab = "export";
const keepTab = (t: Tab) => {
  lastTab = t;
};

export function PriceLists(props: ViewProps<"price-lists">) {
  const [tab, setTabState] = useState<Tab>(() => props.params.tab ?? lastTab);
  const setTab = (t: Tab) => {
    keepTab(t);
    setTabState(t);
  };
  const touched = useImpact(props.market, null).data?.rows.length ?? 0;
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault();
    const at = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(at + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length]?.id ?? "export";
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <section className="view prices" aria-label="Price lists">
      <div className="prices-head">
        <h1>Price lists</h1>
        <div className="tabs" role="tablist" aria-label="Price lists" onKeyDown={onKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className={tab === t.id ? "tab on" : "tab"}
              onClick={() => setTab(t.id)}
            >
              {t.label}
              {t.id === "impact" && touched > 0 && (
                <span className="badge" title={`${touched} subscriptions touched`}>
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
