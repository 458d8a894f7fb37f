//! The price sheet download as Microsoft serves a file: what the request says it accepts, its
//! `client-request-id`, and what a sheet missing a required column gives (the header line in the
//! error, the first lines saved for a bug report). A small loopback server stands in for the
//! Partner API, since the sandbox always serves a well-formed sheet.

use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use axum::routing::get;
use cspdesk_core::partner_center::auth::StaticToken;
use cspdesk_core::partner_center::{Client, ClientConfig, Endpoints};
use cspdesk_core::pricelist::sheet;
use cspdesk_core::secrets::Secret;

const BROKEN: &str =
    "ProductTitle,ProductId,Publisher,UnitPrice\r\nShield,DZH318Z0C0WF,Fabrikam,9.5\r\n";

#[tokio::test(flavor = "multi_thread")]
async fn a_sheet_missing_a_column_names_its_header_and_keeps_its_first_lines() {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let s2 = seen.clone();
    let app = axum::Router::new().route(
        "/{*rest}",
        get(move |headers: HeaderMap| {
            let s2 = s2.clone();
            async move {
                s2.lock().unwrap().push(headers);
                BROKEN
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = url::Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::new(ClientConfig::new(
        Endpoints::single(&url),
        Arc::new(StaticToken(Secret::new("t"))),
    ))
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let e = sheet::fetch_keeping_sample(&client, "US", false, Some(&logs))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("required column SkuId is missing"), "{e}");
    assert!(
        e.contains("The header line was: ProductTitle,ProductId,Publisher,UnitPrice"),
        "{e}"
    );
    let saved: Vec<_> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1);
    assert!(e.contains(&saved[0].display().to_string()), "{e}");
    assert_eq!(std::fs::read_to_string(&saved[0]).unwrap(), BROKEN);

    let h = seen.lock().unwrap()[0].clone();
    let accept = h["accept"].to_str().unwrap();
    assert!(
        accept.starts_with("text/csv") && !accept.contains("application/json"),
        "{accept}"
    );
    assert_eq!(h.get_all("accept").iter().count(), 1);
    let rid = h["client-request-id"].to_str().unwrap();
    assert_eq!(rid, h["ms-requestid"].to_str().unwrap());
}
