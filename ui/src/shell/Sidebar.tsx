// The left navigation. Only the Marketplace is live; the others say what is coming.

export type View =
  | "marketplace"
  | "price-lists"
  | "customers"
  | "subscriptions"
  | "orders"
  | "invoices"
  | "publishers"
  | "settings";

export const VIEWS: Array<{ id: View; label: string; icon: string; coming: string }> = [
  { id: "marketplace", label: "Marketplace", icon: "▦", coming: "" },
  { id: "price-lists", label: "Price lists", icon: "≣", coming: "Daily price-list exports to .xlsx, with what changed since the last snapshot, are coming in a later release." },
  { id: "customers", label: "Customers", icon: "◉", coming: "Your customers, their billing countries and their subscriptions are coming in a later release." },
  { id: "subscriptions", label: "Subscriptions", icon: "↻", coming: "Subscriptions with the \"Closing soon\" and \"Waiting for activation\" lists are coming in a later release." },
  { id: "orders", label: "Orders", icon: "▤", coming: "Orders and their activation links are coming with the ordering release." },
  { id: "invoices", label: "Invoices", icon: "¤", coming: "Invoices and their marketplace line items are coming in a later release." },
  { id: "publishers", label: "Publishers", icon: "☏", coming: "Publisher search with support contacts and your own notes is coming in a later release. Contacts already show in an offer's detail." },
  { id: "settings", label: "Settings", icon: "⚙", coming: "Connecting a Partner Center tenant and signing in are coming in a later release." },
];

export function Sidebar({ view, onSelect }: { view: View; onSelect: (v: View) => void }) {
  const item = (v: (typeof VIEWS)[number]) => (
    <li key={v.id}>
      <button
        type="button"
        className={view === v.id ? "nav-item active" : "nav-item"}
        aria-current={view === v.id ? "page" : undefined}
        onClick={() => onSelect(v.id)}
        title={v.coming || v.label}
      >
        <span className="nav-icon" aria-hidden="true">
          {v.icon}
        </span>
        <span className="nav-label">{v.label}</span>
      </button>
    </li>
  );
  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand">CSP Desk</div>
      <ul>{VIEWS.filter((v) => v.id !== "settings").map(item)}</ul>
      <ul className="bottom">{VIEWS.filter((v) => v.id === "settings").map(item)}</ul>
    </nav>
  );
}
