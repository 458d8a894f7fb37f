//! The error DTO that crosses IPC: `{kind, message, retryable}`. The UI branches on `kind`
//! and shows `message`, which already says what happened and what to do.

use serde::Serialize;

/// What kind of failure, as the UI branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ErrorKind {
    Network,
    Throttled,
    Api,
    Auth,
    NotFound,
    Refused,
    Invalid,
    Decode,
    Cancelled,
    Store,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IpcError {
    pub kind: ErrorKind,
    pub message: String,
    pub retryable: bool,
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl From<cspdesk::Error> for IpcError {
    fn from(e: cspdesk::Error) -> Self {
        use cspdesk::Error as E;
        let kind = match &e {
            E::Network { .. } => ErrorKind::Network,
            E::Throttled { .. } => ErrorKind::Throttled,
            E::Auth { .. } => ErrorKind::Auth,
            E::Api { status, .. } | E::PartnerApi { status, .. } | E::Http { status, .. } => {
                match status {
                    401 | 403 => ErrorKind::Auth,
                    404 => ErrorKind::NotFound,
                    _ => ErrorKind::Api,
                }
            }
            E::PagingLoop { .. } => ErrorKind::Api,
            E::Decode { .. } => ErrorKind::Decode,
            E::Refused { .. } => ErrorKind::Refused,
            E::NotFound { .. } => ErrorKind::NotFound,
            E::Invalid(_) => ErrorKind::Invalid,
            E::Store(_) | E::Io { .. } => ErrorKind::Store,
            E::Cancelled => ErrorKind::Cancelled,
            _ => ErrorKind::Unknown,
        };
        IpcError {
            kind,
            retryable: e.is_retryable(),
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_map_to_kinds() {
        let e: IpcError = cspdesk::Error::not_found("offer X", "Sync again").into();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert!(!e.retryable);
        assert!(e.message.contains("Sync again"));
        let e: IpcError = cspdesk::Error::Cancelled.into();
        assert_eq!(e.kind, ErrorKind::Cancelled);
        let e: IpcError = cspdesk::Error::Api {
            service: cspdesk::error::Service::PartnerCenter,
            what: "GET /v1/products".into(),
            status: 503,
            code: "x".into(),
            description: "busy".into(),
            request_id: None,
        }
        .into();
        assert_eq!(e.kind, ErrorKind::Api);
        assert!(e.retryable);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "api");
        assert_eq!(json["retryable"], true);
    }
}
