//! Microsoft Graph billing reconciliation v2 (reference §13), as the sandbox plays it: an
//! export is accepted with `202` + `Location`; its operation goes `notStarted` → `running` →
//! `succeeded` (or `failed` with Graph's `publicError`) as it is polled, with `Retry-After`; the
//! manifest points at gzip JSON Lines files served under `/blob/…` behind a SAS token, which
//! is refused with 403 when wrong or expired.
//!
//! The rows are the v1 rows of `billing.rs` renamed to the v2 attribute names (PascalCase, as the
//! docs list them), so v1 and v2 agree on every invoice the sandbox bills. Legacy invoices (`D…`)
//! and periods before April 2025 fail with code `5000`, as Graph does.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Map, Value};

use super::http::{self, ci_str, Query};
use super::{App, Shared};

/// How the sandbox's Graph exports behave. `Default` is a healthy Graph.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphExportOptions {
    /// Polls answered `notStarted`/`running` before the operation is done.
    pub polls_before_done: u32,
    /// `Retry-After` on a pending operation, in seconds.
    pub retry_after_secs: u64,
    /// Operations never finish (for time-out handling).
    pub never_finish: bool,
    /// Every operation fails with this `(code, message)`.
    pub fail: Option<(String, String)>,
    /// The next N file downloads are served with a broken gzip stream.
    pub corrupt_downloads: u32,
    /// How long a manifest's SAS token is accepted.
    pub sas_lifetime: Duration,
    /// Lines per file (a large partition is split into several files).
    pub lines_per_file: usize,
    /// Graph answers 403 (no `PartnerBilling.Read.All`, or a role is missing).
    pub refused: bool,
}

impl Default for GraphExportOptions {
    fn default() -> Self {
        GraphExportOptions {
            polls_before_done: 2,
            retry_after_secs: 1,
            never_finish: false,
            fail: None,
            corrupt_downloads: 0,
            sas_lifetime: Duration::hours(12),
            lines_per_file: 40,
            refused: false,
        }
    }
}

enum Job {
    Billed(String),
    Unbilled { currency: String, period: String },
}

struct Operation {
    created: DateTime<Utc>,
    polls: u32,
    job: Job,
    manifest: Option<String>,
}

struct Manifest {
    created: DateTime<Utc>,
    /// Path under the sandbox's base URL, e.g. `blob/billedusagefastpath/v1/…`.
    root: String,
    sig: String,
    expires: DateTime<Utc>,
    files: Vec<(String, Vec<u8>)>,
    etag: String,
}

/// The sandbox's export state.
#[derive(Default)]
pub(crate) struct Exports {
    opts: Mutex<GraphExportOptions>,
    ops: Mutex<HashMap<String, Operation>>,
    manifests: Mutex<HashMap<String, Manifest>>,
    /// Counts file downloads served (including refused ones), for tests.
    pub downloads: std::sync::atomic::AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Exports {
    /// Every SAS signature handed out in a manifest, for leak tests.
    pub fn issued_signatures(&self) -> Vec<String> {
        lock(&self.manifests)
            .values()
            .map(|m| m.sig.clone())
            .collect()
    }
    pub fn set(&self, o: GraphExportOptions) {
        *lock(&self.opts) = o;
    }
    pub fn options(&self) -> GraphExportOptions {
        lock(&self.opts).clone()
    }
}

/// Graph's error body: `{"error": {"code", "message", "innerError": {…}}}` with `request-id`.
pub(crate) fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    let rid = uuid::Uuid::new_v4().to_string();
    let mut resp = http::json(
        status,
        &json!({"error": {
            "code": code,
            "message": message,
            "innerError": {"date": http::ts(Utc::now()), "request-id": rid, "client-request-id": rid},
        }}),
    );
    if let Ok(v) = HeaderValue::from_str(&rid) {
        resp.headers_mut().insert("request-id", v);
    }
    resp
}

/// Blob Storage's XML error.
pub(crate) fn blob_error(status: StatusCode, code: &str, message: &str) -> Response {
    let rid = uuid::Uuid::new_v4();
    let body = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}\nRequestId:{rid}\nTime:{}</Message></Error>",
        http::ts(Utc::now())
    );
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    if let Ok(v) = HeaderValue::from_str(&rid.to_string()) {
        resp.headers_mut().insert("x-ms-request-id", v);
    }
    resp
}

