//! Partner API price sheet: `GET /v1.0/sales/pricesheets(Market='US',PricesheetView='marketplace')/$value`
//! (reference §8). Answers a CSV of every SaaS plan sold in the market at the sandbox day's
//! prices, or a zip holding it when the client accepts `deflate`, as the real API does.
//!
//! A sheet is built once per market, day and encoding and kept ready ([`SheetCache`]), so a
//! client's download measures the client, not the sandbox. Test switches (see
//! [`super::faults::FaultSpec`]) shuffle the rows, spoil one line's price, or cut the answer off
//! halfway.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use bytes::Bytes;
use chrono::{Datelike, NaiveDate};
use std::collections::VecDeque;
use std::sync::Mutex;

use super::data::{market_index, mix, MARKETS};
use super::http::{error_obj, Query};
use super::products::{Catalog, Kind, F_PC};
use super::Shared;

/// The documented columns, in the documented order.
pub use cspdesk_client::api::PRICE_SHEET_HEADER as HEADER;

const VIEWS: &[&str] = &[
    "azure_consumption",
    "azure_reservations",
    "updatedlicensebased",
    "licensebasedeos",
    "marketplace",
    "software",
];

fn bad(msg: &str) -> Response {
    error_obj(StatusCode::BAD_REQUEST, "invalidRequest", msg)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `pricesheets(Market='US',PricesheetView='marketplace')/$value` → (market, view).
fn parse_path(path: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix("/v1.0/sales/")?;
    let lower = rest.to_ascii_lowercase();
    let inner_start = lower.strip_prefix("pricesheets(")?.len();
    let inner = &rest[rest.len() - inner_start..];
    let close = inner.find(')')?;
    if !inner[close + 1..].eq_ignore_ascii_case("/$value") {
        return None;
    }
    let (mut market, mut view) = (None, None);
    for part in inner[..close].split(',') {
        let (k, v) = part.split_once('=')?;
        let v = v.trim().trim_matches('\'').to_string();
        match k.trim().to_ascii_lowercase().as_str() {
            "market" => market = Some(v),
            "pricesheetview" => view = Some(v),
            _ => return None,
        }
    }
    Some((market?, view?))
}

fn us_date(d: NaiveDate) -> String {
    format!("{}/{}/{} 12:00:00 AM", d.month(), d.day(), d.year())
}

/// The CSV for one market and day.
/// ASSUMPTION: `UnitPrice` is the price of one charge of the billing plan (monthly amount for
/// `Monthly`, yearly amount for `Annual`), `ERP Price` equals it (no documented marketplace
/// margin), `Tags` is `SaaS` (`Trial` on zero-price trial rows), dates are the day the price
/// took effect and `12/31/9999 11:59:59 PM`.
/// The test switches: `bad_line` gets an unreadable price, `unsorted` shuffles the rows
/// (the same way every time), `without` leaves that column out.
fn sheet_csv(
    cat: &Catalog,
    market: usize,
    day: NaiveDate,
    bad_line: Option<u64>,
    unsorted: bool,
    without: Option<&str>,
) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    if let Some(name) = without {
        let drop = HEADER.iter().position(|h| h.eq_ignore_ascii_case(name));
        let keep = |r: &[&str]| -> Vec<String> {
            r.iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != drop)
                .map(|(_, f)| f.to_string())
                .collect()
        };
        let _ = w.write_record(keep(&HEADER));
        rows(cat, market, day, &mut |r| {
            let _ = w.write_record(keep(r));
        });
        return w.into_inner().unwrap_or_default();
    }
    let _ = w.write_record(HEADER);
    if bad_line.is_none() && !unsorted {
        rows(cat, market, day, &mut |r| {
            let _ = w.write_record(r);
        });
        return w.into_inner().unwrap_or_default();
    }
    let mut all: Vec<Vec<String>> = Vec::new();
    rows(cat, market, day, &mut |r| {
        all.push(r.iter().map(|f| f.to_string()).collect())
    });
    if unsorted {
        let mut keyed: Vec<(u64, Vec<String>)> = all
            .into_iter()
            .enumerate()
            .map(|(i, r)| (mix(i as u64, 77), r))
            .collect();
        keyed.sort_by_key(|(k, _)| *k);
        all = keyed.into_iter().map(|(_, r)| r).collect();
    }
    for (i, mut r) in all.into_iter().enumerate() {
        // Line 1 is the header; the first row is line 2.
        if bad_line == Some(i as u64 + 2) {
            r[11] = "twelve".into();
        }
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// Every row of a market's sheet, in catalog order.
fn rows(cat: &Catalog, market: usize, day: NaiveDate, emit: &mut dyn FnMut(&[&str])) {
    let m = &MARKETS[market];
    for (i, p) in cat.products.iter().enumerate() {
        if p.kind != Kind::SaaS
            || p.flags & F_PC == 0
            || !Catalog::sold_in(p, market)
            || !cat.present(i, p, day)
        {
            continue;
        }
        let publisher = &cat.publisher(p).name;
        for sku in cat.listed_skus(p) {
            if sku.is_trial || (sku.trial && mix(p.seed, 999) & 1 == 0) {
                // Only about half the trial terms get their zero-price row: clients must cope.
                // A trial SKU's zero row is its only price.
                let since = us_date(day - chrono::Duration::days(30));
                emit(&[
                    p.title.as_str(),
                    &p.id,
                    &sku.id,
                    sku.title,
                    publisher,
                    &sku.description,
                    "",
                    "P1M",
                    "None",
                    m.code,
                    m.currency,
                    "0",
                    "",
                    "",
                    &since,
                    "12/31/9999 11:59:59 PM",
                    "Trial",
                    "0",
                ]);
            }
            for t in &sku.terms {
                let (price, since) = cat.price(p, &sku, *t, market, day);
                let price = price.to_string();
                let since = us_date(since);
                emit(&[
                    p.title.as_str(),
                    &p.id,
                    &sku.id,
                    sku.title,
                    publisher,
                    &sku.description,
                    "",
                    t.duration(),
                    t.billing(),
                    m.code,
                    m.currency,
                    &price,
                    "",
                    "",
                    &since,
                    "12/31/9999 11:59:59 PM",
                    "SaaS",
                    &price,
                ]);
            }
        }
    }
}

/// Built sheets by market, day, encoding and test switches; the oldest go first past
/// [`SheetCache::KEEP`].
#[derive(Default)]
pub(crate) struct SheetCache {
    built: Mutex<VecDeque<(SheetKey, Bytes)>>,
}

type SheetKey = (usize, NaiveDate, bool, Option<u64>, bool, Option<String>);

impl SheetCache {
    const KEEP: usize = 48;

    fn get(&self, key: &SheetKey) -> Option<Bytes> {
        let built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        built.iter().find(|(k, _)| k == key).map(|(_, b)| b.clone())
    }

    fn put(&self, key: SheetKey, body: Bytes) {
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if built.iter().any(|(k, _)| *k == key) {
            return;
        }
        if built.len() >= Self::KEEP {
            built.pop_front();
        }
        built.push_back((key, body));
    }
}

fn zip(csv: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("pricesheet.csv", opts).ok()?;
    z.write_all(csv).ok()?;
    Some(z.finish().ok()?.into_inner())
}

/// `GET /v1.0/sales/pricesheets(Market='..',PricesheetView='..')/$value[?timeline=&month=]`.
pub(crate) async fn get(
    State(app): State<Shared>,
    uri: Uri,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let path = percent_decode(uri.path());
    let Some((market, view)) = parse_path(&path) else {
        return error_obj(StatusCode::NOT_FOUND, "itemNotFound", "Unknown Partner API resource; expected pricesheets(Market='..',PricesheetView='..')/$value");
    };
    let Some(mi) = market_index(&market) else {
        return bad(&format!("Market '{market}' is not a valid market."));
    };
    if !VIEWS.iter().any(|v| v.eq_ignore_ascii_case(&view)) {
        return bad(&format!("PricesheetView '{view}' is not a valid view."));
    }
    if !view.eq_ignore_ascii_case("marketplace") {
        // ASSUMPTION: the sandbox only serves the marketplace view.
        return bad(&format!(
            "PricesheetView '{view}' is not available in the sandbox; use 'marketplace'."
        ));
    }
    let q = Query::parse(raw.as_deref());
    let today = app.clock.now().date_naive();
    let day = match q.get("timeline").map(str::to_ascii_lowercase).as_deref() {
        None | Some("current") => today,
        Some("future") => return bad("Marketplace does not support future pricing."),
        Some("history") => {
            let month = q.get("month").unwrap_or("");
            let parsed = month
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .zip(month.get(4..6).and_then(|m| m.parse::<u32>().ok()))
                .filter(|_| month.len() == 6)
                .and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1));
            match parsed {
                Some(d) if d <= today => d,
                _ => {
                    return bad("month must be YYYYMM and not in the future when timeline=history.")
                }
            }
        }
        Some(_) => return bad("timeline must be current, history or future."),
    };
    let wants_zip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("deflate"));
    let (cut_off, bad_line, unsorted) = app.faults.price_sheet();
    let without = app
        .sheet_without_column
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let key: SheetKey = (mi, day, wants_zip, bad_line, unsorted, without.clone());
    let body = match app.sheets.get(&key) {
        Some(body) => body,
        None => {
            let app2 = app.clone();
            let built = tokio::task::spawn_blocking(move || {
                let body = sheet_csv(&app2.cat, mi, day, bad_line, unsorted, without.as_deref());
                if wants_zip {
                    zip(&body)
                } else {
                    Some(body)
                }
            })
            .await;
            let Ok(Some(body)) = built else {
                return error_obj(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "generalException",
                    "The price sheet could not be produced.",
                );
            };
            let body = Bytes::from(body);
            app.sheets.put(key, body.clone());
            body
        }
    };
    let body = if cut_off {
        // Half the sheet, then the connection drops.
        let half = body.slice(..body.len() / 2);
        let parts: Vec<std::result::Result<Bytes, std::io::Error>> = vec![
            Ok(half),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "sandbox: price sheet cut off (sheet-drop)",
            )),
        ];
        // The error waits a moment, so the headers and the first half are on the wire first.
        let parts = futures::StreamExt::then(futures::stream::iter(parts), |part| async move {
            if part.is_err() {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            part
        });
        axum::body::Body::from_stream(parts)
    } else {
        axum::body::Body::from(body)
    };
    let mut resp = Response::new(body);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    let name = if wants_zip {
        "attachment; filename=pricesheet.zip"
    } else {
        "attachment; filename=pricesheet"
    };
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(name));
    if let Some(v) = headers.get("client-request-id") {
        h.insert("client-request-id", v.clone());
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_price_sheet_paths() {
        assert_eq!(
            parse_path("/v1.0/sales/pricesheets(Market='us',PricesheetView='Marketplace')/$value"),
            Some(("us".into(), "Marketplace".into()))
        );
        assert_eq!(
            parse_path("/v1.0/sales/pricesheets(market='US')/$value"),
            None
        );
        assert_eq!(
            parse_path("/v1.0/sales/fxrates(Month='202401')/$value"),
            None
        );
        assert_eq!(percent_decode("a%27b%2"), "a'b%2");
    }
}
