//! Sentences the core builds for a person to read, as a code with parameters.
//!
//! The CLI prints [`Message::english`]; the desktop UI renders the code in its own language
//! (`ui/src/locales/*.json`, key `core.<code>`) and falls back to the English text for a code
//! it does not know. The English wording lives here and only here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::OfferType;

/// A sentence for the UI: `{ code, params }` (`Message` in the UI's bindings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "code", content = "params", rename_all = "camelCase")]
pub enum Message {
    /// "October 2026 charges · invoice available 8 November 2026"
    BillingPeriod {
        start: NaiveDate,
        #[serde(rename = "invoiceAvailable")]
        #[ts(rename = "invoiceAvailable")]
        invoice_available: NaiveDate,
    },
    /// "any time during the trial"
    WindowTrial,
    /// "24 hours after purchase"
    WindowHours { hours: u32 },
    /// "7 days after purchase" (whole days, two or more)
    WindowDays { days: u32 },
    /// Where a cancellation deadline comes from: the subscription's own field.
    DeadlineSubscriptionField,
    /// … the latest refund option's expiry.
    DeadlineRefundOption,
    /// … the cancellation policy, with the policy's own source (data, not translated).
    DeadlinePolicy { source: String },
    /// Why a SaaS offer cannot be bought through CSP.
    PurchaseSaasNotInCatalog,
    /// Why an offer of another type cannot be bought through CSP.
    PurchaseNotCsp {
        #[serde(rename = "offerType")]
        #[ts(rename = "offerType")]
        offer_type: OfferType,
    },
    /// Why an offer's marketplace detail is missing: no Azure Marketplace entry matched.
    MarketplaceNoMatch,
    /// … no Azure subscription is set to read it through.
    MarketplaceNoSubscription,
    /// … the Azure Marketplace catalog could not be read (`why`: the failure, data).
    MarketplaceUnreadable { why: String },
    /// Why this run needs no sign-in: a token from `CSPDESK_ACCESS_TOKEN`.
    NoSignInToken,
    /// … the settings choose the built-in sandbox.
    NoSignInSandbox,
    /// Why Cancel is refused: the subscription is cancelled already.
    CancelBlockedCancelled,
    /// … it is suspended.
    CancelBlockedSuspended,
    /// … Partner Center gives it no cancellation window.
    CancelBlockedNoWindow,
    /// … its status does not allow it.
    CancelBlockedStatus,
    /// A plan change note: when a customer may change plan.
    PlanNoteAnyTime,
    /// … that it waits for the publisher's approval.
    PlanNoteApproval,
    /// … how upfront charges are billed.
    PlanNoteProrated,
    /// Why the app offers no plan change: Partner Center lists no target.
    PlanNoneListed,
    /// … Partner Center refused the eligibility check (`why`: its answer, data).
    PlanCheckRefused { why: String },
    /// Why a plan cannot be chosen: only the Partner Center portal changes this subscription.
    PlanPortalOnly { plan: String },
    /// … Partner Center does not list it as a target of the `current` plan.
    PlanNotListed { plan: String, current: String },
    /// A plan change done: the subscription is on the new plan.
    PlanMoved {
        subscription: String,
        from: String,
        to: String,
        seats: u32,
    },
    /// … accepted, waiting for the publisher's approval.
    PlanPending {
        subscription: String,
        from: String,
        to: String,
    },
    /// A seat change on the same plan.
    PlanSeats { subscription: String, seats: u32 },
    /// What cancelling refunds: the best refund option is a full refund.
    RefundFull,
    /// … a partial refund.
    RefundPartial,
    /// … a refund of a kind Partner Center added since (`kind`: its name, data).
    RefundOther { kind: String },
    /// … no refund option is listed: a full refund inside the cancellation window.
    RefundInWindow,
    /// What a sign-in's Partner Center token serves.
    ServesPartnerCenter,
    /// … its Partner API token.
    ServesPartnerApi,
    /// … its Azure Resource Manager token.
    ServesArm,
    /// … its Microsoft Graph token.
    ServesGraph,
    /// The sign-in gets no token for a service (`why`: the refusal, data).
    AudienceNoToken { served: Served, why: String },
    /// ARM answers, but no Azure subscription is set to read the marketplace through.
    AudienceNoArmSubscription,
    /// ARM refuses this account the marketplace through `subscription`.
    AudienceArmRefused { subscription: String, why: String },
    /// ARM's answer could not be checked.
    AudienceArmUnchecked { why: String },
    /// A setting that must be a GUID is not (`value`: as typed).
    SettingNotGuid { value: String },
    /// The tenant setting is neither a GUID nor a domain.
    SettingNotTenant { value: String },
    /// A market setting is not a two-letter code.
    SettingNotMarket { value: String },
    /// No market is picked.
    SettingNoMarket,
    /// An endpoint setting is not a URL (`why`: the parser's words, data).
    SettingNotUrl { value: String, why: String },
    /// An endpoint setting is plain `http` off this machine.
    SettingNotSecure { value: String, scheme: String },
    /// Partner Center is chosen without the app registration's client id.
    SettingClientIdNeeded,
    /// A margin rule without a percentage or a fixed amount.
    RuleNeedsMarkup,
    /// A margin rule's markup is not a usable number (`value`: as read).
    RuleMarkupUnusable { value: String },
    /// A margin rule for one plan names no product.
    RulePlanNeedsProduct,
    /// A margin rule lowers prices without being marked as a promotion.
    RuleBelowCost,
    /// An export names no file.
    FileNotNamed,
    /// A path starts with `~/` and the home folder is not known.
    HomeUnknown,
    /// A path typed is not a full path (`path`: as typed).
    PathNotFull { path: String },
    /// A path names a folder, not a file (`ext`: the format's extension).
    PathIsFolder { path: String, ext: String },
    /// A file name ends in neither .xlsx nor .csv.
    FileTypeUnknown { path: String },
    /// A file name's extension and the chosen format disagree.
    FileTypeMismatch { ext: String, format: String },
    /// The folder of a file to be written does not exist (checked before Save as…).
    FolderMissing { folder: String },
    /// … found missing when the file is written.
    FolderMissingNow { folder: String },
    /// The disk filled up while a file was written.
    DiskFull { path: String },
    /// A market typed is not a two-letter code.
    MarketNotCode { value: String },
    /// A publisher note with nothing in it.
    NoteEmpty,
    /// A publisher note for no publisher.
    NoteNoPublisher,
    /// A note's email is not one.
    NoteBadEmail { value: String },
    /// A note's phone number is not one.
    NoteBadPhone { value: String },
    /// The daily export's time is not HH:MM.
    ScheduleBadTime { value: String },
    /// The daily export has no market.
    ScheduleNoMarket,
    /// The daily export has no format.
    ScheduleNoFormat,
    /// The daily export's folder is not a full path.
    ScheduleBadFolder { value: String },
    /// An offer is not sold in the customer's billing country.
    NotSoldIn {
        product: String,
        country: String,
        customer: String,
    },
    /// The daily export's last run failed (`at`: local "YYYY-MM-DD HH:MM"; `why`: its error, data).
    ScheduleFailed { at: String, why: String },
    /// … it did not finish.
    ScheduleUnfinished { at: String },
    /// The daily export due at `at` did not run.
    ScheduleMissed { at: String },
    /// The update check at start did not run: automatic checks are off.
    UpdateSkippedOff,
    /// … one ran less than a day ago.
    UpdateSkippedRecent,
    /// … no update feed is configured.
    UpdateSkippedNoFeed,
    /// An update check could not be made: no feed is configured.
    UpdateNoFeed,
    /// … the update server did not answer in time.
    UpdateTimeout,
    /// … the update server could not be reached.
    UpdateUnreachable,
    /// … the feed is not a valid latest.json.
    UpdateMalformed,
    /// … the feed is not a valid latest.json (`detail`: the parser's words, data).
    UpdateInvalidFeed { detail: String },
    /// … the server returned no valid latest.json.
    UpdateNoRelease,
    /// … the feed has no package for this system (`targets`: the ones asked for).
    UpdateNoPackage { targets: String },
    /// … the feed is not TLS.
    UpdateNotTls,
    /// … anything else (`why`: data).
    UpdateFailed { why: String },
    /// A bulk change with no subscription ticked.
    NoSubscriptionsSelected,
    /// A publisher's page asked for with no name.
    NoPublisherPicked,
    /// "Run now" with no daily export set.
    ScheduleNotSet,
    /// A price-list export with no market.
    ExportNoMarket,
    /// Price changes between a day and itself.
    ChangesSameDay,
    /// Price changes from a day after the other.
    ChangesFromAfterTo { from: NaiveDate, to: NaiveDate },
    /// The settings choose the sandbox, and this build has none.
    SandboxMissing,
    /// No price snapshot of a market yet (the Changes tab).
    ChangesNoSnapshot { market: String },
    /// One snapshot so far, today's.
    ChangesOneToday { market: String },
    /// One snapshot so far, of `day`.
    ChangesOneOn { market: String, day: NaiveDate },
    /// No changes to export.
    ChangesNoneYet,
    /// An export format that is neither xlsx nor csv.
    ExportFormatUnknown { value: String },
    /// A publisher name that matches none (`name`: as typed, quoted).
    PublisherMissing { name: String },
    /// … that matches several (`matches`: up to eight names, data).
    PublisherAmbiguous { name: String, matches: String },
    /// Finding a subscription's publisher without both ids.
    PublisherLookupNeedsIds,
    /// A note deleted elsewhere.
    NoteMissing {
        #[ts(type = "number")]
        id: i64,
    },
    /// A note's kind is neither note nor contact.
    NoteBadKind { value: String },
    /// A scheduler's command failed (`tool`: the command; `why`: its words, data).
    ScheduleToolFailed { tool: String, why: String },
    /// crontab refused the schedule (`why`: its words, data).
    ScheduleCrontabRefused { why: String },
    /// No scheduler on this system (`line`: the crontab line to add by hand).
    ScheduleNoScheduler { line: String },
    /// The home folder is not known (the daily export's systemd folder).
    HomeFolderUnknown,
    /// The cspdesk CLI the daily export runs is not installed.
    CliMissing,
    /// A price snapshot file is damaged (`why`: the zip reader's words, data).
    SnapshotDamaged { path: String, why: String },
    /// A stored price snapshot is unreadable.
    SnapshotUnreadable { why: String },
    /// A stored offer is unreadable.
    StoredOfferUnreadable { offer: String, why: String },
    /// The spreadsheet writer failed (`why`: its words, data).
    SpreadsheetFailed { why: String },
    /// Writing a file failed (`why`: the writer's words, data).
    WriteFailed { path: String, why: String },
    /// The zipped price sheet is damaged.
    SheetZipDamaged { why: String },
    /// … has no readable entry.
    SheetZipNoEntry { why: String },
    /// Sign-in without the app registration's client id.
    ClientIdMissing,
    /// A link the app will not open in the browser.
    BrowserRefused { url: String },
    /// An update address that is not TLS.
    UpdateAddressNotTls { url: String, scheme: String },
    /// The local database is damaged (`detail`: SQLite's words, data); moved to `aside`.
    StoreDamaged {
        path: String,
        detail: String,
        aside: String,
    },
    /// The local database is from a newer CSP Desk.
    StoreTooNew {
        path: String,
        #[ts(type = "number")]
        schema: i64,
        #[ts(type = "number")]
        known: i64,
        aside: String,
    },
    /// Opening a file no export wrote.
    NotAnExport { path: String },
    /// An exported file that is gone.
    ExportedFileMissing { path: String },
    /// Sign-in when there is nothing to sign in to (`why`: [`Message::NoSignInToken`] and the like).
    NothingToSignIn { why: Box<Message> },
    /// A sign-in already waits for the browser.
    SignInWaiting,
    /// An offer not in the synced catalog.
    OfferMissing { offer: String, market: String },
    /// The billing currency is not known yet.
    BillingCurrencyUnknown,
    /// A margin rule deleted elsewhere.
    RuleMissing {
        #[ts(type = "number")]
        id: i64,
    },
    /// The cancellation policy file is not valid JSON for it (`why`: the parser's words, data).
    PolicyInvalid { path: String, why: String },
    /// No price snapshot of a market for a day (`days`: the days there are, data).
    SnapshotMissingDay {
        market: String,
        day: NaiveDate,
        days: String,
    },
    /// No price snapshot of a market at all.
    SnapshotNone { market: String },
    /// No snapshot of a market earlier than `to`.
    SnapshotNoEarlier { market: String, to: NaiveDate },
    /// A price sheet that could not be put in order.
    SheetUnsorted { market: String },
    /// A time that is not HH:MM (the scheduler's).
    NotTimeOfDay { value: String },
    /// The browser could not be started for the sign-in (`why`: the OS's words, data).
    BrowserNotStarted { why: String, url: String },
    /// The file manager could not open a folder (`why`: the OS's words, data).
    FolderOpenFailed { path: String, why: String },
    /// A rules file's line is wrong (`why`: what is wrong there).
    RulesFileLine {
        file: String,
        line: usize,
        why: Box<Message>,
    },
    /// … the rule that starts at a line (TOML).
    RulesFileRule {
        file: String,
        line: usize,
        why: Box<Message>,
    },
    /// … a cell, by line and column (CSV).
    RulesFileCell {
        file: String,
        line: usize,
        column: usize,
        why: Box<Message>,
    },
    /// A rules file's header names a column that is not a rule's.
    RulesFileColumnUnknown {
        file: String,
        column: usize,
        name: String,
        columns: String,
    },
    /// A rules file could not be read as CSV (`why`: the reader's words, data).
    RulesFileUnreadable { file: String, why: String },
    /// A markup is not a percentage.
    MarkupNotPercent { value: String },
    /// A fixed amount is not a number.
    NotAnAmount { value: String },
    /// A yes/no cell is neither.
    NotYesNo { value: String },
    /// A markup basis is neither unit nor erp.
    MarkupBasisUnknown { value: String },
    /// A rounding is not one of those offered.
    RoundingUnknown { value: String },
    /// Words the core passes on as they are (Partner Center's reason, data): a part of another
    /// sentence.
    Verbatim { text: String },
    /// Cancelling a subscription that is already cancelled.
    CancelAlreadyCancelled { subscription: String },
    /// Cancelling after the window closed (`at`: "YYYY-MM-DD HH:MM", UTC).
    CancelWindowClosed { name: String, at: String },
    /// Partner Center gives no cancellation window.
    CancelNoWindow { name: String },
    /// A seat count outside the plan's bounds.
    QuantityOutside {
        quantity: u32,
        plan: String,
        min: u32,
        max: u32,
    },
    /// A seat count of 0.
    SeatsZero,
    /// The plans a subscription can move to (a part of a plan refusal).
    PlanChoices { plans: String },
    /// … none is listed now.
    PlanChoicesNone,
    /// A plan change to the plan the subscription is on, without a seat count.
    PlanAlreadyOn {
        subscription: String,
        plan: String,
        choices: Box<Message>,
    },
    /// Plan changes go through the portal (`why`: the reason, a code; `link`: the portal).
    PlanPortalRefused { why: Box<Message>, link: String },
    /// A plan listed but not eligible (`why`: Partner Center's reason, or [`Message::PlanNotEligible`]).
    PlanIneligible {
        subscription: String,
        from: String,
        to: String,
        why: Box<Message>,
        choices: Box<Message>,
    },
    /// … with no reason given.
    PlanNotEligible,
    /// A plan named that the offer does not have.
    PlanUnknownTarget {
        target: String,
        offer: String,
        choices: Box<Message>,
    },
    /// Partner Center refused the plan change (`why`: its words, data).
    PlanChangeRefused {
        subscription: String,
        plan: String,
        why: String,
    },
    /// The listed plan disappeared while the change was sent.
    PlanVanished { plan: String },
    /// A subscription whose offer id names no product and plan.
    SubscriptionPlanUnknown { subscription: String },
    /// A plan not (any more) sold in a country.
    PlanNotInCountry {
        sku: String,
        product: String,
        country: String,
    },
    /// A subscription with no activation link.
    ActivationLinkMissing { subscription: String },
    /// Only SaaS offers can be bought.
    OrderNotSaas {
        title: String,
        #[serde(rename = "offerType")]
        #[ts(rename = "offerType")]
        offer_type: OfferType,
    },
    /// A customer with no billing country.
    OrderNoBillingCountry { customer: String },
    /// A product not in Partner Center's catalog for a country.
    OrderProductMissing { product: String, country: String },
    /// A plan the product does not have (`plans`: the ones it has, data).
    OrderPlanMissing {
        sku: String,
        product: String,
        plans: String,
    },
    /// An offer's plan not sold in the customer's billing country (`contacts`: what to do).
    OrderNotSoldIn {
        product: String,
        plan: String,
        country: String,
        customer: String,
        contacts: Box<Message>,
    },
    /// … ask the publisher.
    OrderAskPublisher { publisher: String, product: String },
    /// … the publisher's contacts (`contacts`: data).
    OrderPublisherContacts { publisher: String, contacts: String },
    /// An offer not purchasable in a country.
    OrderNotPurchasable { product: String, country: String },
    /// Partner Center did not place the order (`why`: its words, data).
    OrderNotPlaced { why: String },
    /// The connection failed before the order was confirmed (`why`: the failure, data).
    OrderOutcomeUnknown {
        why: String,
        #[ts(type = "number")]
        entry: i64,
    },
    /// A review that is no longer kept.
    ReviewMissing { review: String },
    /// The order is being placed.
    OrderInFlight,
    /// The review was sent and failed (`why`: data).
    ReviewAlreadyFailed { why: String },
}

