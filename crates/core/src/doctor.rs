//! The connection check (`cspdesk doctor`, Settings → Check connection): one read-only call per
//! service a partner's tenant must allow, each reported as answered or refused, why in plain
//! words (consent, role, permission, sign-in, setting), and the call's request id to quote to
//! Microsoft support.
//!
//! The calls: Partner Center, one page of customers; the Partner API, the first bytes of the
//! US marketplace price sheet; ARM, one page of the marketplace catalog; Microsoft Graph, a
//! billing reconciliation read (an operation that does not exist: 404 means access works).
//! What it deliberately does not do: write anything, retry, or start an export.

use serde::Serialize;

use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::partner_center::client::response_request_id;
use crate::partner_center::{api, arm, graph, Host, Request};

/// Why a service did not answer, as the UI and scripts branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum RefusalKind {
    /// The app registration has no (admin) consent for this API.
    Consent,
    /// The account lacks a Partner Center or Azure role.
    Role,
    /// The app registration lacks an API permission (Graph `PartnerBilling.Read.All`).
    Permission,
    /// The sign-in is missing, expired or not accepted.
    SignIn,
    /// A setting is missing (the Azure subscription for the catalog).
    Setting,
    /// The service is throttling; try again shortly.
    Throttled,
    /// The service could not be reached.
    Network,
    /// Anything else; the server's words say what.
    Other,
}

/// One service's answer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCheck {
    /// `Partner Center`, `Partner API`, `Azure Resource Manager`, `Microsoft Graph`.
    pub service: String,
    /// What was asked, e.g. `GET /v1/customers`.
    pub call: String,
    /// What it is needed for.
    pub serves: String,
    pub ok: bool,
    /// HTTP status, when the service answered.
    pub status: Option<u16>,
    /// The service's request id (or the one CSP Desk sent), to quote to Microsoft support.
    pub request_id: Option<String>,
    /// Plain words: what answered, or what was refused and what to do.
    pub message: String,
    /// Why it was refused; `None` when it answered.
    pub refusal: Option<RefusalKind>,
}

/// Every service's answer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub ok: bool,
    pub checks: Vec<ServiceCheck>,
}

impl ConnectionReport {
    /// "3 of 4 services answered".
    pub fn summary(&self) -> String {
        let ok = self.checks.iter().filter(|c| c.ok).count();
        format!("{ok} of {} services answered", self.checks.len())
    }
}

/// A GUID no operation has: Graph's answer to it shows whether billing data may be read.
const NO_OPERATION: &str = "00000000-0000-0000-0000-000000000000";

