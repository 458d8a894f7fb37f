// Display helpers: counts, relative times, labels.

const number = new Intl.NumberFormat();

export const count = (n: number): string => number.format(n);

const moneyFormats = new Map<string, (n: number) => string>();

/** The one money formatter: an amount in its currency with the currency's symbol ("$1,234.50"),
 * "+" before an increase when `signed`, "–" when the amount is unknown, and the code after the
 * number when there is no currency or one Intl does not know ("3.00 XYZ"). */
export function money(amount: number | null | undefined, currency: string, { signed = false, locale }: { signed?: boolean; locale?: string } = {}): string {
  if (amount == null || Number.isNaN(amount)) return "–";
  const key = `${locale}|${currency}|${signed}`;
  let f = moneyFormats.get(key);
  if (!f) {
    const signDisplay = signed ? "exceptZero" : "auto";
    const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay, useGrouping: !!currency });
    try {
      const nf = currency ? new Intl.NumberFormat(locale, { style: "currency", currency, signDisplay }) : plain;
      f = (n) => nf.format(n);
    } catch {
      f = (n) => `${plain.format(n)} ${currency}`;
    }
    moneyFormats.set(key, f);
  }
  return f(amount);
}

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
