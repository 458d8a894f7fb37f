//! Injected failures: latency, rate limiting, random 429s and 5xx, and dropped connections.
//!
//! Clients must survive what the real services do under load, so the sandbox can be told to
//! misbehave on purpose. [`FaultSpec`] is the parsed description (scripts write it as
//! `latency=0-200ms,rate=500/s,429=10%,5xx=5%,drop-after-commit=2%`), [`Faults`] the runtime
//! state, and [`layer`] the middleware applied to every API route (not to the publisher pages).

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;

use super::http::{service_error, Svc};
use super::Shared;

/// Which failures to inject. `Default` injects none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultSpec {
    /// Added delay, uniform in `[min, max]`.
    pub latency: Option<(Duration, Duration)>,
    /// Token-bucket limit in requests per second (burst ≈ max(1, N/10)); excess gets 429.
    pub rate_per_sec: Option<u32>,
    /// Share of API calls (0–100) answered 429 at random.
    pub throttle_pct: f64,
    /// Every N-th API call is answered 429.
    pub throttle_every: Option<u32>,
    /// Share of API calls (0–100) answered 500/503 before the handler runs.
    pub server_error_pct: f64,
    /// Share of writes (0–100) whose connection is dropped after the change was committed.
    pub drop_after_commit_pct: f64,
    /// Price sheets: the next N answers are cut off halfway through the body.
    pub sheet_drops: u32,
    /// Price sheets: the row on this line (the header is line 1) carries an unreadable price.
    pub sheet_bad_line: Option<u64>,
    /// Price sheets: rows come in a shuffled order instead of product by product.
    pub sheet_unsorted: bool,
}

/// Counters of what the sandbox did.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct FaultStats {
    pub requests: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub dropped: u64,
    pub deduplicated_writes: u64,
}

fn bad(part: &str, why: &str) -> crate::Error {
    crate::Error::Invalid(format!("fault spec: `{part}`: {why}"))
}

fn parse_duration(part: &str, s: &str) -> crate::Result<Duration> {
    let s = s.trim();
    let (num, mult) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| bad(part, "expected a duration like 20ms or 0-200ms"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(bad(part, "a duration must be zero or more"));
    }
    Ok(Duration::from_micros((v * mult * 1000.0) as u64))
}

fn parse_pct(part: &str, s: &str) -> crate::Result<f64> {
    let n = s.trim().strip_suffix('%').unwrap_or(s.trim());
    let v: f64 = n
        .trim()
        .parse()
        .map_err(|_| bad(part, "expected a percentage like 10%"))?;
    if !(0.0..=100.0).contains(&v) {
        return Err(bad(part, "a percentage must be between 0 and 100"));
    }
    Ok(v)
}