/// What a service's token gives: said as [`Message::ServesPartnerCenter`] and the like, and the
/// `served` parameter of [`Message::AudienceNoToken`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Served {
    PartnerCenter,
    PartnerApi,
    Arm,
    Graph,
}

impl Served {
    /// What it serves, as a code.
    pub fn message(self) -> Message {
        match self {
            Served::PartnerCenter => Message::ServesPartnerCenter,
            Served::PartnerApi => Message::ServesPartnerApi,
            Served::Arm => Message::ServesArm,
            Served::Graph => Message::ServesGraph,
        }
    }
}

impl Message {
    /// A refusal's two parts, for the codes said as [`Error::Refused`](crate::error::Error):
    /// what was refused, and what to do instead.
    pub fn refusal(&self) -> Option<(String, String)> {
        Some(match self {
            Message::CancelAlreadyCancelled { subscription } => (
                format!("subscription {subscription} is already cancelled"),
                "Nothing to do".into(),
            ),
            Message::CancelWindowClosed { name, at } => (
                format!("the cancellation window of {name} closed at {at} UTC"),
                "It can no longer be cancelled; turn auto-renew off so it ends at the end of its term".into(),
            ),
            Message::CancelNoWindow { name } => (
                format!("Partner Center gives no cancellation window for {name}"),
                "Check the subscription in Partner Center".into(),
            ),
            Message::QuantityOutside {
                quantity,
                plan,
                min,
                max,
            } => (
                format!("quantity {quantity} is outside what {plan} allows ({min} to {max})"),
                format!("Choose a quantity from {min} to {max}"),
            ),
            Message::PlanAlreadyOn {
                subscription,
                plan,
                choices,
            } => (
                format!("subscription {subscription} is already on {plan}"),
                choices.english(),
            ),
            Message::PlanPortalRefused { why, link } => (
                why.english(),
                format!(
                    "Change the plan in the Partner Center portal ({link}: the customer's subscription → Change plan) \
                     or through the publisher. Seat changes on the current plan still work here"
                ),
            ),
            Message::PlanIneligible {
                subscription,
                from,
                to,
                why,
                choices,
            } => (
                format!("{subscription} cannot move from {from} to {to}: {}", why.english()),
                choices.english(),
            ),
            Message::PlanUnknownTarget {
                target,
                offer,
                choices,
            } => (
                format!("`{target}` is not a plan of {offer}"),
                format!("{}. Give a SKU id, an offer id or a plan title", choices.english()),
            ),
            Message::PlanChangeRefused {
                subscription,
                plan,
                why,
            } => (
                format!("Partner Center did not move {subscription} to {plan}: {why}"),
                "Check the subscription in Partner Center, then try again".into(),
            ),
            Message::OrderNotSaas { title, offer_type } => (
                format!(
                    "{title} is a {} offer, and only SaaS offers can be bought through Partner Center",
                    offer_type.label().to_lowercase()
                ),
                "Virtual machines, containers and Azure applications are bought, managed and billed in the Azure portal under the customer's Azure subscription".into(),
            ),
            Message::OrderNoBillingCountry { customer } => (
                format!("{customer} has no billing country in its billing profile"),
                "Complete the customer's billing profile in Partner Center first".into(),
            ),
            Message::OrderNotSoldIn {
                product,
                plan,
                country,
                customer,
                contacts,
            } => (
                format!("{product} ({plan}) is not sold in {country}, the billing country of {customer}"),
                contacts.english(),
            ),
            Message::OrderNotPurchasable { product, country } => (
                format!("{product} is not purchasable in {country}"),
                "Choose another plan or contact the publisher".into(),
            ),
            Message::OrderNotPlaced { why } => (
                format!("Partner Center did not place the order: {why}"),
                "Nothing was charged; check the offer and try again".into(),
            ),
            Message::OrderOutcomeUnknown { why, entry } => (
                format!("the connection failed before Partner Center confirmed the order ({why})"),
                format!(
                    "Do not order again yet: journal entry {entry} is kept, and CSP Desk checks Partner Center for it at the next start \
                     (or run `cspdesk orders list` now) so it is never placed twice"
                ),
            ),
            Message::ScheduleToolFailed { tool, why } => {
                (format!("{tool} failed: {why}"), String::new())
            }
            Message::ScheduleCrontabRefused { why } => (
                format!("crontab refused the schedule: {why}"),
                String::new(),
            ),
            Message::ScheduleNoScheduler { line } => (
                "no schedule could be registered: this system has neither a systemd user session nor crontab".into(),
                format!("Add this line to your crontab (crontab -e) or your scheduler yourself:\n{line}"),
            ),
            Message::BrowserRefused { url } => (
                format!("CSP Desk will not open {url} in the browser"),
                "Only https:// links, and http:// links to this machine (the sandbox), are opened".into(),
            ),
            Message::NotAnExport { path } => (
                format!("{path} was not written by a CSP Desk export"),
                "Only files CSP Desk exported are opened from here; open others from your file manager".into(),
            ),
            Message::NothingToSignIn { why } => {
                ("There is nothing to sign in to".into(), why.english())
            }
            Message::SignInWaiting => (
                "A sign-in is already waiting for the browser".into(),
                "Finish it in the browser, or press Cancel and start again".into(),
            ),
            Message::BillingCurrencyUnknown => (
                "CSP Desk cannot tell your billing currency: Partner Center lists no invoice with one yet".into(),
                "Unbilled charges are exported in the billing currency; they can be read once the first invoice exists".into(),
            ),
            Message::BrowserNotStarted { why, url } => (
                format!("The browser could not be started ({why})"),
                format!("Open this address in a browser yourself: {url}"),
            ),
            Message::OrderInFlight => (
                "this order is already being placed".into(),
                "Wait for its confirmation; it is placed once".into(),
            ),
            Message::ReviewAlreadyFailed { why } => (
                format!("this review was already sent and failed ({why})"),
                "Check the Orders view for its outcome before reviewing the order again".into(),
            ),
            _ => return None,
        })
    }

