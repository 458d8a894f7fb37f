//! Publishers and who supports what.
//!
//! The partner is the customer's first contact for billing and subscription questions; technical
//! support comes from the publisher. Every publisher in the synced catalog is listed with its
//! offers and its support contacts (from the marketplace detail), plus the support staff's own
//! notes and contacts, which live in their own table so a catalog sync never touches them.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::catalog::detail::{self, PublisherContacts};
use crate::catalog::sync as catalog_sync;
use crate::catalog::{fold_name, MatchKind, Offer};
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::partner_center::api;
use crate::store::Store;

/// Who handles what, as the Publishers view says it.
pub const RESPONSIBILITIES: [&str; 2] = [
    "Billing and subscription questions (invoices, cancellations, renewals, seats) come to you, the partner.",
    "Technical issues with the product go to the publisher's support.",
];

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublisherSummary {
    /// Folded name: the key notes are kept under.
    pub key: String,
    pub name: String,
    pub id: Option<String>,
    pub microsoft: bool,
    pub offers: usize,
    /// Offers that can be bought through CSP.
    pub csp_offers: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublisherOffer {
    pub key: String,
    pub product_id: Option<String>,
    pub title: String,
    #[serde(rename = "type")]
    pub offer_type: String,
    pub purchasable: bool,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
    /// For an offer CSP cannot buy: a `mailto:` asking the publisher to make it available.
    pub request_mailto: Option<String>,
}

/// A note or contact the support staff added to a publisher (kept locally).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PublisherNote")]
pub struct Note {
    #[ts(type = "number")]
    pub id: i64,
    pub publisher: String,
    pub publisher_name: String,
    /// `note` or `contact`.
    pub kind: String,
    pub text: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A new note or contact, as the form or the command line gives it (checked when added).
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(rename = "NoteInput")]
pub struct NewNote {
    /// `note` or `contact`.
    pub kind: String,
    pub text: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublisherView {
    pub summary: PublisherSummary,
    pub contacts: PublisherContacts,
    /// Why contacts are missing, when they are.
    pub contacts_note: Option<String>,
    pub responsibilities: Vec<String>,
    pub offers: Vec<PublisherOffer>,
    pub notes: Vec<Note>,
}

/// A subscription's details for a support email.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionContext {
    pub customer_id: String,
    pub customer_name: String,
    pub product: String,
    pub subscription_id: String,
    pub order_id: String,
}

fn summaries(offers: &[Offer]) -> Vec<PublisherSummary> {
    let mut map: std::collections::BTreeMap<String, PublisherSummary> =
        std::collections::BTreeMap::new();
    for o in offers {
        let key = fold_name(&o.publisher_name);
        let e = map.entry(key.clone()).or_insert_with(|| PublisherSummary {
            key,
            name: o.publisher_name.clone(),
            id: None,
            microsoft: o.is_microsoft_product,
            offers: 0,
            csp_offers: 0,
        });
        e.offers += 1;
        e.csp_offers += usize::from(o.purchasable_through_csp());
        if e.id.is_none() {
            e.id = o.publisher_id.clone();
        }
    }
    map.into_values().collect()
}

/// Every publisher in a market's synced catalog, optionally searched by name or id.
pub fn list(store: &Store, market: &str, search: Option<&str>) -> Result<Vec<PublisherSummary>> {
    let all = summaries(&catalog_sync::load_offers(store, market)?);
    let s = search.map(str::to_lowercase).unwrap_or_default();
    Ok(all
        .into_iter()
        .filter(|p| {
            s.is_empty()
                || p.name.to_lowercase().contains(&s)
                || p.id
                    .as_deref()
                    .is_some_and(|i| i.to_lowercase().contains(&s))
        })
        .collect())
}

fn find<'a>(all: &'a [PublisherSummary], name: &str) -> Result<&'a PublisherSummary> {
    let folded = fold_name(name);
    if let Some(p) = all.iter().find(|p| {
        p.key == folded
            || p.id
                .as_deref()
                .is_some_and(|i| i.eq_ignore_ascii_case(name))
    }) {
        return Ok(p);
    }
    let hits: Vec<&PublisherSummary> = all.iter().filter(|p| p.key.contains(&folded)).collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(Message::PublisherMissing {
            name: format!("{name:?}"),
        }
        .not_found()),
        many => Err(Message::PublisherAmbiguous {
            name: format!("{name:?}"),
            matches: many
                .iter()
                .take(8)
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
        .into()),
    }
}

