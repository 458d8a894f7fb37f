//! Sentences the core builds for a person to read, as a code with parameters.
//!
//! The CLI prints [`Message::english`]; the desktop UI renders the code in its own language
//! (`ui/src/locales/*.json`, key `core.<code>`) and falls back to the English text for a code
//! it does not know. The English wording lives here and only here.

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::OfferType;

/// A sentence for the UI: `{ code, params }` (`Message` in the UI's bindings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
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
    CancelAlready,
    /// … it is suspended.
    CancelSuspended,
    /// … Partner Center gives it no cancellation window.
    CancelNoWindow,
    /// … its status does not allow it.
    CancelStatus,
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
}

/// What a service's token gives: said as [`Message::ServesPartnerCenter`] and the like, and the
/// `served` parameter of [`Message::AudienceNoToken`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
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
            Message::CancelAlready => "This subscription is cancelled.".into(),
            Message::CancelSuspended => "A suspended subscription cannot be cancelled here; check it in Partner Center.".into(),
            Message::CancelNoWindow => "Partner Center gives no cancellation window for this subscription.".into(),
            Message::CancelStatus => "This subscription cannot be cancelled in its current status.".into(),
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