    /// What was not found and what to do, for the codes said as
    /// [`Error::NotFound`](crate::error::Error).
    pub fn missing(&self) -> Option<(String, String)> {
        Some(match self {
            Message::SubscriptionPlanUnknown { subscription } => (
                format!("the plan of subscription {subscription}"),
                "Its offer id names no product and plan; change the seat count in Partner Center".into(),
            ),
            Message::PlanNotInCountry {
                sku,
                product,
                country,
            } => (
                format!("plan {sku} of product {product} in {country}"),
                "The plan may have been withdrawn; check the offer in the Marketplace view".into(),
            ),
            Message::ActivationLinkMissing { subscription } => (
                format!("an activation link for subscription {subscription}"),
                "Only subscriptions pending fulfillment have one; it may take a few minutes after purchase".into(),
            ),
            Message::OrderProductMissing { product, country } => (
                format!("product {product} in {country}"),
                "Check the id with `cspdesk offers list`".into(),
            ),
            Message::OrderPlanMissing {
                sku,
                product,
                plans,
            } => (
                format!("plan {sku} of {product}"),
                format!("Its plans are: {plans}"),
            ),
            Message::PublisherMissing { name } => (
                format!("publisher {name}"),
                "Check the name with `cspdesk publishers list --search …`, or sync the catalog".into(),
            ),
            Message::NoteMissing { id } => (
                format!("note #{id}"),
                "It was already deleted; the list is refreshed".into(),
            ),
            Message::CliMissing => (
                "the cspdesk command-line program".into(),
                "The daily export runs the installed `cspdesk` CLI: install the CSP Desk package, or put cspdesk on the PATH".into(),
            ),
            Message::ExportedFileMissing { path } => (
                format!("the file {path}"),
                "It was moved or deleted since the export: export again".into(),
            ),
            Message::OfferMissing { offer, market } => (
                format!("offer {offer} in market {market}"),
                "Sync the catalog again; the offer may have been withdrawn".into(),
            ),
            Message::RuleMissing { id } => (
                format!("margin rule #{id}"),
                "List the rules with `cspdesk margins list` to see their ids".into(),
            ),
            Message::SnapshotMissingDay { market, day, days } => (
                format!("a price snapshot of {market} for {day}"),
                format!("Snapshots exist for: {days}"),
            ),
            Message::SnapshotNone { market } => (
                format!("a price snapshot of {market}"),
                "Run `cspdesk prices fetch --market CC` (or an export) first".into(),
            ),
            Message::SnapshotNoEarlier { market, to } => (
                format!("an earlier price snapshot of {market} than {to}"),
                "Changes need two days' snapshots: fetch again on another day, or name --from".into(),
            ),
            Message::ReviewMissing { review } => (
                format!("review {review}"),
                "Review the order again; reviews are kept only while the app runs".into(),
            ),
            _ => return None,
        })
    }

