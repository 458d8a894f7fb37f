//! The desktop's account side through `AppCore`: the settings file read, validated and saved
//! (never a secret in it), a malformed file reported with its line while the defaults are used,
//! the browser sign-in against the sandbox playing Entra ID, who is signed in and which
//! audiences work, a revoked sign-in, sign-out, and the connect options the desktop takes from
//! the settings with the `CSPDESK_*` variables on top.

use crate::support::auth_support;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cspdesk_core::app::account::{desktop_options_with, ConnectionChoice, SettingsValues};
use cspdesk_core::app::AppCore;
use cspdesk_core::auth::MemoryStore;
use cspdesk_core::connection::{ConnectOptions, Connection, Mode};
use cspdesk_core::error::AuthReason;
use cspdesk_core::partner_center::auth::Audience;
use cspdesk_core::settings::{ConnectionKind, Settings};
use cspdesk_core::{customers, Error};
use cspdesk_sandbox::{Sandbox, SANDBOX_ARM_SUBSCRIPTION, SANDBOX_TENANT_ID, SANDBOX_USER};

use auth_support as support;

/// The desktop's core over `settings_path`, as `AppCore::for_desktop` builds it, but with an
/// in-memory keychain and a small sandbox catalog.
fn desktop_core(settings_path: &Path, data_dir: &Path, store: Arc<MemoryStore>) -> AppCore {
    let loaded = Settings::load(settings_path);
    // No `CSPDESK_*` variable of the test's own environment reaches it.
    let mut opts =
        desktop_options_with(&loaded.settings, data_dir.to_path_buf(), |_| None).unwrap();
    opts.secrets = Some(store);
    opts.sandbox_offers = Some(60);
    opts.sandbox_starter = Some(cspdesk_sandbox::starter());
    AppCore::new(opts).with_settings_file(loaded)
}

/// The settings file of a partner whose every service, and the sign-in, is the sandbox.
fn write_partner_settings(sb: &Sandbox, path: &Path) {
    support::settings_for(sb).save(path).unwrap();
}

