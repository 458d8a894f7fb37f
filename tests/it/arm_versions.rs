//! The ARM marketplace catalog as published (reference §12, §14): `2025-05-01` with `market`
//! and `language` and its `value`/`nextLink` pages first; `2023-01-01-preview` only when ARM
//! refuses the newer version; the term length read under both spellings.

use crate::support::common;

use cspdesk_core::catalog::detail;
use cspdesk_core::error::Service;
use cspdesk_core::partner_center::api::{self, ARM_API_VERSION, ARM_PREVIEW_API_VERSION};
use cspdesk_core::partner_center::arm::{self, ArmProductSummary, ArmTerm};
use cspdesk_core::partner_center::{json, paging, Client};
use cspdesk_core::Error;
use cspdesk_sandbox::SANDBOX_ARM_SUBSCRIPTION;

async fn list(client: &Client) -> Vec<ArmProductSummary> {
    arm::versioned(client, |v| {
        paging::collect_all(
            client,
            api::arm_products_at(SANDBOX_ARM_SUBSCRIPTION, "US", None, v),
        )
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_published_version_answers_first_and_the_preview_only_when_refused() {
    let sb = common::sandbox().await;
    let client = common::client(&sb);
    let current = list(&client).await;
    assert!(current.len() > 100, "several pages: {}", current.len());
    assert_eq!(client.arm_api_version(), Some(ARM_API_VERSION));

    // An ARM that knows only the preview: refused once, then the preview's pages are read.
    sb.set_arm_preview_only(true);
    let fresh = common::client(&sb);
    let preview = list(&fresh).await;
    assert_eq!(fresh.arm_api_version(), Some(ARM_PREVIEW_API_VERSION));
    let ids = |v: &[ArmProductSummary]| {
        let mut ids: Vec<String> = v.iter().map(|p| p.unique_product_id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&preview), ids(&current), "both wrappers read in full");
    // The version that answered is kept: no second refusal.
    let before = fresh.stats().requests;
    let again = list(&fresh).await;
    assert_eq!(again.len(), preview.len());
    let pages = preview.len().div_ceil(100) as u64;
    assert_eq!(fresh.stats().requests - before, pages);

    // The refusal itself, as ARM words it.
    let e = client
        .execute(&api::arm_products(SANDBOX_ARM_SUBSCRIPTION, None))
        .await
        .unwrap_err();
    assert!(arm::is_version_refusal(&e), "{e}");
    assert!(e.to_string().contains("supported api-versions"), "{e}");
}

#[test]
fn only_a_version_refusal_falls_back() {
    let e = |status, code: &str| Error::PartnerApi {
        service: Service::Arm,
        what: "GET x".into(),
        status,
        code: code.into(),
        message: "m".into(),
        request_id: None,
    };
    assert!(arm::is_version_refusal(&e(
        400,
        "NoRegisteredProviderFound"
    )));
    assert!(arm::is_version_refusal(&e(
        400,
        "InvalidApiVersionParameter"
    )));
    for (s, c) in [
        (400, "BadRequest"),
        (401, "InvalidApiVersionParameter"),
        (403, "AuthorizationFailed"),
        (404, "NoRegisteredProviderFound"),
        (429, "TooManyRequests"),
        (500, "InternalServerError"),
    ] {
        assert!(!arm::is_version_refusal(&e(s, c)), "{s} {c}");
    }
}

#[test]
fn the_term_length_is_read_under_both_spellings() {
    let t: ArmTerm = json::decode(br#"{"termId":"t","termUnit":"P1M"}"#, "term").unwrap();
    assert_eq!(t.unit(), "P1M");
    let t: ArmTerm = json::decode(br#"{"termId":"t","termUnits":"P1Y"}"#, "term").unwrap();
    assert_eq!(t.unit(), "P1Y");
    let t: ArmTerm =
        json::decode(br#"{"termUnit":"P1M","termUnits":"P1Y","extra":1}"#, "term").unwrap();
    assert_eq!(t.unit(), "P1M", "the specs' spelling wins");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trial_length_comes_through_from_arm() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let products = list(&conn.client).await;
    let with_trial = products
        .iter()
        .find(|p| p.product_type == "SaaS" && p.has_free_trial())
        .expect("a SaaS product with a free trial");
    let d = detail::arm_detail(
        &conn.client,
        &conn.store,
        SANDBOX_ARM_SUBSCRIPTION,
        &with_trial.unique_product_id,
        "US",
    )
    .await
    .unwrap();
    let trial_terms: Vec<&ArmTerm> = d
        .plans
        .iter()
        .flat_map(|p| p.availabilities.iter())
        .filter(|a| a.has_free_trials)
        .flat_map(|a| a.terms.iter())
        .collect();
    assert!(!trial_terms.is_empty());
    assert!(trial_terms
        .iter()
        .all(|t| t.term_unit == "P1M" || t.term_unit == "P1Y"));
    assert_eq!(conn.client.arm_api_version(), Some(ARM_API_VERSION));
}
