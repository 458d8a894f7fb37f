// The only module that talks to the Rust side: one function per command, errors as IpcError.
import { Channel, invoke } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";

import type { ActivationLinkView } from "./bindings/ActivationLinkView";
import type { ConnectionStatus } from "./bindings/ConnectionStatus";
import type { CustomerDetail } from "./bindings/CustomerDetail";
import type { CustomerRow } from "./bindings/CustomerRow";
import type { OrderConfirmation } from "./bindings/OrderConfirmation";
import type { OrderReview } from "./bindings/OrderReview";
import type { OrderRow } from "./bindings/OrderRow";
import type { PurchaseChoice } from "./bindings/PurchaseChoice";
import type { PurchaseOptions } from "./bindings/PurchaseOptions";
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

/** Customers whose company name, domain or tenant id contains `search`; `refresh` re-reads the list. */
export const customers = (search: string, refresh = false): Promise<CustomerRow[]> =>
  call("customers", { search, refresh });

/** Billing country, subscriptions and the orders placed from this app. */
export const customerDetail = (customerId: string): Promise<CustomerDetail> =>
  call("customer_detail", { customerId });

/** What the offer sells in the customer's billing country (or why it is not sold there). */
export const purchaseOptions = (
  customerId: string,
  productId: string,
  market: string,
  offerKey: string | null,
): Promise<PurchaseOptions> => call("purchase_options", { customerId, productId, market, offerKey });

/** Check a choice against every rule; the answer's `reviewId` places it. */
export const reviewOrder = (choice: PurchaseChoice): Promise<OrderReview> => call("review_order", { choice });

/** Place a reviewed order; one review places at most one order. */
export const placeOrder = (reviewId: string): Promise<OrderConfirmation> => call("place_order", { reviewId });

/** The order's activation link, waiting up to `waitSecs` with backoff; null while Partner Center has none. */
export const activationLink = (customerId: string, orderId: string, waitSecs: number): Promise<ActivationLinkView | null> =>
  call("activation_link", { customerId, orderId, waitSecs });

/** The orders journal, newest first, optionally for one customer. */
export const orders = (customerId: string | null): Promise<OrderRow[]> => call("orders", { customerId });

// ---- Subscriptions (issue 6)

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
