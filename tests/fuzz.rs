//! Property-based fuzzing of the parsers that read outside input: the price-sheet CSV reader, the
//! Partner Center JSON models, and the three error shapes. No input may panic; sizes are bounded.
//!
//! Each target runs for `FUZZ_SECONDS` (default 2, so a plain `cargo test` stays quick; CI sets
//! 30). Inputs that once crashed are kept as regression cases at the bottom.

use std::time::{Duration, Instant};

use cspdesk_core::error::Service;
use cspdesk_core::partner_center::client::map_error;
use cspdesk_core::partner_center::json::decode;
use cspdesk_core::partner_center::models::*;
use cspdesk_core::pricelist::sheet;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn budget() -> Duration {
    Duration::from_secs(
        std::env::var("FUZZ_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2),
    )
}

/// Run `test` on inputs from `strategy` until the time budget is spent.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) + Copy)
where
    S::Value: std::fmt::Debug,
{
    let started = Instant::now();
    let mut cases = 0u64;
    let mut batch = 0u8;
    while started.elapsed() < budget() {
        // A fresh runner per batch: a runner counts its cases once, and a new seed widens the search.
        let mut seed: [u8; 32] = rand_seed();
        seed[31] ^= batch;
        batch = batch.wrapping_add(1);
        let mut runner = TestRunner::new_with_rng(
            Config {
                cases: 64,
                failure_persistence: None,
                ..Config::default()
            },
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
        );
        let r = runner.run(&strategy, |v| {
            test(v);
            Ok(())
        });
        if let Err(e) = r {
            panic!("{name}: {e}");
        }
        cases += 64;
    }
    eprintln!("{name}: {cases} cases in {:?}", started.elapsed());
}

fn rand_seed() -> [u8; 32] {
    let mut s = [0u8; 32];
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    for (i, b) in s.iter_mut().enumerate() {
        *b = (t >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(31);
    }
    s
}

/// The sandbox's documented header, with the typographic quote the documented sample closes
/// its last name with, and a column this version does not know.
fn columns() -> Vec<&'static str> {
    let header = cspdesk_sandbox::PRICE_SHEET_HEADER;
    let mut cols = header[..header.len() - 1].to_vec();
    cols.extend(["ERP Price“", "Surprise"]);
    cols
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Z0-9]{1,12}",
        "-?[0-9]{1,6}(\\.[0-9]{1,4})?",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}:[0-9]{2} (AM|PM)",
        "\\PC{0,40}",
        Just("\"".to_string()),
        Just("NaN".to_string()),
        Just("1e999".to_string()),
    ]
}

