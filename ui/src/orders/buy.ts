// The buy flow's pure logic: the wizard's states, labels, money, step validation, the customer
// email, copy.
import type { OrderConfirmation } from "../bindings/OrderConfirmation";
import type { OrderReview } from "../bindings/OrderReview";
import type { OrderState } from "../bindings/OrderState";
import type { PlanChoice } from "../bindings/PlanChoice";
import type { PurchaseOptions } from "../bindings/PurchaseOptions";
import type { TermChoice } from "../bindings/TermChoice";

export interface BuyOffer {
  key: string | null;
  productId: string;
  title: string;
  publisherName: string;
}
export interface BuyCustomer {
  id: string;
  name: string;
}

/** Where the wizard is: 1 customer (or offer), 2 plan, 3 review, 4 confirmation. Each step
 * holds what it needs, so a step cannot be shown without it. */
export type Buy = { offer: BuyOffer | null; customer: BuyCustomer | null } & (
  | { step: 1; notSold: PurchaseOptions | null }
  | ({ step: 2; options: PurchaseOptions } & PlanStep)
  | ({ step: 3; options: PurchaseOptions; review: OrderReview } & PlanStep)
  | { step: 4; confirmation: OrderConfirmation }
);

export type BuyEvent =
  | { type: "customer"; customer: BuyCustomer }
  | { type: "offer"; offer: BuyOffer }
  /** The availability in the customer's billing country: not sold, or on to the plan. */
  | { type: "options"; options: PurchaseOptions }
  | { type: "plan"; plan: PlanChoice }
  | { type: "term"; term: TermChoice }
  | { type: "quantity"; quantity: string }
  | { type: "reviewed"; review: OrderReview }
  | { type: "placed"; confirmation: OrderConfirmation }
  | { type: "back" };

/** A plan with its first paid term (else its trial) and its smallest quantity. */
const withPlan = (plan: PlanChoice | null): PlanStep => ({
  plan,
  term: plan?.terms.find((t) => !t.trial) ?? plan?.terms[0] ?? null,
  quantity: String(plan?.minimumQuantity ?? 1),
});

export function buyStep(s: Buy, e: BuyEvent): Buy {
  switch (e.type) {
    case "customer":
      return s.step === 1 ? { ...s, customer: e.customer, notSold: null } : s;
    case "offer":
      return s.step === 1 ? { ...s, offer: e.offer, notSold: null } : s;
    case "options":
      if (s.step !== 1) return s;
      return e.options.notSold ? { ...s, notSold: e.options } : { offer: s.offer, customer: s.customer, step: 2, options: e.options, ...withPlan(e.options.plans[0] ?? null) };
    case "plan":
      return s.step === 2 ? { ...s, ...withPlan(e.plan) } : s;
    case "term":
      return s.step === 2 ? { ...s, term: e.term } : s;
    case "quantity":
      return s.step === 2 ? { ...s, quantity: e.quantity } : s;
    case "reviewed":
      return s.step === 2 ? { ...s, step: 3, review: e.review } : s;
    case "placed":
      return s.step === 3 ? { offer: s.offer, customer: s.customer, step: 4, confirmation: e.confirmation } : s;
    case "back":
      if (s.step === 3) return { offer: s.offer, customer: s.customer, step: 2, options: s.options, plan: s.plan, term: s.term, quantity: s.quantity };
      if (s.step === 2) return { offer: s.offer, customer: s.customer, step: 1, notSold: null };
      return s;
  }
}

