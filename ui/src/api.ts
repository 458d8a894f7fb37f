// The only module that talks to the Rust side and to Tauri's plugins (dialog, opener,
// notification): one function per command, its types from the generated bindings, and every
// failure rejected as an IpcError (the data layer, query.ts, registers it as the error type).
import { Channel, invoke } from "@tauri-apps/api/core";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import { openUrl } from "@tauri-apps/plugin-opener";

import type { AboutInfo, ActivationLinkInfo, AuthReason, AutoRenewResult, Command, ConnectionStatus, CustomerDetail, CustomerRow, ErrorKind, ExportFormat, ExportProgress, ExportResult, FetchedSnapshot, GraphExportProgress, ImpactReport, InvoiceSummary, IpcError as WireError, LineQuery, LineWindow, Market, Message, RuleForm, NoteInput, OfferDetail, OfferFilter, OfferQuery, OfferWindow, OrderActivationLink, OrderConfirmation, OrderReview, OrderRow, PlanChange, PlanChoices, PriceChanges, PriceExportDone, PriceExportRequest, PriceListStatus, Progress, PublisherDetail, PublisherNote, PublisherOption, PublisherRow, PurchaseChoice, PurchaseOptions, QuantityBounds, Registration, RuleRow, ScheduleRunDone, ScheduleSettings, ScheduleStatus, SubscriptionBadges, SubscriptionItem, SubscriptionList, SubscriptionLookup, SubscriptionRef, SubscriptionSet, SyncState, UpdateCheck, UpdatePrefs, UpdateProgress } from "./bindings";
import { say, t } from "./i18n";

// Every kind the core sends, keyed by the generated union: the compiler fails here when the
// core adds or drops a kind, so this cannot drift from `ErrorKind`.
const KIND_NAMES: Record<ErrorKind, true> = {
  network: true,
  throttled: true,
  api: true,
  auth: true,
  notFound: true,
  refused: true,
  invalid: true,
  decode: true,
  cancelled: true,
  store: true,
  keychain: true,
  internal: true,
  unknown: true,
};
const REASON_NAMES: Record<AuthReason, true> = {
  signedOut: true,
  expired: true,
  consentRequired: true,
  mfaRequired: true,
  wrongTenant: true,
  roleMissing: true,
  appRegistration: true,
  declined: true,
  other: true,
};

const isKind = (k: unknown): k is ErrorKind => typeof k === "string" && k in KIND_NAMES;
const isReason = (r: unknown): r is AuthReason => typeof r === "string" && r in REASON_NAMES;
const isMessage = (m: unknown): m is Message => typeof m === "object" && m !== null && typeof (m as { code?: unknown }).code === "string";
const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** A failed command: `kind` is what the UI branches on; `message` says what happened and what to do. */
export class IpcError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  /** Why access was refused, when it was. */
  readonly reason: AuthReason | null;
  /** Partner Center's error code, when it sent one. */
  readonly code: string | null;
  /** The MS-RequestId of the failed call, for Microsoft's support. */
  readonly requestId: string | null;
  /** `message` as the core's sentence code, when it has one (never the server's own words). */
  readonly says: Message | null;

  constructor(
    kind: ErrorKind,
    message: string,
    retryable: boolean,
    more: { reason?: AuthReason | null; code?: string | null; requestId?: string | null; says?: Message | null } = {},
  ) {
    super(message);
    this.name = "IpcError";
    this.kind = kind;
    this.retryable = retryable;
    this.reason = more.reason ?? null;
    this.code = more.code ?? null;
    this.requestId = more.requestId ?? null;
    this.says = more.says ?? null;
  }

  /** What happened, in the UI's language when the core said it as a code (else its English). */
  get text(): string {
    return say(this.says, this.message);
  }

  /** The language `text` is in: English unless the UI's catalog said it. */
  get textLang(): string | undefined {
    return this.says && this.text !== this.message ? undefined : "en";
  }

  /** "code 800002 · request id 9c1d…": what support staff quote to Microsoft, if anything. */
  get details(): string | null {
    const parts = [this.code && `code ${this.code}`, this.requestId && `request id ${this.requestId}`].filter(Boolean);
    return parts.length ? parts.join(" · ") : null;
  }
}

