//! The retry policy, as a value with tests.
//!
//! - 429: wait as `Retry-After` says (seconds or an HTTP date), up to `max_retry_after`; with no
//!   header, back off. A 429 means the server did not process the call, so it is retried for
//!   reads and writes alike.
//! - 5xx and connection errors: capped, jittered exponential backoff — for reads, and for writes
//!   only when they carry an `MS-RequestId` the server de-duplicates on (Partner Center writes).
//! - Everything else is final.

use std::time::{Duration, SystemTime};

/// What a single attempt ended with, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// HTTP status with the parsed `Retry-After`, if any.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// Connect failure, timeout, or a connection dropped before a full answer arrived.
    Transport,
}

/// Whether a call may be repeated without risk of applying it twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// GET and other reads.
    Read,
    /// A write the server de-duplicates by `MS-RequestId`.
    IdempotentWrite,
    /// A write with no such guarantee: only retried when the server says it did not process it (429).
    UnsafeWrite,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// First backoff; doubles each attempt.
    pub base_delay: Duration,
    /// Cap on one backoff.
    pub max_delay: Duration,
    /// Longest `Retry-After` the client will sit out; longer ones become an error the user sees.
    pub max_retry_after: Duration,
    /// Full jitter on backoffs (not on `Retry-After`).
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(120),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Default::default()
        }
    }

    /// How long to wait before attempt `attempt + 1` (attempts count from 1), or `None` to stop.
    /// `rand01` is a uniform sample in [0, 1) used for jitter, passed in so tests are exact.
    pub fn next_delay(
        &self,
        attempt: u32,
        outcome: Outcome,
        safety: Safety,
        rand01: f64,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let retryable = match outcome {
            Outcome::Status { status: 429, .. } => true,
            Outcome::Status { status, .. } if status >= 500 || status == 408 => {
                safety != Safety::UnsafeWrite
            }
            Outcome::Status { .. } => false,
            Outcome::Transport => safety != Safety::UnsafeWrite,
        };
        if !retryable {
            return None;
        }
        if let Outcome::Status {
            status: 429,
            retry_after: Some(wait),
        } = outcome
        {
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (attempt - 1).min(16));
        let capped = exp.min(self.max_delay);
        Some(if self.jitter {
            capped
                .mul_f64(rand01.clamp(0.0, 1.0))
                .max(Duration::from_millis(10))
        } else {
            capped
        })
    }
}

/// Parse a `Retry-After` value: delta-seconds or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(s: u16) -> Outcome {
        Outcome::Status {
            status: s,
            retry_after: None,
        }
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        assert_eq!(parse_retry_after("57", now), Some(Duration::from_secs(57)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn honours_retry_after_for_any_call() {
        let p = RetryPolicy::default();
        let o = Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(3)),
        };
        for safety in [Safety::Read, Safety::IdempotentWrite, Safety::UnsafeWrite] {
            assert_eq!(
                p.next_delay(1, o, safety, 0.5),
                Some(Duration::from_secs(3))
            );
        }
    }

    #[test]
    fn too_long_retry_after_gives_up() {
        let p = RetryPolicy {
            max_retry_after: Duration::from_secs(10),
            ..Default::default()
        };
        let o = Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(11)),
        };
        assert_eq!(p.next_delay(1, o, Safety::Read, 0.5), None);
    }

    #[test]
    fn server_errors_retry_reads_and_idempotent_writes_only() {
        let p = RetryPolicy {
            jitter: false,
            ..Default::default()
        };
        assert!(p.next_delay(1, status(503), Safety::Read, 0.0).is_some());
        assert!(p
            .next_delay(1, Outcome::Transport, Safety::IdempotentWrite, 0.0)
            .is_some());
        assert_eq!(p.next_delay(1, status(500), Safety::UnsafeWrite, 0.0), None);
        assert_eq!(
            p.next_delay(1, Outcome::Transport, Safety::UnsafeWrite, 0.0),
            None
        );
    }

    #[test]
    fn client_errors_are_final() {
        let p = RetryPolicy::default();
        for s in [400, 401, 403, 404, 409] {
            assert_eq!(p.next_delay(1, status(s), Safety::Read, 0.5), None, "{s}");
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            jitter: false,
            max_attempts: 10,
            ..Default::default()
        };
        let d: Vec<_> = (1..6)
            .map(|a| {
                p.next_delay(a, status(500), Safety::Read, 0.0)
                    .unwrap()
                    .as_millis()
            })
            .collect();
        assert_eq!(d, vec![100, 200, 400, 500, 500]);
    }

    #[test]
    fn jitter_stays_within_the_cap() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            ..Default::default()
        };
        let d = p.next_delay(2, status(502), Safety::Read, 0.5).unwrap();
        assert_eq!(d, Duration::from_millis(100));
        let low = p.next_delay(2, status(502), Safety::Read, 0.0).unwrap();
        assert_eq!(low, Duration::from_millis(10));
    }

    #[test]
    fn attempts_are_capped() {
        let p = RetryPolicy {
            max_attempts: 3,
            ..Default::default()
        };
        assert!(p.next_delay(2, status(500), Safety::Read, 0.5).is_some());
        assert_eq!(p.next_delay(3, status(500), Safety::Read, 0.5), None);
    }
}