fn values_for(sb: &Sandbox) -> SettingsValues {
    let url = sb.url().to_string();
    SettingsValues {
        connection: ConnectionChoice::PartnerCenter,
        tenant_id: String::new(),
        client_id: cspdesk_sandbox::SANDBOX_CLIENT_ID.into(),
        arm_subscription: String::new(),
        markets: vec!["US".into()],
        export_dir: String::new(),
        language: cspdesk_core::settings::Language::System,
        endpoints: cspdesk_core::app::account::EndpointValues {
            partner_center: url.clone(),
            partner_api: url.clone(),
            arm: url.clone(),
            authority: url,
        },
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_are_saved_and_read_back_without_a_secret() {
    let sb = support::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config/settings.toml");
    let store = MemoryStore::new();
    let core = desktop_core(&path, dir.path(), store.clone());

    // No file yet: the defaults, the sandbox, and where the file will be.
    let view = core.read_settings();
    assert!(!view.found);
    assert!(view.problem.is_none());
    assert_eq!(view.values.connection, ConnectionChoice::Sandbox);
    assert_eq!(view.values.markets, ["US"]);
    assert_eq!(view.path, path.display().to_string());
    assert!(!view.default_export_dir.is_empty());

    // Saved as Partner Center on the sandbox, signed in, saved again with a new default market.
    assert_eq!(core.status().await.unwrap().mode, Mode::EmbeddedSandbox);
    let saved = core.save_settings(values_for(&sb)).unwrap();
    assert!(saved.saved, "{saved:?}");
    assert_eq!(
        core.status().await.unwrap().mode,
        Mode::PartnerCenter,
        "the saved connection is used at once, with no restart"
    );
    core.sign_in(support::browser(SANDBOX_USER, "accept"))
        .await
        .unwrap();
    let mut values = core.read_settings().values;
    assert_eq!(values, values_for(&sb).tap_urls());
    values.markets = vec!["gb".into(), "US".into()];
    values.export_dir = dir.path().join("exports").display().to_string();
    let before = core.connection().await.unwrap();
    let saved = core.save_settings(values).unwrap();
    assert!(saved.saved && saved.errors.is_empty(), "{saved:?}");
    assert!(
        Arc::ptr_eq(&before, &core.connection().await.unwrap()),
        "markets and folder need no reconnect"
    );
    assert_eq!(core.settings().default_market(), "GB");

    // Read back by a new start, from the file.
    let again = desktop_core(&path, dir.path(), store.clone());
    let view = again.read_settings();
    assert!(view.found);
    assert_eq!(view.values.markets, ["GB", "US"]);
    assert_eq!(view.values.connection, ConnectionChoice::PartnerCenter);
    assert_eq!(
        again.settings().export_dir(),
        dir.path().join("exports"),
        "the export folder is honoured"
    );

    // The file is documented, and holds none of the tokens the sign-in handed out.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# Default markets"), "{text}");
    assert!(text.contains("markets = [\"GB\", \"US\"]"), "{text}");
    let issued = sb.issued_secrets();
    assert!(issued.len() >= 2, "the sign-in issued a code and tokens");
    for secret in issued {
        assert!(
            !text.contains(secret.expose()),
            "a token is in the settings file"
        );
    }
    assert!(!text.to_lowercase().contains("refresh_token"), "{text}");
}

trait TapUrls {
    fn tap_urls(self) -> Self;
}
impl TapUrls for SettingsValues {
    /// The file keeps URLs with a trailing slash.
    fn tap_urls(mut self) -> Self {
        for u in [
            &mut self.endpoints.partner_center,
            &mut self.endpoints.partner_api,
            &mut self.endpoints.arm,
            &mut self.endpoints.authority,
        ] {
            if !u.ends_with('/') {
                u.push('/');
            }
        }
        self
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_fields_are_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    let core = desktop_core(&path, dir.path(), MemoryStore::new());
    let mut values = core.read_settings().values;
    values.connection = ConnectionChoice::PartnerCenter;
    values.client_id = "11111111-2222-3333-4444-555555555555".into();
    values.arm_subscription = "my subscription".into();
    values.endpoints.partner_center = "http://proxy.example.com:8080".into();
    // The form asks as the person types: the same errors, and nothing is written.
    let checked = core.check_settings(&values);
    let out = core.save_settings(values.clone()).unwrap();
    assert!(!out.saved);
    assert_eq!(checked, out.errors);
    let by_field = |f: &str| {
        out.errors
            .iter()
            .find(|e| e.field == f)
            .unwrap_or_else(|| panic!("no error for {f}: {:?}", out.errors))
            .message
            .clone()
    };
    assert!(by_field("armSubscription").contains("not a GUID"));
    let http = by_field("endpoints.partnerCenter");
    assert!(
        http.contains("http://proxy.example.com") && http.contains("https://"),
        "{http}"
    );
    assert!(!path.exists(), "nothing is written while a field is wrong");

    // http on this machine is fine (a local sandbox or proxy).
    values.arm_subscription = SANDBOX_ARM_SUBSCRIPTION.into();
    values.endpoints.partner_center = "http://127.0.0.1:8080".into();
    assert_eq!(core.check_settings(&values), vec![]);
    assert!(core.save_settings(values).unwrap().saved);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_file_is_reported_with_its_line_and_the_defaults_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    let broken = "connection = \"partner-center\"\n\nclient_id = \"not-a-guid\"\n";
    std::fs::write(&path, broken).unwrap();
    let core = desktop_core(&path, dir.path(), MemoryStore::new());

    let view = core.read_settings();
    let p = view.problem.expect("the problem is reported");
    assert_eq!(p.line, Some(3), "{p:?}");
    assert!(p.message.contains("not a GUID"), "{p:?}");
    assert!(p.text.contains("line 3"), "{}", p.text);
    let moved = p.moved_to.expect("the broken file is kept aside");
    assert_eq!(std::fs::read_to_string(&moved).unwrap(), broken);
    assert_eq!(
        view.values.connection,
        ConnectionChoice::Sandbox,
        "defaults"
    );
    // The app runs: on the defaults, that is the built-in sandbox.
    assert_eq!(core.status().await.unwrap().mode, Mode::EmbeddedSandbox);

    // Saving writes a good file and leaves the broken one where it was kept.
    let saved = core.save_settings(view.values).unwrap();
    assert!(saved.saved);
    assert!(core.read_settings().problem.is_none());
    assert_eq!(std::fs::read_to_string(&moved).unwrap(), broken);
    assert!(Settings::load(&path).problem.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_sign_in_who_is_signed_in_and_sign_out() {
    let sb = support::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    write_partner_settings(&sb, &path);
    let store = MemoryStore::new();
    let core = desktop_core(&path, dir.path(), store.clone());

    // Partner Center, nobody signed in. (On loopback the connection opens on the sandbox's
    // own token; Microsoft's would refuse to open and be retried after the sign-in.)
    let who = core.whoami(false).await.unwrap();
    assert!(
        who.sign_in_needed && !who.signed_in && !who.expired,
        "{who:?}"
    );
    assert_eq!(core.status().await.unwrap().mode, Mode::PartnerCenter);
    let before_sign_in = core.connection().await.unwrap();

    // The desktop hands an `open` closure; the "browser" clicks through the consent page.
    let opened = Arc::new(Mutex::new(None));
    let seen = opened.clone();
    let browser = support::browser(SANDBOX_USER, "accept");
    let change = core
        .sign_in(move |url| {
            *seen.lock().unwrap() = Some(url.clone());
            browser(url)
        })
        .await
        .unwrap();
    let url = opened
        .lock()
        .unwrap()
        .clone()
        .expect("the sign-in page was opened");
    assert!(url.as_str().starts_with(sb.url().as_str()), "{url}");
    assert!(url.query().unwrap().contains("code_challenge_method=S256"));
    assert!(change.who.signed_in);
    assert_eq!(change.who.username.as_deref(), Some(SANDBOX_USER));
    assert_eq!(change.who.tenant_id.as_deref(), Some(SANDBOX_TENANT_ID));
    assert!(change.who.signed_in_at.is_some());

    // The same core, with no restart: the next call opens a connection on the sign-in.
    assert_eq!(core.status().await.unwrap().mode, Mode::PartnerCenter);
    let c = core.connection().await.unwrap();
    assert!(
        !Arc::ptr_eq(&c, &before_sign_in),
        "the connection opened on the sandbox's token was replaced"
    );
    assert!(!customers::list(&c.client, None).await.unwrap().is_empty());

    // Which audiences work: no Azure subscription set, so the marketplace details are not.
    let who = core.whoami(true).await.unwrap();
    let names: Vec<&str> = who.audiences.iter().map(|a| a.audience.as_str()).collect();
    assert_eq!(
        names,
        [
            "Partner Center",
            "Partner API",
            "Azure Resource Manager",
            "Microsoft Graph"
        ]
    );
    assert!(
        who.audiences[0].ok && who.audiences[1].ok && who.audiences[3].ok,
        "{who:?}"
    );
    let arm = who.audiences[2].problem.clone().unwrap();
    assert!(
        arm.starts_with(
            "marketplace categories and publisher contacts unavailable: no Azure subscription"
        ),
        "{arm}"
    );
    // A subscription the account cannot read (ARM answers 403): named, the rest still works.
    let mut values = core.read_settings().values;
    values.arm_subscription = SANDBOX_ARM_SUBSCRIPTION.into();
    assert!(core.save_settings(values).unwrap().saved);
    let core = desktop_core(&path, dir.path(), store.clone());
    core.status().await.unwrap();
    let who = core.whoami(true).await.unwrap();
    assert!(who.audiences.iter().all(|a| a.ok), "{who:?}");
    sb.set_arm_refused(true);
    let who = core.whoami(true).await.unwrap();
    assert!(who.audiences[0].ok && who.audiences[1].ok);
    let arm = who.audiences[2].problem.clone().unwrap();
    assert!(
        arm.starts_with("marketplace categories and publisher contacts unavailable: no Azure subscription this account can read")
            && arm.contains("Reader"),
        "{arm}"
    );

    sb.set_arm_refused(false);
    // ARM refused by Entra (no consent): said in plain words, the rest still works.
    sb.refuse_scope(Audience::Arm.scope(), 65001);
    let who = core.whoami(true).await.unwrap();
    assert!(who.signed_in && who.audiences[0].ok && who.audiences[1].ok);
    let arm = who.audiences[2].problem.clone().unwrap();
    assert!(
        arm.contains("unavailable")
            && arm.contains("no consent")
            && arm.contains("Grant admin consent"),
        "{arm}"
    );

    // Sign out: the refresh token leaves the keychain, and the signed-in connection is dropped.
    let out = core.sign_out().await.unwrap();
    assert!(!out.who.signed_in && !out.who.expired);
    assert!(
        !Arc::ptr_eq(&c, &core.connection().await.unwrap()),
        "no call is made on the old sign-in's connection after a sign-out"
    );
    assert!(
        store
            .keys()
            .iter()
            .all(|k| !k.starts_with("refresh-token@")),
        "{:?}",
        store.keys()
    );
    assert!(store.keys().is_empty(), "{:?}", store.keys());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_sign_in_asks_to_sign_in_again_and_works_again_in_place() {
    let sb = support::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    write_partner_settings(&sb, &path);
    let store = MemoryStore::new();
    let core = desktop_core(&path, dir.path(), store.clone());
    core.sign_in(support::browser(SANDBOX_USER, "accept"))
        .await
        .unwrap();
    sb.set_access_token_lifetime(Duration::from_secs(1)); // every call renews
    let c = core.connection().await.unwrap();
    customers::list(&c.client, None).await.unwrap();

    sb.revoke_refresh_tokens();
    let e = customers::list(&c.client, None).await.unwrap_err();
    assert!(
        matches!(&e, Error::Auth { message, reason: AuthReason::Expired } if message.contains("Sign in again") && message.contains("work you had open is kept")),
        "{e}"
    );
    let who = core.whoami(false).await.unwrap();
    assert!(who.expired && !who.signed_in, "{who:?}");
    assert_eq!(who.username.as_deref(), Some(SANDBOX_USER), "offered again");

    // Sign in again: the same connection (and whatever the view held) carries on.
    let change = core
        .sign_in(support::browser(SANDBOX_USER, "accept"))
        .await
        .unwrap();
    assert!(change.who.signed_in && !change.who.expired);
    assert!(!customers::list(&c.client, None).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_refusals_and_cancel() {
    let sb = support::sandbox().await;
    let dir = tempfile::tempdir().unwrap();

    // The built-in sandbox needs no sign-in: refused with what to do.
    let core = desktop_core(
        &dir.path().join("none.toml"),
        dir.path(),
        MemoryStore::new(),
    );
    let who = core.whoami(false).await.unwrap();
    assert!(!who.sign_in_needed);
    assert!(who.note.unwrap().contains("built-in sandbox"));
    let e = core.sign_in(|_| Ok(())).await.unwrap_err();
    assert!(matches!(e, Error::Refused { .. }), "{e}");

    let path = dir.path().join("settings.toml");
    write_partner_settings(&sb, &path);
    let core = Arc::new(desktop_core(&path, dir.path(), MemoryStore::new()));

    // A foreign account: explained in plain words.
    let e = core
        .sign_in(support::browser("bob@fabrikam.com", "accept"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("another organization"), "{e}");

    // Cancel while waiting for the browser; a second sign-in meanwhile is refused.
    let waiting = {
        let core = core.clone();
        tokio::spawn(async move { core.sign_in(|_| Ok(())).await })
    };
    // Until the first is waiting (no fixed sleep: a loaded machine may take its time).
    let start = std::time::Instant::now();
    while !core.signing_in() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the sign-in never started waiting"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let e = core.sign_in(|_| Ok(())).await.unwrap_err();
    assert!(e.to_string().contains("already waiting"), "{e}");
    core.cancel_sign_in();
    let e = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("cancel ends the wait")
        .unwrap()
        .unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e}");
    // And a new one can start.
    core.sign_in(support::browser(SANDBOX_USER, "accept"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desktop_connects_as_the_settings_say_with_env_overrides() {
    let sb = support::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    // `desktop_options` with the variables as given (and no others).
    let with_env = |vars: &[(&str, &str)], settings: &Settings| {
        desktop_options_with(settings, dir.path().to_path_buf(), |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
        .unwrap()
    };

    // Default settings: the built-in sandbox.
    let opts = with_env(&[], &Settings::default());
    assert_eq!(opts.settings.connection, ConnectionKind::Sandbox);
    assert!(opts.endpoint.is_none() && opts.access_token.is_none());
    assert_eq!(opts.data_dir.as_deref(), Some(dir.path()));

    // Partner Center settings: tenant, client, subscription and overrides reach the connection.
    let mut settings = support::settings_for(&sb);
    settings.tenant_id = Some(SANDBOX_TENANT_ID.into());
    settings.arm_subscription = Some(SANDBOX_ARM_SUBSCRIPTION.into());
    let store = MemoryStore::new();
    support::auth(&sb, store.clone())
        .sign_in_with_browser(
            support::browser(SANDBOX_USER, "accept"),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    let mut opts = with_env(&[], &settings);
    opts.secrets = Some(store.clone());
    let conn = Connection::open(opts).await.unwrap();
    assert_eq!(conn.mode, Mode::PartnerCenter);
    assert_eq!(conn.client.endpoints().partner_center, *sb.url());
    assert_eq!(
        conn.arm_subscription.as_deref(),
        Some(SANDBOX_ARM_SUBSCRIPTION)
    );

    // The variables still win, for tests and E2E.
    let other = tempfile::tempdir().unwrap();
    let opts = with_env(
        &[
            ("CSPDESK_ENDPOINT", sb.url().as_str()),
            ("CSPDESK_ACCESS_TOKEN", "sandbox-access-token"),
            (
                "CSPDESK_ARM_SUBSCRIPTION",
                "11111111-2222-3333-4444-555555555555",
            ),
            ("CSPDESK_DATA_DIR", other.path().to_str().unwrap()),
        ],
        &Settings::default(),
    );
    assert_eq!(opts.data_dir.as_deref(), Some(other.path()));
    let core = AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        secrets: Some(MemoryStore::new()),
        ..opts
    });
    let status = core.status().await.unwrap();
    assert_eq!(status.mode, Mode::Endpoint);
    let view = core.read_settings();
    assert_eq!(view.overridden_by.len(), 3, "{:?}", view.overridden_by);
    let who = core.whoami(false).await.unwrap();
    assert!(
        !who.sign_in_needed,
        "a token from the environment needs no sign-in"
    );
    assert_eq!(
        core.connection().await.unwrap().arm_subscription.as_deref(),
        Some("11111111-2222-3333-4444-555555555555")
    );
}