/** Whatever a rejected `invoke` gave, as an IpcError (unknown shapes become kind "unknown"). */
export function toIpcError(e: unknown): IpcError {
  if (e instanceof IpcError) return e;
  if (typeof e === "object" && e !== null) {
    const o = e as Partial<Record<keyof WireError, unknown>>;
    const kind = isKind(o.kind) ? o.kind : "unknown";
    const message = typeof o.message === "string" ? o.message : JSON.stringify(e);
    return new IpcError(kind, message, o.retryable === true, {
      reason: isReason(o.reason) ? o.reason : null,
      code: text(o.code),
      requestId: text(o.requestId),
      says: isMessage(o.says) ? o.says : null,
    });
  }
  return new IpcError("unknown", String(e), false);
}

/** `p`, rejected with an IpcError when it fails. */
async function typed<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toIpcError(e);
  }
}

const call = <T>(cmd: Command, args?: Record<string, unknown>): Promise<T> => typed(invoke<T>(cmd, args));

/** A channel for a command's progress, each message handed to `on`. */
function channel<T>(on?: (message: T) => void): Channel<T> {
  const c = new Channel<T>();
  if (on) c.onmessage = on;
  return c;
}

export const connectionStatus = (): Promise<ConnectionStatus> => call("connection_status");

export const markets = (): Promise<Market[]> => call("markets");

export const lastSync = (market: string): Promise<SyncState | null> => call("last_sync", { market });

/** Sync a market's catalog; `onProgress` gets each step through a channel. */
export const syncCatalog = (market: string, onProgress: (p: Progress) => void): Promise<SyncState> =>
  call("sync_catalog", { market, onProgress: channel(onProgress) });

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

/** The snapshot days of each market (newest first) and the last export. */
export const priceListStatus = (markets: string[]): Promise<PriceListStatus> => call("price_list_status", { markets });

/** A dated file name in the export folder that does not replace an existing file. */
export const defaultPriceListPath = (markets: string[], format: ExportFormat, customer = false): Promise<string> =>
  call("default_price_list_path", { markets, format, customer });

/** Export the price list; progress arrives through a channel. Cancel with `cancelPriceExport(request.exportId)`. */
export const exportPrices = (request: PriceExportRequest, onProgress: (p: ExportProgress) => void): Promise<PriceExportDone> =>
  call("export_prices", { request, onProgress: channel(onProgress) });

export const cancelPriceExport = (exportId: string): Promise<void> => call("cancel_price_export", { exportId });

/** Fetch today's price sheet of each market and keep it as today's snapshot. */
export const fetchPriceSnapshots = (markets: string[]): Promise<FetchedSnapshot[]> => call("fetch_price_snapshots", { markets });

/** Changes between two snapshot days (null: the two newest). */
export const priceChanges = (market: string, from: string | null, to: string | null): Promise<PriceChanges> =>
  call("price_changes", { market, from, to });

export const defaultChangesPath = (market: string, from: string, to: string, format: ExportFormat): Promise<string> =>
  call("default_changes_path", { market, from, to, format });

export const exportPriceChanges = (market: string, from: string | null, to: string | null, path: string, format: ExportFormat): Promise<ExportResult> =>
  call("export_price_changes", { market, from, to, path, format });

/** Open a file CSP Desk exported with the system's default app. */
export const openExportedFile = (path: string): Promise<void> => call("open_exported_file", { path });

/** Show a file CSP Desk exported in its folder. */
export const revealExportedFile = (path: string): Promise<void> => call("reveal_exported_file", { path });

const formatName = (f: ExportFormat): string => (f === "xlsx" ? t("api.xlsx") : t("api.csv"));

/** The system's Save as… dialog for a spreadsheet in one of `formats`; null when the user closed it. */
export const saveSpreadsheetAs = (defaultPath: string, formats: ExportFormat[], title?: string): Promise<string | null> =>
  typed(saveDialog({ title, defaultPath, filters: formats.map((f) => ({ name: formatName(f), extensions: [f] })) }));

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
export const orderActivationLink = (customerId: string, orderId: string, waitSecs: number): Promise<OrderActivationLink | null> =>
  call("order_activation_link", { customerId, orderId, waitSecs });

/** The orders journal, newest first, optionally for one customer. */
export const orders = (customerId: string | null): Promise<OrderRow[]> => call("orders", { customerId });

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
export const subscriptionActivationLink = (customerId: string, subscriptionId: string): Promise<ActivationLinkInfo> =>
  call("subscription_activation_link", { customerId, subscriptionId });

