//! Invoices and their reconciliation line items (reference §9).
//!
//! Marketplace charges are billed per calendar month and invoiced on the 8th of the next
//! month. Invoices and their `OneTimeInvoiceLineItem` rows are computed on request from the
//! subscriptions in the state (their activation, billing cycle, end) and the day's catalog
//! price, so they always agree with what the partner bought. Amounts are in USD.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

use super::data::round_price;
use super::http::{
    self, continuation, decode_token, encode_token, invalid_input, link, pc_error, Query,
};
use super::products::Term;
use super::state::SubRec;
use super::subscriptions::add_months;
use super::{App, Shared};

const DEFAULT_SIZE: usize = 2000;

fn month_start(y: i32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// Start of the month `back` months before the one containing `now`.
pub(crate) fn month_back(now: DateTime<Utc>, back: i32) -> DateTime<Utc> {
    let idx = now.year() * 12 + now.month0() as i32 - back;
    month_start(idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

pub(crate) struct Invoice {
    pub id: String,
    pub start: DateTime<Utc>,
    date: DateTime<Utc>,
}

impl Invoice {
    pub fn end(&self) -> DateTime<Utc> {
        add_months(self.start, 1)
    }
}

fn invoices(app: &App) -> Vec<Invoice> {
    let now = app.clock.now();
    (1..=12)
        .map(|back| {
            let start = month_back(now, back);
            let next = add_months(start, 1);
            let date = Utc
                .with_ymd_and_hms(next.year(), next.month(), 8, 1, 22, 47)
                .single()
                .unwrap_or(next);
            let n = (app.cat.seed % 97) * 1_000_000
                + (start.year() as u64 * 12 + u64::from(start.month0())) % 1_000_000;
            Invoice {
                id: format!("G{n:09}"),
                start,
                date,
            }
        })
        .filter(|i| i.date <= now)
        .collect()
}

struct Charge {
    start: DateTime<Utc>,
    kind: &'static str,
    sign: f64,
}

/// Charges of one subscription up to `until`.
fn charges(s: &SubRec, until: DateTime<Utc>) -> Vec<Charge> {
    let Some(start) = s.activated else {
        return vec![];
    };
    if s.is_trial {
        return vec![Charge {
            start,
            kind: "New",
            sign: 0.0,
        }];
    }
    let Some(term) = Term::from_cart(&s.term_duration, &s.billing_cycle) else {
        return vec![];
    };
    let stop = s.ended.map_or(until, |e| e.min(until));
    let mut out = Vec::new();
    let mut k = 0;
    loop {
        let at = add_months(start, k * term.charge_months());
        if at > stop || k > 600 {
            break;
        }
        let kind = match k {
            0 => "New",
            _ if (k * term.charge_months()) % term.term_months() == 0 => "Renew",
            _ => "CycleCharge",
        };
        out.push(Charge {
            start: at,
            kind,
            sign: 1.0,
        });
        k += 1;
    }
    if let Some(e) = s
        .ended
        .filter(|e| s.status == "deleted" && *e <= s.cancel_until && *e <= until)
    {
        out.push(Charge {
            start: e,
            kind: "Cancel",
            sign: -1.0,
        });
    }
    out
}

fn row(app: &App, s: &SubRec, c: &Charge, invoice: &str) -> Option<Value> {
    let (_, p) = app.cat.pc_product(&s.product_id)?;
    let sku = app.cat.sku(p, &s.sku_id)?;
    let cust = app.cat.customer(&s.customer_id)?;
    let term = Term::from_cart(&s.term_duration, &s.billing_cycle);
    // A refund repeats the price of the first charge.
    let priced_on = if c.sign < 0.0 {
        s.activated.unwrap_or(c.start)
    } else {
        c.start
    };
    let unit = match term {
        Some(t) if c.sign != 0.0 => app.cat.usd_price(p, &sku, t, priced_on.date_naive()).0,
        _ => 0.0,
    };
    let months = term.map_or(1, Term::charge_months);
    let charge_end = add_months(c.start, months) - Duration::seconds(1);
    let subtotal = round_price(unit * f64::from(s.quantity) * c.sign, 2);
    let start = s.activated.unwrap_or(s.created);
    let end = add_months(start, term.map_or(1, Term::term_months)) - Duration::days(1);
    let mut v = json!({
        "partnerId": super::SANDBOX_TENANT_ID,
        "customerId": cust.id,
        "customerName": cust.company,
        "customerDomainName": cust.domain,
        "customerCountry": s.country,
        "invoiceNumber": invoice,
        "mpnId": "4848330",
        "resellerMpnId": 0,
        "orderId": s.order_id,
        "orderDate": http::ts(s.created),
        "productId": s.product_id,
        "skuId": s.sku_id,
        "availabilityId": s.availability_id,
        "productName": p.title,
        "skuName": sku.title,
        "productQualifiers": if s.is_trial { json!(["Trial"]) } else { json!([]) },
        "chargeType": c.kind,
    });
    let rest = json!({
        "unitPrice": unit,
        "effectiveUnitPrice": unit,
        "unitType": "",
        "quantity": s.quantity,
        "subtotal": subtotal,
        "taxTotal": 0,
        "totalForCustomer": subtotal,
        "currency": "USD",
        "publisherName": s.publisher_name,
        "publisherId": s.publisher_id,
        "subscriptionDescription": s.friendly_name,
        "subscriptionId": s.id,
        "subscriptionStartDate": http::ts(start),
        "subscriptionEndDate": http::ts(end),
        "chargeStartDate": http::ts(c.start),
        "chargeEndDate": http::ts(charge_end),
        "termAndBillingCycle": term.map_or("One-Month commitment for trial", Term::description),
        "alternateId": s.order_id.chars().take(12).collect::<String>(),
        "referenceId": "",
        "priceAdjustmentDescription": "",
        "discountDetails": "",
        "pricingCurrency": "USD",
        "pcToBCExchangeRate": 1,
        "pcToBCExchangeRateDate": http::ts(month_back(c.start, 0)),
        "billableQuantity": s.quantity,
        "meterDescription": "",
        "billingFrequency": match term { Some(Term::Y1Annual) => "Annual", Some(_) => "Monthly", None => "" },
        "reservationOrderId": "",
        "creditReasonCode": "",
        "invoiceLineItemType": "billing_line_items",
        "billingProvider": "one_time",
        "promotionId": "",
        "attributes": {"objectType": "OneTimeInvoiceLineItem"},
    });
    if let (Some(a), Value::Object(b)) = (v.as_object_mut(), rest) {
        a.extend(b);
    }
    Some(v)
}

/// Rows for charges starting in `[from, to)`, in a stable order.
pub(crate) fn rows(app: &App, from: DateTime<Utc>, to: DateTime<Utc>, invoice: &str) -> Vec<Value> {
    let now = app.clock.now();
    let subs: Vec<SubRec> = app.with_state(|st| st.subs.values().cloned().collect());
    let mut out: Vec<(DateTime<Utc>, String, &'static str, Value)> = Vec::new();
    for s in &subs {
        for c in charges(s, now.min(to)) {
            if c.start >= from && c.start < to {
                if let Some(v) = row(app, s, &c, invoice) {
                    out.push((c.start, s.id.clone(), c.kind, v));
                }
            }
        }
    }
    out.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    out.into_iter().map(|r| r.3).collect()
}

fn invoice_json(app: &App, inv: &Invoice, full: bool) -> Value {
    let total: f64 = rows(app, inv.start, inv.end(), &inv.id)
        .iter()
        .filter_map(|r| r["subtotal"].as_f64())
        .sum();
    let total = round_price(total, 2);
    let paid = if inv.date < app.clock.now() - Duration::days(30) {
        total
    } else {
        0.0
    };
    let last_day: NaiveDate = (inv.end() - Duration::days(1)).date_naive();
    let mut v = json!({
        "id": inv.id,
        "invoiceDate": http::ts(inv.date),
        "billingPeriodStartDate": http::ts(inv.start),
        "billingPeriodEndDate": format!("{last_day}T00:00:00Z"),
        "totalCharges": total,
        "paidAmount": paid,
        "currencyCode": "USD",
        "currencySymbol": "$",
        "taxReceipts": [],
        "invoiceDetails": [{
            "invoiceLineItemType": "billing_line_items",
            "billingProvider": "one_time",
            "links": {"self": link(format!("/invoices/OneTime-{}/lineitems/OneTime/BillingLineItems", inv.id))},
            "attributes": {"objectType": "InvoiceDetail"},
        }],
        "amendments": [],
        "documentType": "invoice",
        "invoiceType": "OneTime",
        "links": {"self": link(format!("/invoices/{}", inv.id))},
        "attributes": {"objectType": "Invoice"},
    });
    if full {
        v["pdfDownloadLink"] = json!(format!("/invoices/{}/documents/statement", inv.id));
    }
    v
}

/// `GET /v1/invoices`, newest first.
pub(crate) async fn list_invoices(State(app): State<Shared>) -> Response {
    let items = invoices(&app)
        .iter()
        .map(|i| invoice_json(&app, i, false))
        .collect();
    http::ok(&http::collection(items, "/invoices"))
}

pub(crate) fn find(app: &App, iid: &str) -> Result<Invoice, Response> {
    let id = iid.strip_prefix("OneTime-").unwrap_or(iid);
    invoices(app)
        .into_iter()
        .find(|i| i.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            pc_error(
                StatusCode::NOT_FOUND,
                1000,
                &format!("Invoice {iid} was not found."),
            )
        })
}

pub(crate) async fn get_invoice(State(app): State<Shared>, Path(iid): Path<String>) -> Response {
    match find(&app, &iid) {
        Ok(i) => http::ok(&invoice_json(&app, &i, true)),
        Err(r) => r,
    }
}

/// Shared paging for billed and unbilled rows; `Err` is a ready error answer.
fn page(
    q: &Query,
    headers: &HeaderMap,
    scope: &str,
    base_uri: &str,
    all: impl FnOnce() -> Vec<Value>,
) -> Response {
    let (offset, size) = if q.seek_next() {
        let Some(tok) = continuation(headers, q) else {
            return invalid_input("seekOperation=Next needs the MS-ContinuationToken header");
        };
        match decode_token(&tok).as_deref() {
            Some([kind, s, off, size]) if kind == "lines" && s == scope => (
                off.parse().unwrap_or(0),
                size.parse().unwrap_or(DEFAULT_SIZE),
            ),
            _ => return invalid_input("the continuation token is not valid"),
        }
    } else {
        match q.get("size").map(|s| s.trim().parse::<usize>()) {
            None | Some(Ok(0)) => (0, DEFAULT_SIZE),
            Some(Ok(n)) => (0, n.min(DEFAULT_SIZE)),
            Some(Err(_)) => return invalid_input("size must be a whole number"),
        }
    };
    let provider = q.get("provider").unwrap_or("");
    if !q.seek_next() && !provider.eq_ignore_ascii_case("onetime") {
        // ASSUMPTION: the sandbox bills marketplace only, under the `onetime` provider.
        return invalid_input("provider must be onetime");
    }
    let kind = q.get("invoicelineitemtype").unwrap_or("billinglineitems");
    let rows = if kind.eq_ignore_ascii_case("billinglineitems") {
        all()
    } else {
        vec![]
    };
    let items: Vec<Value> = rows.iter().skip(offset).take(size).cloned().collect();
    let end = offset + items.len();
    let self_uri = format!("{base_uri}&size={size}");
    let next = (end < rows.len()).then(|| {
        (
            format!("{self_uri}&seekoperation=Next"),
            encode_token(&["lines", scope, &end.to_string(), &size.to_string()]),
        )
    });
    let (v, token) = http::seek_collection(items, &self_uri, next);
    http::seek_response(&v, token)
}

/// `GET /v1/invoices/{id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=`.
pub(crate) async fn line_items(
    State(app): State<Shared>,
    Path(iid): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let inv = match find(&app, &iid) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let q = Query::parse(raw.as_deref());
    let base = format!(
        "/invoices/{}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems",
        inv.id
    );
    page(&q, &headers, &inv.id, &base, || {
        rows(&app, inv.start, inv.end(), &inv.id)
    })
}

/// `GET /v1/invoices/unbilled/lineitems?provider=onetime&…&currencycode=USD&period=current|previous`.
pub(crate) async fn unbilled_line_items(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let q = Query::parse(raw.as_deref());
    let (period, currency) = if q.seek_next() {
        // The period and currency travel in the token's scope.
        let scope = continuation(&headers, &q)
            .and_then(|t| decode_token(&t))
            .and_then(|f| f.get(1).cloned())
            .unwrap_or_default();
        let mut parts = scope.split(':').skip(1);
        match (parts.next(), parts.next()) {
            (Some(p), Some(c)) => (p.to_string(), c.to_string()),
            _ => return invalid_input("the continuation token is not valid"),
        }
    } else {
        let Some(period) = q.get("period").map(str::to_ascii_lowercase) else {
            return invalid_input("the period parameter is required (current or previous)");
        };
        let Some(currency) = q.get("currencycode").map(str::to_ascii_uppercase) else {
            return invalid_input("the currencyCode parameter is required");
        };
        (period, currency)
    };
    let back = match period.as_str() {
        "current" => 0,
        "previous" => 1,
        _ => return invalid_input("period must be current or previous"),
    };
    let from = month_back(app.clock.now(), back);
    let base = format!("/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode={currency}&period={period}");
    let scope = format!("unbilled:{period}:{currency}");
    // ASSUMPTION: the partner's billing currency is USD; other currencies have no rows.
    page(&q, &headers, &scope, &base, || {
        if currency == "USD" {
            rows(&app, from, add_months(from, 1), "")
        } else {
            vec![]
        }
    })
}
