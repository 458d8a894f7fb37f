// The formatters: numbers, money, dates, times, durations and labels, all through Intl for the
// active locale (i18n.ts). Every view formats through these; none builds its own Intl object.
import type { Phase } from "./bindings";
import { locale, t } from "./i18n";

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}
const nf = (loc: string, o: Intl.NumberFormatOptions) => cached(`n|${loc}|${JSON.stringify(o)}`, () => new Intl.NumberFormat(loc, o));
const df = (loc: string, o: Intl.DateTimeFormatOptions) => cached(`d|${loc}|${JSON.stringify(o)}`, () => new Intl.DateTimeFormat(loc, o));

/** "12,345" (grouped for the locale). */
export const count = (n: number, loc: string = locale()): string => nf(loc, {}).format(n);

/** A number with at most `digits` decimals ("0.4", "12"). */
export const decimal = (n: number, digits = 1, loc: string = locale()): string => nf(loc, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);

/** "+3.5 %" / "−12.0 %" ("" when unknown). */
export function percent(v: number | null | undefined, loc: string = locale()): string {
  if (v == null || !Number.isFinite(v)) return "";
  const s = nf(loc, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(v).replace("-", "−");
  return `${s} %`;
}

/** Date and time, e.g. "21 Nov 2026, 10:05" / "2026. 11. 21. 오전 10:05". */
export const dateTime = (iso: string, loc: string = locale()): string => df(loc, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

/** A date, e.g. "21 Nov 2026" ("" when none). */
export const date = (iso: string | null, loc: string = locale()): string => (iso ? df(loc, { dateStyle: "medium" }).format(new Date(iso)) : "");

/** A time of day, e.g. "10:05" / "오전 10:05". */
export const time = (iso: string | Date, loc: string = locale()): string => df(loc, { timeStyle: "short" }).format(typeof iso === "string" ? new Date(iso) : iso);

const utcDay = (day: string): Date | null => {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** A calendar day ("2026-11-08") with no time-zone shift: "8 November 2026" (`long`) or "8 Nov 2026" (`short`). */
export function day(d: string, style: "long" | "short" = "long", loc: string = locale()): string {
  const at = utcDay(d);
  if (!at) return d;
  return df(loc, { day: "numeric", month: style, year: "numeric", timeZone: "UTC" }).format(at);
}

/** The month of a calendar day: "October 2026" / "2026년 10월". */
export function month(d: string, loc: string = locale()): string {
  const at = utcDay(d);
  return at ? df(loc, { month: "long", year: "numeric", timeZone: "UTC" }).format(at) : d;
}

/** A market's country in the UI's language ("미국" for US), else the core's English name. */
export function regionName(code: string, english: string, loc: string = locale()): string {
  try {
    return new Intl.DisplayNames([loc], { type: "region" }).of(code.toUpperCase()) ?? english;
  } catch {
    return english;
  }
}

const moneyFormats = new Map<string, (n: number) => string>();

/** The one money formatter: an amount in its currency with the currency's symbol for the UI's
 * locale ("$1,234.50", "₩12,000"), "+" before an increase when `signed`, "–" when the amount is
 * unknown, and the code after the number when there is no currency or one Intl does not know
 * ("3.00 XYZ"). */
export function money(amount: number | null | undefined, currency: string, { signed = false, locale: loc = locale() }: { signed?: boolean; locale?: string } = {}): string {
  if (amount == null || Number.isNaN(amount)) return "–";
  const locale = loc;
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
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return t("format.unknown");
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return t("format.justNow");
  const m = Math.round(s / 60);
  if (m < 60) return t("format.minAgo", { count: m });
  const h = Math.round(m / 60);
  if (h < 36) return t("format.hoursAgo", { count: h });
  return t("format.daysAgo", { count: Math.round(h / 24) });
}

/** The core quotes names with backticks (for the terminal); on screen they read as quotes. */
export const plain = (s: string): string => s.replace(/`([^`]+)`/g, "“$1”");

const PERIOD_DAYS = { D: 1, W: 7, M: 30, Y: 365 } as const;

/** "P3M" → [3, "M"]; null when it is not a one-unit ISO period. */
function period(iso: string): [number, keyof typeof PERIOD_DAYS] | null {
  const m = /^P(\d+)([DWMY])$/i.exec(iso.trim());
  return m ? [Number(m[1]), (m[2] ?? "").toUpperCase() as keyof typeof PERIOD_DAYS] : null;
}

/** "P1M" → 30, "P1Y" → 365: an ISO period's length in days, for ordering terms (null: not one). */
export function periodDays(iso: string): number | null {
  const p = period(iso);
  return p ? p[0] * PERIOD_DAYS[p[1]] : null;
}

/** An ISO 8601 period ("P1M", "P1Y", "P3Y") in words: "1 month", "1 year", "3 years" (`short`:
 * "1 mo", "1 yr", for a narrow column). */
export function isoPeriod(iso: string, short = false): string {
  const p = period(iso);
  if (!p) return iso;
  const [n, unit] = p;
  switch (unit) {
    case "D":
      return t("format.days", { count: n });
    case "W":
      return t("format.weeks", { count: n });
    case "M":
      return short ? t("format.monthsShort", { count: n }) : t("format.months", { count: n });
    default:
      return short ? t("format.yearsShort", { count: n }) : t("format.years", { count: n });
  }
}

// The codes, and the core's English labels (PublisherOfferRow.typeLabel).
const TYPES = new Map<string, () => string>([
  ["saas", () => t("format.type.saas")],
  ["vm", () => t("format.type.vm")],
  ["container", () => t("format.type.container")],
  ["azure-app", () => t("format.type.azureApp")],
  ["other", () => t("format.type.other")],
]);
const TYPE_CODES = new Map([["SaaS", "saas"], ["Virtual machine", "vm"], ["Container", "container"], ["Azure application", "azure-app"], ["Other", "other"]]);
/** An offer type as partners call it. */
export const typeLabel = (type: string): string => TYPES.get(TYPE_CODES.get(type) ?? type)?.() ?? type;

// Every phase has its words: the compiler fails here when the core adds one.
const PHASE_LABELS: Record<Phase, () => string> = {
  products: () => t("format.phase.products"),
  details: () => t("format.phase.details"),
  marketplace: () => t("format.phase.marketplace"),
  saving: () => t("format.phase.saving"),
};
/** A catalog sync's phase in words. */
export const phaseLabel = (phase: Phase): string => PHASE_LABELS[phase]();
