//! Sign-in end to end against the sandbox playing Entra ID: authorization code with PKCE,
//! device code, silent refresh with rotation, revoked and expired sign-ins, per-audience
//! tokens (the Partner API refuses a Partner Center token) and a refused audience that leaves
//! the rest working.

use crate::support::auth_support;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use cspdesk_core::auth::{Auth, MemoryStore, SecretStore};
use cspdesk_core::catalog::sync::{self, SyncOptions};
use cspdesk_core::connection::{ConnectOptions, Connection, Mode, SANDBOX_TOKEN};
use cspdesk_core::partner_center::auth::{Audience, TokenProvider};
use cspdesk_core::settings::{ConnectionKind, EndpointOverrides, Settings};
use cspdesk_core::{customers, pricelist, Error};
use cspdesk_sandbox::{SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID, SANDBOX_USER};
use serde_json::Value;
use sha2::Digest;

use auth_support as support;

async fn sign_in(auth: &Auth) {
    let code = auth.start_device_code().await.unwrap();
    let (uri, user_code) = (code.verification_uri.clone(), code.user_code.clone());
    let approve = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        support::approve_device_code(&uri, &user_code, SANDBOX_USER).await
    });
    auth.finish_device_code(&code).await.unwrap();
    approve.await.unwrap();
}

fn refresh_token(store: &MemoryStore) -> String {
    let key = store
        .keys()
        .into_iter()
        .find(|k| k.starts_with("refresh-token@"))
        .expect("a refresh token is stored");
    store.get(&key).unwrap().unwrap().expose().to_string()
}

async fn sync_catalog(conn: &Connection) -> cspdesk_core::Result<sync::SyncReport> {
    let mut opts = SyncOptions::new("US");
    opts.arm_subscription = conn.arm_subscription.clone();
    sync::sync(&conn.client, &conn.store, &opts, &|_| {}).await
}