/// One publisher: contacts (from the marketplace), offers, and the staff's notes.
pub async fn show(conn: &Connection, market: &str, name: &str) -> Result<PublisherView> {
    let offers = catalog_sync::load_offers(&conn.store, market)?;
    let all = summaries(&offers);
    let summary = find(&all, name)?.clone();
    let theirs: Vec<&Offer> = offers
        .iter()
        .filter(|o| fold_name(&o.publisher_name) == summary.key)
        .collect();
    // Contacts come from the marketplace detail of any of their offers that matched.
    let mut contacts = None;
    let mut contacts_note = None;
    for o in theirs.iter().filter(|o| o.marketplace_id.is_some()).take(3) {
        let (Some(id), Some(sub)) = (
            o.marketplace_id.as_deref(),
            conn.arm_subscription.as_deref(),
        ) else {
            continue;
        };
        match detail::arm_detail(&conn.client, &conn.store, sub, id, market).await {
            Ok(d) => {
                contacts = Some(detail::build(o, Some(&d), vec![], None).publisher);
                break;
            }
            Err(e) => contacts_note = Some(format!("The marketplace catalog could not be read ({e}); showing what Partner Center knows.")),
        }
    }
    if conn.arm_subscription.is_none() {
        contacts_note = Some("No Azure subscription is set for the marketplace catalog, so support contacts are unknown.".into());
    }
    let contacts = match contacts {
        Some(c) => {
            contacts_note = None;
            c
        }
        None => {
            contacts_note.get_or_insert_with(|| "This publisher's offers are not in the marketplace catalog, so its support contacts are unknown.".into());
            detail::build(theirs[0], None, vec![], None).publisher
        }
    };
    let offers = theirs
        .iter()
        .map(|o| PublisherOffer {
            key: o.key().to_string(),
            product_id: o.product_id.clone(),
            title: o.title.clone(),
            offer_type: o.offer_type.label().into(),
            purchasable: o.purchasable_through_csp(),
            match_kind: o.match_kind,
            request_mailto: (!o.purchasable_through_csp()
                && o.match_kind == MatchKind::MarketplaceOnly)
                .then(|| request_offer_mailto(&contacts, &o.title, market)),
        })
        .collect();
    Ok(PublisherView {
        notes: notes(&conn.store, &summary.key)?,
        summary,
        contacts,
        contacts_note,
        responsibilities: RESPONSIBILITIES.iter().map(|s| s.to_string()).collect(),
        offers,
    })
}

/// The publisher behind a customer's subscription, and where it was found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionPublisher {
    pub publisher: PublisherView,
    pub subscription: SubscriptionContext,
    /// "Contact publisher": an email with the subscription's details.
    pub contact_mailto: String,
    /// The market whose catalog was read: the customer's, else one that has the product.
    pub market: String,
}

