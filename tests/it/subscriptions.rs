//! Subscriptions against the sandbox with an injected clock: cancel inside and outside the window
//! (by our rule and by the server), auto-renew read back, bulk with a failing row, seat bounds,
//! and the activation queue before and after the publisher activates.

use crate::support::common;

use chrono::Duration;
use cspdesk_core::orders::{self, PurchaseRequest};
use cspdesk_core::partner_center::models::SubscriptionStatus;
use cspdesk_core::subscriptions::{self, policy::CancellationPolicy, ListFilter, StatusLabel};
use cspdesk_core::Error;

async fn bought(
    conn: &cspdesk_core::connection::Connection,
    skip: usize,
) -> (
    common::Buyable,
    cspdesk_core::partner_center::models::Subscription,
) {
    let b = common::buyable(&conn.client, skip, false).await;
    let req = PurchaseRequest {
        customer_id: b.customer.id.clone(),
        product_id: b.product.id.clone(),
        sku_id: b.sku.id.clone(),
        ..Default::default()
    };
    let review = orders::review(conn, &req).await.unwrap();
    let c = orders::place(conn, &review).await.unwrap();
    let sub = c.subscription.expect("subscription");
    (b, sub)
}

async fn bought_and_active(
    conn: &cspdesk_core::connection::Connection,
    skip: usize,
) -> (
    common::Buyable,
    cspdesk_core::partner_center::models::Subscription,
) {
    let (b, sub) = bought(conn, skip).await;
    let link = subscriptions::activation_link(conn, &b.customer.id, &sub.id, chrono::Utc::now())
        .await
        .unwrap();
    common::activate_via_landing_page(&link.uri).await;
    (b, sub)
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_inside_the_window_reads_back_cancelled() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (b, sub) = bought(&conn, 0).await;
    let policy = CancellationPolicy::default();
    let now = sb.clock().now();
    let s = subscriptions::cancel(&conn, &b.customer.id, &sub.id, &policy, now)
        .await
        .unwrap();
    assert_eq!(s.status, SubscriptionStatus::Deleted);
    let err = subscriptions::cancel(&conn, &b.customer.id, &sub.id, &policy, now)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already cancelled"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_past_the_window_is_refused_by_the_rule_and_by_the_server() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (b, sub) = bought(&conn, 0).await;
    let policy = CancellationPolicy::default();
    let deadline = sub
        .cancellation_allowed_until_date
        .expect("deadline on the subscription");
    // Our rule: with the clock past the deadline nothing is sent.
    let later = deadline + Duration::hours(1);
    let err = subscriptions::cancel(&conn, &b.customer.id, &sub.id, &policy, later)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("closed at"), "{err}");
    // The server: its clock is past the window while ours still thinks it is open.
    sb.clock().set(later);
    let err = subscriptions::cancel(
        &conn,
        &b.customer.id,
        &sub.id,
        &policy,
        deadline - Duration::minutes(1),
    )
    .await
    .unwrap_err();
    match &err {
        Error::Api {
            status,
            code,
            description,
            ..
        } => {
            assert_eq!(*status, 400);
            assert_eq!(code, "900117");
            assert!(description.contains("cancellation window"), "{description}");
        }
        other => panic!("expected the server's refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn auto_renew_is_read_back_and_bulk_reports_each_row() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (b, sub) = bought_and_active(&conn, 0).await;
    assert!(
        !subscriptions::set_auto_renew(&conn, &b.customer.id, &sub.id, false)
            .await
            .unwrap()
    );
    assert!(
        subscriptions::set_auto_renew(&conn, &b.customer.id, &sub.id, true)
            .await
            .unwrap()
    );
    let (b2, sub2) = bought_and_active(&conn, 1).await;
    let targets = vec![
        (b.customer.id.clone(), sub.id.clone()),
        (
            b.customer.id.clone(),
            "00000000-0000-0000-0000-000000000000".to_string(),
        ),
        (b2.customer.id.clone(), sub2.id.clone()),
    ];
    let results = subscriptions::set_auto_renew_bulk(&conn, &targets, false).await;
    assert_eq!(results.len(), 3);
    assert!(results[0].ok && results[0].auto_renew_enabled == Some(false));
    assert!(!results[1].ok && results[1].error.as_deref().is_some_and(|e| !e.is_empty()));
    assert!(results[2].ok && results[2].auto_renew_enabled == Some(false));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quantity_outside_the_plan_bounds_is_refused() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (b, sub) = bought(&conn, 0).await;
    let err =
        subscriptions::set_quantity(&conn, &b.customer.id, &sub.id, b.sku.maximum_quantity + 1)
            .await
            .unwrap_err();
    assert!(err.to_string().contains("outside"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_activation_queue_empties_when_the_publisher_activates() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let (b, sub) = bought(&conn, 0).await;
    let policy = CancellationPolicy::default();
    let filter = ListFilter {
        customer_id: Some(b.customer.id.clone()),
        pending_activation: true,
        ..Default::default()
    };
    let now = sb.clock().now();
    let queue = subscriptions::list(&conn, &filter, &policy, now)
        .await
        .unwrap();
    assert!(queue
        .iter()
        .any(|r| r.subscription.id == sub.id && r.status_label == StatusLabel::PendingFulfillment));
    let link = subscriptions::activation_link(&conn, &b.customer.id, &sub.id, now)
        .await
        .unwrap();
    assert!(link.refreshed);
    let again =
        subscriptions::activation_link(&conn, &b.customer.id, &sub.id, now + Duration::hours(1))
            .await
            .unwrap();
    assert!(
        !again.refreshed && again.uri == link.uri,
        "a link under 24 h old is reused"
    );
    let fresh =
        subscriptions::activation_link(&conn, &b.customer.id, &sub.id, now + Duration::hours(25))
            .await
            .unwrap();
    assert!(fresh.refreshed, "a link older than 24 h is fetched anew");

    common::activate_via_landing_page(&fresh.uri).await;
    let queue = subscriptions::list(&conn, &filter, &policy, now)
        .await
        .unwrap();
    assert!(!queue.iter().any(|r| r.subscription.id == sub.id));
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_soon_lists_windows_closing_within_the_duration() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let policy = CancellationPolicy::default();
    let now = sb.clock().now();
    let all = subscriptions::list(&conn, &ListFilter::default(), &policy, now)
        .await
        .unwrap();
    let soon = subscriptions::list(
        &conn,
        &ListFilter {
            closing_within: Some(Duration::hours(24)),
            ..Default::default()
        },
        &policy,
        now,
    )
    .await
    .unwrap();
    assert!(!soon.is_empty() && soon.len() < all.len());
    assert!(soon
        .iter()
        .all(|r| r.can_cancel && r.deadline.as_ref().unwrap().at - now <= Duration::hours(24)));
    let statuses: std::collections::HashSet<_> = all.iter().map(|r| r.status_label).collect();
    for s in [
        StatusLabel::PendingFulfillment,
        StatusLabel::Active,
        StatusLabel::Suspended,
        StatusLabel::Cancelled,
    ] {
        assert!(
            statuses.contains(&s),
            "the sandbox has subscriptions in every state: missing {s:?}"
        );
    }
}
