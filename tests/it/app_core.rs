//! `AppCore` (the desktop app's facade) against the embedded sandbox: first query syncs,
//! windows are bounded, facets and publisher counts agree with the rows, detail has contacts.

use cspdesk_core::app::{AppCore, MAX_WINDOW};
use cspdesk_core::catalog::query::{OfferFilter, OfferQuery, PublisherFilter};
use cspdesk_core::catalog::OfferType;
use cspdesk_core::connection::{ConnectOptions, Mode};

fn core(dir: &std::path::Path) -> AppCore {
    AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.to_path_buf()),
        sandbox_offers: Some(300),
        ..Default::default()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_query_syncs_then_windows_and_detail_work() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    let status = core.status().await.unwrap();
    assert_eq!(status.mode, Mode::EmbeddedSandbox);
    assert!(status.sandbox);
    assert_eq!(status.label, "Sandbox");
    assert!(core.last_sync("US").await.unwrap().is_none());

    // never synced: the first query syncs first
    let all = core
        .query_offers(
            "us",
            OfferQuery {
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(all.total > 0);
    assert!(all.rows.len() <= MAX_WINDOW, "a window is capped");
    assert!(core.last_sync("US").await.unwrap().is_some());

    // facet counts are what picking the value gives
    let saas = all
        .facets
        .types
        .iter()
        .find(|t| t.value == "saas")
        .unwrap()
        .count;
    let q = OfferQuery {
        filter: OfferFilter {
            types: vec![OfferType::Saas],
            ..Default::default()
        },
        limit: 50,
        ..Default::default()
    };
    assert_eq!(core.query_offers("US", q).await.unwrap().total, saas);

    // publisher type-ahead counts agree with the named filter
    let first = &all.rows[0];
    let prefix: String = first.publisher_name.chars().take(4).collect();
    let options = core
        .publishers("US", &prefix, OfferFilter::default(), 10)
        .await
        .unwrap();
    let opt = options
        .iter()
        .find(|o| o.name == first.publisher_name)
        .unwrap();
    let named = OfferQuery {
        filter: OfferFilter {
            publisher: PublisherFilter::Named(opt.name.clone()),
            ..Default::default()
        },
        limit: 1,
        ..Default::default()
    };
    assert_eq!(
        core.query_offers("US", named).await.unwrap().total,
        opt.count
    );

    // a purchasable SaaS offer's detail has plans, terms and the publisher's support contact
    let saas_row = core
        .query_offers(
            "US",
            OfferQuery {
                filter: OfferFilter {
                    types: vec![OfferType::Saas],
                    ..Default::default()
                },
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .rows
        .into_iter()
        .find(|r| {
            r.purchasable && r.match_kind != cspdesk_core::catalog::MatchKind::PartnerCenterOnly
        })
        .expect("a purchasable SaaS offer matched to the marketplace");
    let d = core.offer_detail("US", &saas_row.key).await.unwrap();
    assert!(d.purchasable);
    assert!(!d.plans.is_empty());
    assert!(d.plans.iter().all(|p| !p.terms.is_empty()));
    assert!(
        d.publisher.support_uri.is_some(),
        "{:?} {:?}",
        d.publisher,
        d.marketplace_note
    );
    assert!(d.markets.contains(&"US".to_string()));
    assert!(d.marketplace_note.is_none(), "{:?}", d.marketplace_note);

    // the ARM detail is cached: a second read works with the same answer
    assert_eq!(core.offer_detail("US", &saas_row.key).await.unwrap(), d);

    // a non-SaaS offer says where it is bought
    if let Some(vm) = all.rows.iter().find(|r| r.offer_type != OfferType::Saas) {
        let d = core.offer_detail("US", &vm.key).await.unwrap();
        assert!(!d.purchasable);
        assert!(d.purchase_note.unwrap().contains("Azure portal"));
    }

    // unknown keys are NotFound
    let err = core.offer_detail("US", "nope").await.unwrap_err();
    assert!(matches!(err, cspdesk_core::Error::NotFound { .. }), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_reports_progress_and_rebuilds_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    let seen = std::sync::Mutex::new(Vec::new());
    let state = core
        .sync("GB", |p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(state.market, "GB");
    let seen = seen.into_inner().unwrap();
    assert!(seen.len() > 2, "progress was reported");
    let w = core
        .query_offers("GB", OfferQuery::default())
        .await
        .unwrap();
    assert_eq!(w.total as usize, state.offers);
}
