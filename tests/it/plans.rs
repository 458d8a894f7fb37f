//! Plan changes against the sandbox over HTTP: an upgrade read back from the server, a blocked
//! downgrade (listed as not eligible with the publisher's reason, refused before any write and
//! by the server, nothing changed), seat bounds, idempotent retries of the POST, and the CLI's
//! `subscriptions plans|change --json` through the real binary.

use crate::support::cli::Cli;
use crate::support::common;

use cspdesk_core::partner_center::models::{Subscription, SubscriptionStatus};
use cspdesk_core::partner_center::{api, Client};
use cspdesk_core::subscriptions::plans::{self, PlanChoices};
use cspdesk_core::subscriptions::{self, policy::CancellationPolicy, ListFilter};
use cspdesk_core::Error;
use serde_json::Value;

/// Active seeded subscriptions (customer id, subscription) with their plan choices.
async fn choices_of_active(
    conn: &cspdesk_core::connection::Connection,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, Subscription, PlanChoices)> {
    let rows = subscriptions::list(
        conn,
        &ListFilter::default(),
        &CancellationPolicy::default(),
        now,
    )
    .await
    .unwrap();
    let mut out = vec![];
    for r in rows {
        let s = r.subscription;
        if s.status != SubscriptionStatus::Active || s.is_trial {
            continue;
        }
        let c = plans::plan_options(&conn.client, &r.customer_id, &s.id)
            .await
            .unwrap();
        out.push((r.customer_id, s, c));
    }
    out
}

async fn read(client: &Client, customer: &str, id: &str) -> Subscription {
    client
        .execute(&api::subscription(customer, id))
        .await
        .unwrap()
}

