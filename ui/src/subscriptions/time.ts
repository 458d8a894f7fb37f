// Pure rules of the Subscriptions view: countdowns, the Cancel rule, the sets, filtering and
// sorting. Everything takes `now` (ms) from the caller: the view counts down locally from the
// absolute deadlines the core sends, offset by the core's own clock (see `skewOf`).
import type { SubscriptionItem, SubscriptionState } from "../bindings";
import { dateTime, isoPeriod, periodDays } from "../format";
import { type ListSort, type SortValue, sortByKey } from "../shell/sort";
import { say, t } from "../i18n";

const MIN = 60_000;


const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A duration as people read it: "2 days 3 h", "3 h 12 min", "12 min", "45 s".
 * With `seconds`, under a day the seconds show too ("3 h 12 min 05 s"), so a live countdown ticks.
 */
export function duration(ms: number, seconds = false): string {
  // Whole seconds rounded up: a countdown reads "59 s" until the 59th second has passed.
  const total = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return h > 0 ? t("time.daysHours", { count: d, h }) : t("time.days", { count: d });
  if (seconds) {
    if (h > 0) return t("time.hMinS", { h, m: pad(m), s: pad(s) });
    if (m > 0) return t("time.minS", { m, s: pad(s) });
    return t("time.s", { s });
  }
  if (h > 0) return m > 0 ? t("time.hMin", { h, m }) : t("time.h", { h });
  if (m > 0) return t("time.min", { m });
  return total > 0 ? t("time.underAMinute") : t("time.min", { m: 0 });
}

/** "in 3 h 12 min" before the deadline, "closed 2 days ago" after it. */
export function countdown(deadlineIso: string, now: number, seconds = false): string {
  const left = Date.parse(deadlineIso) - now;
  if (Number.isNaN(left)) return t("time.unknown");
  if (left > 0) return t("time.in", { duration: duration(left, seconds) });
  const ago = -left;
  return ago < MIN ? t("time.closedJustNow") : t("time.closedAgo", { duration: duration(ago) });
}

/** How long a subscription has been waiting for activation: "waiting for 5 h". */
export function waitingFor(sinceIso: string | null, now: number): string {
  if (!sinceIso) return t("time.waiting");
  const ms = now - Date.parse(sinceIso);
  if (Number.isNaN(ms)) return t("time.waiting");
  return ms < MIN ? t("time.waitingUnderAMinute") : t("time.waitingFor", { duration: duration(ms) });
}

/** The window is open now: the core says until when Cancel is allowed, and that is not past. */
export function windowOpen(s: SubscriptionItem, now: number): boolean {
  return s.cancellableUntil !== null && now <= Date.parse(s.cancellableUntil);
}

export interface CancelRule {
  enabled: boolean;
  /** Why it is disabled, e.g. "The cancellation window closed on 21/11/2026, 10:05:00". */
  reason: string | null;
}

/** Whether Cancel is enabled for `s` at `now`, and if not, why (the core's reason, or the
 * deadline passed, dates in the user's locale). */
export function cancelRule(s: SubscriptionItem, now: number, fmt: (iso: string) => string = dateTime): CancelRule {
  if (s.cancelBlocked) return { enabled: false, reason: say(s.cancelBlocked, "") };
  if (!windowOpen(s, now)) return { enabled: false, reason: t("time.windowClosedOn", { at: s.cancellableUntil ? fmt(s.cancellableUntil) : "–" }) };
  return { enabled: true, reason: null };
}

/** Open, and past the instant the core says the window starts "closing soon". */
export function closingSoon(s: SubscriptionItem, now: number): boolean {
  return windowOpen(s, now) && s.closingSoonFrom !== null && now >= Date.parse(s.closingSoonFrom);
}

/** Open, and past the instant the core says the window becomes urgent. */
export function urgent(s: SubscriptionItem, now: number): boolean {
  return windowOpen(s, now) && s.urgentFrom !== null && now >= Date.parse(s.urgentFrom);
}

/** The core's clock minus ours, from an answer's `now` (the sandbox's clock can be moved). */
export const skewOf = (serverNowIso: string, receivedAt: number = Date.now()): number => {
  const t = Date.parse(serverNowIso);
  return Number.isNaN(t) ? 0 : t - receivedAt;
};

export type Segment = "all" | "closingSoon" | "waiting";

export interface ListFilter {
  segment: Segment;
  customerId: string;
  status: SubscriptionState | "";
  publisher: string;
  search: string;
}

export const EMPTY_LIST_FILTER: ListFilter = { segment: "all", customerId: "", status: "", publisher: "", search: "" };

