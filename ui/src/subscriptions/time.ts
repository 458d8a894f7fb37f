// Pure rules of the Subscriptions view: countdowns, the Cancel rule, the sets, filtering and
// sorting. Everything takes `now` (ms) from the caller: the view counts down locally from the
// absolute deadlines the core sends, offset by the core's own clock (see `skewOf`).
import type { SubscriptionItem } from "../bindings/SubscriptionItem";
import type { SubscriptionState } from "../bindings/SubscriptionState";

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
  if (d > 0) return h > 0 ? `${d} ${d === 1 ? "day" : "days"} ${h} h` : `${d} ${d === 1 ? "day" : "days"}`;
  if (seconds) {
    if (h > 0) return `${h} h ${pad(m)} min ${pad(s)} s`;
    if (m > 0) return `${m} min ${pad(s)} s`;
    return `${s} s`;
  }
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return total > 0 ? "under a minute" : "0 min";
}

/** "in 3 h 12 min" before the deadline, "closed 2 days ago" after it. */
export function countdown(deadlineIso: string, now: number, seconds = false): string {
  const left = Date.parse(deadlineIso) - now;
  if (Number.isNaN(left)) return "unknown";
  if (left > 0) return `in ${duration(left, seconds)}`;
  const ago = -left;
  return ago < MIN ? "closed just now" : `closed ${duration(ago)} ago`;
}

/** How long a subscription has been waiting for activation: "waiting for 5 h". */
export function waitingFor(sinceIso: string | null, now: number): string {
  if (!sinceIso) return "waiting";
  const ms = now - Date.parse(sinceIso);
  if (Number.isNaN(ms)) return "waiting";
  return ms < MIN ? "waiting for under a minute" : `waiting for ${duration(ms)}`;
}

const OPEN: ReadonlySet<SubscriptionState> = new Set<SubscriptionState>(["active", "pendingFulfillment"]);

/** The window is open now: an open status and a deadline not yet passed (the core's rule). */
export function windowOpen(s: SubscriptionItem, now: number): boolean {
  if (!OPEN.has(s.status) || !s.deadline) return false;
  return now <= Date.parse(s.deadline.at);
}

export interface CancelRule {
  enabled: boolean;
  /** Why it is disabled, e.g. "The cancellation window closed on 21/11/2026, 10:05:00". */
  reason: string | null;
}

/** Whether Cancel is enabled for `s` at `now`, and if not, why (dates in the user's locale). */
export function cancelRule(s: SubscriptionItem, now: number, fmt: (iso: string) => string = localDateTime): CancelRule {
  if (s.status === "cancelled") return { enabled: false, reason: "This subscription is cancelled." };
  if (s.status === "suspended") return { enabled: false, reason: "A suspended subscription cannot be cancelled here; check it in Partner Center." };
  if (!s.deadline) return { enabled: false, reason: "Partner Center gives no cancellation window for this subscription." };
  if (!OPEN.has(s.status)) return { enabled: false, reason: "This subscription cannot be cancelled in its current status." };
  if (now > Date.parse(s.deadline.at)) {
    return { enabled: false, reason: `The cancellation window closed on ${fmt(s.deadline.at)}.` };
  }
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

export const localDateTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

export const localDate = (iso: string | null): string => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" }) : "");

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

export interface Sort {
  key: SortKey;
  descending: boolean;
}

const STATUS_ORDER: Record<SubscriptionState, number> = { pendingFulfillment: 0, active: 1, suspended: 2, cancelled: 3, other: 4 };

function keyOf(s: SubscriptionItem, k: SortKey): string | number {
  switch (k) {
    case "customer":
      return s.customerName.toLowerCase();
    case "product":
      return s.productName.toLowerCase();
    case "publisher":
      return s.publisherName.toLowerCase();
    case "plan":
      return s.planName.toLowerCase();
    case "quantity":
      return s.quantity;
    case "term":
      return s.termDuration;
    case "billing":
      return s.billingCycle;
    case "status":
      return STATUS_ORDER[s.status];
    case "autoRenew":
      return s.autoRenewEnabled ? 1 : 0;
    case "created":
      return s.creationDate ? Date.parse(s.creationDate) : 0;
    case "commitmentEnd":
      return s.commitmentEndDate ? Date.parse(s.commitmentEndDate) : 0;
    case "deadline":
      return s.deadline ? Date.parse(s.deadline.at) : Number.MAX_SAFE_INTEGER;
  }
}

/** A sorted copy; ties keep the core's order (newest first). */
export function sortRows(rows: SubscriptionItem[], sort: Sort): SubscriptionItem[] {
  const dir = sort.descending ? -1 : 1;
  return rows
    .map((r, i) => ({ r, i, k: keyOf(r, sort.key) }))
    .sort((a, b) => (a.k < b.k ? -dir : a.k > b.k ? dir : a.i - b.i))
    .map((x) => x.r);
}

export const STATUS_LABELS: Record<SubscriptionState, string> = {
  pendingFulfillment: "Pending fulfillment",
  active: "Active",
  suspended: "Suspended",
  cancelled: "Cancelled",
  other: "Other",
};

/** "P1M" → "1 month", "P1Y" → "1 year". */
export function termLabel(iso: string): string {
  const m = /^P(\d+)([MYD])$/i.exec(iso.trim());
  if (!m) return iso || "–";
  const n = Number(m[1]);
  const unit = { M: "month", Y: "year", D: "day" }[m[2]!.toUpperCase() as "M" | "Y" | "D"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

export const BILLING_LABELS: Record<string, string> = {
  monthly: "Monthly",
  annual: "Annual",
  none: "–",
  one_time: "One time",
  triennial: "Triennial",
  biennial: "Biennial",
};

export const keyOfRow = (s: { customerId: string; id: string }) => `${s.customerId}/${s.id}`;