fn auth_message(e: &Error) -> &str {
    match e {
        Error::Auth { message, .. } => message,
        other => panic!("expected Error::Auth, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_sign_in_with_pkce_then_every_audience_works() {
    let sb = support::sandbox().await;
    let store = MemoryStore::new();
    let auth = support::auth(&sb, store.clone());
    assert!(!auth.status().await.unwrap().signed_in);

    let account = auth
        .sign_in_with_browser(
            support::browser(SANDBOX_USER, "accept"),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert_eq!(account.username.as_deref(), Some(SANDBOX_USER));
    assert_eq!(account.tenant_id.as_deref(), Some(SANDBOX_TENANT_ID));
    assert_eq!(account.client_id, SANDBOX_CLIENT_ID);
    let status = auth.status().await.unwrap();
    assert!(status.signed_in);
    assert_eq!(
        status.account.unwrap().username.as_deref(),
        Some(SANDBOX_USER)
    );

    // The app, configured for Partner Center, now runs on the sign-in: three audiences.
    let dir = tempfile::tempdir().unwrap();
    let conn = support::connect(&sb, store.clone(), dir.path())
        .await
        .unwrap();
    assert_eq!(conn.mode, Mode::PartnerCenter);
    assert!(!customers::list(&conn.client, None)
        .await
        .unwrap()
        .is_empty());
    let sheet = pricelist::fetch_snapshot(&conn, "US", false, None)
        .await
        .unwrap();
    assert!(!sheet.rows.is_empty());
    let report = sync_catalog(&conn).await.unwrap();
    assert!(report.marketplace_error.is_none(), "{report:?}");
    assert!(report.marketplace_products > 0);

    auth.sign_out().await.unwrap();
    assert!(store.keys().is_empty());
    assert!(!auth.status().await.unwrap().signed_in);
}

#[tokio::test(flavor = "multi_thread")]
async fn declined_consent_and_a_foreign_account_are_explained() {
    let sb = support::sandbox().await;
    let auth = support::auth(&sb, MemoryStore::new());
    let e = auth
        .sign_in_with_browser(
            support::browser(SANDBOX_USER, "decline"),
            Duration::from_secs(30),
        )
        .await
        .unwrap_err();
    assert!(auth_message(&e).contains("declined"), "{e}");
    let e = auth
        .sign_in_with_browser(
            support::browser("bob@fabrikam.com", "accept"),
            Duration::from_secs(30),
        )
        .await
        .unwrap_err();
    let m = auth_message(&e);
    assert!(
        m.contains("another organization") && m.contains("AADSTS50020"),
        "{m}"
    );
    // Nothing was opened for a link that is neither https nor loopback.
    let e = auth
        .sign_in_with_browser(|_| Ok(()), Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(auth_message(&e).contains("not finished"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_checks_pkce_s256() {
    let sb = support::sandbox().await;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let challenge = b64(&sha2::Sha256::digest(
        b"the-right-verifier-0123456789-0123456789-x",
    ));
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let authorize = |challenge: Option<&str>| {
        let mut u = sb
            .url()
            .join("organizations/oauth2/v2.0/authorize")
            .unwrap();
        u.query_pairs_mut()
            .append_pair("client_id", SANDBOX_CLIENT_ID)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", "http://localhost:9/")
            .append_pair(
                "scope",
                "https://api.partnercenter.microsoft.com/user_impersonation offline_access",
            )
            .append_pair("state", "s1");
        if let Some(c) = challenge {
            u.query_pairs_mut()
                .append_pair("code_challenge", c)
                .append_pair("code_challenge_method", "S256");
        }
        u
    };
    // Without PKCE the request goes back to the app as an error.
    let r = no_redirects.get(authorize(None)).send().await.unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with("http://localhost:9/?error=invalid_request"),
        "{to}"
    );
    assert!(to.contains("state=s1"), "{to}");

    let url = authorize(Some(&challenge));
    let page = no_redirects
        .get(url.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"request\" value=\"";
    let at = page.find(marker).unwrap() + marker.len();
    let handle = &page[at..at + page[at..].find('"').unwrap()];
    let r = no_redirects
        .post(url)
        .form(&[
            ("request", handle),
            ("username", SANDBOX_USER),
            ("decision", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let to = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    let code = to
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    let token = sb.url().join("organizations/oauth2/v2.0/token").unwrap();
    let redeem = |verifier: &'static str| {
        no_redirects.post(token.clone()).form(&[
            ("grant_type", "authorization_code"),
            ("client_id", SANDBOX_CLIENT_ID),
            ("code", code.as_str()),
            ("redirect_uri", "http://localhost:9/"),
            ("code_verifier", verifier),
        ])
    };
    let r = redeem("a-wrong-verifier").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 501481);
    // A code is single-use: after the failed attempt it is gone.
    let r = redeem("the-right-verifier-0123456789-0123456789-x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn device_code_sign_in() {
    let sb = support::sandbox().await;
    let store = MemoryStore::new();
    let auth = support::auth(&sb, store.clone());
    let code = auth.start_device_code().await.unwrap();
    assert!(code.message.contains(&code.user_code), "{}", code.message);
    assert!(code.verification_uri.ends_with("/devicelogin"));
    let (uri, user_code) = (code.verification_uri.clone(), code.user_code.clone());
    let approve = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        support::approve_device_code(&uri, &user_code, SANDBOX_USER).await
    });
    let account = auth.finish_device_code(&code).await.unwrap();
    assert!(approve.await.unwrap().contains("You have signed in"));
    assert_eq!(account.username.as_deref(), Some(SANDBOX_USER));
    assert!(auth.status().await.unwrap().signed_in);
    assert!(refresh_token(&store).starts_with("0."));

    // A declined code is explained.
    let code = auth.start_device_code().await.unwrap();
    let (uri, user_code) = (code.verification_uri.clone(), code.user_code.clone());
    tokio::spawn(async move {
        reqwest::Client::new()
            .post(&uri)
            .form(&[("user_code", user_code.as_str()), ("decision", "decline")])
            .send()
            .await
            .unwrap();
    });
    let e = auth.finish_device_code(&code).await.unwrap_err();
    assert!(auth_message(&e).contains("declined"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn silent_refresh_rotates_the_refresh_token() {
    let sb = support::sandbox().await;
    let store = MemoryStore::new();
    let auth = support::auth(&sb, store.clone());
    sign_in(&auth).await;
    let rt0 = refresh_token(&store);

    // Tokens that live under 30 s are renewed on every use.
    sb.set_access_token_lifetime(Duration::from_secs(20));
    let tokens = auth.tokens().await.unwrap().expect("signed in");
    let a1 = tokens.token(Audience::PartnerCenter).await.unwrap();
    let rt1 = refresh_token(&store);
    assert_ne!(rt0, rt1, "the rotated refresh token is kept");
    let a2 = tokens.token(Audience::PartnerCenter).await.unwrap();
    assert_ne!(a1, a2, "renewed 30 s before expiry");
    assert_ne!(rt1, refresh_token(&store));

    sb.set_access_token_lifetime(Duration::from_secs(3599));
    let a3 = tokens.token(Audience::PartnerCenter).await.unwrap();
    assert_eq!(
        a3,
        tokens.token(Audience::PartnerCenter).await.unwrap(),
        "cached"
    );
    // One refresh token, one token per audience; concurrent first uses do not race the rotation.
    let tokens = Arc::new(tokens);
    let mut tasks = vec![];
    for i in 0..9 {
        let t = tokens.clone();
        let aud = [Audience::PartnerCenter, Audience::PartnerApi, Audience::Arm][i % 3];
        tasks.push(tokio::spawn(async move { (aud, t.token(aud).await) }));
    }
    let mut by_aud = std::collections::HashMap::new();
    for t in tasks {
        let (aud, tok) = t.await.unwrap();
        let tok = tok.expect("every audience gets a token");
        assert_eq!(by_aud.entry(aud).or_insert_with(|| tok.clone()), &tok);
    }
    assert_eq!(by_aud.len(), 3);
    assert_ne!(
        by_aud[&Audience::PartnerCenter],
        by_aud[&Audience::PartnerApi]
    );

    // A redeemed refresh token stops working a minute after its rotation.
    sb.clock().advance(chrono::Duration::minutes(2));
    let r = reqwest::Client::new()
        .post(sb.url().join("organizations/oauth2/v2.0/token").unwrap())
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", SANDBOX_CLIENT_ID),
            ("refresh_token", rt0.as_str()),
            ("scope", Audience::PartnerCenter.scope()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error_codes"][0], 9002313, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn revoked_sign_in_asks_to_sign_in_again_and_keeps_the_work() {
    let sb = support::sandbox().await;
    let store = MemoryStore::new();
    let auth = support::auth(&sb, store.clone());
    sign_in(&auth).await;
    let dir = tempfile::tempdir().unwrap();
    let conn = support::connect(&sb, store.clone(), dir.path())
        .await
        .unwrap();
    sync_catalog(&conn).await.unwrap();

    sb.revoke_refresh_tokens();
    // The Partner API token was never fetched: it needs the (revoked) refresh token.
    let e = pricelist::fetch_snapshot(&conn, "US", false, None)
        .await
        .unwrap_err();
    let m = auth_message(&e);
    assert!(
        m.contains("Sign in again") && m.contains("AADSTS50173"),
        "{m}"
    );
    let status = auth.status().await.unwrap();
    assert!(!status.signed_in);
    assert_eq!(
        status.account.unwrap().username.as_deref(),
        Some(SANDBOX_USER)
    );
    // The work in progress is kept: the synced catalog is still there.
    assert!(!sync::load_offers(&conn.store, "US").unwrap().is_empty());

    // Signing in again makes the same connection work, without restarting anything.
    sign_in(&auth).await;
    pricelist::fetch_snapshot(&conn, "US", false, None)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_token_idle_for_90_days_has_expired() {
    let sb = support::sandbox().await;
    let store = MemoryStore::new();
    let auth = support::auth(&sb, store.clone());
    sign_in(&auth).await;
    sb.clock().advance(chrono::Duration::days(91));
    let tokens = auth.tokens().await.unwrap().unwrap();
    let e = tokens.token(Audience::PartnerCenter).await.unwrap_err();
    let m = auth_message(&e);
    assert!(
        m.contains("expired or was revoked") && m.contains("AADSTS700082"),
        "{m}"
    );
    assert!(!auth.status().await.unwrap().signed_in);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_api_accepts_only_its_own_audience() {
    let sb = support::sandbox().await;
    let auth = support::auth(&sb, MemoryStore::new());
    sign_in(&auth).await;
    let tokens = auth.tokens().await.unwrap().unwrap();
    let pc = tokens.token(Audience::PartnerCenter).await.unwrap();
    let papi = tokens.token(Audience::PartnerApi).await.unwrap();
    let http = reqwest::Client::new();
    let sheet = sb
        .url()
        .join("v1.0/sales/pricesheets(Market='US',PricesheetView='marketplace')/$value")
        .unwrap();
    let arm = sb
        .url()
        .join("subscriptions/0f3a9c2e-7b1d-4c58-a6e2-3d9b8f1c4e70/providers/Microsoft.Marketplace/products?api-version=2023-01-01-preview")
        .unwrap();

    // The well-known trap: a Partner Center token is refused by the Partner API.
    let r = http
        .get(sheet.clone())
        .bearer_auth(pc.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("audience"),
        "{body}"
    );
    let r = http
        .get(sheet.clone())
        .bearer_auth(papi.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let r = http
        .get(arm.clone())
        .bearer_auth(pc.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "InvalidAuthenticationTokenAudience");
    let customers = sb.url().join("v1/customers").unwrap();
    let r = http
        .get(customers.clone())
        .bearer_auth(papi.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .get(customers.clone())
        .bearer_auth(pc.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The static sandbox token still works everywhere.
    for u in [&sheet, &arm, &customers] {
        let r = http
            .get(u.clone())
            .bearer_auth(SANDBOX_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{u}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_audience_leaves_the_rest_working() {
    let sb = support::sandbox().await;
    let store = MemoryStore::new();
    let auth = support::auth(&sb, store.clone());
    sign_in(&auth).await;

    // A user without an Azure subscription: ARM says 403.
    sb.set_arm_refused(true);
    let dir = tempfile::tempdir().unwrap();
    let conn = support::connect(&sb, store.clone(), dir.path())
        .await
        .unwrap();
    let report = sync_catalog(&conn).await.unwrap();
    let why = report
        .marketplace_error
        .expect("the marketplace part says why");
    assert!(why.contains("Azure subscription"), "{why}");
    assert!(report.offers > 0);
    assert!(!customers::list(&conn.client, None)
        .await
        .unwrap()
        .is_empty());
    pricelist::fetch_snapshot(&conn, "US", false, None)
        .await
        .unwrap();

    // No consent for ARM: the token endpoint refuses that audience only.
    sb.set_arm_refused(false);
    sb.refuse_scope("https://management.azure.com", 65001);
    let conn = support::connect(&sb, store.clone(), dir.path())
        .await
        .unwrap();
    let report = sync_catalog(&conn).await.unwrap();
    let why = report
        .marketplace_error
        .expect("the marketplace part says why");
    assert!(
        why.contains("admin consent") && why.contains("AADSTS65001"),
        "{why}"
    );
    assert!(
        auth.status().await.unwrap().signed_in,
        "consent is not a dead sign-in"
    );

    // MFA required for the Partner API: explained, and the sign-in is kept.
    sb.refuse_scope("https://api.partner.microsoft.com", 50076);
    let e = pricelist::fetch_snapshot(&conn, "GB", false, None)
        .await
        .unwrap_err();
    assert!(auth_message(&e).contains("multi-factor"), "{e}");
    assert!(auth.status().await.unwrap().signed_in);
    assert!(!customers::list(&conn.client, None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn partner_center_without_a_sign_in_says_how() {
    let dir = tempfile::tempdir().unwrap();
    let e = Connection::open(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        settings: Settings {
            connection: ConnectionKind::PartnerCenter,
            ..Default::default()
        },
        secrets: Some(MemoryStore::new()),
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(
        auth_message(&e).contains("cspdesk login --device-code"),
        "{e}"
    );

    // A plain-http override off this machine is refused before anything is sent.
    let e = Connection::open(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        settings: Settings {
            connection: ConnectionKind::PartnerCenter,
            endpoints: EndpointOverrides {
                partner_center: Some(url::Url::parse("http://pc-proxy.example.com/").unwrap()),
                ..Default::default()
            },
            ..Default::default()
        },
        secrets: Some(MemoryStore::new()),
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid(m) if m.contains("only https://")),
        "{e}"
    );
}
