//! Free trials in the shapes the sandbox generates (a trial term on a plan; the marketplace's
//! flag alone), each attached to the paid plan it turns into; the offer, its detail and the
//! `--trial` filter agree on them.

use crate::support::common;

use cspdesk_core::catalog::detail;
use cspdesk_core::catalog::query::{OfferIndex, OfferQuery, SortKey};
use cspdesk_core::catalog::sync::{self, SyncOptions};
use cspdesk_core::catalog::trials::TrialSource;

#[tokio::test(flavor = "multi_thread")]
async fn every_trial_shape_is_attached_to_a_paid_plan_and_agrees_everywhere() {
    let sb = common::sandbox_with(600, "").await;
    let (conn, _dir) = common::connection(&sb).await;
    let mut opts = SyncOptions::new("US");
    opts.arm_subscription = conn.arm_subscription.clone();
    sync::sync(&conn.client, &conn.store, &opts, &|_| {})
        .await
        .unwrap();
    let offers = sync::load_offers(&conn.store, "US").unwrap();
    let with_source = |src: TrialSource| {
        offers
            .iter()
            .filter(|o| {
                o.skus
                    .iter()
                    .any(|s| s.trial.as_ref().is_some_and(|t| t.source == src))
            })
            .collect::<Vec<_>>()
    };
    let by_term = with_source(TrialSource::Term);
    let by_marketplace = with_source(TrialSource::Marketplace);
    assert!(!by_term.is_empty(), "trial terms");
    assert!(!by_marketplace.is_empty(), "marketplace-only trials");

    // The offer says "free trial" exactly when one of its plans has one (CSP offers).
    for o in offers.iter().filter(|o| o.product_id.is_some()) {
        let plan_trial = o.skus.iter().any(|s| s.has_trial());
        assert_eq!(o.free_trial, plan_trial, "{}", o.title);
        for s in &o.skus {
            if let Some(t) = &s.trial {
                assert!(!s.sku.is_trial, "a trial belongs to a paid plan");
                assert_eq!(t.length, "P1M", "{}", o.title);
            }
        }
    }

    // The --trial filter lists them.
    let index = OfferIndex::new(offers.clone());
    let mut q = OfferQuery {
        filter: Default::default(),
        sort: SortKey::Title,
        descending: false,
        offset: 0,
        limit: usize::MAX,
    };
    q.filter.trial_only = true;
    let listed: Vec<String> = index.query(&q).rows.iter().map(|r| r.key.clone()).collect();
    for o in by_term.iter().chain(&by_marketplace) {
        assert!(listed.contains(&o.key().to_string()), "{}", o.title);
    }

    // The detail shows the trial on that plan, with its length.
    for o in [by_term[0], by_marketplace[0]] {
        let d = detail::offer_detail(&conn, o, "US").await.unwrap();
        assert!(d.free_trial);
        assert_eq!(d.trial_length.as_deref(), Some("1 month"), "{}", o.title);
        let plan = o.skus.iter().find(|s| s.trial.is_some()).unwrap();
        assert!(
            d.plans.iter().any(|p| p.id == plan.sku.id && p.trial),
            "{}",
            o.title
        );
    }
}
