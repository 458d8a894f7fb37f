//! Which services the sign-in reaches: one token per audience (Partner Center, the Partner API,
//! ARM, Microsoft Graph), and for ARM one small search, since ARM gives tokens to anyone.

use serde::Serialize;

use super::Auth;
use crate::connection::Connection;
use crate::error::Result;
use crate::partner_center::auth::{Audience, TokenProvider};

/// One of the four token audiences, and what it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AudienceCheck {
    /// `Partner Center`, `Partner API`, `Azure Resource Manager`, `Microsoft Graph`.
    pub audience: String,
    /// The features that need it.
    pub serves: String,
    pub ok: bool,
    /// When not ok: "{features} unavailable: {why}. {what to do}".
    pub problem: Option<String>,
}

const PARTNER_CENTER_SERVES: &str = "customers, orders, subscriptions and invoices";
const PARTNER_API_SERVES: &str = "price lists";
const ARM_SERVES: &str = "marketplace categories and publisher contacts";
const GRAPH_SERVES: &str = "invoice line items (billing reconciliation)";

/// For each of the four token audiences, whether the sign-in gets a token, and for ARM whether
/// `arm_subscription` lets it read the marketplace (checked with one small search on `live`,
/// a connection signed in to a real tenant, when there is one). Empty when nobody is signed in.
pub async fn check(
    auth: &Auth,
    arm_subscription: Option<&str>,
    live: Option<&Connection>,
) -> Result<Vec<AudienceCheck>> {
    let Some(tokens) = auth.tokens().await? else {
        return Ok(vec![]);
    };
    let mut out = vec![];
    for (audience, label, serves) in [
        (
            Audience::PartnerCenter,
            "Partner Center",
            PARTNER_CENTER_SERVES,
        ),
        (Audience::PartnerApi, "Partner API", PARTNER_API_SERVES),
        (Audience::Arm, "Azure Resource Manager", ARM_SERVES),
        (Audience::Graph, "Microsoft Graph", GRAPH_SERVES),
    ] {
        let problem = match (tokens.token(audience).await, arm_subscription) {
            (Err(e), _) => Some(format!("{serves} unavailable: {e}")),
            (Ok(_), None) if audience == Audience::Arm => Some(format!(
                "{serves} unavailable: no Azure subscription. Enter the Azure subscription id the marketplace catalog is read through in Settings"
            )),
            (Ok(_), Some(sub)) if audience == Audience::Arm => match live {
            Some(c) => probe_arm(c, sub).await,
            None => None,
        },
            (Ok(_), _) => None,
        };
        out.push(AudienceCheck {
            audience: label.into(),
            serves: serves.into(),
            ok: problem.is_none(),
            problem,
        });
    }
    Ok(out)
}

/// ARM gives tokens to anyone; whether it lets this account read the marketplace through
/// `sub` shows only on a call. One small search, on the open signed-in connection only.
async fn probe_arm(c: &Connection, sub: &str) -> Option<String> {
    let probe = crate::partner_center::api::arm_products(sub, Some("cspdesk access check"));
    match c.client.execute(&probe).await {
        Ok(_) => None,
        Err(e) if matches!(e.status(), Some(401 | 403)) => Some(format!(
            "{ARM_SERVES} unavailable: no Azure subscription this account can read the catalog through \
             (subscription {sub}: {e}). Give the account the Reader role on that subscription, or enter \
             another subscription id in Settings"
        )),
        Err(e) => Some(format!("{ARM_SERVES} could not be checked: {e}")),
    }
}