impl FromStr for FaultSpec {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<FaultSpec> {
        let mut spec = FaultSpec::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                bad(
                    part,
                    "expected key=value (latency, rate, 429, 429-every, 5xx, drop-after-commit)",
                )
            })?;
            match key.trim().to_ascii_lowercase().as_str() {
                "latency" => {
                    let value = value.trim();
                    // "0-200ms": the unit on the upper bound applies to both.
                    let (lo, hi) = match value.split_once('-') {
                        Some((lo, hi)) => {
                            let unit = hi.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
                            let lo = if lo.trim_end().ends_with('s') { lo.to_string() } else { format!("{lo}{unit}") };
                            (parse_duration(part, &lo)?, parse_duration(part, hi)?)
                        }
                        None => {
                            let d = parse_duration(part, value)?;
                            (d, d)
                        }
                    };
                    if lo > hi {
                        return Err(bad(part, "the lower latency bound is above the upper one"));
                    }
                    spec.latency = Some((lo, hi));
                }
                "rate" => {
                    let n = value.trim();
                    let n = n.strip_suffix("/s").unwrap_or(n);
                    let v: u32 = n.trim().parse().map_err(|_| bad(part, "expected a rate like 500/s"))?;
                    if v == 0 {
                        return Err(bad(part, "the rate must be at least 1/s"));
                    }
                    spec.rate_per_sec = Some(v);
                }
                "429" => spec.throttle_pct = parse_pct(part, value)?,
                "429-every" => {
                    let v: u32 = value.trim().parse().map_err(|_| bad(part, "expected a whole number like 5"))?;
                    if v == 0 {
                        return Err(bad(part, "429-every must be at least 1"));
                    }
                    spec.throttle_every = Some(v);
                }
                "5xx" => spec.server_error_pct = parse_pct(part, value)?,
                "drop-after-commit" => spec.drop_after_commit_pct = parse_pct(part, value)?,
                "sheet-drop" => {
                    spec.sheet_drops = value.trim().parse().map_err(|_| bad(part, "expected a whole number like 1"))?;
                }
                "sheet-bad-line" => {
                    let v: u64 = value.trim().parse().map_err(|_| bad(part, "expected a line number like 100"))?;
                    if v < 2 {
                        return Err(bad(part, "line 1 is the header: name line 2 or later"));
                    }
                    spec.sheet_bad_line = Some(v);
                }
                "sheet-unsorted" => {
                    spec.sheet_unsorted = matches!(value.trim(), "1" | "true" | "yes" | "on");
                }
                other => {
                    return Err(bad(
                        part,
                        &format!("unknown fault `{other}` (expected latency, rate, 429, 429-every, 5xx, drop-after-commit, sheet-drop, sheet-bad-line, sheet-unsorted)"),
                    ))
                }
            }
        }
        Ok(spec)
    }
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Runtime fault state shared by all requests.
pub(crate) struct Faults {
    spec: RwLock<FaultSpec>,
    bucket: Mutex<Bucket>,
    calls: AtomicU64,
    pub requests: AtomicU64,
    pub throttled: AtomicU64,
    pub server_errors: AtomicU64,
    pub dropped: AtomicU64,
    pub deduplicated: AtomicU64,
}

impl Faults {
    pub fn new(spec: FaultSpec) -> Faults {
        Faults {
            spec: RwLock::new(spec),
            bucket: Mutex::new(Bucket {
                tokens: f64::MAX,
                last: Instant::now(),
            }),
            calls: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            server_errors: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            deduplicated: AtomicU64::new(0),
        }
    }

    pub fn set(&self, spec: FaultSpec) {
        if let Ok(mut s) = self.spec.write() {
            *s = spec;
        }
        if let Ok(mut b) = self.bucket.lock() {
            b.tokens = f64::MAX;
        }
        self.calls.store(0, Ordering::Relaxed);
    }