/// The publisher behind a customer's subscription, with the subscription's details for an email.
pub async fn for_subscription(
    conn: &Connection,
    customer_id: &str,
    subscription_id: &str,
) -> Result<SubscriptionPublisher> {
    let (customer_id, subscription_id) = (customer_id.trim(), subscription_id.trim());
    if customer_id.is_empty() || subscription_id.is_empty() {
        return Err(Message::PublisherLookupNeedsIds.into());
    }
    let sub = conn
        .client
        .execute(&api::subscription(customer_id, subscription_id))
        .await?;
    let customer = crate::customers::get(&conn.client, customer_id).await?;
    let product_id = sub.product_and_sku().0.unwrap_or_default().to_string();
    // The catalog of the customer's market, else any synced market that has the product.
    let country = customer
        .billing_country()
        .unwrap_or("US")
        .to_ascii_uppercase();
    let mut market = country.clone();
    if catalog_sync::last_sync(&conn.store, &country)?.is_none() {
        let opts = {
            let mut o = catalog_sync::SyncOptions::new(&country);
            o.arm_subscription = conn.arm_subscription.clone();
            o
        };
        if catalog_sync::sync(&conn.client, &conn.store, &opts, &|_| {})
            .await
            .is_err()
        {
            market = detail::markets_of(&conn.store, &product_id)?
                .into_iter()
                .next()
                .unwrap_or(country);
        }
    }
    let offers = catalog_sync::load_offers(&conn.store, &market)?;
    let publisher = offers
        .iter()
        .find(|o| o.product_id.as_deref() == Some(product_id.as_str()))
        .map(|o| o.publisher_name.clone())
        .unwrap_or_else(|| sub.publisher_name.clone());
    let view = show(conn, &market, &publisher).await?;
    let ctx = SubscriptionContext {
        customer_id: customer.id.clone(),
        customer_name: customer.company_profile.company_name.clone(),
        product: if sub.offer_name.is_empty() {
            sub.friendly_name.clone()
        } else {
            sub.offer_name.clone()
        },
        subscription_id: sub.id.clone(),
        order_id: sub.order_id.clone(),
    };
    Ok(SubscriptionPublisher {
        contact_mailto: contact_mailto(&view.contacts, &ctx),
        publisher: view,
        subscription: ctx,
        market,
    })
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// "Contact publisher": an email with the subscription's details.
pub fn contact_mailto(c: &PublisherContacts, ctx: &SubscriptionContext) -> String {
    let subject = format!("Support request: {} for {}", ctx.product, ctx.customer_name);
    let body = format!(
        "Hello {},\n\nWe are the CSP partner of {} and need technical help with your product.\n\nCustomer: {} ({})\nProduct: {}\nSubscription id: {}\nOrder id: {}\n\nProblem:\n\n",
        c.name, ctx.customer_name, ctx.customer_name, ctx.customer_id, ctx.product, ctx.subscription_id, ctx.order_id
    );
    format!(
        "mailto:{}?subject={}&body={}",
        c.email.clone().unwrap_or_default(),
        enc(&subject),
        enc(&body)
    )
}

/// "Request this offer": ask the publisher to make an offer available to CSP partners.
pub fn request_offer_mailto(c: &PublisherContacts, offer: &str, market: &str) -> String {
    let subject = format!("Request: make {offer} available through CSP");
    let body = format!(
        "Hello {},\n\nWe are a Microsoft CSP partner and our customers in {market} would like to buy {offer}. It is not offered to CSP partners in Partner Center today. Could you make it available through the CSP program?\n\nThank you.\n",
        c.name
    );
    format!(
        "mailto:{}?subject={}&body={}",
        c.email.clone().unwrap_or_default(),
        enc(&subject),
        enc(&body)
    )
}

fn note_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Note> {
    let at: String = r.get(8)?;
    Ok(Note {
        id: r.get(0)?,
        publisher: r.get(1)?,
        publisher_name: r.get(2)?,
        kind: r.get(3)?,
        text: r.get(4)?,
        name: r.get(5)?,
        email: r.get(6)?,
        phone: r.get(7)?,
        created_at: DateTime::parse_from_rfc3339(&at)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default(),
    })
}

const NOTE_COLUMNS: &str =
    "id, publisher, publisher_name, kind, text, name, email, phone, created_at";

/// The staff's notes and contacts for a publisher (by folded name), oldest first.
pub fn notes(store: &Store, publisher_key: &str) -> Result<Vec<Note>> {
    let conn = store.conn();
    let mut stmt = conn.prepare(&format!(
        "SELECT {NOTE_COLUMNS} FROM publisher_notes WHERE publisher = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![publisher_key], note_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every note of every publisher (for export).
pub fn all_notes(store: &Store) -> Result<Vec<Note>> {
    let conn = store.conn();
    let mut stmt = conn.prepare(&format!(
        "SELECT {NOTE_COLUMNS} FROM publisher_notes ORDER BY publisher, id"
    ))?;
    let rows = stmt.query_map([], note_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Add a note or contact to a publisher.
pub fn add_note(store: &Store, publisher_name: &str, n: &NewNote) -> Result<Note> {
    let publisher_name = publisher_name.trim();
    if publisher_name.is_empty() {
        return Err(Message::NoteNoPublisher.into());
    }
    let n = checked_note(n)?;
    if n.text.is_empty() && n.email.is_none() && n.phone.is_none() {
        return Err(Message::NoteEmpty.into());
    }
    let kind = n.kind.as_str();
    let id = {
        let conn = store.conn();
        conn.execute(
            "INSERT INTO publisher_notes (publisher, publisher_name, kind, text, name, email, phone, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![fold_name(publisher_name), publisher_name, kind, n.text.trim(), n.name, n.email, n.phone, Utc::now().to_rfc3339()],
        )?;
        conn.last_insert_rowid()
    };
    notes(store, &fold_name(publisher_name))?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| Error::Invalid("the note was not saved".into()))
}

/// Delete a note; one that is not there (deleted elsewhere) is "not found".
pub fn delete_note(store: &Store, id: i64) -> Result<()> {
    let gone = store
        .conn()
        .execute("DELETE FROM publisher_notes WHERE id = ?1", params![id])?;
    if gone == 0 {
        return Err(Message::NoteMissing { id }.not_found());
    }
    Ok(())
}

fn opt_text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A note checked field by field, trimmed: the email and phone must look like one, the kind is
/// `note` (the default) or `contact`.
fn checked_note(n: &NewNote) -> Result<NewNote> {
    let email = opt_text(&n.email);
    let phone = opt_text(&n.phone);
    if let Some(e) = &email {
        let ok = e
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !e.contains(char::is_whitespace);
        if !ok {
            return Err(Message::NoteBadEmail { value: e.clone() }.into());
        }
    }
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if digits < 3
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().x/".contains(c))
        {
            return Err(Message::NoteBadPhone { value: p.clone() }.into());
        }
    }
    let kind = match n.kind.trim() {
        "" | "note" => "note",
        "contact" => "contact",
        other => {
            return Err(Message::NoteBadKind {
                value: other.to_string(),
            }
            .into())
        }
    };
    Ok(NewNote {
        kind: kind.into(),
        text: n.text.trim().to_string(),
        name: opt_text(&n.name),
        email,
        phone,
    })
}

/// Export every note to `.xlsx` or `.csv`.
pub fn export_notes(
    store: &Store,
    out: &std::path::Path,
    format: crate::pricelist::export::ExportFormat,
) -> Result<u64> {
    use crate::tabular::{Cell, Table};
    let rows = all_notes(store)?
        .into_iter()
        .map(|n| {
            let t = |v: Option<String>| v.map(Cell::Text).unwrap_or(Cell::Empty);
            vec![
                Cell::Text(n.publisher_name),
                Cell::Text(n.kind),
                Cell::Text(n.text),
                t(n.name),
                t(n.email),
                t(n.phone),
                Cell::Date(n.created_at.date_naive()),
            ]
        })
        .collect();
    let headers = [
        "Publisher",
        "Kind",
        "Text",
        "Name",
        "Email",
        "Phone",
        "Added",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    crate::tabular::write(
        out,
        format,
        &[Table {
            name: "Publisher notes".into(),
            headers,
            rows,
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_checked_and_trimmed() {
        let n = checked_note(&NewNote {
            kind: "contact".into(),
            text: " Partner desk ".into(),
            email: Some(" ana@example.com ".into()),
            phone: Some("+1 (425) 555-0100".into()),
            name: Some("  ".into()),
        })
        .unwrap();
        assert_eq!(
            (n.text.as_str(), n.email.as_deref(), n.name),
            ("Partner desk", Some("ana@example.com"), None)
        );
        let bad = checked_note(&NewNote {
            email: Some("ana at example".into()),
            ..Default::default()
        });
        assert!(bad
            .unwrap_err()
            .to_string()
            .contains("not an email address"));
        assert!(checked_note(&NewNote {
            phone: Some("call me".into()),
            ..Default::default()
        })
        .is_err());
        assert!(checked_note(&NewNote {
            kind: "memo".into(),
            ..Default::default()
        })
        .is_err());
    }
}