fn csv_doc() -> impl Strategy<Value = String> {
    (
        proptest::sample::subsequence(columns(), 0..columns().len()),
        proptest::collection::vec(proptest::collection::vec(field(), 0..22), 0..30),
    )
        .prop_map(|(cols, rows)| {
            let mut s = cols
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(",");
            for r in rows {
                s.push('\n');
                s.push_str(
                    &r.iter()
                        .map(|f| {
                            if f.contains(',') || f.contains('"') {
                                format!("\"{}\"", f.replace('"', "\"\""))
                            } else {
                                f.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                );
            }
            s
        })
}

#[test]
fn fuzz_price_sheet_csv_reader() {
    fuzz(
        "price sheet",
        prop_oneof![csv_doc(), "\\PC{0,400}".prop_map(|s| s)],
        |doc| {
            let strict = sheet::parse(doc.as_bytes(), "GB", false);
            if let Ok(skipping) = sheet::parse(doc.as_bytes(), "GB", true) {
                for r in &skipping.rows {
                    assert!(r.unit_price.is_finite() && r.unit_price >= 0.0, "{r:?}");
                    assert!(!r.product_id.is_empty() && !r.sku_id.is_empty());
                }
                if strict.is_ok() {
                    assert!(skipping.bad_rows.is_empty());
                }
            }
            let _ = sheet::unpack(doc.as_bytes());
        },
    );
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,20}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("2026-11-21T10:00:00.1234567Z")),
        Just(serde_json::Value::from("monthly")),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("items".to_string()),
                    Just("status".to_string()),
                    Just("billingCycle".to_string()),
                    Just("Quantity".to_string()),
                    Just("terms".to_string()),
                    Just("lineItems".to_string()),
                    Just("continuationToken".to_string()),
                    Just("creationDate".to_string()),
                    Just("unitPrice".to_string()),
                    Just("code".to_string()),
                    Just("error".to_string()),
                    "[a-zA-Z]{1,12}"
                ],
                inner,
                0..8
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn decode_all(bytes: &[u8]) {
    let _ = decode::<Collection<Customer>>(bytes, "customers");
    let _ = decode::<Customer>(bytes, "customer");
    let _ = decode::<Collection<Product>>(bytes, "products");
    let _ = decode::<Collection<Sku>>(bytes, "skus");
    let _ = decode::<Collection<Availability>>(bytes, "availabilities");
    let _ = decode::<Cart>(bytes, "cart");
    let _ = decode::<CartCheckoutResult>(bytes, "checkout");
    let _ = decode::<Collection<Order>>(bytes, "orders");
    let _ = decode::<Collection<Subscription>>(bytes, "subscriptions");
    let _ = decode::<Collection<Invoice>>(bytes, "invoices");
    let _ = decode::<Collection<InvoiceLineItem>>(bytes, "lines");
    let _ = decode::<Collection<ActivationLink>>(bytes, "links");
}

#[test]
fn fuzz_partner_center_json_models() {
    fuzz("json models", json_value(), |v| {
        let text = v.to_string();
        decode_all(text.as_bytes());
        // and a truncated copy: malformed JSON
        decode_all(&text.as_bytes()[..text.len() / 2]);
    });
}

#[test]
fn fuzz_error_shapes() {
    fuzz(
        "error shapes",
        (
            prop_oneof![
                Just(400u16),
                Just(401),
                Just(403),
                Just(404),
                Just(429),
                Just(500),
                Just(503),
                100u16..600
            ],
            json_value(),
            "\\PC{0,200}",
        ),
        |(status, v, raw)| {
            for body in [v.to_string(), raw] {
                let e = map_error(
                    Service::PartnerCenter,
                    "GET /v1/x",
                    status,
                    None,
                    &reqwest::header::HeaderMap::new(),
                    body.as_bytes(),
                );
                assert!(!e.to_string().is_empty());
            }
        },
    );
}

fn settings_doc() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("connection = \"partner-center\"".to_string()),
        Just("connection = \"sandbox\"".to_string()),
        "connection = \"\\PC{0,12}\"",
        "tenant_id = \"[a-z0-9.-]{0,30}\"",
        "client_id = \"[0-9a-f-]{0,40}\"",
        "markets = \\[(\"[A-Za-z]{0,3}\", ?){0,4}\\]",
        "export_dir = \"\\PC{0,30}\"",
        Just("[endpoints]".to_string()),
        "partner_center = \"(https?|ftp)://[a-z0-9.:]{0,30}/?\"",
        "authority = \"\\PC{0,30}\"",
        Just("[updates]".to_string()),
        "check_automatically = (true|false|[0-9]{1,3})",
        "feed = \"(https?|ftp|file)://[a-z0-9.:]{0,30}/?[a-z.]{0,12}\"",
        "[a-z_]{1,12} = [0-9]{1,5}",
        "\\PC{0,40}",
    ];
    proptest::collection::vec(line, 0..12).prop_map(|l| l.join("\n"))
}

#[test]
fn fuzz_settings_file() {
    fuzz("settings", settings_doc(), |doc| {
        match cspdesk_core::settings::Settings::from_toml(&doc) {
            Ok(s) => {
                // A file that parses renders back to one that parses to the same settings.
                let again = cspdesk_core::settings::Settings::from_toml(&s.render());
                assert!(
                    again.is_ok(),
                    "rendered settings do not parse: {:?}\n{}",
                    again.err(),
                    s.render()
                );
                let _ = s.validate();
                let _ = s.endpoints();
            }
            Err(problem) => assert!(!format!("{problem:?}").is_empty()),
        }
    });
}

/// Inputs that crashed an earlier version, kept as regression cases.
#[test]
fn regressions() {
    let header_with_typographic_quote = "\"ProductId\",\"SkuId\",\"UnitPrice“\nP,1,2\n";
    let _ = sheet::parse(header_with_typographic_quote.as_bytes(), "US", true);
    let _ = sheet::parse(b"\xEF\xBB\xBF", "US", true);
    decode_all(b"{\"items\":[{\"Id\":1,\"id\":\"x\"}]}");
}
