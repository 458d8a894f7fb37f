//! The cancellation-window policy, kept as data so it can change without code.
//!
//! The window is read from the subscription itself first (`cancellationAllowedUntilDate`, then
//! the refund options' `expiresAt`); only when both are missing is it computed from the purchase
//! time and this policy. The default ships in `data/cancellation_policy.json`; a
//! `cancellation_policy.json` in the data dir overrides it.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::partner_center::models::{BillingCycle, Subscription};

const DEFAULT: &str = include_str!("../../data/cancellation_policy.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancellationPolicy {
    pub monthly_hours: u32,
    pub annual_hours: u32,
    /// Where the rule comes from, shown beside computed deadlines.
    pub source: String,
    #[serde(default)]
    pub source_url: Option<String>,
}

impl Default for CancellationPolicy {
    fn default() -> Self {
        serde_json::from_str(DEFAULT).unwrap_or(CancellationPolicy {
            monthly_hours: 24,
            annual_hours: 336,
            source: "marketplace SaaS default".into(),
            source_url: None,
        })
    }
}

/// The cancellation policy as data, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PolicyInfo {
    pub monthly_hours: u32,
    pub annual_hours: u32,
    pub source: String,
    pub source_url: Option<String>,
    /// The file it was read from: the data folder's override, or the default shipped with CSP Desk.
    pub origin: String,
}

impl CancellationPolicy {
    /// The policy in force for `dir` ([`CancellationPolicy::load`]), with where it came from.
    pub fn in_force(dir: &Path) -> Result<(CancellationPolicy, PolicyInfo)> {
        let p = CancellationPolicy::load(dir)?;
        let file = dir.join("cancellation_policy.json");
        let origin = if file.is_file() {
            format!("{} (overrides the default)", file.display())
        } else {
            "the default shipped with CSP Desk (data/cancellation_policy.json)".to_string()
        };
        let info = PolicyInfo {
            monthly_hours: p.monthly_hours,
            annual_hours: p.annual_hours,
            source: p.source.clone(),
            source_url: p.source_url.clone(),
            origin,
        };
        Ok((p, info))
    }

    /// The policy in `dir/cancellation_policy.json`, or the shipped default.
    pub fn load(dir: &Path) -> Result<CancellationPolicy> {
        let path = dir.join("cancellation_policy.json");
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::from(crate::message::Message::PolicyInvalid {
                    path: path.display().to_string(),
                    why: e.to_string(),
                })
            }),
            Err(_) => Ok(CancellationPolicy::default()),
        }
    }

    pub fn hours_for(&self, billing: &BillingCycle, term: &str) -> u32 {
        if *billing == BillingCycle::Annual
            || (*billing != BillingCycle::Monthly && term.eq_ignore_ascii_case("P1Y"))
        {
            self.annual_hours
        } else {
            self.monthly_hours
        }
    }
}

/// Where a deadline came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "detail")]
pub enum DeadlineSource {
    /// `cancellationAllowedUntilDate` on the subscription.
    CancellationAllowedUntilDate,
    /// The latest `refundOptions[].expiresAt`.
    RefundOptions,
    /// Computed from the purchase time and the policy (its source text).
    Policy(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deadline {
    pub at: DateTime<Utc>,
    pub source: DeadlineSource,
}

/// The cancellation deadline of `sub`, or `None` when nothing says (no fields, no purchase time).
pub fn deadline(sub: &Subscription, policy: &CancellationPolicy) -> Option<Deadline> {
    if let Some(at) = sub.cancellation_allowed_until_date {
        return Some(Deadline {
            at,
            source: DeadlineSource::CancellationAllowedUntilDate,
        });
    }
    if let Some(at) = sub.refund_options.iter().filter_map(|r| r.expires_at).max() {
        return Some(Deadline {
            at,
            source: DeadlineSource::RefundOptions,
        });
    }
    let bought = sub.creation_date.or(sub.effective_start_date)?;
    let hours = policy.hours_for(&sub.billing_cycle, &sub.term_duration);
    Some(Deadline {
        at: bought + chrono::Duration::hours(hours as i64),
        source: DeadlineSource::Policy(policy.source.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner_center::json::decode;

    fn sub(json: &str) -> Subscription {
        decode(json.as_bytes(), "sub").unwrap()
    }

    #[test]
    fn field_wins_over_refund_options_over_policy() {
        let p = CancellationPolicy::default();
        let s = sub(
            r#"{"creationDate":"2026-11-01T10:00:00Z","billingCycle":"monthly","cancellationAllowedUntilDate":"2026-11-03T00:00:00Z","refundOptions":[{"type":"Full","expiresAt":"2026-11-02T10:00:00Z"}]}"#,
        );
        let d = deadline(&s, &p).unwrap();
        assert_eq!(d.source, DeadlineSource::CancellationAllowedUntilDate);
        assert_eq!(d.at.to_rfc3339(), "2026-11-03T00:00:00+00:00");
        let s = sub(
            r#"{"creationDate":"2026-11-01T10:00:00Z","billingCycle":"monthly","refundOptions":[{"type":"Full","expiresAt":"2026-11-02T10:00:00Z"}]}"#,
        );
        assert_eq!(
            deadline(&s, &p).unwrap().source,
            DeadlineSource::RefundOptions
        );
    }

    #[test]
    fn computed_from_policy_when_fields_are_missing() {
        let p = CancellationPolicy::default();
        let monthly = sub(
            r#"{"creationDate":"2026-12-31T20:00:00Z","billingCycle":"monthly","termDuration":"P1M"}"#,
        );
        let d = deadline(&monthly, &p).unwrap();
        assert_eq!(d.at.to_rfc3339(), "2027-01-01T20:00:00+00:00");
        assert!(matches!(d.source, DeadlineSource::Policy(ref s) if s.contains("24 hours")));
        let annual = sub(
            r#"{"creationDate":"2026-02-20T08:00:00Z","billingCycle":"annual","termDuration":"P1Y"}"#,
        );
        assert_eq!(
            deadline(&annual, &p).unwrap().at.to_rfc3339(),
            "2026-03-06T08:00:00+00:00"
        );
        assert!(deadline(&sub(r#"{"billingCycle":"monthly"}"#), &p).is_none());
    }

    #[test]
    fn policy_is_data_and_can_be_overridden() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            CancellationPolicy::load(dir.path()).unwrap().monthly_hours,
            24
        );
        std::fs::write(
            dir.path().join("cancellation_policy.json"),
            r#"{"monthlyHours":72,"annualHours":72,"source":"72-hour rule"}"#,
        )
        .unwrap();
        let p = CancellationPolicy::load(dir.path()).unwrap();
        assert_eq!((p.monthly_hours, p.source.as_str()), (72, "72-hour rule"));
        std::fs::write(dir.path().join("cancellation_policy.json"), "{").unwrap();
        assert!(CancellationPolicy::load(dir.path())
            .unwrap_err()
            .to_string()
            .contains("cancellation_policy.json"));
    }
}