fn sku_of(s: &Subscription) -> String {
    s.product_and_sku().1.unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_eligible_upgrade_is_performed_and_read_back_from_the_server() {
    let sb = common::sandbox().await;
    sb.set_optimistic_plan_changes(true);
    let (conn, _dir) = common::connection(&sb).await;
    let all = choices_of_active(&conn, sb.clock().now()).await;
    let (customer, sub, choices) = all
        .into_iter()
        .find(|(_, s, c)| {
            c.eligible
                .iter()
                .any(|o| o.maximum_quantity.is_none_or(|m| s.quantity <= m))
        })
        .expect("a seeded active subscription with an eligible plan");
    let target = choices
        .eligible
        .iter()
        .find(|o| o.maximum_quantity.is_none_or(|m| sub.quantity <= m))
        .unwrap()
        .clone();
    assert!(target.is_eligible && target.listed && target.reason.is_none());
    assert_eq!(target.upgrade_type, "upgrade_only");
    assert_eq!(choices.current.sku_id, sku_of(&sub));
    assert!(choices.notes.iter().any(|n| n.contains("prorated")));

    // Named by SKU id; the quantity stays.
    let change = plans::change_plan(&conn.client, &customer, &sub.id, &target.sku_id, None)
        .await
        .unwrap();
    assert!(change.plan_changed && change.applied && !change.pending_approval);
    assert_eq!(change.from.sku_id, sku_of(&sub));
    assert_eq!(change.to.sku_id, target.sku_id);
    assert_eq!(change.subscription.offer_id, target.offer_id);

    // Independently read back from the server: same subscription, new plan, same seats.
    let after = read(&conn.client, &customer, &sub.id).await;
    assert_eq!(after.offer_id, target.offer_id);
    assert_eq!(after.quantity, sub.quantity);
    assert!(
        after.offer_name.ends_with(&target.title),
        "{}",
        after.offer_name
    );
    let again = plans::plan_options(&conn.client, &customer, &sub.id)
        .await
        .unwrap();
    assert_eq!(again.current.sku_id, target.sku_id);
    assert!(again
        .eligible
        .iter()
        .chain(&again.unavailable)
        .any(|o| o.sku_id == sku_of(&sub)));

    // Moving to the plan it is on now is refused without a write.
    let err = plans::change_plan(&conn.client, &customer, &sub.id, &target.sku_id, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("already on"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocked_downgrade_is_not_offered_and_is_refused_with_the_reason() {
    let sb = common::sandbox().await;
    sb.set_optimistic_plan_changes(true);
    let (conn, _dir) = common::connection(&sb).await;
    let all = choices_of_active(&conn, sb.clock().now()).await;
    let (customer, sub, choices) = all
        .into_iter()
        .find(|(_, _, c)| {
            c.unavailable.iter().any(|o| {
                o.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("does not allow downgrades"))
            })
        })
        .expect("a seeded subscription whose publisher blocks downgrades");
    let blocked = choices
        .unavailable
        .iter()
        .find(|o| {
            o.reason
                .as_deref()
                .is_some_and(|r| r.contains("does not allow downgrades"))
        })
        .unwrap()
        .clone();
    // Listed by Partner Center, not eligible, and never among the choices offered.
    assert!(blocked.listed && !blocked.is_eligible);
    assert_eq!(blocked.upgrade_type, "none");
    assert_eq!(blocked.error_codes, vec!["other".to_string()]);
    assert_eq!(
        blocked.reason.as_deref().unwrap(),
        format!(
            "The publisher does not allow downgrades from {} to {}",
            choices.current.title, blocked.title
        )
    );
    assert!(!choices.eligible.iter().any(|o| o.sku_id == blocked.sku_id));

    // Refused by us before any write, in the publisher's words, by title or by offer id.
    let before = read(&conn.client, &customer, &sub.id).await;
    for target in [blocked.title.as_str(), blocked.offer_id.as_str()] {
        let err = plans::change_plan(&conn.client, &customer, &sub.id, target, None)
            .await
            .unwrap_err();
        match &err {
            Error::Refused { message, hint, .. } => {
                assert!(message.contains("does not allow downgrades"), "{message}");
                assert!(!hint.is_empty());
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    // And by the server, if a client sends it anyway.
    let listed = cspdesk_core::partner_center::paging::collect_all(
        &conn.client,
        api::subscription_upgrades(&customer, &sub.id),
    )
    .await
    .unwrap();
    let raw = listed
        .into_iter()
        .find(|u| u.target_offer.id == blocked.offer_id)
        .unwrap();
    let err = conn
        .client
        .execute(&api::upgrade_subscription(&customer, &sub.id, &raw).unwrap())
        .await
        .unwrap_err();
    match err {
        Error::Api {
            status,
            description,
            ..
        } => {
            assert_eq!(status, 400);
            assert!(
                description.contains("does not allow downgrades"),
                "{description}"
            );
        }
        other => panic!("expected the server's refusal, got {other:?}"),
    }
    // Nothing changed on the server.
    let after = read(&conn.client, &customer, &sub.id).await;
    assert_eq!(after.offer_id, before.offer_id);
    assert_eq!(after.quantity, before.quantity);
    assert_eq!(
        after.extra.get("attributes"),
        before.extra.get("attributes")
    );

    // A name that is no plan of the product is refused too, listing what can be chosen.
    let err = plans::change_plan(&conn.client, &customer, &sub.id, "9999", None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is not a plan of"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn quantities_outside_the_plan_bounds_are_refused_before_any_write() {
    let sb = common::sandbox().await;
    sb.set_optimistic_plan_changes(true);
    let (conn, _dir) = common::connection(&sb).await;
    let all = choices_of_active(&conn, sb.clock().now()).await;
    let (customer, sub, choices) = all
        .into_iter()
        .find(|(_, _, c)| {
            c.eligible
                .iter()
                .any(|o| o.maximum_quantity.is_some_and(|m| m < u32::MAX))
        })
        .expect("an active subscription with an eligible plan that has bounds");
    let target = choices
        .eligible
        .iter()
        .find(|o| o.maximum_quantity.is_some())
        .unwrap();
    let max = target.maximum_quantity.unwrap();
    let err = plans::change_plan(
        &conn.client,
        &customer,
        &sub.id,
        &target.sku_id,
        Some(max + 1),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("outside"), "{err}");
    assert!(err.to_string().contains(&format!("to {max}")), "{err}");
    // The current plan's bounds, through the same call (a quantity-only change).
    let cur_max = choices.current.maximum_quantity.expect("current bounds");
    let err = plans::change_plan(
        &conn.client,
        &customer,
        &sub.id,
        &choices.current.sku_id,
        Some(cur_max + 1),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("outside"), "{err}");
    let after = read(&conn.client, &customer, &sub.id).await;
    assert_eq!(after.offer_id, sub.offer_id);
    assert_eq!(after.quantity, sub.quantity);
    // Within bounds the seat count changes and is read back.
    let q = choices.current.minimum_quantity.unwrap_or(1);
    let change = plans::change_plan(
        &conn.client,
        &customer,
        &sub.id,
        &choices.current.sku_id,
        Some(q),
    )
    .await
    .unwrap();
    assert!(!change.plan_changed && change.applied);
    assert_eq!(read(&conn.client, &customer, &sub.id).await.quantity, q);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_upgrade_request_id_is_applied_once() {
    let sb = common::sandbox().await;
    sb.set_optimistic_plan_changes(true);
    let (conn, _dir) = common::connection(&sb).await;
    let all = choices_of_active(&conn, sb.clock().now()).await;
    let (customer, sub, choices) = all
        .into_iter()
        .find(|(_, s, c)| {
            c.eligible
                .iter()
                .any(|o| o.maximum_quantity.is_none_or(|m| s.quantity <= m))
        })
        .expect("an active subscription with an eligible plan");
    let target = choices
        .eligible
        .iter()
        .find(|o| o.maximum_quantity.is_none_or(|m| sub.quantity <= m))
        .unwrap();
    let listed = cspdesk_core::partner_center::paging::collect_all(
        &conn.client,
        api::subscription_upgrades(&customer, &sub.id),
    )
    .await
    .unwrap();
    let upgrade = listed
        .into_iter()
        .find(|u| u.target_offer.id == target.offer_id)
        .unwrap();
    let req = api::upgrade_subscription(&customer, &sub.id, &upgrade)
        .unwrap()
        .request_id("plan-change-once");
    let first = conn.client.execute(&req).await.unwrap();
    assert_eq!(first.source_subscription_id, sub.id);
    // The target is now the current plan, so a second real attempt would be refused: the
    // replay answers exactly as the first time instead.
    let second = conn.client.execute(&req).await.unwrap();
    assert_eq!(first, second);
    let after = read(&conn.client, &customer, &sub.id).await;
    assert_eq!(after.offer_id, target.offer_id);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_whose_answers_are_all_lost_is_known_from_the_read_back() {
    let sb = common::sandbox().await;
    sb.set_optimistic_plan_changes(true);
    let (conn, _dir) = common::connection(&sb).await;
    let all = choices_of_active(&conn, sb.clock().now()).await;
    let (customer, sub, choices) = all
        .into_iter()
        .find(|(_, s, c)| {
            c.eligible
                .iter()
                .any(|o| o.maximum_quantity.is_none_or(|m| s.quantity <= m))
        })
        .expect("an active subscription with an eligible plan");
    let target = choices
        .eligible
        .iter()
        .find(|o| o.maximum_quantity.is_none_or(|m| sub.quantity <= m))
        .unwrap();
    // Every write is applied and then its connection cut; reads are answered.
    sb.set_faults("drop-after-commit=100%".parse().unwrap());
    let change = plans::change_plan(&conn.client, &customer, &sub.id, &target.sku_id, None).await;
    sb.set_faults(Default::default());
    let change = change.expect("the read-back shows the change was made");
    assert!(sb.stats().dropped >= 1, "{:?}", sb.stats());
    assert!(change.applied && change.plan_changed);
    assert_eq!(change.subscription.offer_id, target.offer_id);
    // Applied once: the retries replayed, so nothing else moved.
    let after = read(&conn.client, &customer, &sub.id).await;
    assert_eq!(after.offer_id, target.offer_id);
    assert_eq!(after.quantity, sub.quantity);
}

// ---------------------------------------------------------------- CLI

#[tokio::test(flavor = "multi_thread")]
async fn cli_plans_and_change_print_partner_center_json() {
    let sb = common::sandbox().await;
    sb.set_optimistic_plan_changes(true);
    let (conn, _dir) = common::connection(&sb).await;
    let all = choices_of_active(&conn, sb.clock().now()).await;
    // One subscription with an eligible upgrade and, ideally, one with a blocked downgrade.
    let (customer, sub, choices) = all
        .iter()
        .find(|(_, s, c)| {
            c.eligible
                .iter()
                .any(|o| o.maximum_quantity.is_none_or(|m| s.quantity <= m))
        })
        .cloned()
        .expect("an active subscription with an eligible plan");
    let blocked = all
        .iter()
        .filter(|(_, s, _)| s.id != sub.id)
        .find_map(|(c, s, ch)| {
            ch.unavailable
                .iter()
                .find(|o| o.listed && !o.is_eligible)
                .map(|o| (c.clone(), s.id.clone(), o.sku_id.clone()))
        });
    let target = choices
        .eligible
        .iter()
        .find(|o| o.maximum_quantity.is_none_or(|m| sub.quantity <= m))
        .unwrap()
        .clone();
    let cli = Cli::new(sb.url().as_str());
    tokio::task::spawn_blocking(move || {
        let (ok, out, err) = cli.run(&[
            "--json",
            "subscriptions",
            "plans",
            "--customer",
            &customer,
            &sub.id,
        ]);
        assert!(ok, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(v["subscriptionId"], sub.id.as_str());
        assert_eq!(v["customerId"], customer.as_str());
        assert_eq!(v["current"]["offerId"], sub.offer_id.as_str());
        assert!(v["current"]["skuId"].is_string() && v["current"]["quantity"].is_u64());
        let e = v["eligible"].as_array().unwrap();
        assert!(e.iter().any(|o| o["skuId"] == target.sku_id.as_str()
            && o["offerId"] == target.offer_id.as_str()
            && o["isEligible"] == true
            && o["upgradeType"] == "upgrade_only"));
        assert!(v["unavailable"].is_array() && v["notes"].is_array());

        let (ok, out, err) = cli.run(&[
            "--json",
            "subscriptions",
            "change",
            "--customer",
            &customer,
            &sub.id,
            "--plan",
            &target.offer_id,
        ]);
        assert!(ok, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(v["planChanged"], true);
        assert_eq!(v["applied"], true);
        assert_eq!(v["to"]["skuId"], target.sku_id.as_str());
        assert_eq!(v["subscription"]["id"], sub.id.as_str());
        assert_eq!(v["subscription"]["offerId"], target.offer_id.as_str());
        assert_eq!(v["subscription"]["status"], "active");

        if let Some((c, s, sku)) = blocked {
            let (ok, out, err) = cli.run(&[
                "subscriptions",
                "change",
                "--customer",
                &c,
                &s,
                "--plan",
                &sku,
            ]);
            assert!(!ok, "a not eligible plan must fail: {out}");
            assert!(err.contains("cannot move from"), "{err}");
        }
        let (ok, _, err) = cli.run(&["subscriptions", "change", "--customer", "x", "y"]);
        assert!(!ok && err.contains("--plan"), "{err}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn by_default_no_plan_is_offered_and_the_portal_is_linked_but_seats_still_change() {
    // The sandbox's default follows the safest reading: the eligibility probe lists nothing
    // for marketplace SaaS, so no plan change is claimed.
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    // Third-party marketplace subscriptions (Microsoft's own products keep `/upgrades`).
    let all: Vec<_> = choices_of_active(&conn, sb.clock().now())
        .await
        .into_iter()
        .filter(|(_, s, _)| !s.is_microsoft_product)
        .collect();
    assert!(all.len() >= 3, "{}", all.len());
    for (customer, sub, c) in &all {
        assert!(c.eligible.is_empty(), "{c:?}");
        let why = c.not_offered.as_deref().unwrap();
        assert!(why.contains("lists no plan"), "{why}");
        let link = c.portal_link.as_deref().unwrap();
        assert!(
            link.starts_with("https://partner.microsoft.com/")
                && link.contains(customer.as_str())
                && link.contains(&sub.id),
            "{link}"
        );
        assert!(c.unavailable.iter().all(|o| o
            .reason
            .as_deref()
            .unwrap()
            .contains("Partner Center portal")));
    }
    // A change is refused plainly, before anything is written, pointing at the portal.
    let (customer, sub, c) = all
        .iter()
        .find(|(_, _, c)| !c.unavailable.is_empty())
        .expect("a subscription whose product has other plans");
    let err = plans::change_plan(
        &conn.client,
        customer,
        &sub.id,
        &c.unavailable[0].sku_id,
        None,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err:?}");
    let t = err.to_string();
    assert!(
        t.contains("lists no plan") && t.contains(c.portal_link.as_deref().unwrap()),
        "{t}"
    );
    assert_eq!(
        read(&conn.client, customer, &sub.id).await.offer_id,
        sub.offer_id
    );

    // Seat changes on the current plan are not affected.
    let (customer, sub, c) = all
        .iter()
        .find(|(_, s, c)| c.current.maximum_quantity.is_none_or(|m| s.quantity < m))
        .expect("a subscription with room for one more seat");
    let change = plans::change_plan(
        &conn.client,
        customer,
        &sub.id,
        &c.current.sku_id,
        Some(sub.quantity + 1),
    )
    .await
    .unwrap();
    assert!(!change.plan_changed && change.applied);
    assert_eq!(
        read(&conn.client, customer, &sub.id).await.quantity,
        sub.quantity + 1
    );
}
