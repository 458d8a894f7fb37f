// App-wide: the sidebar's count badges (subscriptions whose cancellation window closes within
// 24 h), polled every minute, and one desktop notification per subscription when its window has
// less than 2 hours left. Permission is asked once, the first time there is something to say.
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import { useEffect, useState } from "react";

import * as api from "../api";
import type { ConnectionStatus } from "../bindings/ConnectionStatus";
import type { UrgentSubscription } from "../bindings/UrgentSubscription";
import type { View } from "../shell/Sidebar";
import { duration, skewOf } from "./time";

/** Dispatched on `window` after a cancel; the badges count again. */
export const SUBSCRIPTIONS_CHANGED = "cspdesk:subscriptions-changed";

const POLL_MS = 60_000;
const NOTIFIED_KEY = "cspdesk.subscriptions.notified";
const ASKED_KEY = "cspdesk.subscriptions.notificationPermissionAsked";

type Badges = Partial<Record<View, number>>;
type Titles = Partial<Record<View, string>>;

// The tooltip of each badge object the hook returned (App passes it on to the Sidebar).
const titlesOf = new WeakMap<Badges, Titles>();

/** The badges' tooltips, e.g. "3 closing within 24 h · 2 waiting for activation". */
export const badgeTitles = (badges: Badges): Titles => titlesOf.get(badges) ?? {};

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
  const at = new Date(u.deadline).toLocaleTimeString(undefined, { timeStyle: "short" });
  return {
    title: "Cancellation window closing",
    body: `${u.productName} for ${u.customerName}: it can be cancelled for ${duration(left)} more (until ${at}).`,
  };
}

async function mayNotify(): Promise<boolean> {
  if (await isPermissionGranted()) return true;
  if (localStorage.getItem(ASKED_KEY)) return false;
  localStorage.setItem(ASKED_KEY, "1");
  return (await requestPermission()) === "granted";
}

export function useBadges(status: ConnectionStatus | null): Badges {
  const [badges, setBadges] = useState<Badges>({});
  useEffect(() => {
    if (!status) return;
    let live = true;
    const poll = async () => {
      try {
        const b = await api.subscriptionBadges();
        if (!live) return;
        const next: Badges = { subscriptions: b.counts.closingSoon };
        const parts = [`${b.counts.closingSoon} closing within 24 h`];
        if (b.counts.waitingForActivation > 0) parts.push(`${b.counts.waitingForActivation} waiting for activation`);
        titlesOf.set(next, { subscriptions: parts.join(" · ") });
        setBadges(next);
        const done = notifiedSet();
        const fresh = toNotify(b.urgent, done);
        if (fresh.length > 0 && (await mayNotify())) {
          const now = Date.now() + skewOf(b.now);
          for (const u of fresh) {
            sendNotification(notificationText(u, now));
            done.add(u.subscriptionId);
          }
          // Keep the list short: only ids still urgent or recent enough to matter.
          localStorage.setItem(NOTIFIED_KEY, JSON.stringify([...done].slice(-500)));
        }
      } catch (e) {
        // A badge is a hint: the Subscriptions view shows the error where it belongs.
        console.warn("subscription badges unavailable", e);
      }
    };
    void poll();
    const t = window.setInterval(() => void poll(), POLL_MS);
    // A cancel in the Subscriptions view counts again at once.
    const again = () => void poll();
    window.addEventListener(SUBSCRIPTIONS_CHANGED, again);
    return () => {
      live = false;
      window.clearInterval(t);
      window.removeEventListener(SUBSCRIPTIONS_CHANGED, again);
    };
  }, [status]);
  return badges;
}
