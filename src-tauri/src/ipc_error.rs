//! The error DTO that crosses IPC. The UI branches on `kind` (and on `reason` for a refused
//! sign-in), shows `message`, which already says what happened and what to do, and offers `code`
//! and `requestId` in a copyable details line for Microsoft's support. Every field is decided in
//! the core ([`cspdesk_core::Error::kind`] and friends); this only copies them.

use serde::Serialize;

pub use cspdesk_core::error::{AuthReason, ErrorKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub kind: ErrorKind,
    pub message: String,
    pub retryable: bool,
    /// Why access was refused (sign-in, consent, MFA, tenant, role), when it was.
    pub reason: Option<AuthReason>,
    /// Partner Center's or the Partner API's error code.
    pub code: Option<String>,
    /// The `MS-RequestId` of the failed call.
    pub request_id: Option<String>,
    /// `message` as the core's code with parameters, for the UI to say in its language, when
    /// the core has one for it (the server's own words never do).
    #[ts(as = "Option<cspdesk_core::message::Message>")]
    pub says: Option<serde_json::Value>,
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl From<cspdesk_core::Error> for IpcError {
    fn from(e: cspdesk_core::Error) -> Self {
        IpcError {
            kind: e.kind(),
            retryable: e.is_retryable(),
            reason: e.auth_reason(),
            code: e.code().map(str::to_string),
            request_id: e.request_id().map(str::to_string),
            says: e.said().cloned(),
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_map_to_kinds() {
        let e: IpcError = cspdesk_core::Error::not_found("offer X", "Sync again").into();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert!(!e.retryable);
        assert!(e.message.contains("Sync again"));
        let e: IpcError = cspdesk_core::Error::Cancelled.into();
        assert_eq!(e.kind, ErrorKind::Cancelled);
        let e: IpcError = cspdesk_core::Error::Api {
            service: cspdesk_core::error::Service::PartnerCenter,
            what: "GET /v1/products".into(),
            status: 503,
            code: "x".into(),
            description: "busy".into(),
            request_id: Some("9c1d".into()),
        }
        .into();
        assert_eq!(e.kind, ErrorKind::Api);
        assert!(e.retryable);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "api");
        assert_eq!(json["retryable"], true);
        assert_eq!(json["code"], "x");
        assert_eq!(json["requestId"], "9c1d");
    }

    #[test]
    fn a_core_sentence_crosses_as_its_code_and_its_english() {
        use cspdesk_core::message::Message;
        let e: IpcError = cspdesk_core::Error::from(Message::FolderMissing {
            folder: "/tmp/gone".into(),
        })
        .into();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.starts_with("the folder /tmp/gone does not exist"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["says"]["code"], "folderMissing");
        assert_eq!(json["says"]["params"]["folder"], "/tmp/gone");
        let plain: IpcError = cspdesk_core::Error::Invalid("bad".into()).into();
        assert_eq!(
            serde_json::to_value(&plain).unwrap()["says"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn a_refusal_said_as_a_code_keeps_its_kind() {
        use cspdesk_core::message::Message;
        let e: IpcError = Message::CancelAlreadyCancelled {
            subscription: "sub-1".into(),
        }
        .refused()
        .into();
        assert_eq!(e.kind, ErrorKind::Refused);
        assert_eq!(
            e.message,
            "subscription sub-1 is already cancelled. Nothing to do"
        );
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["says"]["code"], "cancelAlreadyCancelled");
        assert_eq!(json["says"]["params"]["subscription"], "sub-1");
        let e: IpcError = Message::OfferMissing {
            offer: "contoso.crm".into(),
            market: "KR".into(),
        }
        .not_found()
        .into();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(
            serde_json::to_value(&e).unwrap()["says"]["code"],
            "offerMissing"
        );
        // A refusal in the core's plain words has none.
        let e: IpcError = cspdesk_core::Error::refused("no", "do this").into();
        assert_eq!(
            serde_json::to_value(&e).unwrap()["says"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn keychain_internal_and_auth_reasons_keep_their_kind() {
        let e: IpcError = cspdesk_core::Error::Keychain("locked".into()).into();
        assert_eq!(e.kind, ErrorKind::Keychain);
        let e: IpcError = cspdesk_core::Error::Internal("worker panicked".into()).into();
        assert_eq!(e.kind, ErrorKind::Internal);
        let e: IpcError =
            cspdesk_core::Error::auth(AuthReason::MfaRequired, "complete the MFA prompt").into();
        assert_eq!(
            (e.kind, e.reason),
            (ErrorKind::Auth, Some(AuthReason::MfaRequired))
        );
        assert_eq!(serde_json::to_value(&e).unwrap()["reason"], "mfaRequired");
    }
}
