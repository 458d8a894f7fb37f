// The Price lists view: the Export tab (markets, format, the marketplace's filters, where to
// save; progress with rows/s and Cancel; Open file / Show in folder) and the Changes tab (what
// moved between two daily snapshots). Params: `tab` = "export" | "changes".
import { useState } from "react";

import type { ViewProps } from "../shell/nav";
import { ChangesTab } from "./ChangesTab";
import { ExportTab } from "./ExportTab";
import "./prices.css";

type Tab = "export" | "changes";

// The tab survives leaving the view and coming back.
let lastTab: Tab = "export";

export function PriceLists(props: ViewProps<"price-lists">) {
  const [tab, setTabState] = useState<Tab>(() => props.params.tab ?? lastTab);
  const setTab = (t: Tab) => {
    lastTab = t;
    setTabState(t);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault();
    setTab(tab === "export" ? "changes" : "export");
    document.getElementById(tab === "export" ? "tab-changes" : "tab-export")?.focus();
  };
  return (
    <section className="view prices" aria-label="Price lists">
      <div className="prices-head">
        <h1>Price lists</h1>
        <div className="tabs" role="tablist" aria-label="Price lists" onKeyDown={onKey}>
          <button type="button" role="tab" id="tab-export" aria-selected={tab === "export"} aria-controls="panel-export" tabIndex={tab === "export" ? 0 : -1} className={tab === "export" ? "tab on" : "tab"} onClick={() => setTab("export")}>
            Export
          </button>
          <button type="button" role="tab" id="tab-changes" aria-selected={tab === "changes"} aria-controls="panel-changes" tabIndex={tab === "changes" ? 0 : -1} className={tab === "changes" ? "tab on" : "tab"} onClick={() => setTab("changes")}>
            Changes
          </button>
        </div>
      </div>
      {tab === "export" ? <ExportTab {...props} onShowChanges={() => setTab("changes")} /> : <ChangesTab {...props} />}
    </section>
  );
}