fn refused_if_asked(app: &App) -> Option<Response> {
    app.graph.options().refused.then(|| {
        graph_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Insufficient privileges to complete the operation. The caller needs the PartnerBilling.Read.All \
             permission and a billing role in the partner tenant.",
        )
    })
}

fn accepted(app: &App, job: Job) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    lock(&app.graph.ops).insert(
        id.clone(),
        Operation {
            created: app.clock.now(),
            polls: 0,
            job,
            manifest: None,
        },
    );
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::ACCEPTED;
    let location = format!("{}v1.0/reports/partners/billing/operations/{id}", app.base);
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

fn body_of(bytes: &[u8]) -> Result<Value, Response> {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            graph_error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "The request body must be a JSON object.",
            )
        })
}

fn attribute_set_ok(v: &Value) -> Result<(), Response> {
    match ci_str(v, "attributeSet") {
        None => Ok(()),
        Some(s) if ["full", "basic"].iter().any(|a| a.eq_ignore_ascii_case(s)) => Ok(()),
        Some(s) => Err(graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("'{s}' is not a valid attributeSet: use full or basic."),
        )),
    }
}

/// What both export starts check first: a refusal asked for, the JSON body, its attributeSet.
fn export_body(app: &App, body: &[u8]) -> Result<Value, Response> {
    if let Some(r) = refused_if_asked(app) {
        return Err(r);
    }
    let v = body_of(body)?;
    attribute_set_ok(&v)?;
    Ok(v)
}

/// `POST /v1.0/reports/partners/billing/reconciliation/billed/export`
pub(crate) async fn billed_export(State(app): State<Shared>, body: Bytes) -> Response {
    let v = match export_body(&app, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(invoice) = ci_str(&v, "invoiceId").filter(|s| !s.trim().is_empty()) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "invoiceId is required.",
        );
    };
    accepted(&app, Job::Billed(invoice.trim().to_string()))
}

/// `POST /v1.0/reports/partners/billing/reconciliation/unbilled/export`
pub(crate) async fn unbilled_export(State(app): State<Shared>, body: Bytes) -> Response {
    let v = match export_body(&app, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let period = ci_str(&v, "billingPeriod").unwrap_or("").to_string();
    if !["current", "last"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(&period))
    {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "billingPeriod is required: current or last.",
        );
    }
    let Some(currency) = ci_str(&v, "currencyCode").filter(|c| c.trim().len() == 3) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "currencyCode is required (an ISO 4217 code such as USD).",
        );
    };
    accepted(
        &app,
        Job::Unbilled {
            currency: currency.trim().to_ascii_uppercase(),
            period: period.to_ascii_lowercase(),
        },
    )
}

/// What an operation ends with: the rows, or Graph's `(code, message)`.
fn run(app: &App, job: &Job) -> Result<Vec<Value>, (String, String)> {
    if let Some(f) = app.graph.options().fail {
        return Err(f);
    }
    match job {
        Job::Billed(id) => {
            if id.starts_with(['D', 'd']) {
                return Err((
                    "5000".into(),
                    format!("No reconciliation data available currently for Invoice {id}. Please try again later."),
                ));
            }
            let Ok(inv) = super::billing::find(app, id) else {
                return Err(("5000".into(), "No data available".into()));
            };
            let cutover = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap_or(NaiveDate::MIN);
            if inv.end().date_naive() <= cutover {
                return Err(("5000".into(), "No data available".into()));
            }
            Ok(super::billing::rows(app, inv.start, inv.end(), &inv.id))
        }
        Job::Unbilled { currency, period } => {
            let back = if period == "last" { 1 } else { 0 };
            let from = super::billing::month_back(app.clock.now(), back);
            // ASSUMPTION: the partner's billing currency is USD; other currencies have no rows.
            if currency != "USD" {
                return Ok(vec![]);
            }
            Ok(super::billing::rows(
                app,
                from,
                super::subscriptions::add_months(from, 1),
                "",
            ))
        }
    }
}