export function inSegment(s: SubscriptionItem, seg: Segment, now: number): boolean {
  if (seg === "closingSoon") return closingSoon(s, now);
  if (seg === "waiting") return s.status === "pendingFulfillment";
  return true;
}

export function matches(s: SubscriptionItem, f: ListFilter, now: number): boolean {
  if (!inSegment(s, f.segment, now)) return false;
  if (f.customerId && s.customerId !== f.customerId) return false;
  if (f.status && s.status !== f.status) return false;
  if (f.publisher && s.publisherName !== f.publisher) return false;
  const q = f.search.trim().toLowerCase();
  if (q) {
    const hay = `${s.customerName} ${s.productName} ${s.planName} ${s.publisherName} ${s.friendlyName} ${s.id}`.toLowerCase();
    if (!q.split(/\s+/).every((w) => hay.includes(w))) return false;
  }
  return true;
}

export type SortKey =
  | "customer"
  | "product"
  | "publisher"
  | "plan"
  | "quantity"
  | "term"
  | "billing"
  | "status"
  | "autoRenew"
  | "created"
  | "commitmentEnd"
  | "deadline";

export type Sort = ListSort<SortKey>;

const STATUS_ORDER: Record<SubscriptionState, number> = { pendingFulfillment: 0, active: 1, suspended: 2, cancelled: 3, other: 4 };

const SORT_VALUES: Record<SortKey, SortValue<SubscriptionItem>> = {
  customer: (s) => s.customerName,
  product: (s) => s.productName,
  publisher: (s) => s.publisherName,
  plan: (s) => s.planName,
  quantity: (s) => s.quantity,
  term: (s) => periodDays(s.termDuration) ?? s.termDuration,
  billing: (s) => s.billingCycle,
  status: (s) => STATUS_ORDER[s.status],
  autoRenew: (s) => (s.autoRenewEnabled ? 1 : 0),
  created: (s) => (s.creationDate ? Date.parse(s.creationDate) : 0),
  commitmentEnd: (s) => (s.commitmentEndDate ? Date.parse(s.commitmentEndDate) : 0),
  deadline: (s) => (s.deadline ? Date.parse(s.deadline.at) : Number.MAX_SAFE_INTEGER),
};

/** A sorted copy; ties keep the core's order (newest first). */
export const sortRows = (rows: SubscriptionItem[], sort: Sort): SubscriptionItem[] => sortByKey(rows, SORT_VALUES, sort);

// Every status has its words: the compiler fails here when the core adds one.
const STATUS_LABELS: Record<SubscriptionState, () => string> = {
  pendingFulfillment: () => t("time.status.pendingFulfillment"),
  active: () => t("time.status.active"),
  suspended: () => t("time.status.suspended"),
  cancelled: () => t("time.status.cancelled"),
  other: () => t("time.status.other"),
};
export const statusLabel = (s: SubscriptionState): string => STATUS_LABELS[s]();

/** Partner Center's own status word in the UI's language; the core's English label for one it does not know. */
const PC_STATUSES = new Map<string, SubscriptionState>([["pending", "pendingFulfillment"], ["active", "active"], ["suspended", "suspended"], ["deleted", "cancelled"]]);
export function pcStatusLabel(status: string, english: string): string {
  const s = PC_STATUSES.get(status.toLowerCase());
  return s ? statusLabel(s) : english;
}

/** "P1M" → "1 month", "P1Y" → "1 year". */
export function termLabel(iso: string): string {
  return iso.trim() ? isoPeriod(iso) : "–";
}

const BILLING = new Map<string, () => string>([
  ["monthly", () => t("time.billing.monthly")],
  ["annual", () => t("time.billing.annual")],
  ["none", () => "–"],
  ["one_time", () => t("time.billing.oneTime")],
  ["triennial", () => t("time.billing.triennial")],
  ["biennial", () => t("time.billing.biennial")],
]);
/** A billing cycle as partners call it ("Monthly"), or Partner Center's own word. */
export const billingLabel = (cycle: string): string => BILLING.get(cycle)?.() ?? cycle;

/** The customers of `rows` as [id, name] by name, for a filter; `current` too (by its id) when no
 * row is theirs, so a customer picked elsewhere stays picked. */
export function customersOf(rows: ReadonlyArray<{ customerId: string; customerName: string }>, current = ""): Array<[string, string]> {
  const m = new Map<string, string>();
  for (const r of rows) m.set(r.customerId, r.customerName);
  if (current && !m.has(current)) m.set(current, current);
  return [...m.entries()].sort((a, b) => a[1].localeCompare(b[1]));
}

export const keyOfRow = (s: { customerId: string; id: string }) => `${s.customerId}/${s.id}`;
