import { describe, expect, it } from "vitest";

import type { SubscriptionItem } from "../bindings";
import { sub as base } from "./fixture";
import { EMPTY_LIST_FILTER, cancelRule, closingSoon, countdown, duration, matches, skewOf, sortRows, termLabel, waitingFor } from "./time";

const NOW = Date.parse("2026-11-21T08:00:00Z");
const H = 3_600_000;

const sub = (over: Partial<SubscriptionItem> = {}) => base({ friendlyName: "Fabrikam CRM - Pro", ...over });

describe("countdown formatting", () => {
  it("reads as people say it", () => {
    expect(duration(3 * H + 12 * 60_000)).toBe("3 h 12 min");
    expect(duration(2 * 24 * H + 3 * H)).toBe("2 days 3 h");
    expect(duration(24 * H)).toBe("1 day");
    expect(duration(45 * 60_000)).toBe("45 min");
    expect(duration(30_000)).toBe("under a minute");
    expect(duration(3 * H + 12 * 60_000 + 5_000, true)).toBe("3 h 12 min 05 s");
    expect(duration(65_000, true)).toBe("1 min 05 s");
    expect(duration(9_000, true)).toBe("9 s");
  });

  it("counts down to the deadline and says when it closed", () => {
    expect(countdown("2026-11-21T11:12:00Z", NOW)).toBe("in 3 h 12 min");
    expect(countdown("2026-11-21T11:12:00Z", NOW + 1000, true)).toBe("in 3 h 11 min 59 s");
    expect(countdown("2026-11-21T07:00:00Z", NOW)).toBe("closed 1 h ago");
    expect(countdown("2026-11-21T07:59:30Z", NOW)).toBe("closed just now");
    expect(countdown("not a date", NOW)).toBe("unknown");
  });

  it("says how long a subscription has waited for activation", () => {
    expect(waitingFor("2026-11-21T03:00:00Z", NOW)).toBe("waiting for 5 h");
    expect(waitingFor(null, NOW)).toBe("waiting");
  });

  it("takes the core's clock from its answer", () => {
    expect(skewOf("2026-11-21T09:00:00Z", NOW)).toBe(H);
    expect(skewOf("garbage", NOW)).toBe(0);
  });
});

describe("the Cancel rule", () => {
  const fmt = (iso: string) => `<${iso}>`;

  it("is enabled inside the window, up to the deadline itself", () => {
    expect(cancelRule(sub(), NOW, fmt)).toEqual({ enabled: true, reason: null });
    expect(cancelRule(sub(), Date.parse("2026-11-21T11:12:00Z"), fmt).enabled).toBe(true);
    expect(cancelRule(sub({ status: "pendingFulfillment" }), NOW, fmt).enabled).toBe(true);
  });

  it("is disabled after the window and says when it closed", () => {
    const r = cancelRule(sub(), Date.parse("2026-11-21T11:12:01Z"), fmt);
    expect(r.enabled).toBe(false);
    expect(r.reason).toBe("The cancellation window closed on <2026-11-21T11:12:00Z>.");
  });

  it("is disabled, with the core's reason in the UI's words, when the core blocks it", () => {
    const blocked = (code: "cancelBlockedCancelled" | "cancelBlockedSuspended" | "cancelBlockedNoWindow", over: Partial<SubscriptionItem> = {}) =>
      cancelRule(sub({ ...over, canCancel: false, cancellableUntil: null, cancelBlocked: { code } }), NOW, fmt);
    expect(blocked("cancelBlockedCancelled", { status: "cancelled" })).toEqual({ enabled: false, reason: "This subscription is cancelled." });
    expect(blocked("cancelBlockedSuspended", { status: "suspended" })).toEqual({ enabled: false, reason: "A suspended subscription cannot be cancelled here; check it in Partner Center." });
    const none = blocked("cancelBlockedNoWindow", { deadline: null });
    expect(none.enabled).toBe(false);
    expect(none.reason).toContain("no cancellation window");
  });

  it("closing soon means open and within 24 h", () => {
    expect(closingSoon(sub(), NOW)).toBe(true);
    // The core sends the deadline and the instant it starts closing soon (24 h before it).
    const later = { at: "2026-11-23T08:00:00Z", kind: "policy", source: "policy", message: { code: "deadlinePolicy", params: { source: "Microsoft" } } } as const;
    expect(closingSoon(sub({ deadline: later, cancellableUntil: later.at, closingSoonFrom: "2026-11-22T08:00:00Z" }), NOW)).toBe(false);
    expect(closingSoon(sub(), Date.parse("2026-11-21T12:00:00Z"))).toBe(false);
    expect(closingSoon(sub({ status: "cancelled", cancellableUntil: null, cancelBlocked: { code: "cancelBlockedCancelled" } }), NOW)).toBe(false);
  });
});

