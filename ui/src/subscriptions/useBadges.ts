// App-wide: the sidebar's count badges (subscriptions whose cancellation window closes within
// 24 h), polled every minute, and one desktop notification per subscription when its window has
// less than 2 hours left. Permission is asked once, the first time there is something to say.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";

import * as api from "../api";
import type { ConnectionStatus, UrgentSubscription } from "../bindings";
import type { View } from "../shell/nav";
import { count, time } from "../format";
import { t } from "../i18n";
import { duration, skewOf } from "./time";

const POLL_MS = 60_000;
const NOTIFIED_KEY = "cspdesk.subscriptions.notified";
const ASKED_KEY = "cspdesk.subscriptions.notificationPermissionAsked";

type Badges = Partial<Record<View, number>>;
type Titles = Partial<Record<View, string>>;

/** Subscriptions already notified (kept across restarts, so each is notified once). */
export function notifiedSet(storage: Pick<Storage, "getItem"> = localStorage): Set<string> {
  try {
    const v: unknown = JSON.parse(storage.getItem(NOTIFIED_KEY) ?? "[]");
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  } catch {
    return new Set();
  }
}

/** The urgent ones not yet notified. */
export function toNotify(urgent: UrgentSubscription[], done: ReadonlySet<string>): UrgentSubscription[] {
  return urgent.filter((u) => !done.has(u.subscriptionId));
}

export function notificationText(u: UrgentSubscription, now: number): { title: string; body: string } {
  const left = Date.parse(u.deadline) - now;
  return {
    title: t("badges.closingTitle"),
    body: t("badges.closingBody", { product: u.productName, customer: u.customerName, left: duration(left), at: time(u.deadline) }),
  };
}

/** The badges and their tooltips ("3 closing within 24 h · 2 waiting for activation"); sends the
 * notifications as a side effect. Anything that changes a subscription invalidates
 * ["subscriptions"], and the badges count again at once. */
export function useBadges(status: ConnectionStatus | null): { badges: Badges; titles: Titles } {
  const { data } = useQuery({ queryKey: ["subscriptions", "badges"], queryFn: api.subscriptionBadges, enabled: status !== null, refetchInterval: POLL_MS });
  useEffect(() => {
    if (!data) return;
    const done = notifiedSet();
    const asked = { get: () => localStorage.getItem(ASKED_KEY) !== null, set: () => localStorage.setItem(ASKED_KEY, "1") };
    const now = Date.now() + skewOf(data.now);
    void (async () => {
      for (const u of toNotify(data.urgent, done)) {
        if (!(await api.notify(notificationText(u, now), asked))) return;
        done.add(u.subscriptionId);
        // Keep the list short: only ids still urgent or recent enough to matter.
        localStorage.setItem(NOTIFIED_KEY, JSON.stringify([...done].slice(-500)));
      }
    })().catch((e: unknown) => console.warn("notification not sent", e));
  }, [data]);
  if (data === undefined) return { badges: {}, titles: {} };
  const parts = [t("badges.closing", { n: count(data.counts.closingSoon) })];
  if (data.counts.waitingForActivation > 0) parts.push(t("badges.waiting", { n: count(data.counts.waitingForActivation) }));
  return { badges: { subscriptions: data.counts.closingSoon }, titles: { subscriptions: parts.join(" · ") } };
}
