//! The Subscriptions view's facade (`AppCore`) against the embedded sandbox, with the sandbox
//! clock injected (moved, never slept on): the closing-soon and waiting-for-activation sets and
//! their counts, the badges' urgent list, cancel inside and outside the window, bulk auto-renew
//! with one failing row, the seat bounds, the activation queue before and after the publisher's
//! landing page activates, and the export of the listed rows.

use crate::support::common;

use chrono::Duration;
use cspdesk_core::app::subscriptions::{
    DeadlineKind, SubscriptionRef, SubscriptionSet, SubscriptionState,
};
use cspdesk_core::app::AppCore;
use cspdesk_core::connection::ConnectOptions;
use cspdesk_core::orders::{self, PurchaseRequest};
use cspdesk_core::Error;
use cspdesk_sandbox::SandboxClock;

async fn core(dir: &std::path::Path) -> (AppCore, SandboxClock) {
    let core = AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        sandbox: true,
        data_dir: Some(dir.to_path_buf()),
        sandbox_offers: Some(300),
        secrets: Some(cspdesk_core::auth::MemoryStore::new()),
        ..Default::default()
    });
    let clock = core
        .connection()
        .await
        .unwrap()
        .embedded_sandbox()
        .and_then(|s| s.downcast_ref::<cspdesk_sandbox::Sandbox>())
        .expect("embedded sandbox")
        .clock();
    (core, clock)
}

