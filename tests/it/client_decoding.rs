//! Decoding over real HTTP against a tiny fixture server (the sandbox only emits valid,
//! known values): malformed JSON names the path, and unknown enum values are kept.

use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use cspdesk_core::partner_center::auth::StaticToken;
use cspdesk_core::partner_center::models::{BillingCycle, SubscriptionStatus};
use cspdesk_core::partner_center::{api, Client, ClientConfig, Endpoints};
use cspdesk_core::secrets::Secret;
use cspdesk_core::Error;

async fn serve(router: Router) -> url::Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url::Url::parse(&format!("http://{addr}/")).unwrap()
}

fn client(url: &url::Url) -> Client {
    Client::new(ClientConfig::new(
        Endpoints::single(url),
        Arc::new(StaticToken(Secret::new("t"))),
    ))
    .unwrap()
}

#[tokio::test]
async fn malformed_json_names_the_path() {
    let url = serve(Router::new().route(
        "/v1/customers/{c}/subscriptions",
        get(|| async {
            (
                [("content-type", "application/json")],
                r#"{"totalCount":2,"items":[{"id":"a","status":"active"},{"id":"b","quantity":"many"}]}"#,
            )
        }),
    ))
    .await;
    let err = client(&url)
        .execute(&api::subscriptions("c1"))
        .await
        .unwrap_err();
    match &err {
        Error::Decode { path, what, .. } => {
            assert_eq!(path, "items[1].quantity");
            assert!(what.contains("/v1/customers/c1/subscriptions"), "{what}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("items[1].quantity"));
}

#[tokio::test]
async fn truncated_json_is_a_clear_decode_error() {
    let url = serve(Router::new().route(
        "/v1/customers/{c}/subscriptions",
        get(|| async { r#"{"totalCount":2,"items":[{"id":"a","status":"act"#.to_string() }),
    ))
    .await;
    let err = client(&url)
        .execute(&api::subscriptions("c1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("malformed JSON")),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_enum_values_are_kept_not_fatal() {
    let url = serve(Router::new().route(
        "/v1/customers/{c}/subscriptions",
        get(|| async {
            r#"{"totalCount":1,"items":[{"Id":"a","Status":"frozen_by_isv","BillingCycle":"quinquennial","Quantity":3}]}"#
        }),
    ))
    .await;
    let subs = client(&url)
        .execute(&api::subscriptions("c1"))
        .await
        .unwrap();
    let s = &subs.items[0];
    assert_eq!(s.id, "a", "PascalCase keys are read");
    assert_eq!(
        s.status,
        SubscriptionStatus::Unknown("frozen_by_isv".into())
    );
    assert_eq!(
        s.billing_cycle,
        BillingCycle::Unknown("quinquennial".into())
    );
    assert_eq!(s.quantity, 3);
}

#[tokio::test]
async fn a_repeating_continuation_token_stops_paging() {
    let url = serve(Router::new().route(
        "/v1/customers",
        get(|| async {
            r#"{"totalCount":9,"items":[{"id":"x"}],"continuationToken":"same-again"}"#
        }),
    ))
    .await;
    let err =
        cspdesk_core::partner_center::paging::collect_all(&client(&url), api::customers(1, None))
            .await
            .unwrap_err();
    assert!(matches!(err, Error::PagingLoop { .. }), "{err:?}");
}
