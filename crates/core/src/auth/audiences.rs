//! Which services the sign-in reaches: one token per audience (Partner Center, the Partner API,
//! ARM, Microsoft Graph), and for ARM one small search, since ARM gives tokens to anyone.

use serde::Serialize;

use super::Auth;
use crate::connection::Connection;
use crate::error::Result;
use crate::message::{Message, Served};
use crate::partner_center::auth::{Audience, TokenProvider};

/// One of the four token audiences, and what it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AudienceCheck {
    /// `Partner Center`, `Partner API`, `Azure Resource Manager`, `Microsoft Graph`.
    pub audience: String,
    /// The features that need it.
    pub serves: String,
    /// `serves` as a code.
    pub serves_message: Message,
    pub ok: bool,
    /// When not ok: "{features} unavailable: {why}. {what to do}".
    pub problem: Option<String>,
    /// `problem` as a code.
    pub problem_message: Option<Message>,
}

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
    for (audience, label, served) in [
        (
            Audience::PartnerCenter,
            "Partner Center",
            Served::PartnerCenter,
        ),
        (Audience::PartnerApi, "Partner API", Served::PartnerApi),
        (Audience::Arm, "Azure Resource Manager", Served::Arm),
        (Audience::Graph, "Microsoft Graph", Served::Graph),
    ] {
        let problem = match (tokens.token(audience).await, arm_subscription) {
            (Err(e), _) => Some(Message::AudienceNoToken {
                served,
                why: e.to_string(),
            }),
            (Ok(_), None) if audience == Audience::Arm => Some(Message::AudienceNoArmSubscription),
            (Ok(_), Some(sub)) if audience == Audience::Arm => match live {
                Some(c) => probe_arm(c, sub).await,
                None => None,
            },
            (Ok(_), _) => None,
        };
        out.push(AudienceCheck {
            audience: label.into(),
            serves: served.message().english(),
            serves_message: served.message(),
            ok: problem.is_none(),
            problem: problem.as_ref().map(Message::english),
            problem_message: problem,
        });
    }
    Ok(out)
}

/// ARM gives tokens to anyone; whether it lets this account read the marketplace through
/// `sub` shows only on a call. One small search, on the open signed-in connection only.
async fn probe_arm(c: &Connection, sub: &str) -> Option<Message> {
    let probe = crate::partner_center::api::arm_products(sub, Some("cspdesk access check"));
    match c.client.execute(&probe).await {
        Ok(_) => None,
        Err(e) if matches!(e.status(), Some(401 | 403)) => Some(Message::AudienceArmRefused {
            subscription: sub.to_string(),
            why: e.to_string(),
        }),
        Err(e) => Some(Message::AudienceArmUnchecked { why: e.to_string() }),
    }
}