/// A v1 row under its v2 attribute names (reference §13.4).
fn v2_row(v1: Value) -> Value {
    let Value::Object(map) = v1 else { return v1 };
    let mut out = Map::with_capacity(map.len() + 2);
    for (k, v) in map {
        let key = match k.as_str() {
            "discountDetails" | "invoiceLineItemType" | "billingProvider" | "attributes" => {
                continue
            }
            "totalForCustomer" => "Total".to_string(),
            "resellerMpnId" => {
                out.insert("Tier2MpnId".into(), json!(""));
                continue;
            }
            "pcToBCExchangeRate" => "PCToBCExchangeRate".to_string(),
            "pcToBCExchangeRateDate" => "PCToBCExchangeRateDate".to_string(),
            k => {
                let mut c = k.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            }
        };
        out.insert(key, v);
    }
    // ASSUMPTION: ProductCategory's values are not documented; "SaaS" is the sandbox's pick.
    out.insert("ProductCategory".into(), json!("SaaS"));
    Value::Object(out)
}

fn gzip(lines: &[Value]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for l in lines {
        let _ = serde_json::to_writer(&mut e, l);
        let _ = e.write_all(b"\n");
    }
    e.finish().unwrap_or_default()
}

fn make_manifest(app: &App, op_id: &str, job: &Job, rows: Vec<Value>) -> String {
    let opts = app.graph.options();
    let id = uuid::Uuid::new_v4().to_string();
    let now = app.clock.now();
    let scope = match job {
        Job::Billed(inv) => format!("InvoiceId={inv}"),
        Job::Unbilled { period, currency } => format!("Unbilled={period}/Currency={currency}"),
    };
    let root = format!(
        "blob/billedusagefastpath/v1/PartnerTenantId={}/{scope}/Fragment=full/PartitionType=default/Export={op_id}",
        super::SANDBOX_TENANT_ID
    );
    let rows: Vec<Value> = rows.into_iter().map(v2_row).collect();
    let files = rows
        .chunks(opts.lines_per_file.max(1))
        .enumerate()
        .map(|(i, chunk)| {
            (
                format!("part-{i:05}-{}.c000.json.gz", uuid::Uuid::new_v4()),
                gzip(chunk),
            )
        })
        .collect();
    let m = Manifest {
        created: now,
        root,
        sig: uuid::Uuid::new_v4().simple().to_string(),
        expires: now + opts.sas_lifetime,
        files,
        etag: uuid::Uuid::new_v4().simple().to_string()[..16].to_string(),
    };
    lock(&app.graph.manifests).insert(id.clone(), m);
    id
}

