// The only module that talks to the Rust side: one function per command, errors as IpcError.
import { Channel, invoke } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";

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

// ---- Invoices and publishers (issue 7)

// ---- Settings and sign-in (issue 8)

/** The settings in effect, the file they live in, and what was wrong with it at startup. */
export const readSettings = (): Promise<import("./bindings/SettingsView").SettingsView> => call("read_settings");

/** Validates and saves; invalid fields come back in `errors` and nothing is written. */
export const saveSettings = (
  values: import("./bindings/SettingsValues").SettingsValues,
): Promise<import("./bindings/SaveOutcome").SaveOutcome> => call("save_settings", { values });

/** Who is signed in (keychain only); with `check`, one token request per audience too. */
export const whoami = (check: boolean): Promise<import("./bindings/WhoAmI").WhoAmI> => call("whoami", { check });

/** Opens the sign-in page in the system browser and waits (up to 5 min) for it to come back. */
export const signIn = (): Promise<import("./bindings/AccountChange").AccountChange> => call("sign_in");

/** Stops a sign-in that waits for the browser; `signIn` then fails with kind "cancelled". */
export const cancelSignIn = (): Promise<void> => call("cancel_sign_in");

/** Deletes the sign-in from the keychain. */
export const signOut = (): Promise<import("./bindings/AccountChange").AccountChange> => call("sign_out");

/** Restarts CSP Desk so the connection is opened anew from the saved settings. */
export const restartApp = (): Promise<void> => call("restart_app");

/** The folder picker (export folder); null when the person closed it. */
export async function chooseFolder(title: string, defaultPath?: string): Promise<string | null> {
  try {
    const { open } = await import("@tauri-apps/plugin-dialog");
    const picked = await open({ directory: true, multiple: false, title, defaultPath });
    return typeof picked === "string" ? picked : null;
  } catch (e) {
    throw toIpcError(e);
  }
}

// ---- Shared

/** Open a publisher link (https, mailto, tel) with the system's handler. */
export async function openLink(url: string): Promise<void> {
  try {
    await openUrl(url);
  } catch (e) {
    throw toIpcError(e);
  }
}
