import { describe, expect, it } from "vitest";

import type { OrderConfirmation, OrderReview, PlanChoice, PurchaseOptions, TermChoice } from "../bindings";
import { type Buy, buyStep, isHttps, mailtoFor, planStepError, quantityError, termLabel, timeLeft } from "./buy";
import { isoPeriod, money } from "../format";

const monthly: TermChoice = {
  termDuration: "P1M",
  billingCycle: "monthly",
  description: "",
  trial: false,
  cancellation: { hours: 24, text: "24 hours after purchase", message: { code: "windowHours", params: { hours: 24 } }, source: "policy" },
};
const trial: TermChoice = { ...monthly, trial: true, billingCycle: "none", cancellation: { ...monthly.cancellation, text: "any time during the trial", message: { code: "windowTrial" } } };
const plan: PlanChoice = {
  skuId: "0001",
  title: "Standard",
  description: "",
  availabilityId: "AV1",
  minimumQuantity: 1,
  maximumQuantity: 10,
  terms: [monthly, trial],
};

describe("labels", () => {
  it("reads durations and billing like a person", () => {
    expect(isoPeriod("P1M")).toBe("1 month");
    expect(isoPeriod("P3Y")).toBe("3 years");
    expect(termLabel({ termDuration: "P1Y", billingCycle: "monthly", trial: false })).toBe("1 year, billed monthly");
    expect(termLabel(trial)).toBe("Free trial, 1 month");
  });

  it("shows money in the market's currency with its symbol", () => {
    expect(money(1234.5, "USD", { locale: "en-US" })).toBe("$1,234.50");
    expect(money(9, "GBP", { locale: "en-GB" })).toBe("£9.00");
    expect(money(3, "", { locale: "en-US" })).toBe("3.00");
  });

  it("counts down to a deadline", () => {
    const now = Date.parse("2026-11-21T10:00:00Z");
    expect(timeLeft("2026-11-22T09:59:00Z", now)).toBe("in 23 h 59 min");
    expect(timeLeft("2026-12-05T10:00:00Z", now)).toBe("in 14 days");
    expect(timeLeft("2026-12-05T09:00:00Z", now)).toBe("in 13 d 23 h");
    expect(timeLeft("2026-11-21T09:00:00Z", now)).toBe("passed");
  });
});

describe("plan step", () => {
  it("needs a plan, a term it offers, and a quantity within bounds", () => {
    expect(planStepError({ plan: null, term: null, quantity: "1" })).toBe("Choose a plan.");
    expect(planStepError({ plan, term: null, quantity: "1" })).toBe("Choose a term and billing cycle.");
    const annual = { ...monthly, termDuration: "P1Y", billingCycle: "annual" };
    expect(planStepError({ plan, term: annual, quantity: "1" })).toBe("Choose a term and billing cycle.");
    expect(planStepError({ plan, term: monthly, quantity: "11" })).toMatch(/1 to 10/);
    expect(planStepError({ plan, term: trial, quantity: "10" })).toBeNull();
  });

  it("explains a bad quantity", () => {
    expect(quantityError("", 1, 5)).toMatch(/from 1 to 5/);
    expect(quantityError("2.5", 1, 5)).toMatch(/whole number/);
    expect(quantityError("0", 1, 5)).toMatch(/outside/);
    expect(quantityError("5", 1, 5)).toBeNull();
  });
});

describe("confirmation actions", () => {
  const conf = { customerEmail: "it@contoso.example", customerName: "Contoso Ltd", productTitle: "Backup & Restore", plan: "Pro", orderId: "ORD-1" };
  const link = "https://publisher.example/landing?token=a+b&x=1";

  it("composes an email to the customer with the link, deadline and order", () => {
    const m = mailtoFor(conf, link, "22 Nov 2026, 10:00");
    expect(m.startsWith("mailto:it@contoso.example?subject=")).toBe(true);
    const url = new URL(m);
    const subject = url.searchParams.get("subject");
    const body = url.searchParams.get("body") ?? "";
    expect(subject).toBe("Activate your Backup & Restore subscription");
    expect(body).toContain(link);
    expect(body).toContain("Hello Contoso Ltd,");
    expect(body).toContain("until 22 Nov 2026, 10:00");
    expect(body).toContain("ORD-1");
  });

  it("leaves the recipient empty when the customer has no email", () => {
    expect(mailtoFor({ ...conf, customerEmail: null }, link, null).startsWith("mailto:?subject=")).toBe(true);
  });

  it("opens https only", () => {
    expect(isHttps(link)).toBe(true);
    expect(isHttps("http://publisher.example/landing")).toBe(false);
    expect(isHttps("javascript:alert(1)")).toBe(false);
  });
});

describe("the buy wizard", () => {
  const offer = { key: "k", productId: "P", title: "Fabrikam CRM", publisherName: "Fabrikam" };
  const options: PurchaseOptions = { customerId: "c1", customerName: "Contoso", country: "US", productId: "P", productTitle: "Fabrikam CRM", publisherName: "Fabrikam", notSold: null, plans: [plan] };
  const review = { reviewId: "r1" } as OrderReview;
  const start: Buy = { step: 1, offer, customer: null, notSold: null };

  it("stays on the customer step when the offer is not sold in their country", () => {
    const notSold = { ...options, plans: [], notSold: { country: "FR", message: "Fabrikam CRM is not sold in FR, the billing country of Contoso", messageCode: { code: "notSoldIn", params: { product: "Fabrikam CRM", country: "FR", customer: "Contoso" } }, contacts: null } } as PurchaseOptions;
    const s = buyStep(buyStep(start, { type: "customer", customer: { id: "c1", name: "Contoso" } }), { type: "options", options: notSold });
    expect(s).toMatchObject({ step: 1, notSold });
    // Another customer hides the answer for the first.
    expect(buyStep(s, { type: "customer", customer: { id: "c2", name: "Fabrikam" } })).toMatchObject({ step: 1, notSold: null });
  });

  it("goes to the plan with its first paid term and smallest quantity, then review, back, and placed", () => {
    let s = buyStep(buyStep(start, { type: "customer", customer: { id: "c1", name: "Contoso" } }), { type: "options", options });
    expect(s).toMatchObject({ step: 2, plan, term: monthly, quantity: "1" });
    s = buyStep(buyStep(s, { type: "term", term: trial }), { type: "quantity", quantity: "3" });
    s = buyStep(s, { type: "reviewed", review });
    expect(s).toMatchObject({ step: 3, review, term: trial, quantity: "3" });
    // Back keeps what was chosen; a review in the wrong step is ignored.
    s = buyStep(s, { type: "back" });
    expect(s).toMatchObject({ step: 2, term: trial, quantity: "3" });
    expect(buyStep(s, { type: "placed", confirmation: {} as OrderConfirmation })).toBe(s);
    s = buyStep(buyStep(s, { type: "reviewed", review }), { type: "placed", confirmation: { orderId: "o1" } as OrderConfirmation });
    expect(s).toMatchObject({ step: 4, confirmation: { orderId: "o1" } });
    expect(buyStep(s, { type: "back" })).toBe(s);
  });
});
