// Display helpers: counts, relative times, labels.

const number = new Intl.NumberFormat();

export const count = (n: number): string => number.format(n);

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function ago(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "unknown";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export const dateTime = (iso: string): string => new Date(iso).toLocaleString();

export const TYPE_LABELS: Record<string, string> = {
  saas: "SaaS",
  vm: "Virtual machine",
  container: "Container",
  "azure-app": "Azure application",
  other: "Other",
};

export const PHASE_LABELS: Record<string, string> = {
  products: "Reading products",
  details: "Reading plans and terms",
  marketplace: "Reading the Azure Marketplace catalog",
  saving: "Saving",
};