/// Buy a fresh subscription (pending fulfillment, window open) through the orders core.
async fn buy(core: &AppCore, skip: usize) -> (String, String) {
    let conn = core.connection().await.unwrap();
    let b = common::buyable(&conn.client, skip, false).await;
    let req = PurchaseRequest {
        customer_id: b.customer.id.clone(),
        product_id: b.product.id.clone(),
        sku_id: b.sku.id.clone(),
        ..Default::default()
    };
    let review = orders::review(&conn, &req).await.unwrap();
    let placed = orders::place(&conn, &review).await.unwrap();
    (b.customer.id, placed.subscription.expect("subscription").id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_soon_and_waiting_sets_follow_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let (core, clock) = core(dir.path()).await;
    let all = core
        .list_subscriptions(None, SubscriptionSet::All)
        .await
        .unwrap();
    assert!(all.counts.all as usize == all.rows.len() && all.rows.len() > 20);
    assert!(
        all.rows
            .iter()
            .any(|r| r.status == SubscriptionState::Cancelled)
            && all
                .rows
                .iter()
                .any(|r| r.status == SubscriptionState::Suspended)
    );
    let soon = core
        .list_subscriptions(None, SubscriptionSet::ClosingSoon)
        .await
        .unwrap();
    assert_eq!(soon.counts, all.counts);
    assert_eq!(soon.rows.len(), soon.counts.closing_soon as usize);
    assert!(
        !soon.rows.is_empty(),
        "the sandbox seeds windows closing today"
    );
    for r in &soon.rows {
        let d = r.deadline.as_ref().unwrap();
        assert!(r.can_cancel && d.at > soon.now && d.at - soon.now <= Duration::hours(24));
        assert_eq!(d.kind, DeadlineKind::SubscriptionField);
        assert!(d.source.contains("cancellationAllowedUntilDate"));
    }
    // Closing first on top.
    assert!(soon
        .rows
        .windows(2)
        .all(|w| w[0].deadline.as_ref().unwrap().at <= w[1].deadline.as_ref().unwrap().at));
    let waiting = core
        .list_subscriptions(None, SubscriptionSet::WaitingForActivation)
        .await
        .unwrap();
    assert_eq!(
        waiting.rows.len(),
        all.counts.waiting_for_activation as usize
    );
    assert!(waiting
        .rows
        .iter()
        .all(|r| r.status == SubscriptionState::PendingFulfillment));

    // One customer only.
    let cid = &soon.rows[0].customer_id;
    let one = core
        .list_subscriptions(Some(cid.clone()), SubscriptionSet::All)
        .await
        .unwrap();
    assert!(!one.rows.is_empty() && one.rows.iter().all(|r| &r.customer_id == cid));

    // The first to close: 1 h before its deadline it is urgent (badges); 1 min after it, its
    // window is closed and it leaves the closing-soon set.
    let first = &soon.rows[0];
    let at = first.deadline.as_ref().unwrap().at;
    clock.set(at - Duration::hours(1));
    let badges = core.subscription_badges().await.unwrap();
    assert!(badges
        .urgent
        .iter()
        .any(|u| u.subscription_id == first.id && u.deadline == at));
    assert!(badges
        .urgent
        .iter()
        .all(|u| u.deadline - badges.now < Duration::hours(2)));
    clock.set(at + Duration::minutes(1));
    let later = core
        .list_subscriptions(None, SubscriptionSet::ClosingSoon)
        .await
        .unwrap();
    assert!(!later.rows.iter().any(|r| r.id == first.id));
    let badges = core.subscription_badges().await.unwrap();
    assert!(!badges.urgent.iter().any(|u| u.subscription_id == first.id));
    let gone = core
        .subscription(&first.customer_id, &first.id)
        .await
        .unwrap();
    assert!(!gone.can_cancel);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_is_refused_after_the_window_and_reads_back_cancelled_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let (core, clock) = core(dir.path()).await;
    let (cid, sid) = buy(&core, 0).await;
    let item = core.subscription(&cid, &sid).await.unwrap();
    assert!(item.can_cancel && item.closing_soon, "{item:?}");
    assert!(item.refund.contains("Full"), "{}", item.refund);
    let deadline = item.deadline.unwrap().at;

    let start = clock.now();
    clock.set(deadline + Duration::minutes(5));
    let err = core.cancel_subscription(&cid, &sid).await.unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("closed at"), "{err}");
    let still = core.subscription(&cid, &sid).await.unwrap();
    assert_eq!(still.status, SubscriptionState::PendingFulfillment);
    assert!(!still.can_cancel);

    clock.set(start);
    let done = core.cancel_subscription(&cid, &sid).await.unwrap();
    assert_eq!(done.status, SubscriptionState::Cancelled);
    assert!(!done.can_cancel);
    // The server's own refusal (a cancelled subscription cannot be cancelled again) keeps its words.
    let again = core.cancel_subscription(&cid, &sid).await.unwrap_err();
    assert!(again.to_string().contains("already cancelled"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_auto_renew_reports_each_row_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _clock) = core(dir.path()).await;
    let all = core
        .list_subscriptions(None, SubscriptionSet::All)
        .await
        .unwrap();
    let suspended = all
        .rows
        .iter()
        .find(|r| r.status == SubscriptionState::Suspended)
        .expect("a suspended subscription");
    // Turning the suspended one's value around is what Partner Center refuses.
    let want = !suspended.auto_renew_enabled;
    let on: Vec<_> = all
        .rows
        .iter()
        .filter(|r| r.status == SubscriptionState::Active && r.auto_renew_enabled != want)
        .take(2)
        .collect();
    assert_eq!(on.len(), 2);
    let r = |i: &cspdesk_core::app::subscriptions::SubscriptionItem| SubscriptionRef {
        customer_id: i.customer_id.clone(),
        subscription_id: i.id.clone(),
    };
    let targets = vec![r(on[0]), r(suspended), r(on[1])];
    let results = core.set_auto_renew_bulk(targets, want).await.unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[1].subscription_id, suspended.id);
    assert!(!results[1].ok, "{:?}", results[1]);
    assert!(
        results[1]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("suspended")),
        "{:?}",
        results[1]
    );
    // The others, read back.
    for (i, row) in [(0, on[0]), (2, on[1])] {
        assert_eq!(results[i].subscription_id, row.id);
        assert!(results[i].ok, "{:?}", results[i]);
        assert_eq!(results[i].auto_renew_enabled, Some(want));
        assert_eq!(
            core.subscription(&row.customer_id, &row.id)
                .await
                .unwrap()
                .auto_renew_enabled,
            want
        );
    }
    // One at a time, read back.
    assert_eq!(
        core.set_auto_renew(&on[0].customer_id, &on[0].id, !want)
            .await
            .unwrap(),
        !want
    );
    // The user's input, said as the core's code (kind `invalid`).
    let none = core.set_auto_renew_bulk(vec![], true).await.unwrap_err();
    assert!(matches!(none, Error::Said { .. }), "{none:?}");
    assert_eq!(none.said().unwrap()["code"], "noSubscriptionsSelected");
    assert_eq!(
        none.to_string(),
        "no subscriptions selected: tick the rows to change first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activation_queue_before_and_after_the_landing_page_and_seat_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let (core, clock) = core(dir.path()).await;
    let (cid, sid) = buy(&core, 1).await;
    let waiting = core
        .list_subscriptions(None, SubscriptionSet::WaitingForActivation)
        .await
        .unwrap();
    assert!(waiting.rows.iter().any(|r| r.id == sid));

    let link = core.subscription_activation_link(&cid, &sid).await.unwrap();
    assert!(link.refreshed && link.uri.starts_with("http"));
    assert_eq!(link.expires_at - link.fetched_at, Duration::hours(24));
    clock.advance(Duration::hours(2));
    let held = core.subscription_activation_link(&cid, &sid).await.unwrap();
    assert!(!held.refreshed && held.uri == link.uri && held.expires_at == link.expires_at);
    clock.advance(Duration::hours(23));
    let fresh = core.subscription_activation_link(&cid, &sid).await.unwrap();
    assert!(fresh.refreshed, "a link older than 24 h is fetched anew");
    assert!(fresh.expires_at > link.expires_at);

    common::activate_via_landing_page(&fresh.uri).await;
    let after = core
        .list_subscriptions(None, SubscriptionSet::WaitingForActivation)
        .await
        .unwrap();
    assert!(!after.rows.iter().any(|r| r.id == sid));
    assert_eq!(
        after.counts.waiting_for_activation + 1,
        waiting.counts.waiting_for_activation
    );
    assert_eq!(
        core.subscription(&cid, &sid).await.unwrap().status,
        SubscriptionState::Active
    );

    // Seats: outside the plan's bounds refused before anything is sent; inside, read back.
    let bounds = core.quantity_bounds(&cid, &sid).await.unwrap();
    assert!(bounds.min >= 1 && bounds.max >= bounds.min && !bounds.plan_name.is_empty());
    let err = core
        .set_quantity(&cid, &sid, bounds.max + 1)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("outside"), "{err}");
    let q = if bounds.max > bounds.min {
        bounds.min + 1
    } else {
        bounds.min
    };
    assert_eq!(core.set_quantity(&cid, &sid, q).await.unwrap().quantity, q);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_the_listed_rows_in_order_and_names_a_bad_extension() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _clock) = core(dir.path()).await;
    let all = core
        .list_subscriptions(None, SubscriptionSet::All)
        .await
        .unwrap();
    let keys: Vec<SubscriptionRef> = all
        .rows
        .iter()
        .rev()
        .take(5)
        .map(|r| SubscriptionRef {
            customer_id: r.customer_id.clone(),
            subscription_id: r.id.clone(),
        })
        .collect();
    let out = dir.path().join("subs.csv");
    let done = core
        .export_subscriptions(out.clone(), None, keys.clone())
        .await
        .unwrap();
    assert_eq!(done.rows, 5);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Customer,Customer ID,Product,Publisher,Plan,Quantity"));
    assert_eq!(lines.len(), 6);
    for (line, k) in lines[1..].iter().zip(&keys) {
        assert!(line.ends_with(&k.subscription_id), "{line}");
    }
    let xlsx = dir.path().join("subs.xlsx");
    assert_eq!(
        core.export_subscriptions(xlsx.clone(), None, keys.clone())
            .await
            .unwrap()
            .rows,
        5
    );
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    let err = core
        .export_subscriptions(dir.path().join("subs.txt"), None, keys)
        .await
        .unwrap_err();
    assert!(err.to_string().contains(".xlsx or .csv"), "{err}");
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".partial")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_choices_offer_only_eligible_targets_and_a_change_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let (core, _clock) = core(dir.path()).await;
    // The flow behind the eligibility probe: the sandbox's optimistic reading lists plans.
    core.connection()
        .await
        .unwrap()
        .embedded_sandbox()
        .and_then(|s| s.downcast_ref::<cspdesk_sandbox::Sandbox>())
        .unwrap()
        .set_optimistic_plan_changes(true);
    let all = core
        .list_subscriptions(None, SubscriptionSet::All)
        .await
        .unwrap();
    let mut upgrade = None;
    let mut blocked = None;
    for s in all
        .rows
        .iter()
        .filter(|s| s.status == SubscriptionState::Active && !s.is_trial)
    {
        let choices = core.plan_options(&s.customer_id, &s.id).await.unwrap();
        assert!(choices
            .eligible
            .iter()
            .all(|o| o.is_eligible && o.reason.is_none()));
        assert!(choices
            .unavailable
            .iter()
            .all(|o| !o.is_eligible && o.reason.is_some()));
        if blocked.is_none() {
            if let Some(o) = choices.unavailable.iter().find(|o| {
                o.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("does not allow downgrades"))
            }) {
                blocked = Some((s.clone(), o.clone()));
            }
        }
        if upgrade.is_none() {
            if let Some(o) = choices
                .eligible
                .iter()
                .find(|o| o.maximum_quantity.is_none_or(|m| s.quantity <= m))
            {
                upgrade = Some((s.clone(), o.clone()));
            }
        }
        if upgrade.is_some() && blocked.is_some() {
            break;
        }
    }
    let (s, target) = upgrade.expect("an active subscription with an eligible plan");
    let done = core
        .change_plan(&s.customer_id, &s.id, &target.offer_id, None)
        .await
        .unwrap();
    assert!(done.applied, "{}", done.message);
    let after = core.subscription(&s.customer_id, &s.id).await.unwrap();
    assert_eq!(after.sku_id, target.sku_id);
    assert_eq!(after.plan_name, target.title);
    assert_eq!(after.quantity, s.quantity);

    let (s, o) = blocked.expect("a subscription whose publisher blocks downgrades");
    let err = core
        .change_plan(&s.customer_id, &s.id, &o.offer_id, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(
        err.to_string().contains("does not allow downgrades"),
        "{err}"
    );
    assert_eq!(
        core.subscription(&s.customer_id, &s.id)
            .await
            .unwrap()
            .sku_id,
        s.sku_id
    );
}
