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
#[ts(export)]
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
}

impl Message {
    /// The English sentence (what the CLI prints, and the UI's fallback).
    pub fn english(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
