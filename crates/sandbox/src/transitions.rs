//! `GET …/subscriptions/{id}/transitionEligibilities` (reference §15.2), the probe in front of a
//! plan change. The sandbox's default is the reference's safest reading (§15.3 item 5): a
//! marketplace SaaS subscription gets an empty collection, since no plan change for third-party
//! SaaS is documented. `Sandbox::set_optimistic_plan_changes(true)` lists the product's other
//! plans as eligible instead, so the `/upgrades` flow behind the probe stays tested.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::http::{self, pc_error, Query};
use super::Shared;

pub(crate) async fn list(
    State(app): State<Shared>,
    Path((cid, sid)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = Query::parse(raw.as_deref());
    let kind = q.get("eligibilityType").unwrap_or("immediate");
    if !["immediate", "scheduled"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(kind))
    {
        return http::invalid_input("eligibilityType must be immediate or scheduled");
    }
    if let Err(r) = super::customers::find(&app, &cid) {
        return r;
    }
    let Some(sub) = app.with_state(|st| {
        st.subs
            .get(&sid.to_ascii_lowercase())
            .filter(|s| s.customer_id.eq_ignore_ascii_case(&cid))
            .cloned()
    }) else {
        return pc_error(
            StatusCode::NOT_FOUND,
            20003,
            &format!("Subscription with ID {sid} not found."),
        );
    };
    let optimistic = app
        .optimistic_plan_changes
        .load(std::sync::atomic::Ordering::Relaxed);
    let items: Vec<serde_json::Value> = if optimistic {
        app.cat
            .pc_product(&sub.product_id)
            .map(|(_, p)| {
                app.cat
                    .skus(p)
                    .iter()
                    .filter(|s| !s.id.eq_ignore_ascii_case(&sub.sku_id))
                    .map(|s| {
                        json!({
                            "catalogItemId": format!("{}:{}", sub.product_id, s.id),
                            "title": s.title,
                            "description": s.description,
                            "quantity": sub.quantity,
                            "eligibilities": [{"isEligible": true, "transitionType": "transition_only", "errors": []}],
                            "attributes": {"objectType": "TransitionEligibility"},
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![]
    };
    let self_uri = format!("/customers/{cid}/subscriptions/{sid}/transitionEligibilities");
    http::ok(&http::collection(items, &self_uri))
}