/** The plans Partner Center lists as eligible targets, and the others with the reason. */
export const planOptions = (customerId: string, subscriptionId: string): Promise<PlanChoices> =>
  call("plan_options", { customerId, subscriptionId });

/** Move to an eligible plan (offer id), optionally with a new seat count; read back. */
export const changePlan = (customerId: string, subscriptionId: string, target: string, quantity: number | null): Promise<PlanChange> =>
  call("change_plan", { customerId, subscriptionId, target, quantity });

/** Export the rows named (in that order) to .xlsx or .csv. */
export const exportSubscriptions = (path: string, keys: SubscriptionRef[]): Promise<ExportResult> =>
  call("export_subscriptions", { path, customerId: null, keys });

// ---- Invoices and publishers (issue 7)

/** The current (unbilled) period first, then every invoice, newest first, each with its rule in words. */
export const listInvoices = (): Promise<InvoiceSummary[]> => call("list_invoices");

/** A window of an invoice's marketplace lines under the filters, with totals. When the lines
 * come from a Microsoft Graph export first (minutes, for a recent invoice), `onProgress` hears
 * how it is getting on through a channel. */
export const invoiceLines = (query: LineQuery, onProgress?: (p: GraphExportProgress) => void): Promise<LineWindow> =>
  call("invoice_lines", { query, onProgress: channel(onProgress) });

/** Export the lines matching `query`'s filters to `path` (.xlsx/.csv), or to the export folder when null. */
export const exportInvoiceLines = (query: LineQuery, path: string | null, format: ExportFormat | null): Promise<ExportResult> =>
  call("export_invoice_lines", { query, path, format });

export const listPublishers = (market: string, search: string | null): Promise<PublisherRow[]> =>
  call("list_publishers", { market, search });

export const publisherDetail = (market: string, name: string): Promise<PublisherDetail> =>
  call("publisher_detail", { market, name });

/** From a customer's subscription to its publisher's contacts, with the "Contact publisher" email. */
export const publisherForSubscription = (customerId: string, subscriptionId: string): Promise<SubscriptionLookup> =>
  call("publisher_for_subscription", { customerId, subscriptionId });

export const addPublisherNote = (publisher: string, note: NoteInput): Promise<PublisherNote> =>
  call("add_publisher_note", { publisher, note });

export const deletePublisherNote = (id: number): Promise<void> => call("delete_publisher_note", { id });

export const exportPublisherNotes = (path: string | null, format: ExportFormat | null): Promise<ExportResult> =>
  call("export_publisher_notes", { path, format });

// ---- Settings and sign-in (issue 8)

/** The settings in effect, the file they live in, and what was wrong with it at startup. */
export const readSettings = (): Promise<import("./bindings").SettingsView> => call("read_settings");

/** The settings form's field errors for `values`, as saving would report them (nothing is written). */
export const checkSettings = (
  values: import("./bindings").SettingsValues,
): Promise<import("./bindings").FieldError[]> => call("check_settings", { values });

/** Validates and saves; invalid fields come back in `errors` and nothing is written. */
export const saveSettings = (
  values: import("./bindings").SettingsValues,
): Promise<import("./bindings").SaveOutcome> => call("save_settings", { values });

/** Who is signed in (keychain only); with `check`, one token request per audience too. */
export const whoami = (check: boolean): Promise<import("./bindings").WhoAmI> => call("whoami", { check });

/** Settings → Check connection: one read-only call per service, answered or refused and why. */
export const checkConnection = (): Promise<import("./bindings").ConnectionReport> =>
  call("check_connection");

/** Opens the sign-in page in the system browser and waits (up to 5 min) for it to come back. */
export const signIn = (): Promise<import("./bindings").AccountChange> => call("sign_in");

/** Stops a sign-in that waits for the browser; `signIn` then fails with kind "cancelled". */
export const cancelSignIn = (): Promise<void> => call("cancel_sign_in");

/** Deletes the sign-in from the keychain. */
export const signOut = (): Promise<import("./bindings").AccountChange> => call("sign_out");

/** The folder picker (export folder); null when the person closed it. */
export const chooseFolder = (title: string, defaultPath?: string): Promise<string | null> =>
  typed(openDialog({ directory: true, multiple: false, title, defaultPath }));

