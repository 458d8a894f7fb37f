// The only module that talks to the Rust side: one function per command, errors as IpcError.
import { Channel, invoke } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";

import type { ActivationLinkInfo } from "./bindings/ActivationLinkInfo";
import type { AutoRenewResult } from "./bindings/AutoRenewResult";
import type { PlanChange } from "./bindings/PlanChange";
import type { PlanChoices } from "./bindings/PlanChoices";
import type { PolicyInfo } from "./bindings/PolicyInfo";
import type { QuantityBounds } from "./bindings/QuantityBounds";
import type { SubscriptionBadges } from "./bindings/SubscriptionBadges";
import type { SubscriptionExport } from "./bindings/SubscriptionExport";
import type { SubscriptionItem } from "./bindings/SubscriptionItem";
import type { SubscriptionList } from "./bindings/SubscriptionList";
import type { SubscriptionRef } from "./bindings/SubscriptionRef";
import type { SubscriptionSet } from "./bindings/SubscriptionSet";
import type { ConnectionStatus } from "./bindings/ConnectionStatus";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { Market } from "./bindings/Market";
import type { OfferDetail } from "./bindings/OfferDetail";
import type { OfferFilter } from "./bindings/OfferFilter";
import type { OfferQuery } from "./bindings/OfferQuery";
import type { OfferWindow } from "./bindings/OfferWindow";
import type { Progress } from "./bindings/Progress";
import type { PublisherOption } from "./bindings/PublisherOption";
import type { SyncState } from "./bindings/SyncState";

const KINDS: ReadonlySet<string> = new Set<ErrorKind>([
  "network",
  "throttled",
  "api",
  "auth",
  "notFound",
  "refused",
  "invalid",
  "decode",
  "cancelled",
  "store",
  "unknown",
]);

/** A failed command: `kind` is what the UI branches on; `message` says what happened and what to do. */
export class IpcError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;

  constructor(kind: ErrorKind, message: string, retryable: boolean) {
    super(message);
    this.name = "IpcError";
    this.kind = kind;
    this.retryable = retryable;
  }
}

/** Whatever a rejected `invoke` gave, as an IpcError (unknown shapes become kind "unknown"). */
export function toIpcError(e: unknown): IpcError {
  if (e instanceof IpcError) return e;
  if (typeof e === "object" && e !== null) {
    const o = e as Record<string, unknown>;
    const kind = typeof o.kind === "string" && KINDS.has(o.kind) ? (o.kind as ErrorKind) : "unknown";
    const message = typeof o.message === "string" ? o.message : JSON.stringify(e);
    return new IpcError(kind, message, o.retryable === true);
  }
  return new IpcError("unknown", String(e), false);
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const connectionStatus = (): Promise<ConnectionStatus> => call("connection_status");

export const markets = (): Promise<Market[]> => call("markets");

export const lastSync = (market: string): Promise<SyncState | null> => call("last_sync", { market });

/** Sync a market's catalog; `onProgress` gets each step through a channel. */
export function syncCatalog(market: string, onProgress: (p: Progress) => void): Promise<SyncState> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return call("sync_catalog", { market, onProgress: channel });
}

export const cancelSync = (): Promise<void> => call("cancel_sync");

/** One window of rows plus facet counts; never the whole list. */
export const queryOffers = (market: string, query: OfferQuery): Promise<OfferWindow> =>
  call("query_offers", { market, query });

export const offerDetail = (market: string, key: string): Promise<OfferDetail> =>
  call("offer_detail", { market, key });

/** Publishers for the type-ahead, each with the rows it would give under `filter`. */
export const publishers = (market: string, prefix: string, filter: OfferFilter): Promise<PublisherOption[]> =>
  call("publishers", { market, prefix, filter });

// ---- Price lists (issue 4)

// ---- Customers, buy flow, orders (issue 5)

// ---- Subscriptions (issue 6)

/** Subscriptions of one customer (or all) in `set`, with the counts of every set and the core's `now`. */
export const listSubscriptions = (customerId: string | null, set: SubscriptionSet = "all"): Promise<SubscriptionList> =>
  call("list_subscriptions", { customerId, set });

/** Counts for the sidebar badges, and the windows closing in under 2 hours. */
export const subscriptionBadges = (): Promise<SubscriptionBadges> => call("subscription_badges");

export const getSubscription = (customerId: string, subscriptionId: string): Promise<SubscriptionItem> =>
  call("get_subscription", { customerId, subscriptionId });

/** Cancel inside the window; the subscription as read back from Partner Center. */
export const cancelSubscription = (customerId: string, subscriptionId: string): Promise<SubscriptionItem> =>
  call("cancel_subscription", { customerId, subscriptionId });

/** The value read back from Partner Center. */
export const setAutoRenew = (customerId: string, subscriptionId: string, on: boolean): Promise<boolean> =>
  call("set_auto_renew", { customerId, subscriptionId, on });

export const setAutoRenewBulk = (targets: SubscriptionRef[], on: boolean): Promise<AutoRenewResult[]> =>
  call("set_auto_renew_bulk", { targets, on });

export const quantityBounds = (customerId: string, subscriptionId: string): Promise<QuantityBounds> =>
  call("quantity_bounds", { customerId, subscriptionId });

export const setQuantity = (customerId: string, subscriptionId: string, quantity: number): Promise<SubscriptionItem> =>
  call("set_quantity", { customerId, subscriptionId, quantity });

/** The activation link: the one held if under 24 h old, else fetched anew. */
export const activationLink = (customerId: string, subscriptionId: string): Promise<ActivationLinkInfo> =>
  call("activation_link", { customerId, subscriptionId });

export const cancellationPolicy = (): Promise<PolicyInfo> => call("cancellation_policy");

/** The plans Partner Center lists as eligible targets, and the others with the reason. */
export const planOptions = (customerId: string, subscriptionId: string): Promise<PlanChoices> =>
  call("plan_options", { customerId, subscriptionId });

/** Move to an eligible plan (offer id), optionally with a new seat count; read back. */
export const changePlan = (customerId: string, subscriptionId: string, target: string, quantity: number | null): Promise<PlanChange> =>
  call("change_plan", { customerId, subscriptionId, target, quantity });

/** Export the rows named (in that order) to .xlsx or .csv. */
export const exportSubscriptions = (path: string, keys: SubscriptionRef[]): Promise<SubscriptionExport> =>
  call("export_subscriptions", { path, customerId: null, keys });

// ---- Invoices and publishers (issue 7)

// ---- Settings and sign-in (issue 8)

// ---- Shared

/** Open a publisher link (https, mailto, tel) with the system's handler. */
export async function openLink(url: string): Promise<void> {
  try {
    await openUrl(url);
  } catch (e) {
    throw toIpcError(e);
  }
}