/** `P1M` → "1 month", `P1Y` → "1 year", `P3Y` → "3 years", `P30D` → "30 days". */
export function durationLabel(iso: string): string {
  const m = /^P(\d+)([DWMY])$/i.exec(iso.trim());
  if (!m) return iso;
  const n = Number(m[1]);
  const units: Record<string, string> = { D: "day", W: "week", M: "month", Y: "year" };
  const unit = units[(m[2] ?? "").toUpperCase()] ?? "";
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

const BILLING: Record<string, string> = {
  monthly: "billed monthly",
  annual: "billed annually",
  one_time: "billed once",
  triennial: "billed every 3 years",
  biennial: "billed every 2 years",
  none: "not billed",
};

/** "1 year, billed monthly" or "Free trial, 1 month". */
export function termLabel(t: Pick<TermChoice, "termDuration" | "billingCycle" | "trial">): string {
  if (t.trial) return `Free trial, ${durationLabel(t.termDuration)}`;
  return `${durationLabel(t.termDuration)}, ${BILLING[t.billingCycle.toLowerCase()] ?? `billed ${t.billingCycle}`}`;
}

/** A stable key for a term option (radio value). */
export const termKey = (t: Pick<TermChoice, "termDuration" | "billingCycle" | "trial">): string =>
  `${t.trial ? "trial" : "paid"}:${t.termDuration}:${t.billingCycle}`;

/** Why a quantity cannot be ordered, or null when it can. */
export function quantityError(raw: string, min: number, max: number): string | null {
  if (raw.trim() === "") return `Enter a quantity from ${min} to ${max}.`;
  const q = Number(raw);
  if (!Number.isInteger(q)) return "The quantity must be a whole number.";
  if (q < min || q > max) return `This plan allows ${min} to ${max}; ${q} is outside that.`;
  return null;
}

export interface PlanStep {
  plan: PlanChoice | null;
  term: TermChoice | null;
  quantity: string;
}

/** What is missing before the review, or null when the plan step is complete. */
export function planStepError(s: PlanStep): string | null {
  if (!s.plan) return "Choose a plan.";
  if (!s.term || !s.plan.terms.some((t) => termKey(t) === termKey(s.term as TermChoice))) {
    return "Choose a term and billing cycle.";
  }
  return quantityError(s.quantity, s.plan.minimumQuantity, s.plan.maximumQuantity);
}

/** Time left until `iso`, e.g. "in 23 h 59 min", "in 13 days", or "passed". */
export function timeLeft(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const s = Math.round((t - now) / 1000);
  if (s <= 0) return "passed";
  const min = Math.floor(s / 60);
  if (min < 60) return `in ${Math.max(1, min)} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `in ${h} h ${min % 60} min`;
  const days = Math.floor(h / 24);
  return h % 24 === 0 ? `in ${days} days` : `in ${days} d ${h % 24} h`;
}

/** Only https links are opened in the browser. */
export function isHttps(uri: string): boolean {
  try {
    return new URL(uri).protocol === "https:";
  } catch {
    return false;
  }
}

/** "Email to customer": a mailto with a prefilled message carrying the activation link. */
export function mailtoFor(c: Pick<OrderConfirmation, "customerEmail" | "customerName" | "productTitle" | "plan" | "orderId">, link: string, deadline: string | null): string {
  const subject = `Activate your ${c.productTitle} subscription`;
  const lines = [
    `Hello ${c.customerName},`,
    "",
    `We have ordered ${c.productTitle} (${c.plan}) for you. To start using it, open this link and complete the sign-up on the publisher's page:`,
    "",
    link,
    "",
    "The link is personal to your organization and is valid for about 24 hours; ask us for a new one if it has expired.",
  ];
  if (deadline) lines.push("", `You can cancel it with a refund until ${deadline}.`);
  lines.push("", `Order reference: ${c.orderId}`, "", "Kind regards");
  const to = c.customerEmail ? encodeURIComponent(c.customerEmail).replace(/%40/g, "@") : "";
  return `mailto:${to}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(lines.join("\r\n"))}`;
}

/** Copy text: the async clipboard, else a hidden textarea and execCommand. Resolves to whether it worked. */
export async function copyText(text: string, doc: Document = document): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the textarea
  }
  const ta = doc.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  doc.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = doc.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

export const STATE_LABELS: Record<OrderState, string> = {
  started: "Sent, outcome not known yet",
  cartCreated: "Cart created, outcome not known yet",
  placed: "Placed",
  refused: "Refused",
  notPlaced: "Not placed",
};

/** Whether an entry still waits for reconciliation. */
export const isOpen = (s: OrderState): boolean => s === "started" || s === "cartCreated";