/// Runs the four checks one after the other.
pub async fn check(conn: &Connection) -> ConnectionReport {
    let client = &conn.client;
    let mut checks = Vec::with_capacity(4);

    let req = api::customers(20, None).request_id(new_id());
    let sent = req.request_id.clone();
    checks.push(
        finish(
            "Partner Center",
            "customers, orders, subscriptions and invoices",
            &req.describe(),
            sent,
            client.probe(&req, usize::MAX).await,
            |raw| {
                let n = serde_json::from_slice::<serde_json::Value>(&raw.body)
                    .ok()
                    .and_then(|v| v.get("items").and_then(|i| i.as_array()).map(Vec::len))
                    .unwrap_or(0);
                format!("answered: {n} customers on the first page")
            },
        )
        .await,
    );

    let req = api::price_sheet("US", "marketplace")
        .header("Accept", crate::pricelist::sheet::PRICE_SHEET_ACCEPT)
        .request_id(new_id());
    let sent = req.request_id.clone();
    checks.push(
        finish(
            "Partner API",
            "price lists",
            &req.describe(),
            sent,
            client.probe(&req, 4096).await,
            |raw| {
                format!(
                    "answered: the US price sheet started ({} bytes read)",
                    raw.body.len()
                )
            },
        )
        .await,
    );

    let arm_call = "GET /subscriptions/{subscription}/providers/Microsoft.Marketplace/products";
    checks.push(match conn.arm_subscription.as_deref() {
        None => ServiceCheck {
            service: "Azure Resource Manager".into(),
            call: arm_call.into(),
            serves: ARM_SERVES.into(),
            ok: false,
            status: None,
            request_id: None,
            message: "not checked: no Azure subscription is set. Enter the id of an Azure subscription this \
                      account can read (Reader role) in Settings (arm_subscription); everything else works without it"
                .into(),
            refusal: Some(RefusalKind::Setting),
        },
        Some(sub) => {
            let id = new_id();
            let result = arm::versioned(client, |v| {
                let req = api::arm_products_at(sub, "US", Some("cspdesk connection check"), v)
                    .request_id(id.clone());
                async move { client.probe(&req, usize::MAX).await }
            })
            .await;
            let version = client.arm_api_version().unwrap_or(api::ARM_API_VERSION);
            finish(
                "Azure Resource Manager",
                ARM_SERVES,
                arm_call,
                Some(id),
                result,
                |_| format!("answered: one catalog page (api-version {version})"),
            )
            .await
        }
    });

    let req: Request<()> = Request::get(
        Host::Graph,
        format!("{}/operations/{NO_OPERATION}", graph::BILLING),
    )
    .request_id(new_id());
    let sent = req.request_id.clone();
    let graph_result = match client.probe(&req, usize::MAX).await {
        // Not found is the expected answer: the token and the permission were accepted.
        Err(e) if e.status() == Some(404) => Ok(e),
        Err(e) => Err(e),
        Ok(raw) => Err(Error::Http {
            service: crate::error::Service::Graph,
            what: req.describe(),
            status: raw.status,
            body: "an operation that should not exist was found".into(),
            request_id: response_request_id(&raw.headers),
        }),
    };
    checks.push(match graph_result {
        Ok(e) => ServiceCheck {
            service: "Microsoft Graph".into(),
            call: req.describe(),
            serves: GRAPH_SERVES.into(),
            ok: true,
            status: Some(404),
            request_id: e.request_id().map(str::to_string).or(sent),
            message:
                "answered: billing reconciliation may be read (PartnerBilling.Read.All accepted)"
                    .into(),
            refusal: None,
        },
        Err(e) => refused("Microsoft Graph", GRAPH_SERVES, &req.describe(), sent, e),
    });

    ConnectionReport {
        ok: checks.iter().all(|c| c.ok),
        checks,
    }
}

const ARM_SERVES: &str = "marketplace categories, publisher contacts and trials";
const GRAPH_SERVES: &str = "invoice line items (billing reconciliation)";

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn finish(
    service: &str,
    serves: &str,
    call: &str,
    sent: Option<String>,
    result: Result<crate::partner_center::client::RawResponse>,
    ok_words: impl FnOnce(&crate::partner_center::client::RawResponse) -> String,
) -> ServiceCheck {
    match result {
        Ok(raw) => ServiceCheck {
            service: service.into(),
            call: call.into(),
            serves: serves.into(),
            ok: true,
            status: Some(raw.status),
            request_id: response_request_id(&raw.headers).or(sent),
            message: ok_words(&raw),
            refusal: None,
        },
        Err(e) => refused(service, serves, call, sent, e),
    }
}

fn refused(
    service: &str,
    serves: &str,
    call: &str,
    sent: Option<String>,
    e: Error,
) -> ServiceCheck {
    let kind = classify(service, &e);
    let lead = match kind {
        RefusalKind::Consent => "refused: no consent for this API",
        RefusalKind::Role => "refused: the account lacks a role",
        RefusalKind::Permission => "refused: the app registration lacks a permission",
        RefusalKind::SignIn => "refused: the sign-in was not accepted",
        RefusalKind::Setting => "not checked: a setting is missing",
        RefusalKind::Throttled => "busy: the service is throttling requests",
        RefusalKind::Network => "no answer: the service could not be reached",
        RefusalKind::Other => "refused",
    };
    ServiceCheck {
        service: service.into(),
        call: call.into(),
        serves: serves.into(),
        ok: false,
        status: e.status(),
        request_id: e.request_id().map(str::to_string).or(sent),
        message: format!("{lead}. {e}"),
        refusal: Some(kind),
    }
}

fn classify(service: &str, e: &Error) -> RefusalKind {
    let text = e.to_string().to_ascii_lowercase();
    match e {
        Error::Auth { .. } if text.contains("consent") => RefusalKind::Consent,
        Error::Auth { .. } => RefusalKind::SignIn,
        Error::Network { .. } => RefusalKind::Network,
        Error::Throttled { .. } => RefusalKind::Throttled,
        _ => match e.status() {
            Some(401) => RefusalKind::SignIn,
            Some(403) if service == "Microsoft Graph" => RefusalKind::Permission,
            Some(403) => RefusalKind::Role,
            Some(429) => RefusalKind::Throttled,
            _ => RefusalKind::Other,
        },
    }
}
