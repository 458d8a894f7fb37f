//! Free trials in the shapes the sandbox generates (a trial term on a plan; a trial SKU of its own,
//! `isTrial: true`; the marketplace's flag alone), each attached to the paid plan it turns into;
//! the offer, its detail, the `--trial` filter and the price list agree on them.

use crate::support::common;

use cspdesk_core::catalog::detail;
use cspdesk_core::catalog::query::{OfferIndex, OfferQuery, SortKey};
use cspdesk_core::catalog::sync::{self, SyncOptions};
use cspdesk_core::catalog::trials::TrialSource;
use cspdesk_core::pricelist::export::ExportFormat;
use cspdesk_core::pricelist::{self, ExportRequest};

/// A sandbox of 600 offers and a connection with its US catalog synced (ARM included).
async fn synced_us() -> (
    cspdesk_sandbox::Sandbox,
    cspdesk_core::connection::Connection,
    tempfile::TempDir,
) {
    let sb = common::sandbox_with(600, "").await;
    let (conn, dir) = common::connection(&sb).await;
    let mut opts = SyncOptions::new("US");
    opts.arm_subscription = conn.arm_subscription.clone();
    sync::sync(&conn.client, &conn.store, &opts, &|_| {})
        .await
        .unwrap();
    (sb, conn, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_trial_shape_is_attached_to_a_paid_plan_and_agrees_everywhere() {
    let (_sb, conn, _dir) = synced_us().await;
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
    let by_sku = with_source(TrialSource::TrialSku);
    let by_marketplace = with_source(TrialSource::Marketplace);
    assert!(!by_term.is_empty(), "trial terms");
    assert!(!by_sku.is_empty(), "trial SKUs");
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
    for o in by_term.iter().chain(&by_sku).chain(&by_marketplace) {
        assert!(listed.contains(&o.key().to_string()), "{}", o.title);
    }

    // The detail shows the trial on that plan, with its length.
    for o in [by_term[0], by_sku[0], by_marketplace[0]] {
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

/// A trial SKU (`isTrial: true`) beside its paid plan: the trial turns into the paid plan whose
/// title it carries (not merely the first plan), and the price list shows that plan's $0 trial
/// row and its paid row, once, with no row for the trial SKU of its own.
#[tokio::test(flavor = "multi_thread")]
async fn a_trial_sku_is_the_paid_plans_trial_in_the_price_list() {
    let (_sb, conn, dir) = synced_us().await;
    let offers = sync::load_offers(&conn.store, "US").unwrap();
    let pairs: Vec<(&cspdesk_core::catalog::Offer, String, String)> = offers
        .iter()
        .flat_map(|o| {
            o.skus.iter().filter(|s| s.sku.is_trial).map(move |t| {
                let paid = t
                    .trial_of
                    .clone()
                    .expect("a trial SKU turns into a paid plan");
                (o, t.sku.id.clone(), paid)
            })
        })
        .collect();
    assert!(!pairs.is_empty(), "the sandbox lists trial SKUs");
    let mut beyond_first_plan = false;
    for (o, trial_id, paid_id) in &pairs {
        let trial = o.skus.iter().find(|s| &s.sku.id == trial_id).unwrap();
        let paid = o.skus.iter().find(|s| &s.sku.id == paid_id).unwrap();
        assert!(!paid.sku.is_trial, "{}", o.title);
        assert!(
            trial.sku.title.starts_with(&paid.sku.title),
            "{}: {} turns into {}",
            o.title,
            trial.sku.title,
            paid.sku.title
        );
        let t = paid.trial.as_ref().expect("the paid plan has the trial");
        assert_eq!(t.source, TrialSource::TrialSku, "{}", o.title);
        assert_eq!(t.trial_sku_id.as_deref(), Some(trial_id.as_str()));
        assert!(o.free_trial, "{}", o.title);
        beyond_first_plan |= o.skus.iter().filter(|s| !s.sku.is_trial).count() > 1
            && o.skus
                .iter()
                .any(|s| !s.sku.is_trial && s.sku.id < *paid_id);
    }
    assert!(
        beyond_first_plan,
        "some trial SKU turns into a plan other than the first, so the title decides"
    );

    let out = dir.path().join("trials.csv");
    let req = ExportRequest {
        markets: vec!["US".into()],
        format: ExportFormat::Csv,
        out: out.clone(),
        bom: false,
        filter: Default::default(),
        skip_bad_rows: false,
        day: None,
        customer: None,
    };
    pricelist::export(&conn, &req, &Default::default(), &|_| {})
        .await
        .unwrap();
    let mut csv = csv::Reader::from_path(&out).unwrap();
    let headers = csv.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (pid, sku, price, trial_col) = (
        col("Product ID"),
        col("SKU ID"),
        col("Unit price"),
        col("Free trial"),
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
    for (o, trial_id, paid_id) in &pairs {
        let product = o.product_id.as_deref().unwrap();
        let of = |id: &str| {
            rows.iter()
                .filter(|r| &r[pid] == product && &r[sku] == id)
                .collect::<Vec<_>>()
        };
        assert!(
            of(trial_id).is_empty(),
            "{}: the trial SKU has no rows of its own",
            o.title
        );
        let paid_rows = of(paid_id);
        let zero: f64 = 0.0;
        assert!(
            paid_rows
                .iter()
                .any(|r| &r[trial_col] == "Trial" && r[price].parse::<f64>().unwrap() == zero),
            "{}: the $0 trial row",
            o.title
        );
        assert!(
            paid_rows
                .iter()
                .any(|r| &r[trial_col] == "After trial" && r[price].parse::<f64>().unwrap() > zero),
            "{}: the paid row",
            o.title
        );
        assert_eq!(
            paid_rows
                .iter()
                .filter(|r| &r[trial_col] == "Trial")
                .count(),
            paid_rows
                .iter()
                .filter(|r| &r[trial_col] == "After trial")
                .count(),
            "{}: one trial row per paid row",
            o.title
        );
    }
}
