// The left navigation, with count badges where one helps (closing soon, waiting for activation).
import type { View } from "./nav";
import { t } from "../i18n";

export const VIEWS: Array<{ id: View; label: string; icon: string }> = [
  { id: "marketplace", get label() { return t("sidebar.marketplace"); }, icon: "▦" },
  { id: "price-lists", get label() { return t("sidebar.priceLists"); }, icon: "≣" },
  { id: "customers", get label() { return t("sidebar.customers"); }, icon: "◉" },
  { id: "subscriptions", get label() { return t("sidebar.subscriptions"); }, icon: "↻" },
  { id: "orders", get label() { return t("sidebar.orders"); }, icon: "▤" },
  { id: "invoices", get label() { return t("sidebar.invoices"); }, icon: "¤" },
  { id: "publishers", get label() { return t("sidebar.publishers"); }, icon: "☏" },
  { id: "settings", get label() { return t("sidebar.settings"); }, icon: "⚙" },
];

interface Props {
  view: View;
  onSelect: (v: View) => void;
  /** A number shown beside the entry (none when absent or 0). */
  badges?: Partial<Record<View, number>>;
  /** The badge's tooltip, e.g. "3 closing within 24 h · 2 waiting for activation". */
  badgeTitles?: Partial<Record<View, string>>;
}

export function Sidebar({ view, onSelect, badges = {}, badgeTitles = {} }: Props) {
  const item = (v: (typeof VIEWS)[number]) => (
    <li key={v.id}>
      <button
        type="button"
        className={view === v.id ? "nav-item active" : "nav-item"}
        aria-current={view === v.id ? "page" : undefined}
        onClick={() => onSelect(v.id)}
        title={v.label}
      >
        <span className="nav-icon" aria-hidden="true">
          {v.icon}
        </span>
        <span className="nav-label">{v.label}</span>
        {(badges[v.id] ?? 0) > 0 && (
          <span className="nav-badge" id={`badge-${v.id}`} title={badgeTitles[v.id]}>
            {badges[v.id]}
          </span>
        )}
      </button>
    </li>
  );
  return (
    <nav className="sidebar" aria-label={t("sidebar.views")}>
      <div className="brand">{t("sidebar.cspDesk")}</div>
      <ul>{VIEWS.filter((v) => v.id !== "settings").map(item)}</ul>
      <ul className="bottom">{VIEWS.filter((v) => v.id === "settings").map(item)}</ul>
    </nav>
  );
}