    /// An error as a part of another sentence: its code when it has one, else its words as
    /// they are ([`Message::Verbatim`]).
    pub fn of(e: &crate::error::Error) -> Message {
        e.said()
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_else(|| Message::Verbatim {
                text: e.to_string(),
            })
    }

    /// This sentence as a refusal ([`Error::Refused`](crate::error::Error), kind `refused`),
    /// or as a plain [`Error::Said`](crate::error::Error) when it is not one.
    pub fn refused(self) -> crate::error::Error {
        match self.refusal() {
            Some((message, hint)) => crate::error::Error::Refused {
                message,
                hint,
                says: serde_json::to_value(&self).ok(),
            },
            None => self.into(),
        }
    }

    /// This sentence as a "not found" ([`Error::NotFound`](crate::error::Error), kind
    /// `notFound`), or as a plain [`Error::Said`](crate::error::Error) when it is not one.
    pub fn not_found(self) -> crate::error::Error {
        match self.missing() {
            Some((what, hint)) => crate::error::Error::NotFound {
                what,
                hint,
                says: serde_json::to_value(&self).ok(),
            },
            None => self.into(),
        }
    }

    /// Why an update check could not be made, for the `Update*` failures: the words after
    /// "could not check for updates:" (the updater's install errors use them too).
    pub fn update_reason(&self) -> Option<String> {
        Some(match self {
            Message::UpdateNoFeed => {
                "no update feed is configured (Settings file, [updates] feed)".into()
            }
            Message::UpdateTimeout => "the update server did not answer in time".into(),
            Message::UpdateUnreachable => "the update server could not be reached".into(),
            Message::UpdateMalformed => {
                "the update feed is not a valid latest.json (malformed)".into()
            }
            Message::UpdateInvalidFeed { detail } => {
                format!("the update feed is not a valid latest.json ({detail})")
            }
            Message::UpdateNoRelease => {
                "the update server did not return a valid latest.json (malformed or missing)".into()
            }
            Message::UpdateNoPackage { targets } => {
                format!("the update feed has no package for this system ({targets})")
            }
            Message::UpdateNotTls => "updates must come over TLS (https://)".into(),
            Message::UpdateFailed { why } => why.clone(),
            _ => return None,
        })
    }

