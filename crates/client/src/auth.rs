//! Where access tokens come from.
//!
//! The client asks a [`TokenProvider`] for a token per audience on every attempt, so a provider
//! that refreshes silently (the OAuth2 one) and a fixed token (`CSPDESK_ACCESS_TOKEN`, the
//! sandbox) look the same to it.

use futures::future::BoxFuture;

use crate::error::Result;
use crate::secrets::Secret;

/// The four token audiences CSP Desk needs, all from the one sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// `https://api.partnercenter.microsoft.com`
    PartnerCenter,
    /// `https://api.partner.microsoft.com` (price sheets; a Partner Center token is refused there)
    PartnerApi,
    /// `https://management.azure.com` (marketplace catalog)
    Arm,
    /// `https://graph.microsoft.com` with `PartnerBilling.Read.All` (invoice line items,
    /// billing reconciliation v2, reference §13.2)
    Graph,
}

impl Audience {
    /// The v2 scope for this audience.
    pub fn scope(self) -> &'static str {
        match self {
            Audience::PartnerCenter => "https://api.partnercenter.microsoft.com/user_impersonation",
            Audience::PartnerApi => "https://api.partner.microsoft.com/.default",
            Audience::Arm => "https://management.azure.com/.default",
            Audience::Graph => "https://graph.microsoft.com/PartnerBilling.Read.All",
        }
    }
}

pub trait TokenProvider: Send + Sync {
    /// A bearer token for `audience`, refreshed if needed.
    fn token(&self, audience: Audience) -> BoxFuture<'_, Result<Secret>>;
}

/// One token for every audience: `CSPDESK_ACCESS_TOKEN`, or the sandbox's.
#[derive(Debug, Clone)]
pub struct StaticToken(pub Secret);

impl TokenProvider for StaticToken {
    fn token(&self, _audience: Audience) -> BoxFuture<'_, Result<Secret>> {
        let t = self.0.clone();
        Box::pin(async move { Ok(t) })
    }
}
