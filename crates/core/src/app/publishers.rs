//! Publishers with their support contacts and the staff's local notes (issue 7), as the
//! desktop's IPC types. The rules are [`crate::publishers`]'.

use std::collections::HashMap;

use serde::Serialize;

use super::invoices::count;
use super::{market_code, AppCore};
use crate::catalog::detail::PublisherContacts;
use crate::error::{Error, Result};
use crate::publishers::{self, PublisherView, SubscriptionContext};
use crate::tabular::{self, ExportFormat, ExportResult};

/// One publisher in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PublisherRow {
    /// The folded name notes are kept under.
    pub key: String,
    pub name: String,
    pub id: Option<String>,
    pub microsoft: bool,
    pub offers: u32,
    /// Offers that can be bought through CSP.
    pub csp_offers: u32,
    /// The staff's own notes and contacts for this publisher.
    pub notes: u32,
}

/// One offer of a publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PublisherOfferRow {
    pub key: String,
    pub product_id: Option<String>,
    pub title: String,
    /// `SaaS`, `Virtual machine`, …
    pub type_label: String,
    /// Can be bought through CSP.
    pub purchasable: bool,
    /// For an offer CSP partners are not offered at all: "Request this offer" (a `mailto:`).
    pub request_mailto: Option<String>,
}

/// A publisher note crosses IPC as the core's own type (`PublisherNote` in the bindings).
pub use crate::publishers::Note as PublisherNote;

/// A new note or contact, as the form sends it: the core's (checked by [`publishers::add_note`]).
pub use crate::publishers::NewNote as NoteInput;

/// One publisher in full: who handles what, support contacts, offers, notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PublisherDetail {
    pub key: String,
    pub name: String,
    pub id: Option<String>,
    pub microsoft: bool,
    /// The market whose catalog the offers come from (for a subscription: the customer's).
    pub market: Option<String>,
    pub contacts: PublisherContacts,
    /// Why contacts are missing, when they are.
    pub contacts_note: Option<String>,
    /// Who handles what: billing and subscriptions → the partner; technical → the publisher.
    pub responsibilities: Vec<String>,
    pub offers: Vec<PublisherOfferRow>,
    pub notes: Vec<PublisherNote>,
}

impl PublisherDetail {
    fn from_view(v: PublisherView, market: Option<String>) -> Self {
        PublisherDetail {
            key: v.summary.key,
            name: v.summary.name,
            id: v.summary.id,
            microsoft: v.summary.microsoft,
            market,
            contacts: v.contacts,
            contacts_note: v.contacts_note,
            responsibilities: v.responsibilities,
            offers: v
                .offers
                .into_iter()
                .map(|o| PublisherOfferRow {
                    key: o.key,
                    product_id: o.product_id,
                    title: o.title,
                    type_label: o.offer_type,
                    purchasable: o.purchasable,
                    request_mailto: o.request_mailto,
                })
                .collect(),
            notes: v.notes,
        }
    }
}

/// A subscription's details, for the support email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionInfo {
    pub customer_id: String,
    pub customer_name: String,
    pub product: String,
    pub subscription_id: String,
    pub order_id: String,
}

impl From<SubscriptionContext> for SubscriptionInfo {
    fn from(c: SubscriptionContext) -> Self {
        SubscriptionInfo {
            customer_id: c.customer_id,
            customer_name: c.customer_name,
            product: c.product,
            subscription_id: c.subscription_id,
            order_id: c.order_id,
        }
    }
}

/// From a subscription to its publisher: the subscription, the publisher, and the
/// "Contact publisher" email with the subscription's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionLookup {
    pub subscription: SubscriptionInfo,
    pub publisher: PublisherDetail,
    pub contact_mailto: String,
}

impl AppCore {
    /// Every publisher of the market's catalog (synced first if never), optionally searched by
    /// name or id, with offer and note counts.
    pub async fn publisher_list(
        &self,
        market: &str,
        search: Option<String>,
    ) -> Result<Vec<PublisherRow>> {
        let market = market_code(market)?;
        self.index(&market).await?; // syncs a market never synced
        let c = self.connection().await?;
        let store = c.store.clone();
        tokio::task::spawn_blocking(move || {
            let search = search
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            let list = publishers::list(&store, &market, search.as_deref())?;
            let mut notes: HashMap<String, u32> = HashMap::new();
            for n in publishers::all_notes(&store)? {
                *notes.entry(n.publisher).or_default() += 1;
            }
            Ok(list
                .into_iter()
                .map(|p| PublisherRow {
                    notes: notes.get(&p.key).copied().unwrap_or(0),
                    key: p.key,
                    name: p.name,
                    id: p.id,
                    microsoft: p.microsoft,
                    offers: count(p.offers),
                    csp_offers: count(p.csp_offers),
                })
                .collect())
        })
        .await
        .map_err(|e| Error::Internal(format!("listing publishers failed: {e}")))?
    }

    /// One publisher: who handles what, support contacts, offers (with "Request this offer" for
    /// those CSP partners are not offered), and the staff's notes.
    pub async fn publisher_detail(&self, market: &str, name: &str) -> Result<PublisherDetail> {
        let market = market_code(market)?;
        if name.trim().is_empty() {
            return Err(crate::message::Message::NoPublisherPicked.into());
        }
        self.index(&market).await?;
        let c = self.connection().await?;
        let view = publishers::show(&c, &market, name.trim()).await?;
        Ok(PublisherDetail::from_view(view, Some(market)))
    }

    /// From a customer's subscription straight to its publisher's contacts, with the
    /// subscription's details and the "Contact publisher" email.
    pub async fn publisher_for_subscription(
        &self,
        customer_id: &str,
        subscription_id: &str,
    ) -> Result<SubscriptionLookup> {
        let c = self.connection().await?;
        let found = publishers::for_subscription(&c, customer_id, subscription_id).await?;
        Ok(SubscriptionLookup {
            subscription: found.subscription.into(),
            publisher: PublisherDetail::from_view(found.publisher, Some(found.market)),
            contact_mailto: found.contact_mailto,
        })
    }

    /// Add a note or contact to a publisher; kept locally, never touched by a catalog sync.
    pub async fn add_publisher_note(
        &self,
        publisher_name: &str,
        note: NoteInput,
    ) -> Result<PublisherNote> {
        let c = self.connection().await?;
        publishers::add_note(&c.store, publisher_name, &note)
    }

    pub async fn delete_publisher_note(&self, id: i64) -> Result<()> {
        let c = self.connection().await?;
        publishers::delete_note(&c.store, id)
    }

    /// Export every publisher note to `path`, or to the export folder as
    /// `publisher-notes-<date>.<format>`.
    pub async fn export_publisher_notes(
        &self,
        path: Option<String>,
        format: Option<ExportFormat>,
    ) -> Result<ExportResult> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let c = self.connection().await?;
        let (out, format) = tabular::export_path(
            path.as_deref(),
            format,
            &self.export_dir(),
            &format!("publisher-notes-{}", c.now().format("%Y-%m-%d")),
        )?;
        let store = c.store.clone();
        let out2 = out.clone();
        let n =
            tokio::task::spawn_blocking(move || publishers::export_notes(&store, &out2, format))
                .await
                .map_err(|e| Error::Internal(format!("the export stopped: {e}")))??;
        self.remember_written(&out);
        Ok(ExportResult::new(&out, n, format))
    }
}
