//! The connection check against the sandbox: every service answering, then each kind of
//! refusal injected (role, permission, sign-in, missing setting, consent), each said in plain
//! words with the call's request id.

use crate::support::auth_support;
use crate::support::common;

use std::time::Duration;

use cspdesk_core::auth::MemoryStore;
use cspdesk_core::doctor::{self, RefusalKind};
use cspdesk_core::partner_center::auth::Audience;
use cspdesk_sandbox::{SandboxService, SANDBOX_USER};

fn by<'a>(r: &'a doctor::ConnectionReport, service: &str) -> &'a doctor::ServiceCheck {
    r.checks
        .iter()
        .find(|c| c.service == service)
        .unwrap_or_else(|| panic!("{service} in {r:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_service_answers_then_each_refusal_is_named() {
    let sb = common::sandbox().await;
    let (conn, _dir) = common::connection(&sb).await;
    let r = doctor::check(&conn).await;
    assert!(r.ok, "{r:#?}");
    let services: Vec<&str> = r.checks.iter().map(|c| c.service.as_str()).collect();
    assert_eq!(
        services,
        [
            "Partner Center",
            "Partner API",
            "Azure Resource Manager",
            "Microsoft Graph"
        ]
    );
    for c in &r.checks {
        assert!(
            c.request_id.as_deref().is_some_and(|id| id.len() >= 32),
            "{c:?}"
        );
        assert!(c.message.starts_with("answered"), "{c:?}");
    }
    assert_eq!(by(&r, "Microsoft Graph").status, Some(404));
    assert!(by(&r, "Azure Resource Manager")
        .message
        .contains("2025-05-01"));

    let cases = [
        (
            SandboxService::PartnerCenter,
            403,
            "Partner Center",
            RefusalKind::Role,
            "Admin Agent",
        ),
        (
            SandboxService::PartnerApi,
            403,
            "Partner API",
            RefusalKind::Role,
            "Sales Agent",
        ),
        (
            SandboxService::Arm,
            403,
            "Azure Resource Manager",
            RefusalKind::Role,
            "Reader",
        ),
        (
            SandboxService::Graph,
            403,
            "Microsoft Graph",
            RefusalKind::Permission,
            "PartnerBilling.Read.All",
        ),
        (
            SandboxService::Graph,
            401,
            "Microsoft Graph",
            RefusalKind::SignIn,
            "sign in again",
        ),
        (
            SandboxService::PartnerCenter,
            401,
            "Partner Center",
            RefusalKind::SignIn,
            "sign in again",
        ),
    ];
    for (svc, status, name, kind, words) in cases {
        sb.refuse(svc, Some(status));
        let r = doctor::check(&conn).await;
        sb.refuse(svc, None);
        assert!(!r.ok);
        let c = by(&r, name);
        assert!(!c.ok);
        assert_eq!(c.refusal, Some(kind), "{c:?}");
        assert_eq!(c.status, Some(status), "{c:?}");
        assert!(
            c.message.to_lowercase().contains(&words.to_lowercase()),
            "{name} {status}: {}",
            c.message
        );
        assert!(c.request_id.is_some(), "{c:?}");
        // Only that service is refused.
        assert_eq!(r.checks.iter().filter(|c| !c.ok).count(), 1, "{r:#?}");
        assert_eq!(r.summary(), "3 of 4 services answered");
    }

    // No Azure subscription set: not checked, and said which setting.
    let (mut conn2, _dir2) = common::connection(&sb).await;
    conn2.arm_subscription = None;
    let r = doctor::check(&conn2).await;
    let arm = by(&r, "Azure Resource Manager");
    assert_eq!(arm.refusal, Some(RefusalKind::Setting));
    assert!(arm.message.contains("arm_subscription"), "{}", arm.message);

    // JSON for scripts: camelCase, one entry a service.
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["checks"][2]["refusal"], "setting");
    assert!(v["checks"][0]["requestId"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_consent_for_graph_is_said_plainly() {
    let sb = auth_support::sandbox().await;
    // Short-lived access tokens: each check asks Entra again, so a new refusal shows at once.
    sb.set_access_token_lifetime(Duration::from_secs(20));
    let store = MemoryStore::new();
    let auth = auth_support::auth(&sb, store.clone());
    auth.sign_in_with_browser(
        auth_support::browser(SANDBOX_USER, "accept"),
        Duration::from_secs(30),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut conn = auth_support::connect(&sb, store.clone(), dir.path())
        .await
        .unwrap();
    conn.arm_subscription = Some(cspdesk_sandbox::SANDBOX_ARM_SUBSCRIPTION.into());
    let r = doctor::check(&conn).await;
    assert!(r.ok, "{r:#?}");

    sb.refuse_scope(Audience::Graph.scope(), 65001);
    let r = doctor::check(&conn).await;
    let g = by(&r, "Microsoft Graph");
    assert_eq!(g.refusal, Some(RefusalKind::Consent), "{g:?}");
    assert!(
        g.message.contains("no consent") && g.message.contains("Grant admin consent"),
        "{}",
        g.message
    );
    assert!(
        g.message.contains("PartnerBilling.Read.All"),
        "{}",
        g.message
    );
    assert!(by(&r, "Partner Center").ok);
}