    /// The English sentence (what the CLI prints, and the UI's fallback).
    pub fn english(&self) -> String {
        if let Some(why) = self.update_reason() {
            return crate::desktop::update::quiet_failure(&why);
        }
        // A refusal or a "not found" reads as that error reads (its Display is the one format).
        if self.refusal().is_some() {
            return self.clone().refused().to_string();
        }
        if self.missing().is_some() {
            return self.clone().not_found().to_string();
        }
        match self {
            Message::BillingPeriod {
                start,
                invoice_available,
            } => format!(
                "{} charges · invoice available {}",
                start.format("%B %Y"),
                invoice_available.format("%-d %B %Y")
            ),
            Message::WindowTrial => "any time during the trial".into(),
            Message::WindowHours { hours } => format!("{hours} hours after purchase"),
            Message::WindowDays { days } => format!("{days} days after purchase"),
            Message::DeadlineSubscriptionField => {
                "cancellationAllowedUntilDate on the subscription".into()
            }
            Message::DeadlineRefundOption => {
                "refund option expiry (refundOptions.expiresAt)".into()
            }
            Message::DeadlinePolicy { source } => format!("policy: {source}"),
            Message::PurchaseSaasNotInCatalog => "This SaaS offer is not in the Partner Center catalog, so it cannot be bought through CSP; \
                 customers buy it directly in Azure Marketplace."
                .into(),
            Message::PurchaseNotCsp { offer_type } => format!(
                "{} offers cannot be bought through CSP: they are managed and billed through the Azure portal.",
                offer_type.label()
            ),
            Message::MarketplaceNoMatch => "This offer did not match an Azure Marketplace entry, so publisher contacts and legal links are not known.".into(),
            Message::MarketplaceNoSubscription => "No Azure subscription is set to read the marketplace catalog through (Settings → Azure subscription id), so publisher contacts and legal links are not known.".into(),
            Message::NoSignInToken => {
                "This run uses the access token from CSPDESK_ACCESS_TOKEN: no sign-in is needed.".into()
            }
            Message::NoSignInSandbox => "CSP Desk is set to use its built-in sandbox, which needs no sign-in. To sign in, choose Partner Center under Connection, enter your app registration's ids and save.".into(),
            Message::CancelBlockedCancelled => "This subscription is cancelled.".into(),
            Message::CancelBlockedSuspended => "A suspended subscription cannot be cancelled here; check it in Partner Center.".into(),
            Message::CancelBlockedNoWindow => "Partner Center gives no cancellation window for this subscription.".into(),
            Message::CancelBlockedStatus => "This subscription cannot be cancelled in its current status.".into(),
            Message::PlanNoteAnyTime => "A customer can change plan at any time in the billing cycle.".into(),
            Message::PlanNoteApproval => "The change takes effect once the publisher approves it.".into(),
            Message::PlanNoteProrated => "Upfront monthly and annual charges are prorated.".into(),
            Message::PlanNoneListed => "Partner Center lists no plan this marketplace subscription can move to through its API".into(),
            Message::PlanCheckRefused { why } => format!(
                "Partner Center does not offer plan changes for this marketplace subscription through its API \
                 (the eligibility check was refused: {why})"
            ),
            Message::PlanPortalOnly { plan } => {
                format!("{plan} cannot be chosen here: change the plan in the Partner Center portal")
            }
            Message::PlanNotListed { plan, current } => format!(
                "Partner Center does not list {plan} as a plan {current} can move to; the publisher may not allow this change"
            ),
            Message::PlanMoved {
                subscription,
                from,
                to,
                seats,
            } => format!("{subscription} moved from {from} to {to} with {}.", seats_of(*seats)),
            Message::PlanPending {
                subscription,
                from,
                to,
            } => format!(
                "The change of {subscription} from {from} to {to} was accepted and takes effect once the publisher approves it."
            ),
            Message::PlanSeats { subscription, seats } => {
                format!("{subscription} now has {}.", seats_of(*seats))
            }
            Message::RefundFull => "Full refund".into(),
            Message::RefundPartial => "Partial refund".into(),
            Message::RefundOther { kind } => format!("{kind} refund"),
            Message::RefundInWindow => "Full refund (inside the cancellation window)".into(),
            Message::ServesPartnerCenter => "customers, orders, subscriptions and invoices".into(),
            Message::ServesPartnerApi => "price lists".into(),
            Message::ServesArm => "marketplace categories and publisher contacts".into(),
            Message::ServesGraph => "invoice line items (billing reconciliation)".into(),
            Message::AudienceNoToken { served, why } => {
                format!("{} unavailable: {why}", served.message().english())
            }
            Message::AudienceNoArmSubscription => format!(
                "{} unavailable: no Azure subscription. Enter the Azure subscription id the marketplace catalog is read through in Settings",
                Message::ServesArm.english()
            ),
            Message::AudienceArmRefused { subscription, why } => format!(
                "{} unavailable: no Azure subscription this account can read the catalog through \
                 (subscription {subscription}: {why}). Give the account the Reader role on that subscription, or enter \
                 another subscription id in Settings",
                Message::ServesArm.english()
            ),
            Message::AudienceArmUnchecked { why } => {
                format!("{} could not be checked: {why}", Message::ServesArm.english())
            }
            Message::SettingNotGuid { value } => format!(
                "`{value}` is not a GUID (expected the form 00000000-0000-0000-0000-000000000000)"
            ),
            Message::SettingNotTenant { value } => format!(
                "`{value}` is not a tenant id: use the directory (tenant) id GUID or a domain such as contoso.onmicrosoft.com"
            ),
            Message::SettingNotMarket { value } => format!(
                "`{value}` is not a market: use two-letter country codes such as \"US\" or \"GB\""
            ),
            Message::SettingNoMarket => "pick at least one market: the first is the default".into(),
            Message::SettingNotUrl { value, why } => format!("`{value}` is not a URL ({why})"),
            Message::SettingNotSecure { value, scheme } => format!(
                "endpoint {value} uses `{scheme}`: only https:// endpoints (or http:// on loopback, for the sandbox) are allowed, \
                 because access tokens would otherwise travel unencrypted"
            ),
            Message::SettingClientIdNeeded => "Partner Center needs the application (client) id of your app registration to sign in with: \
                 copy it from the Microsoft Entra admin center (App registrations → CSP Desk → Overview)"
                .into(),
            Message::RuleNeedsMarkup => {
                "a rule needs a markup: a percentage (e.g. 20%), a fixed amount, or both".into()
            }
            Message::RuleMarkupUnusable { value } => format!("{value} is not a usable markup"),
            Message::RulePlanNeedsProduct => {
                "a rule for one plan needs its product too (--product ID --sku ID)".into()
            }
            Message::RuleBelowCost => "this rule would sell below cost (its markup is negative): \
                 mark it as a promotion if that is meant (--promotion)"
                .into(),
            Message::FileNotNamed => "no file is named: type a path or use Save as…".into(),
            Message::HomeUnknown => "the home folder is not known: type a full path".into(),
            Message::PathNotFull { path } => format!(
                "`{path}` is not a full path: start it with / (or ~/), or use Save as…"
            ),
            Message::PathIsFolder { path, ext } => {
                format!("{path} is a folder: add a file name such as export.{ext}")
            }
            Message::FileTypeUnknown { path } => format!(
                "{path} does not end in .xlsx or .csv: choose one of those file types"
            ),
            Message::FileTypeMismatch { ext, format } => format!(
                "the file name ends in .{ext} but the format is {format}: change the name or the format"
            ),
            Message::FolderMissing { folder } => format!(
                "the folder {folder} does not exist: pick another with Save as…, or create it first"
            ),
            Message::FolderMissingNow { folder } => format!(
                "the folder {folder} does not exist: create it or choose another file"
            ),
            Message::DiskFull { path } => format!(
                "the disk is full: {path} could not be written (nothing was changed; free some space and export again)"
            ),
            Message::MarketNotCode { value } => format!(
                "`{value}` is not a market: use a two-letter country code such as US or GB"
            ),
            Message::NoteEmpty => "a note needs text, an email or a phone number".into(),
            Message::NoteNoPublisher => "no publisher named: open a publisher first".into(),
            Message::NoteBadEmail { value } => format!(
                "`{value}` is not an email address: write it as name@example.com, or leave it empty"
            ),
            Message::NoteBadPhone { value } => format!(
                "`{value}` is not a phone number: use digits with an optional + and spaces, or leave it empty"
            ),
            Message::ScheduleBadTime { value } => {
                format!("`{value}` is not a time of day: write it as HH:MM, e.g. 06:30")
            }
            Message::ScheduleNoMarket => "pick at least one market to export".into(),
            Message::ScheduleNoFormat => "pick at least one format (xlsx, csv)".into(),
            Message::ScheduleBadFolder { value } => format!(
                "`{value}` is not a full path to a folder: the schedule runs from no particular folder"
            ),
            Message::NotSoldIn {
                product,
                country,
                customer,
            } => format!("{product} is not sold in {country}, the billing country of {customer}"),
            Message::ScheduleFailed { at, why } => {
                format!("The scheduled price-list export of {at} failed: {why}")
            }
            Message::ScheduleUnfinished { at } => {
                format!("The scheduled price-list export of {at} failed: it did not finish")
            }
            Message::ScheduleMissed { at } => format!(
                "The scheduled price-list export of {at} did not run (was the computer off?)"
            ),
            Message::UpdateSkippedOff => "automatic checks are off in Settings".into(),
            Message::UpdateSkippedRecent => "checked less than a day ago".into(),
            Message::UpdateSkippedNoFeed => "no update feed is configured".into(),
            Message::UpdateNoFeed
            | Message::UpdateTimeout
            | Message::UpdateUnreachable
            | Message::UpdateMalformed
            | Message::UpdateInvalidFeed { .. }
            | Message::UpdateNoRelease
            | Message::UpdateNoPackage { .. }
            | Message::UpdateNotTls
            | Message::UpdateFailed { .. } => unreachable!("said by update_reason"),
            Message::CancelAlreadyCancelled { .. }
            | Message::CancelWindowClosed { .. }
            | Message::CancelNoWindow { .. }
            | Message::QuantityOutside { .. }
            | Message::PlanAlreadyOn { .. }
            | Message::PlanPortalRefused { .. }
            | Message::PlanIneligible { .. }
            | Message::PlanUnknownTarget { .. }
            | Message::PlanChangeRefused { .. }
            | Message::OrderNotSaas { .. }
            | Message::OrderNoBillingCountry { .. }
            | Message::OrderNotSoldIn { .. }
            | Message::OrderNotPurchasable { .. }
            | Message::OrderNotPlaced { .. }
            | Message::OrderOutcomeUnknown { .. }
            | Message::OrderInFlight
            | Message::BrowserNotStarted { .. }
            | Message::BrowserRefused { .. }
            | Message::NotAnExport { .. }
            | Message::NothingToSignIn { .. }
            | Message::SignInWaiting
            | Message::BillingCurrencyUnknown
            | Message::ScheduleToolFailed { .. }
            | Message::ScheduleCrontabRefused { .. }
            | Message::ScheduleNoScheduler { .. }
            | Message::ReviewAlreadyFailed { .. } => unreachable!("said by refusal"),
            Message::SubscriptionPlanUnknown { .. }
            | Message::PlanNotInCountry { .. }
            | Message::ActivationLinkMissing { .. }
            | Message::OrderProductMissing { .. }
            | Message::OrderPlanMissing { .. }
            | Message::PublisherMissing { .. }
            | Message::NoteMissing { .. }
            | Message::CliMissing
            | Message::SnapshotMissingDay { .. }
            | Message::SnapshotNone { .. }
            | Message::SnapshotNoEarlier { .. }
            | Message::ExportedFileMissing { .. }
            | Message::OfferMissing { .. }
            | Message::RuleMissing { .. }
            | Message::ReviewMissing { .. } => unreachable!("said by missing"),
            Message::Verbatim { text } => text.clone(),
            Message::PublisherAmbiguous { name, matches } => {
                format!("{name} matches several publishers: {matches}; give the full name")
            }
            Message::PublisherLookupNeedsIds => {
                "a customer id and a subscription id are both needed to find the publisher".into()
            }
            Message::NoteBadKind { value } => {
                format!("`{value}` is not a kind of note: use note or contact")
            }
            Message::HomeFolderUnknown => "the home folder is not known".into(),
            Message::SnapshotDamaged { path, why } => {
                format!("the price snapshot {path} is damaged ({why}); fetch it again")
            }
            Message::SnapshotUnreadable { why } => {
                format!("a stored price snapshot is unreadable ({why}); fetch it again")
            }
            Message::StoredOfferUnreadable { offer, why } => format!(
                "stored offer {offer} is unreadable ({why}); run `cspdesk offers sync` again"
            ),
            Message::SpreadsheetFailed { why } => {
                format!("writing the spreadsheet failed: {why}")
            }
            Message::WriteFailed { path, why } => format!("writing {path}: {why}"),
            Message::SheetZipDamaged { why } => {
                format!("the price sheet arrived zipped but the archive is damaged: {why}")
            }
            Message::SheetZipNoEntry { why } => {
                format!("the zipped price sheet has no readable entry: {why}")
            }
            Message::ClientIdMissing => "no application (client) id is set: put the app registration's id in the settings (client_id) \
                 or pass --client-id. The README's \"Connect a real Partner Center account\" says how to register one"
                .into(),
            Message::UpdateAddressNotTls { url, scheme } => format!(
                "the update address {url} uses {scheme}://: updates must come over TLS (https://); \
                 http:// is accepted only on this machine (127.0.0.1, localhost)"
            ),
            Message::StoreDamaged { path, detail, aside } => format!(
                "the local database {path} is damaged ({detail}). It was moved aside to {aside} and nothing was deleted; \
                 run the command again to start with a fresh database (synced data will be fetched again)"
            ),
            Message::StoreTooNew {
                path,
                schema,
                known,
                aside,
            } => format!(
                "the local database {path} was written by a newer CSP Desk (schema {schema}, this version knows {known}). \
                 It was moved aside to {aside} and nothing was deleted: update CSP Desk and move it back, or run the command \
                 again to start with a fresh database"
            ),
            Message::PolicyInvalid { path, why } => format!(
                "{path} is not a valid cancellation policy ({why}); fix it or delete it to use the default"
            ),
            Message::SheetUnsorted { market } => {
                format!("the price sheet for {market} could not be put in order")
            }
            Message::NotTimeOfDay { value } => format!("`{value}` is not a time of day"),
            Message::FolderOpenFailed { path, why } => format!("Opening {path} failed: {why}"),
            Message::NoSubscriptionsSelected => {
                "no subscriptions selected: tick the rows to change first".into()
            }
            Message::NoPublisherPicked => "no publisher named: pick one from the list".into(),
            Message::ScheduleNotSet => "no daily export is set: set one first".into(),
            Message::ExportNoMarket => {
                "no market is picked: pick at least one market to export".into()
            }
            Message::ChangesSameDay => {
                "From and To are the same day: pick two different snapshots".into()
            }
            Message::ChangesFromAfterTo { from, to } => {
                format!("From ({from}) is after To ({to}): pick an earlier From")
            }
            Message::ChangesNoSnapshot { market } => format!(
                "No price snapshot of {market} yet. Fetch today's snapshot (an export keeps one too); changes appear once there are two days' snapshots."
            ),
            Message::ChangesOneToday { market } => format!(
                "One snapshot of {market} so far (today's); changes appear after tomorrow's."
            ),
            Message::ChangesOneOn { market, day } => format!(
                "One snapshot of {market} so far ({day}); fetch today's snapshot to see what changed since."
            ),
            Message::ChangesNoneYet => "there are no changes to export yet".into(),
            Message::SandboxMissing => "this build has no built-in sandbox: configure a Partner Center account in \
                 the settings, or give an --endpoint"
                .into(),
            Message::ExportFormatUnknown { value } => {
                format!("unknown export format `{value}`: use xlsx or csv")
            }
            Message::RulesFileLine { file, line, why } => {
                format!("{file}, line {line}: {}", why.english())
            }
            Message::RulesFileRule { file, line, why } => {
                format!("{file}, the rule at line {line}: {}", why.english())
            }
            Message::RulesFileCell {
                file,
                line,
                column,
                why,
            } => format!("{file}, line {line}, column {column}: {}", why.english()),
            Message::RulesFileColumnUnknown {
                file,
                column,
                name,
                columns,
            } => format!(
                "{file}, line 1, column {column}: `{name}` is not a rule column (use {columns})"
            ),
            Message::RulesFileUnreadable { file, why } => format!("{file}: {why}"),
            Message::MarkupNotPercent { value } => {
                format!("`{value}` is not a markup: write a percentage such as 20%")
            }
            Message::NotAnAmount { value } => format!("`{value}` is not an amount"),
            Message::NotYesNo { value } => format!("`{value}` is not yes or no"),
            Message::MarkupBasisUnknown { value } => format!(
                "`{value}`: a markup is taken of the unit price (unit) or the ERP price (erp)"
            ),
            Message::RoundingUnknown { value } => format!(
                "`{value}` is not a rounding: use 0.99, 0.95, 0.49, 0.05, 1 or none"
            ),
            Message::SeatsZero => "a quantity of 0 is not a seat count: to end the subscription, cancel it or turn auto-renew off".into(),
            Message::PlanChoices { plans } => format!("Plans it can move to: {plans}"),
            Message::PlanChoicesNone => "Partner Center lists no plan this subscription can move to now".into(),
            Message::PlanNotEligible => "it is not eligible".into(),
            Message::PlanVanished { plan } => {
                format!("the listed upgrade to {plan} disappeared while it was being sent")
            }
            Message::OrderAskPublisher { publisher, product } => format!(
                "Ask {publisher} whether they can sell in that country (see `cspdesk offers show {product}` for their links)"
            ),
            Message::OrderPublisherContacts { publisher, contacts } => {
                format!("Publisher contacts ({publisher}): {contacts}")
            }
            Message::MarketplaceUnreadable { why } => format!(
                "Publisher contacts and legal links are missing: the Azure Marketplace catalog could not be read ({why}). Open the offer again later; the rest comes from Partner Center."
            ),
        }
    }