describe("filter and sort", () => {
  const rows = [
    sub({ id: "a", customerName: "Beta", quantity: 3, status: "pendingFulfillment" }),
    // As the core sends them: no window, or cancelled, means nothing to cancel until.
    sub({ id: "b", customerName: "alpha", quantity: 10, publisherName: "Other", deadline: null, cancellableUntil: null, cancelBlocked: { code: "cancelBlockedNoWindow" }, closingSoonFrom: null }),
    sub({ id: "c", customerName: "Gamma", quantity: 1, status: "cancelled", cancellableUntil: null, cancelBlocked: { code: "cancelBlockedCancelled" }, closingSoonFrom: null }),
  ];
  it("filters by segment, status, publisher and words", () => {
    const ids = (f: Partial<typeof EMPTY_LIST_FILTER>) => rows.filter((r) => matches(r, { ...EMPTY_LIST_FILTER, ...f }, NOW)).map((r) => r.id);
    expect(ids({})).toEqual(["a", "b", "c"]);
    expect(ids({ segment: "waiting" })).toEqual(["a"]);
    expect(ids({ segment: "closingSoon" })).toEqual(["a"]);
    expect(ids({ publisher: "Other" })).toEqual(["b"]);
    expect(ids({ status: "cancelled" })).toEqual(["c"]);
    expect(ids({ search: "gam fabrikam" })).toEqual(["c"]);
  });
  it("sorts by a column, either way", () => {
    expect(sortRows(rows, { key: "customer", descending: false }).map((r) => r.id)).toEqual(["b", "a", "c"]);
    expect(sortRows(rows, { key: "quantity", descending: true }).map((r) => r.id)).toEqual(["b", "a", "c"]);
    expect(sortRows(rows, { key: "deadline", descending: false }).map((r) => r.id)).toEqual(["a", "c", "b"]);
  });
  it("orders terms by their length, a year after twelve months' less", () => {
    const terms = [sub({ id: "y", termDuration: "P1Y" }), sub({ id: "m", termDuration: "P1M" }), sub({ id: "t", termDuration: "P3Y" })];
    expect(sortRows(terms, { key: "term", descending: false }).map((r) => r.id)).toEqual(["m", "y", "t"]);
  });
  it("labels terms", () => {
    expect(termLabel("P1M")).toBe("1 month");
    expect(termLabel("P3Y")).toBe("3 years");
  });
});

describe("notifications", () => {
  it("notify each urgent subscription once, saying what and until when", async () => {
    const { notifiedSet, notificationText, toNotify } = await import("./useBadges");
    const u = { customerId: "c1", subscriptionId: "s1", customerName: "Contoso", productName: "Fabrikam CRM", deadline: "2026-11-21T09:40:00Z" };
    const v = { ...u, subscriptionId: "s2" };
    const done = notifiedSet({ getItem: () => JSON.stringify(["s1"]) });
    expect(toNotify([u, v], done).map((x) => x.subscriptionId)).toEqual(["s2"]);
    expect(notifiedSet({ getItem: () => "{broken" }).size).toBe(0);
    const t = notificationText(u, NOW);
    expect(t.body).toContain("Fabrikam CRM for Contoso");
    expect(t.body).toContain("1 h 40 min more");
  });
});