// ---- Shared

/** Open a publisher link (https, mailto, tel) with the system's handler. */
export const openLink = (url: string): Promise<void> => typed(openUrl(url));

/** A desktop notification, if the user allows them. Permission is asked once: the first time
 * there is something to say (`asked` remembers that it was). */
export async function notify(n: { title: string; body: string }, asked: { get(): boolean; set(): void }): Promise<boolean> {
  return typed(
    (async () => {
      let ok = await isPermissionGranted();
      if (!ok && !asked.get()) {
        asked.set();
        ok = (await requestPermission()) === "granted";
      }
      if (ok) sendNotification(n);
      return ok;
    })(),
  );
}

// ---- The account manager's desk (issue 20)

/** The margin rules, each with its words. */
export const marginRules = (): Promise<RuleRow[]> => call("margin_rules");

/** Add a rule (refused below cost unless a promotion); the rules after. */
export const addMarginRule = (rule: RuleForm): Promise<RuleRow[]> => call("add_margin_rule", { rule });

export const removeMarginRule = (id: number): Promise<RuleRow[]> => call("remove_margin_rule", { id });

/** Replace the rules with a .toml or .csv file's; a bad file names its line and keeps them. */
export const importMarginRules = (path: string): Promise<RuleRow[]> => call("import_margin_rules", { path });

/** Write the rules to a .toml or .csv file; the path written. */
export const exportMarginRules = (path: string): Promise<string> => call("export_margin_rules", { path });

/** The Open dialog for a rules file; null when the person closed it. */
export const chooseRulesFile = (title: string): Promise<string | null> =>
  typed(openDialog({ title, multiple: false, directory: false, filters: [{ name: t("api.marginRules"), extensions: ["toml", "csv"] }] }));

/** The Save as… dialog for a rules file; null when the person closed it. */
export const saveRulesAs = (defaultPath: string): Promise<string | null> =>
  typed(saveDialog({ title: t("api.exportMarginRules"), defaultPath, filters: [{ name: "TOML", extensions: ["toml"] }, { name: "CSV", extensions: ["csv"] }] }));

/** The daily export: what is set, every run, and what to say at start. */
export const scheduleStatus = (): Promise<ScheduleStatus> => call("schedule_status");

/** Register the daily export with the OS (it runs the installed cspdesk CLI). */
export const setSchedule = (settings: ScheduleSettings): Promise<Registration> => call("set_schedule", { settings });

export const removeSchedule = (): Promise<void> => call("remove_schedule");

/** Run the daily export now, here (recorded as a run by hand). */
export const runScheduleNow = (): Promise<ScheduleRunDone> => call("run_schedule_now");

/** The customers the latest price changes touch, removed plans first, then by renewal. */
export const priceImpact = (markets: string[], days: number | null): Promise<ImpactReport> => call("price_impact", { markets, days });

export const exportPriceImpact = (markets: string[], days: number | null, path: string, format: ExportFormat): Promise<ExportResult> =>
  call("export_price_impact", { markets, days, path, format });

// ---------- Desktop: About, diagnostics, updates (issue 19) ----------

export const aboutInfo = (): Promise<AboutInfo> => call("about_info");

/** The diagnostics text for a support ticket; every secret is removed by the core. */
export const diagnosticsText = (): Promise<string> => call("diagnostics_text");

/** Open the log folder or the data folder in the file manager. */
export const openFolder = (which: "logs" | "data"): Promise<void> => call("open_folder", { which });

export const updatePrefs = (): Promise<UpdatePrefs> => call("update_prefs");

export const setAutomaticUpdateChecks = (on: boolean): Promise<UpdatePrefs> => call("set_automatic_update_checks", { on });

/** Read the update feed (`automatic`: the check at start, at most once a day). Never rejects for a feed problem: see `Failed`. */
export const checkForUpdates = (automatic: boolean): Promise<UpdateCheck> => call("check_for_updates", { automatic });

/** Download, verify and install the update found; resolves to the version installed. */
export const installUpdate = (onProgress: (p: UpdateProgress) => void): Promise<string> => call("install_update", { onProgress: channel(onProgress) });

/** Restart into the installed update. */
export const restartApp = (): Promise<void> => call("restart_app");

/** Put text on the clipboard: the Clipboard API, else a hidden text area and the copy command.
 * Resolves to whether it worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the text area
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