/// `GET /v1.0/reports/partners/billing/operations/{id}`
pub(crate) async fn get_operation(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    if let Some(r) = refused_if_asked(&app) {
        return r;
    }
    let opts = app.graph.options();
    let (created, polls, done) = {
        let mut ops = lock(&app.graph.ops);
        let Some(op) = ops.get_mut(&id) else {
            return graph_error(
                StatusCode::NOT_FOUND,
                "NotFound",
                &format!("Operation {id} was not found."),
            );
        };
        op.polls += 1;
        (op.created, op.polls, op.manifest.clone())
    };
    let base = json!({
        "id": id,
        "createdDateTime": created.format("%Y-%m-%dT%H:%M:%S").to_string(),
        "lastActionDateTime": http::ts(app.clock.now()),
    });
    let with = |extra: Value| {
        let mut v = base.clone();
        if let (Some(a), Value::Object(b)) = (v.as_object_mut(), extra) {
            a.extend(b);
        }
        v
    };
    if opts.never_finish || polls <= opts.polls_before_done {
        let status = if polls <= 1 && !opts.never_finish {
            "notStarted"
        } else {
            "running"
        };
        let mut resp = http::ok(&with(json!({
            "@odata.type": "#microsoft.graph.partners.billing.runningOperation",
            "status": status,
        })));
        if let Ok(v) = HeaderValue::from_str(&opts.retry_after_secs.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    let manifest = match done {
        Some(m) => Ok(m),
        None => {
            let result = {
                let ops = lock(&app.graph.ops);
                ops.get(&id).map(|op| run(&app, &op.job))
            };
            match result {
                Some(Ok(rows)) => {
                    let job = {
                        let ops = lock(&app.graph.ops);
                        ops.get(&id).map(|op| match &op.job {
                            Job::Billed(i) => Job::Billed(i.clone()),
                            Job::Unbilled { currency, period } => Job::Unbilled {
                                currency: currency.clone(),
                                period: period.clone(),
                            },
                        })
                    };
                    let Some(job) = job else {
                        return graph_error(
                            StatusCode::NOT_FOUND,
                            "NotFound",
                            "Operation vanished.",
                        );
                    };
                    let m = make_manifest(&app, &id, &job, rows);
                    if let Some(op) = lock(&app.graph.ops).get_mut(&id) {
                        op.manifest = Some(m.clone());
                    }
                    Ok(m)
                }
                Some(Err(e)) => Err(e),
                None => Err(("5000".into(), "No data available".into())),
            }
        }
    };
    match manifest {
        Ok(m) => http::ok(&with(json!({
            "@odata.type": "#microsoft.graph.partners.billing.exportSuccessOperation",
            "status": "succeeded",
            "resourceLocation@odata.navigationLink":
                format!("{}v1.0/reports/partners/billing/manifests/{m}", app.base),
        }))),
        Err((code, message)) => http::ok(&with(json!({
            "@odata.type": "#microsoft.graph.partners.billing.failedOperation",
            "status": "failed",
            "error": {"message": message, "code": code},
        }))),
    }
}

/// `GET /v1.0/reports/partners/billing/manifests/{id}`
pub(crate) async fn get_manifest(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    if let Some(r) = refused_if_asked(&app) {
        return r;
    }
    let manifests = lock(&app.graph.manifests);
    let Some(m) = manifests.get(&id) else {
        return graph_error(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("Manifest {id} was not found."),
        );
    };
    let se = m.expires.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let sas = format!(
        "skt={}&ske={se}&sks=b&skv=2021-08-06&sv=2021-08-06&se={se}&sr=d&sp=rl&sdd=7&sig={}",
        m.created.format("%Y-%m-%dT%H:%M:%SZ"),
        m.sig
    )
    .replace(':', "%3A");
    http::ok(&json!({
        "id": id,
        "schemaVersion": "1",
        "dataFormat": "compressedJSON",
        "createdDateTime": http::ts(m.created),
        "eTag": m.etag,
        "partnerTenantId": super::SANDBOX_TENANT_ID,
        "rootDirectory": format!("{}{}", app.base, m.root),
        "sasToken": sas,
        "partitionType": "Default",
        "blobCount": m.files.len(),
        "blobs": m.files.iter().map(|(name, _)| json!({"name": name, "partitionValue": "default"})).collect::<Vec<_>>(),
    }))
}

/// `GET /blob/{*path}?{sas}`: one export file, if the SAS token is the manifest's and not expired.
pub(crate) async fn get_blob(
    State(app): State<Shared>,
    Path(path): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    app.graph
        .downloads
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let q = Query::parse(raw.as_deref());
    let full = format!("blob/{path}");
    let (root, name) = full.rsplit_once('/').unwrap_or(("", ""));
    let found = {
        let manifests = lock(&app.graph.manifests);
        manifests.values().find(|m| m.root == root).map(|m| {
            (
                m.sig.clone(),
                m.expires,
                m.files.iter().find(|f| f.0 == name).map(|f| f.1.clone()),
            )
        })
    };
    let Some((sig, expires, file)) = found else {
        return blob_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "The specified resource does not exist.",
        );
    };
    if q.get("sig") != Some(sig.as_str()) {
        return blob_error(
            StatusCode::FORBIDDEN,
            "AuthenticationFailed",
            "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
        );
    }
    if app.clock.now() >= expires {
        return blob_error(
            StatusCode::FORBIDDEN,
            "AuthenticationFailed",
            "Server failed to authenticate the request. Signed expiry time has to be after signed start time.",
        );
    }
    let Some(mut bytes) = file else {
        return blob_error(
            StatusCode::NOT_FOUND,
            "BlobNotFound",
            "The specified blob does not exist.",
        );
    };
    let corrupt = {
        let mut o = lock(&app.graph.opts);
        let c = o.corrupt_downloads > 0;
        if c {
            o.corrupt_downloads -= 1;
        }
        c
    };
    if corrupt && bytes.len() > 20 {
        // Damage the deflate stream after the header, as a bit flip in transit or at rest would.
        let at = 10 + (bytes.len() - 18) / 2;
        bytes[at] ^= 0x5a;
        bytes[at + 1] ^= 0xa5;
    }
    let mut resp = Response::new(Body::from(bytes));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    resp.headers_mut()
        .insert("x-ms-blob-type", HeaderValue::from_static("BlockBlob"));
    resp
}
