//! Publishers against the sandbox: contacts from the marketplace, notes that survive a catalog
//! sync and can be exported, the lookup from a subscription, and the emails composed.

use crate::support::common;

use cspdesk_core::catalog::sync::{self, SyncOptions};
use cspdesk_core::catalog::MatchKind;
use cspdesk_core::pricelist::export::ExportFormat;
use cspdesk_core::publishers::{self, NewNote};

async fn synced(conn: &cspdesk_core::connection::Connection, market: &str) {
    let mut o = SyncOptions::new(market);
    o.arm_subscription = conn.arm_subscription.clone();
    sync::sync(&conn.client, &conn.store, &o, &|_| {})
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn notes_survive_a_catalog_sync_and_export() {
    let sb = common::sandbox().await;
    let (conn, dir) = common::connection(&sb).await;
    synced(&conn, "US").await;
    let list = publishers::list(&conn.store, "US", None).unwrap();
    assert!(list.len() > 10);
    let p = list
        .iter()
        .find(|p| !p.microsoft && p.csp_offers > 0)
        .unwrap();
    publishers::add_note(
        &conn.store,
        &p.name,
        &NewNote {
            text: "Escalations via their partner desk".into(),
            ..Default::default()
        },
    )
    .unwrap();
    publishers::add_note(
        &conn.store,
        &p.name.to_uppercase(),
        &NewNote {
            kind: "contact".into(),
            text: "Partner manager".into(),
            name: Some("Ana Diaz".into()),
            email: Some("ana@example.com".into()),
            ..Default::default()
        },
    )
    .unwrap();
    synced(&conn, "US").await;
    let view = publishers::show(&conn, "US", &p.name).await.unwrap();
    assert_eq!(view.notes.len(), 2, "notes survive the sync");
    assert_eq!(view.notes[1].kind, "contact");
    assert!(view.contacts.support_uri.is_some() || view.contacts_note.is_some());
    assert_eq!(view.responsibilities.len(), 2);
    let out = dir.path().join("notes.csv");
    assert_eq!(
        publishers::export_notes(&conn.store, &out, ExportFormat::Csv).unwrap(),
        2
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Ana Diaz") && text.contains("Escalations"));
}

#[tokio::test(flavor = "multi_thread")]
async fn from_a_subscription_straight_to_its_publishers_contacts() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let b = common::buyable(&conn.client, 0, false).await;
    let req = cspdesk_core::orders::PurchaseRequest {
        customer_id: b.customer.id.clone(),
        product_id: b.product.id.clone(),
        sku_id: b.sku.id.clone(),
        ..Default::default()
    };
    let review = cspdesk_core::orders::review(&conn, &req).await.unwrap();
    let c = cspdesk_core::orders::place(&conn, &review).await.unwrap();
    let sub = c.subscription.unwrap();
    let found = publishers::for_subscription(&conn, &b.customer.id, &sub.id)
        .await
        .unwrap();
    let (view, ctx, mailto) = (found.publisher, found.subscription, found.contact_mailto);
    assert_eq!(view.summary.name, b.product.publisher_name);
    assert!(view
        .offers
        .iter()
        .any(|o| o.product_id.as_deref() == Some(b.product.id.as_str())));
    assert_eq!(ctx.subscription_id, sub.id);
    assert!(mailto.starts_with("mailto:"));
    for part in [&ctx.customer_name, &sub.id, &ctx.order_id] {
        let enc: String = url::form_urlencoded::byte_serialize(part.as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        assert!(mailto.contains(&enc), "{mailto} lacks {part}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn offers_csp_cannot_buy_get_a_request_email() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    synced(&conn, "US").await;
    let offers = sync::load_offers(&conn.store, "US").unwrap();
    let hidden = offers
        .iter()
        .find(|o| o.match_kind == MatchKind::MarketplaceOnly)
        .expect("an offer not available to CSP");
    let view = publishers::show(&conn, "US", &hidden.publisher_name)
        .await
        .unwrap();
    let o = view
        .offers
        .iter()
        .find(|o| o.title == hidden.title)
        .unwrap();
    let mail = o.request_mailto.as_deref().expect("a request email");
    assert!(mail.contains("CSP"), "{mail}");
}
