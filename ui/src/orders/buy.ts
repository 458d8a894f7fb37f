// The buy flow's pure logic: the wizard's states, labels, money, step validation, the customer
// email.
import type { OrderConfirmation, OrderReview, OrderState, PlanChoice, PurchaseOptions, TermChoice } from "../bindings";
import { isoPeriod } from "../format";
import { t } from "../i18n";

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

const BILLED = new Map<string, () => string>([
  ["monthly", () => t("buy.billed.monthly")],
  ["annual", () => t("buy.billed.annual")],
  ["one_time", () => t("buy.billed.once")],
  ["triennial", () => t("buy.billed.triennial")],
  ["biennial", () => t("buy.billed.biennial")],
  ["none", () => t("buy.billed.none")],
]);
/** "billed monthly", "not billed", … */
export const billedLabel = (cycle: string): string => BILLED.get(cycle.toLowerCase())?.() ?? t("buy.billed.other", { cycle });

/** "1 year, billed monthly" or "Free trial, 1 month". */
export function termLabel(term: Pick<TermChoice, "termDuration" | "billingCycle" | "trial">): string {
  if (term.trial) return t("buy.freeTrialTerm", { duration: isoPeriod(term.termDuration) });
  return t("buy.term", { duration: isoPeriod(term.termDuration), billed: billedLabel(term.billingCycle) });
}

/** A stable key for a term option (radio value). */
export const termKey = (t: Pick<TermChoice, "termDuration" | "billingCycle" | "trial">): string =>
  `${t.trial ? "trial" : "paid"}:${t.termDuration}:${t.billingCycle}`;

/** Why a quantity cannot be ordered, or null when it can. */
export function quantityError(raw: string, min: number, max: number): string | null {
  if (raw.trim() === "") return t("buy.enterQuantity", { min, max });
  const q = Number(raw);
  if (!Number.isInteger(q)) return t("buy.wholeNumber");
  if (q < min || q > max) return t("buy.outsideBounds", { min, max, q });
  return null;
}

export interface PlanStep {
  plan: PlanChoice | null;
  term: TermChoice | null;
  quantity: string;
}

/** What is missing before the review, or null when the plan step is complete. */
export function planStepError(s: PlanStep): string | null {
  if (!s.plan) return t("buy.choosePlan");
  if (!s.term || !s.plan.terms.some((t) => termKey(t) === termKey(s.term as TermChoice))) {
    return t("buy.chooseTerm");
  }
  return quantityError(s.quantity, s.plan.minimumQuantity, s.plan.maximumQuantity);
}

/** Time left until `iso`, e.g. "in 23 h 59 min", "in 13 days", or "passed". */
export function timeLeft(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const s = Math.round((at - now) / 1000);
  if (s <= 0) return t("buy.passed");
  const min = Math.floor(s / 60);
  if (min < 60) return t("buy.inMin", { m: Math.max(1, min) });
  const h = Math.floor(min / 60);
  if (h < 48) return t("buy.inHMin", { h, m: min % 60 });
  const days = Math.floor(h / 24);
  return h % 24 === 0 ? t("buy.inDays", { count: days }) : t("buy.inDH", { d: days, h: h % 24 });
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
  const subject = t("buy.mail.subject", { product: c.productTitle });
  const lines = [
    t("buy.mail.hello", { name: c.customerName }),
    "",
    t("buy.mail.ordered", { product: c.productTitle, plan: c.plan }),
    "",
    link,
    "",
    t("buy.mail.personal"),
  ];
  if (deadline) lines.push("", t("buy.mail.refundUntil", { deadline }));
  lines.push("", t("buy.mail.reference", { orderId: c.orderId }), "", t("buy.mail.regards"));
  return mailto(c.customerEmail, subject, lines.join("\r\n"));
}

/** A mailto link with a subject and a body (to nobody yet when `to` is not known). */
export const mailto = (to: string | null, subject: string, body: string): string =>
  `mailto:${to ? encodeURIComponent(to).replace(/%40/g, "@") : ""}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;

// Every state has its words: the compiler fails here when the core adds one.
const STATE_LABELS: Record<OrderState, () => string> = {
  started: () => t("buy.state.started"),
  cartCreated: () => t("buy.state.cartCreated"),
  placed: () => t("buy.state.placed"),
  refused: () => t("buy.state.refused"),
  notPlaced: () => t("buy.state.notPlaced"),
};
export const stateLabel = (s: OrderState): string => STATE_LABELS[s]();

/** Whether an entry still waits for reconciliation. */
export const isOpen = (s: OrderState): boolean => s === "started" || s === "cartCreated";