    /// The cancellation window of `hours` after purchase, in whole days from two days on.
    pub fn window(hours: u32) -> Message {
        if hours.is_multiple_of(24) && hours >= 48 {
            Message::WindowDays { days: hours / 24 }
        } else {
            Message::WindowHours { hours }
        }
    }
}

/// "1 seat", "3 seats".
pub fn seats_of(n: u32) -> String {
    if n == 1 {
        "1 seat".into()
    } else {
        format!("{n} seats")
    }
}

/// A core sentence as an error: the user's input, said in the UI's language from its code and
/// in English by the CLI.
impl From<Message> for crate::error::Error {
    fn from(m: Message) -> Self {
        crate::error::Error::Said {
            english: m.english(),
            message: serde_json::to_value(&m).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_problems_name_what_is_unavailable() {
        let no_token = Message::AudienceNoToken {
            served: Served::PartnerApi,
            why: "the sign-in was refused".into(),
        };
        assert_eq!(
            no_token.english(),
            "price lists unavailable: the sign-in was refused"
        );
        assert_eq!(
            serde_json::to_value(&no_token).unwrap(),
            serde_json::json!({"code": "audienceNoToken", "params": {"served": "partnerApi", "why": "the sign-in was refused"}})
        );
        assert_eq!(
            Message::AudienceNoArmSubscription.english(),
            "marketplace categories and publisher contacts unavailable: no Azure subscription. \
             Enter the Azure subscription id the marketplace catalog is read through in Settings"
        );
        assert_eq!(
            Message::AudienceArmRefused {
                subscription: "sub-1".into(),
                why: "403".into()
            }
            .english(),
            "marketplace categories and publisher contacts unavailable: no Azure subscription this account \
             can read the catalog through (subscription sub-1: 403). Give the account the Reader role on that \
             subscription, or enter another subscription id in Settings"
        );
        assert_eq!(
            Message::AudienceArmUnchecked {
                why: "timed out".into()
            }
            .english(),
            "marketplace categories and publisher contacts could not be checked: timed out"
        );
        assert_eq!(
            Served::Graph.message().english(),
            "invoice line items (billing reconciliation)"
        );
        assert_eq!(
            Served::PartnerCenter.message().english(),
            "customers, orders, subscriptions and invoices"
        );
    }

    #[test]
    fn not_sold_names_the_country_and_the_customer() {
        let m = Message::NotSoldIn {
            product: "Contoso CRM".into(),
            country: "KR".into(),
            customer: "Fabrikam".into(),
        };
        assert_eq!(
            m.english(),
            "Contoso CRM is not sold in KR, the billing country of Fabrikam"
        );
        assert_eq!(
            serde_json::to_value(&m).unwrap(),
            serde_json::json!({"code": "notSoldIn", "params": {"product": "Contoso CRM", "country": "KR", "customer": "Fabrikam"}})
        );
    }

    #[test]
    fn a_failed_or_missed_daily_export_is_said_with_its_time() {
        let at = || "2026-11-21 06:30".to_string();
        assert_eq!(
            Message::ScheduleFailed {
                at: at(),
                why: "disk full".into()
            }
            .english(),
            "The scheduled price-list export of 2026-11-21 06:30 failed: disk full"
        );
        assert_eq!(
            Message::ScheduleUnfinished { at: at() }.english(),
            "The scheduled price-list export of 2026-11-21 06:30 failed: it did not finish"
        );
        assert_eq!(
            Message::ScheduleMissed {
                at: "2026-11-21 06:30".into()
            }
            .english(),
            "The scheduled price-list export of 2026-11-21 06:30 did not run (was the computer off?)"
        );
    }

    #[test]
    fn plan_change_sentences_keep_the_cli_words() {
        let moved = Message::PlanMoved {
            subscription: "sub-1".into(),
            from: "Basic".into(),
            to: "Premium".into(),
            seats: 1,
        };
        assert_eq!(
            moved.english(),
            "sub-1 moved from Basic to Premium with 1 seat."
        );
        assert_eq!(
            serde_json::to_value(&moved).unwrap(),
            serde_json::json!({"code": "planMoved", "params": {"subscription": "sub-1", "from": "Basic", "to": "Premium", "seats": 1}})
        );
        assert_eq!(
            Message::PlanPending {
                subscription: "sub-1".into(),
                from: "Basic".into(),
                to: "Premium".into()
            }
            .english(),
            "The change of sub-1 from Basic to Premium was accepted and takes effect once the publisher approves it."
        );
        assert_eq!(
            Message::PlanSeats {
                subscription: "sub-1".into(),
                seats: 12
            }
            .english(),
            "sub-1 now has 12 seats."
        );
        assert_eq!(
            Message::PlanNotListed {
                plan: "Basic".into(),
                current: "Premium".into()
            }
            .english(),
            "Partner Center does not list Basic as a plan Premium can move to; the publisher may not allow this change"
        );
        assert_eq!(
            Message::PlanPortalOnly {
                plan: "Basic".into()
            }
            .english(),
            "Basic cannot be chosen here: change the plan in the Partner Center portal"
        );
        assert_eq!(
            Message::PlanCheckRefused { why: "403".into() }.english(),
            "Partner Center does not offer plan changes for this marketplace subscription through its API \
             (the eligibility check was refused: 403)"
        );
        assert_eq!(
            Message::PlanNoneListed.english(),
            "Partner Center lists no plan this marketplace subscription can move to through its API"
        );
        let notes: Vec<String> = crate::subscriptions::plans::PLAN_CHANGE_NOTES
            .iter()
            .map(Message::english)
            .collect();
        assert_eq!(
            notes,
            [
                "A customer can change plan at any time in the billing cycle.",
                "The change takes effect once the publisher approves it.",
                "Upfront monthly and annual charges are prorated."
            ]
        );
    }

    #[test]
    fn refusals_keep_their_kind_their_parts_and_the_cli_words() {
        use crate::error::{Error, ErrorKind};
        let e = Message::CancelWindowClosed {
            name: "Contoso CRM".into(),
            at: "2026-11-20 10:00".into(),
        }
        .refused();
        assert_eq!(e.kind(), ErrorKind::Refused);
        assert_eq!(
            e.to_string(),
            "the cancellation window of Contoso CRM closed at 2026-11-20 10:00 UTC. \
             It can no longer be cancelled; turn auto-renew off so it ends at the end of its term"
        );
        match &e {
            Error::Refused { message, hint, .. } => {
                assert_eq!(
                    message,
                    "the cancellation window of Contoso CRM closed at 2026-11-20 10:00 UTC"
                );
                assert!(hint.starts_with("It can no longer be cancelled"));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(
            e.said().unwrap(),
            &serde_json::json!({"code": "cancelWindowClosed", "params": {"name": "Contoso CRM", "at": "2026-11-20 10:00"}})
        );
        let e = Message::CancelAlreadyCancelled {
            subscription: "sub-1".into(),
        }
        .refused();
        assert_eq!(
            e.to_string(),
            "subscription sub-1 is already cancelled. Nothing to do"
        );
        let e = Message::QuantityOutside {
            quantity: 0,
            plan: "Basic".into(),
            min: 1,
            max: 300,
        }
        .refused();
        assert_eq!(
            e.to_string(),
            "quantity 0 is outside what Basic allows (1 to 300). Choose a quantity from 1 to 300"
        );
        assert_eq!(e.said().unwrap()["params"]["max"], 300);
        let e = Message::PlanIneligible {
            subscription: "sub-1".into(),
            from: "Premium".into(),
            to: "Basic".into(),
            why: Box::new(Message::PlanNotEligible),
            choices: Box::new(Message::PlanChoicesNone),
        }
        .refused();
        assert_eq!(
            e.to_string(),
            "sub-1 cannot move from Premium to Basic: it is not eligible. \
             Partner Center lists no plan this subscription can move to now"
        );
        assert_eq!(
            e.said().unwrap()["params"]["why"],
            serde_json::json!({"code": "planNotEligible"})
        );
        let e = Message::PlanUnknownTarget {
            target: "Gold".into(),
            offer: "Contoso CRM".into(),
            choices: Box::new(Message::PlanChoices {
                plans: "Basic (B1)".into(),
            }),
        }
        .refused();
        assert_eq!(
            e.to_string(),
            "`Gold` is not a plan of Contoso CRM. Plans it can move to: Basic (B1). \
             Give a SKU id, an offer id or a plan title"
        );
        let e = Message::OrderNotSoldIn {
            product: "Contoso CRM".into(),
            plan: "Basic".into(),
            country: "KR".into(),
            customer: "Fabrikam".into(),
            contacts: Box::new(Message::OrderAskPublisher {
                publisher: "Contoso".into(),
                product: "P1".into(),
            }),
        }
        .refused();
        assert_eq!(
            e.to_string(),
            "Contoso CRM (Basic) is not sold in KR, the billing country of Fabrikam. \
             Ask Contoso whether they can sell in that country (see `cspdesk offers show P1` for their links)"
        );
        let e = Message::OrderNotSaas {
            title: "Contoso VM".into(),
            offer_type: OfferType::from_source("VirtualMachines"),
        }
        .refused();
        assert!(e.to_string().starts_with("Contoso VM is a "), "{e}");
        assert_eq!(e.said().unwrap()["code"], "orderNotSaas");
        assert_eq!(
            Message::OrderInFlight.refused().to_string(),
            "this order is already being placed. Wait for its confirmation; it is placed once"
        );
        // Not a refusal: said as the user's input.
        assert_eq!(Message::SeatsZero.refused().kind(), ErrorKind::Invalid);
    }

    #[test]
    fn not_found_keeps_its_kind_and_the_cli_words() {
        use crate::error::{Error, ErrorKind};
        let e = Message::PlanNotInCountry {
            sku: "B1".into(),
            product: "P1".into(),
            country: "KR".into(),
        }
        .not_found();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(matches!(e, Error::NotFound { .. }));
        assert_eq!(
            e.to_string(),
            "plan B1 of product P1 in KR not found. \
             The plan may have been withdrawn; check the offer in the Marketplace view"
        );
        assert_eq!(
            e.said().unwrap(),
            &serde_json::json!({"code": "planNotInCountry", "params": {"sku": "B1", "product": "P1", "country": "KR"}})
        );
        let e = Message::ReviewMissing {
            review: "r-7".into(),
        }
        .not_found();
        assert_eq!(
            e.to_string(),
            "review r-7 not found. Review the order again; reviews are kept only while the app runs"
        );
        assert_eq!(
            Message::ActivationLinkMissing {
                subscription: "sub-1".into()
            }
            .not_found()
            .to_string(),
            "an activation link for subscription sub-1 not found. \
             Only subscriptions pending fulfillment have one; it may take a few minutes after purchase"
        );
        // Plain refusals and not-founds built from words carry no code.
        assert_eq!(Error::refused("no", "yes").said(), None);
    }

    #[test]
    fn the_apps_own_checks_keep_the_cli_words() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let e: crate::error::Error = Message::ChangesFromAfterTo {
            from: d(2026, 11, 21),
            to: d(2026, 11, 20),
        }
        .into();
        assert_eq!(
            e.to_string(),
            "From (2026-11-21) is after To (2026-11-20): pick an earlier From"
        );
        assert_eq!(
            e.said().unwrap(),
            &serde_json::json!({"code": "changesFromAfterTo", "params": {"from": "2026-11-21", "to": "2026-11-20"}})
        );
        assert_eq!(
            crate::tabular::ExportFormat::parse("pdf")
                .unwrap_err()
                .to_string(),
            "unknown export format `pdf`: use xlsx or csv"
        );
        assert_eq!(
            Message::ChangesOneOn {
                market: "GB".into(),
                day: d(2026, 11, 20)
            }
            .english(),
            "One snapshot of GB so far (2026-11-20); fetch today's snapshot to see what changed since."
        );
        assert_eq!(
            Message::ChangesNoSnapshot {
                market: "GB".into()
            }
            .english(),
            "No price snapshot of GB yet. Fetch today's snapshot (an export keeps one too); \
             changes appear once there are two days' snapshots."
        );
        assert_eq!(
            Message::SandboxMissing.english(),
            "this build has no built-in sandbox: configure a Partner Center account in the settings, or give an --endpoint"
        );
        assert_eq!(
            Message::NoSubscriptionsSelected.english(),
            "no subscriptions selected: tick the rows to change first"
        );
        assert_eq!(
            Message::ExportNoMarket.english(),
            "no market is picked: pick at least one market to export"
        );
    }

    #[test]
    fn missing_snapshots_keep_their_kind_and_the_cli_words() {
        use crate::error::ErrorKind;
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let e = Message::SnapshotMissingDay {
            market: "GB".into(),
            day: d(2026, 11, 1),
            days: "2026-11-21, 2026-11-20".into(),
        }
        .not_found();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            e.to_string(),
            "a price snapshot of GB for 2026-11-01 not found. Snapshots exist for: 2026-11-21, 2026-11-20"
        );
        assert_eq!(
            e.said().unwrap(),
            &serde_json::json!({"code": "snapshotMissingDay", "params": {"market": "GB", "day": "2026-11-01", "days": "2026-11-21, 2026-11-20"}})
        );
        assert_eq!(
            Message::SnapshotNoEarlier {
                market: "GB".into(),
                to: d(2026, 11, 21)
            }
            .not_found()
            .to_string(),
            "an earlier price snapshot of GB than 2026-11-21 not found. \
             Changes need two days' snapshots: fetch again on another day, or name --from"
        );
        assert_eq!(
            Message::SnapshotNone { market: "GB".into() }
                .not_found()
                .to_string(),
            "a price snapshot of GB not found. Run `cspdesk prices fetch --market CC` (or an export) first"
        );
        let e = Message::BrowserNotStarted {
            why: "no display".into(),
            url: "https://login.microsoftonline.com/x".into(),
        }
        .refused();
        assert_eq!(e.kind(), ErrorKind::Refused);
        assert_eq!(
            e.to_string(),
            "The browser could not be started (no display). \
             Open this address in a browser yourself: https://login.microsoftonline.com/x"
        );
    }

    #[test]
    fn an_error_as_a_part_of_a_sentence_keeps_its_code() {
        let e: crate::error::Error = Message::RoundingUnknown { value: "3".into() }.into();
        assert_eq!(
            Message::of(&e),
            Message::RoundingUnknown { value: "3".into() }
        );
        assert_eq!(
            Message::of(&crate::error::Error::Invalid("bad".into())),
            Message::Verbatim { text: "bad".into() }
        );
    }

    #[test]
    fn codes_and_params_serialize_for_the_ui_and_english_stays_for_the_cli() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let m = Message::BillingPeriod {
            start: d(2026, 10, 1),
            invoice_available: d(2026, 11, 8),
        };
        assert_eq!(
            serde_json::to_value(&m).unwrap(),
            serde_json::json!({"code": "billingPeriod", "params": {"start": "2026-10-01", "invoiceAvailable": "2026-11-08"}})
        );
        assert_eq!(
            m.english(),
            "October 2026 charges · invoice available 8 November 2026"
        );
        assert_eq!(
            serde_json::to_value(Message::WindowTrial).unwrap(),
            serde_json::json!({"code": "windowTrial"})
        );
        assert_eq!(Message::window(72).english(), "3 days after purchase");
        assert_eq!(Message::window(24).english(), "24 hours after purchase");
        assert_eq!(
            serde_json::to_value(Message::DeadlinePolicy {
                source: "Microsoft".into()
            })
            .unwrap(),
            serde_json::json!({"code": "deadlinePolicy", "params": {"source": "Microsoft"}})
        );
    }
}