    fn spec(&self) -> FaultSpec {
        self.spec.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// The price-sheet switches: whether to cut this answer off (counting it against
    /// `sheet-drop`), the line to spoil, and whether to shuffle the rows.
    pub fn price_sheet(&self) -> (bool, Option<u64>, bool) {
        let Ok(mut spec) = self.spec.write() else {
            return (false, None, false);
        };
        let drop = spec.sheet_drops > 0;
        if drop {
            spec.sheet_drops -= 1;
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        (drop, spec.sheet_bad_line, spec.sheet_unsorted)
    }

    pub fn stats(&self) -> FaultStats {
        FaultStats {
            requests: self.requests.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            server_errors: self.server_errors.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            deduplicated_writes: self.deduplicated.load(Ordering::Relaxed),
        }
    }

    /// Token bucket: `Some(seconds to wait)` when empty.
    fn take_token(&self, rate: u32) -> Option<u64> {
        let Ok(mut b) = self.bucket.lock() else {
            return None;
        };
        let burst = f64::from((rate / 10).max(1));
        let now = Instant::now();
        let refill = now.duration_since(b.last).as_secs_f64() * f64::from(rate);
        b.tokens = (b.tokens.min(burst) + refill).min(burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            None
        } else {
            let wait = (1.0 - b.tokens) / f64::from(rate);
            Some((wait.ceil() as u64).clamp(1, 3600))
        }
    }
}

/// The throttling gateway's 429: `Retry-After` plus `{statusCode, message}`.
pub(crate) fn throttled(secs: u64) -> Response {
    let secs = secs.max(1);
    let body = serde_json::json!({
        "statusCode": 429,
        "message": format!("Rate limit is exceeded. Try again in {secs} seconds."),
    });
    let mut resp = super::http::json(StatusCode::TOO_MANY_REQUESTS, &body);
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        resp.headers_mut().insert("retry-after", v);
    }
    resp
}

fn pct_hit(pct: f64) -> bool {
    pct > 0.0 && rand::thread_rng().gen::<f64>() * 100.0 < pct
}

/// Middleware over the API routes.
pub(crate) async fn layer(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let f = &app.faults;
    f.requests.fetch_add(1, Ordering::Relaxed);
    let spec = f.spec();
    let svc = Svc::of(req.uri().path());
    if let Some((lo, hi)) = spec.latency {
        let d = if hi > lo {
            rand::thread_rng().gen_range(lo..=hi)
        } else {
            lo
        };
        tokio::time::sleep(d).await;
    }
    if let Some(rate) = spec.rate_per_sec.filter(|r| *r > 0) {
        if let Some(wait) = f.take_token(rate) {
            f.throttled.fetch_add(1, Ordering::Relaxed);
            return throttled(wait);
        }
    }
    let n = f.calls.fetch_add(1, Ordering::Relaxed) + 1;
    let every = spec
        .throttle_every
        .filter(|e| *e > 0)
        .is_some_and(|e| n.is_multiple_of(u64::from(e)));
    if every || pct_hit(spec.throttle_pct) {
        f.throttled.fetch_add(1, Ordering::Relaxed);
        return throttled(1);
    }
    if pct_hit(spec.server_error_pct) {
        f.server_errors.fetch_add(1, Ordering::Relaxed);
        let status = if rand::thread_rng().gen::<bool>() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        return service_error(svc, status, 800003, "Unexpected service error");
    }
    let write = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    let resp = next.run(req).await;
    if write && resp.status().is_success() && pct_hit(spec.drop_after_commit_pct) {
        f.dropped.fetch_add(1, Ordering::Relaxed);
        // The change is committed; now break the connection before any byte of the answer
        // is written: a body that fails at once makes hyper abort the connection.
        let (parts, _) = resp.into_parts();
        let broken = futures::stream::once(async {
            Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "drop-after-commit",
            ))
        });
        let mut parts = parts;
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from_stream(broken)).into_response();
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_spec() {
        let s: FaultSpec = "latency=0-200ms,rate=500/s,429=10%,5xx=5%,drop-after-commit=2%"
            .parse()
            .unwrap();
        assert_eq!(
            s.latency,
            Some((Duration::ZERO, Duration::from_millis(200)))
        );
        assert_eq!(s.rate_per_sec, Some(500));
        assert_eq!(s.throttle_pct, 10.0);
        assert_eq!(s.server_error_pct, 5.0);
        assert_eq!(s.drop_after_commit_pct, 2.0);
        assert_eq!(s.throttle_every, None);
    }

    #[test]
    fn parses_short_forms() {
        assert_eq!("".parse::<FaultSpec>().unwrap(), FaultSpec::default());
        let s: FaultSpec = " latency=20ms , 429-every=5 ".parse().unwrap();
        assert_eq!(
            s.latency,
            Some((Duration::from_millis(20), Duration::from_millis(20)))
        );
        assert_eq!(s.throttle_every, Some(5));
        let s: FaultSpec = "latency=1-2s".parse().unwrap();
        assert_eq!(
            s.latency,
            Some((Duration::from_secs(1), Duration::from_secs(2)))
        );
    }

    #[test]
    fn rejects_bad_parts_naming_them() {
        for bad in [
            "latency=abc",
            "rate=0/s",
            "429=150%",
            "5xx=x",
            "foo=1",
            "latency=200-100ms",
            "429-every=0",
            "nonsense",
        ] {
            let err = bad.parse::<FaultSpec>().unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, crate::Error::Invalid(_)), "{bad}");
            let key = bad.split('=').next().unwrap();
            assert!(msg.contains(key), "{msg} should name {key}");
        }
    }
}
