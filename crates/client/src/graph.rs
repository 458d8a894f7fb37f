//! Billing reconciliation v2 on Microsoft Graph (reference §13): start an export, poll its
//! operation as `Retry-After` says, read the manifest, then download every blob at
//! `rootDirectory/name?sasToken` and gunzip its JSON Lines as a stream.
//!
//! This module is transport only: which invoice goes to v2 and what happens on a refusal is
//! decided in `crate::billing`. Two things it guards on purpose:
//! - The manifest's SAS token is a [`Secret`]: it is never logged, never put in an error, and
//!   the blob download never carries the Graph token (it goes to another host).
//! - A blob is all or nothing: a file that fails its gzip check is fetched once more, then
//!   reported, and none of its lines are kept.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use url::Url;

use super::client::{map_error, response_request_id, Client, Host, Request};
use super::json;
use super::models::InvoiceLineItem;
use super::retry::parse_retry_after;
use crate::error::{Error, Result, Service};
use crate::secrets::Secret;

/// Where the billing reports live under the Graph base URL.
pub const BILLING: &str = "/v1.0/reports/partners/billing";

/// `full` (47 attributes) or `basic` (35); CSP Desk asks for `full` (it has `PublisherId`,
/// `ProductQualifiers` and `CustomerCountry`).
pub const ATTRIBUTE_SET: &str = "full";

/// `POST …/reconciliation/billed/export` for one invoice.
pub fn billed_export(invoice_id: &str) -> Result<Request<Value>> {
    Request::new(
        Method::POST,
        Host::Graph,
        format!("{BILLING}/reconciliation/billed/export"),
    )
    .json(&serde_json::json!({"invoiceId": invoice_id, "attributeSet": ATTRIBUTE_SET}))
    .map(Request::repeatable)
}

/// `POST …/reconciliation/unbilled/export`; `period` is `current` or `last`.
pub fn unbilled_export(currency: &str, period: &str) -> Result<Request<Value>> {
    Request::new(
        Method::POST,
        Host::Graph,
        format!("{BILLING}/reconciliation/unbilled/export"),
    )
    .json(&serde_json::json!({
        "currencyCode": currency,
        "attributeSet": ATTRIBUTE_SET,
        "billingPeriod": period,
    }))
    .map(Request::repeatable)
}

/// Graph's `publicError` inside a failed operation; `code` is a string (`"5000"`) but read as
/// either.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct OperationError {
    #[serde(deserialize_with = "super::json::string_or_number")]
    pub code: String,
    pub message: String,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `GET …/operations/{id}`: one of `runningOperation`, `exportSuccessOperation`,
/// `failedOperation` (told apart by `@odata.type` and `status`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Operation {
    #[serde(rename = "@odata.type")]
    pub odata_type: String,
    pub id: String,
    /// `notStarted`, `running`, `succeeded` (the resource page says `completed`), `failed`.
    pub status: String,
    /// No zone suffix in Microsoft's samples; kept as sent.
    pub created_date_time: Option<String>,
    pub last_action_date_time: Option<String>,
    #[serde(rename = "resourceLocation@odata.navigationLink")]
    pub resource_location: Option<String>,
    pub error: Option<OperationError>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Where an operation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationState {
    /// `notStarted`, `running`, or a status this version does not know.
    Pending(String),
    /// Done: the manifest is at this link.
    Succeeded(String),
    /// `failed`, with Graph's code and words.
    Failed { code: String, message: String },
}

impl Operation {
    pub fn state(&self) -> OperationState {
        let status = self.status.to_ascii_lowercase();
        let kind = self.odata_type.to_ascii_lowercase();
        if status == "failed" || kind.ends_with("failedoperation") {
            let e = self.error.clone().unwrap_or_default();
            return OperationState::Failed {
                code: if e.code.is_empty() {
                    "unknown".into()
                } else {
                    e.code
                },
                message: e.message,
            };
        }
        let done = matches!(status.as_str(), "succeeded" | "completed")
            || kind.ends_with("exportsuccessoperation");
        match (&self.resource_location, done) {
            (Some(link), true) if !link.is_empty() => OperationState::Succeeded(link.clone()),
            _ => OperationState::Pending(if self.status.is_empty() {
                "unknown".into()
            } else {
                self.status.clone()
            }),
        }
    }
}

/// One file of an export.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ManifestBlob {
    pub name: String,
    pub partition_value: String,
}

/// The SAS token of a manifest: a [`Secret`] that can be read from JSON but never written,
/// printed or logged.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SasToken(Option<Secret>);

impl SasToken {
    pub fn expose(&self) -> &str {
        self.0.as_ref().map(Secret::expose).unwrap_or("")
    }
}

impl std::fmt::Debug for SasToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SasToken(<redacted>)")
    }
}

impl<'de> Deserialize<'de> for SasToken {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        Ok(SasToken(s.filter(|s| !s.is_empty()).map(Secret::new)))
    }
}

/// `GET …/manifests/{id}`. Deliberately not `Serialize`: it holds the SAS token.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Manifest {
    pub id: String,
    pub schema_version: String,
    /// Documented `compressedJSONLines`; the sample says `compressedJSON`. Both are gzip + JSON Lines.
    pub data_format: String,
    pub created_date_time: Option<String>,
    /// Changes when the data version changes.
    pub e_tag: String,
    pub partner_tenant_id: String,
    pub root_directory: String,
    pub sas_token: SasToken,
    pub partition_type: String,
    pub blob_count: Option<u32>,
    pub blobs: Vec<ManifestBlob>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Manifest {
    /// `{rootDirectory}/{name}?{sasToken}`; only https (or http on loopback, the sandbox).
    pub fn blob_url(&self, blob: &ManifestBlob) -> Result<Url> {
        let root = self.root_directory.trim_end_matches('/');
        let name = blob.name.trim_start_matches('/');
        let sas = self.sas_token.expose().trim_start_matches('?');
        let mut url = Url::parse(&format!("{root}/{name}")).map_err(|e| {
            Error::Invalid(format!(
                "the billing export's manifest names a file CSP Desk cannot address ({name}): {e}"
            ))
        })?;
        super::Endpoints::check_secure(&url)?;
        if !sas.is_empty() {
            url.set_query(Some(sas));
        }
        Ok(url)
    }
}

/// What a long export is doing, for a progress line (the CLI's stderr, the app's Invoices view).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "stage")]
#[ts(rename = "GraphExportProgress")]
pub enum ExportProgress {
    /// The export was accepted.
    Started { what: String },
    /// Graph is still preparing it.
    Waiting {
        status: String,
        #[ts(type = "number")]
        waited_secs: u64,
        #[ts(type = "number")]
        next_check_secs: u64,
    },
    /// Files are being downloaded: file `file` of `files`, `lines` read so far (all files),
    /// told again as lines come in.
    Downloading {
        #[ts(type = "number")]
        file: usize,
        #[ts(type = "number")]
        files: usize,
        #[ts(type = "number")]
        lines: usize,
    },
    /// All files read.
    Done {
        #[ts(type = "number")]
        lines: usize,
    },
}

/// How often a download tells how many lines it has read.
const LINES_EVERY: Duration = Duration::from_millis(250);

/// How long to wait for an export, and how often to look.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// Give up after this long (the doc sample took about 25 minutes).
    pub timeout: Duration,
    /// Poll interval when Graph sends no `Retry-After`; doubles up to `max_poll`.
    pub first_poll: Duration,
    pub max_poll: Duration,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            timeout: Duration::from_secs(45 * 60),
            first_poll: Duration::from_secs(5),
            max_poll: Duration::from_secs(60),
        }
    }
}

/// Callback for [`ExportProgress`].
pub type Progress<'a> = &'a (dyn Fn(ExportProgress) + Send + Sync);

/// Runs one export end to end and returns every line of every file.
/// `what` names it in messages ("the export of invoice G000123").
pub async fn run_export(
    client: &Client,
    start: &Request<Value>,
    what: &str,
    opts: &ExportOptions,
    progress: Progress<'_>,
) -> Result<Vec<InvoiceLineItem>> {
    let raw = client.execute_raw(start).await?;
    let location = header(&raw.headers, LOCATION).ok_or_else(|| Error::Http {
        service: Service::Graph,
        what: start.describe(),
        status: raw.status,
        body: "the export was accepted without a Location header to follow".into(),
        request_id: crate::client::response_request_id(&raw.headers),
    })?;
    progress(ExportProgress::Started {
        what: what.to_string(),
    });
    let manifest_link = wait(client, &location, what, opts, progress).await?;
    let manifest: Manifest = client
        .execute(&graph_get::<Manifest>(client, &manifest_link)?)
        .await?;
    tracing::info!(
        manifest = %manifest.id,
        files = manifest.blobs.len(),
        format = %manifest.data_format,
        "billing export ready"
    );
    let mut all = Vec::new();
    let files = manifest.blobs.len();
    for (i, blob) in manifest.blobs.iter().enumerate() {
        let before = all.len();
        let told = |lines: usize| {
            progress(ExportProgress::Downloading {
                file: i + 1,
                files,
                lines: before + lines,
            })
        };
        told(0);
        let lines = match download(client, &manifest, blob, &told).await {
            Err(e) if is_damaged(&e) => {
                tracing::warn!(file = %blob.name, error = %e, "billing export file not read; fetching it once more");
                if let Error::Throttled {
                    retry_after: Some(d),
                    ..
                } = &e
                {
                    tokio::time::sleep((*d).min(opts.max_poll.max(Duration::from_secs(1)))).await;
                }
                download(client, &manifest, blob, &told).await?
            }
            other => other?,
        };
        all.extend(lines);
    }
    progress(ExportProgress::Done { lines: all.len() });
    Ok(all)
}

/// Polls the operation until it succeeds (→ manifest link), fails, or the time is up.
async fn wait(
    client: &Client,
    location: &str,
    what: &str,
    opts: &ExportOptions,
    progress: Progress<'_>,
) -> Result<String> {
    let started = Instant::now();
    let mut backoff = opts.first_poll;
    loop {
        let req = graph_get::<Operation>(client, location)?;
        let raw = client.execute_raw(&req).await?;
        let op: Operation = json::decode(&raw.body, &req.describe())?;
        let status = match op.state() {
            OperationState::Succeeded(link) => return Ok(link),
            OperationState::Failed { code, message } => {
                return Err(Error::ExportFailed {
                    service: Service::Graph,
                    what: what.to_string(),
                    hint: failed_hint(&code),
                    code,
                    message: if message.is_empty() {
                        "no reason given".into()
                    } else {
                        message
                    },
                })
            }
            OperationState::Pending(s) => s,
        };
        let said = raw
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let pause = match said {
            Some(d) => d.clamp(
                Duration::from_millis(100),
                opts.max_poll.max(d.min(opts.timeout)),
            ),
            None => {
                let d = backoff;
                backoff = (backoff * 2).min(opts.max_poll);
                d
            }
        };
        let waited = started.elapsed();
        if waited + pause > opts.timeout {
            return Err(Error::refused(
                format!(
                    "Microsoft Graph had not finished {what} after {} minutes (operation {}, last status: {status})",
                    waited.as_secs().div_ceil(60),
                    op.id
                ),
                "Large invoices can take longer to prepare. Try again later: the next try starts a new export \
                 (nothing partial was kept). If it never finishes, contact Microsoft support with the export's \
                 operation id",
            ));
        }
        progress(ExportProgress::Waiting {
            status,
            waited_secs: waited.as_secs(),
            next_check_secs: pause.as_secs().max(1),
        });
        tokio::time::sleep(pause).await;
    }
}

fn failed_hint(code: &str) -> String {
    if code == "5000" {
        "Graph serves new-commerce invoices for billing periods after March 2025 only; a legacy invoice \
         is read from Partner Center's v1 line items instead. For a recent invoice, try again later"
            .into()
    } else {
        "Try again: the next try starts a new export".into()
    }
}

/// A GET of a link Graph handed out (operation, manifest). The link must point at the Graph
/// endpoint CSP Desk is configured with: the Graph token is never sent anywhere else.
fn graph_get<T>(client: &Client, link: &str) -> Result<Request<T>> {
    let base = &client.endpoints().graph;
    let url = base.join(link).map_err(|e| {
        Error::Invalid(format!(
            "Microsoft Graph sent a link CSP Desk cannot follow ({link}): {e}"
        ))
    })?;
    if url.origin() != base.origin() {
        return Err(Error::Invalid(format!(
            "Microsoft Graph pointed the export at {}, which is not the Graph endpoint ({}): CSP Desk does not \
             send its sign-in there",
            url.origin().ascii_serialization(),
            base.origin().ascii_serialization()
        )));
    }
    // The base may carry a path prefix; the link is absolute on the host.
    let mut req = Request::get(Host::Graph, url.path().to_string());
    req.query = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Ok(req)
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A download that may succeed when fetched again: a dropped connection, a 5xx, or a failed
/// gzip check.
fn is_damaged(e: &Error) -> bool {
    e.is_retryable()
        || matches!(e, Error::Decode { message, .. } if message.starts_with(GZIP_FAILED))
}

const GZIP_FAILED: &str = "the file failed its gzip check";

/// One blob: a plain GET with the SAS token (no Graph token: another host), gunzipped and split
/// into lines while it streams in. All of its lines, or an error.
/// One export file's lines; `lines_read` hears the count of lines read so far, a few times a
/// second while the file streams in.
async fn download(
    client: &Client,
    manifest: &Manifest,
    blob: &ManifestBlob,
    lines_read: &(dyn Fn(usize) + Send + Sync),
) -> Result<Vec<InvoiceLineItem>> {
    let what = format!("billing export file {}", blob.name);
    let url = manifest.blob_url(blob)?;
    let resp = client
        .http()
        .get(url)
        .header("x-ms-version", "2021-08-06")
        .header("x-ms-client-request-id", uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .map_err(|e| network(&what, e))?;
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        let headers = resp.headers().clone();
        let body = resp.bytes().await.unwrap_or_default();
        return Err(blob_error(&what, status, &headers, &body));
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<std::result::Result<bytes::Bytes, String>>(16);
    let name = blob.name.clone();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = count.clone();
    let decoder = tokio::task::spawn_blocking(move || {
        decode_lines_counting(ChannelReader::new(rx), &name, &counter)
    });
    let mut resp = resp;
    let mut told = (Instant::now(), 0usize);
    loop {
        let n = count.load(std::sync::atomic::Ordering::Relaxed);
        if n != told.1 && told.0.elapsed() >= LINES_EVERY {
            lines_read(n);
            told = (Instant::now(), n);
        }
        let item = match resp.chunk().await {
            Ok(Some(c)) => Ok(c),
            Ok(None) => break,
            Err(e) => Err(e.without_url().to_string()),
        };
        let failed = item.is_err();
        // A closed channel means the decoder stopped early on bad data; its error says why.
        if tx.send(item).await.is_err() || failed {
            break;
        }
    }
    drop(tx);
    decoder
        .await
        .map_err(|e| Error::Invalid(format!("reading {what} stopped: {e}")))?
}

fn network(what: &str, e: reqwest::Error) -> Error {
    // `without_url`: the URL carries the SAS token.
    Error::Network {
        service: Service::BlobStorage,
        what: what.to_string(),
        source: e.without_url(),
    }
}

/// Blob Storage answers errors in XML: `<Error><Code>…</Code><Message>…</Message></Error>`.
/// Only the code and the message's first line are kept (the rest may quote the request).
fn blob_error(what: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body);
    let tag = |t: &str| -> Option<String> {
        let open = format!("<{t}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&format!("</{t}>"))? + start;
        Some(
            text[start..end]
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string(),
        )
    };
    let code = tag("Code").unwrap_or_else(|| "unknown".into());
    let mut message = tag("Message").unwrap_or_else(|| {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("refused")
            .to_string()
    });
    if status == 403 {
        message.push_str(
            ". The export's download link was refused (it may have expired). Try again: the next try starts a \
             new export with a fresh link",
        );
    }
    if status == 429 || status >= 500 {
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        return map_error(
            Service::BlobStorage,
            what,
            status,
            retry_after,
            headers,
            message.as_bytes(),
        );
    }
    Error::PartnerApi {
        service: Service::BlobStorage,
        what: what.to_string(),
        status,
        code,
        message,
        request_id: response_request_id(headers),
    }
}

/// A blocking `Read` over the chunks the download task sends.
struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<std::result::Result<bytes::Bytes, String>>,
    buf: bytes::Bytes,
}

impl ChannelReader {
    fn new(rx: tokio::sync::mpsc::Receiver<std::result::Result<bytes::Bytes, String>>) -> Self {
        ChannelReader {
            rx,
            buf: bytes::Bytes::new(),
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.buf.is_empty() {
            match self.rx.blocking_recv() {
                None => return Ok(0),
                Some(Ok(b)) => self.buf = b,
                Some(Err(e)) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        TransportBroke(e),
                    ))
                }
            }
        }
        let n = out.len().min(self.buf.len());
        out[..n].copy_from_slice(&self.buf[..n]);
        self.buf = self.buf.slice(n..);
        Ok(n)
    }
}

#[derive(Debug)]
struct TransportBroke(String);

impl std::fmt::Display for TransportBroke {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the connection dropped mid-file: {}", self.0)
    }
}

impl std::error::Error for TransportBroke {}

/// Gunzips (when the bytes are gzip; a server that already decoded them is accepted too) and
/// decodes one JSON object a line. The first bad byte or line fails the whole file.
pub fn decode_lines(input: impl Read, name: &str) -> Result<Vec<InvoiceLineItem>> {
    decode_lines_counting(input, name, &std::sync::atomic::AtomicUsize::new(0))
}

/// [`decode_lines`], counting the lines read in `count` as it goes.
fn decode_lines_counting(
    mut input: impl Read,
    name: &str,
    count: &std::sync::atomic::AtomicUsize,
) -> Result<Vec<InvoiceLineItem>> {
    let what = format!("billing export file {name}");
    let mut magic = [0u8; 2];
    let mut have = 0;
    while have < 2 {
        match input.read(&mut magic[have..]) {
            Ok(0) => break,
            Ok(n) => have += n,
            Err(e) => return Err(read_error(&what, e, 0)),
        }
    }
    let head = std::io::Cursor::new(magic[..have].to_vec());
    let chained = head.chain(input);
    let reader: Box<dyn BufRead> = if have == 2 && magic == [0x1f, 0x8b] {
        Box::new(std::io::BufReader::with_capacity(
            64 * 1024,
            flate2::read::MultiGzDecoder::new(chained),
        ))
    } else {
        Box::new(std::io::BufReader::with_capacity(64 * 1024, chained))
    };
    let mut out = Vec::new();
    let mut line = String::new();
    let mut reader = reader;
    let mut n = 0usize;
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(read_error(&what, e, n)),
        }
        n += 1;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        match decode_line(text.as_bytes(), &what, n) {
            Ok(l) => {
                out.push(l);
                count.store(out.len(), std::sync::atomic::Ordering::Relaxed);
            }
            Err(bad) => {
                // A damaged stream can yield a garbled line before its checksum is reached:
                // read on, so a failed gzip check is reported as such (and fetched again).
                let mut rest = Vec::new();
                return Err(match reader.read_to_end(&mut rest) {
                    Err(e) => read_error(&what, e, n),
                    Ok(_) => bad,
                });
            }
        }
    }
    Ok(out)
}

fn read_error(what: &str, e: std::io::Error, lines: usize) -> Error {
    if let Some(t) = e.get_ref().and_then(|r| r.downcast_ref::<TransportBroke>()) {
        return Error::Decode {
            what: what.to_string(),
            path: format!("line {}", lines + 1),
            message: format!("{GZIP_FAILED}: {t}"),
        };
    }
    Error::Decode {
        what: what.to_string(),
        path: format!("line {}", lines + 1),
        message: format!("{GZIP_FAILED} ({e}); no line of it was kept"),
    }
}

/// One reconciliation line: keys are matched case-insensitively to the v1 line item's names
/// (`Total` → `totalForCustomer`); keys CSP Desk does not model are kept as sent.
pub fn decode_line(bytes: &[u8], what: &str, line: usize) -> Result<InvoiceLineItem> {
    let value: Value = json::decode(bytes, &format!("{what}, line {line}"))?;
    let Value::Object(map) = value else {
        return Err(Error::Decode {
            what: format!("{what}, line {line}"),
            path: ".".into(),
            message: "expected one JSON object a line".into(),
        });
    };
    let mut out = serde_json::Map::with_capacity(map.len());
    let has_total_for_customer = map
        .keys()
        .any(|k| k.eq_ignore_ascii_case("totalForCustomer"));
    for (k, v) in map {
        let lower = k.to_ascii_lowercase();
        let key = match lower.as_str() {
            "total" if !has_total_for_customer => "totalForCustomer".to_string(),
            _ => LINE_FIELDS
                .iter()
                .find(|f| f.eq_ignore_ascii_case(&lower))
                .map(|f| f.to_string())
                .unwrap_or(k),
        };
        out.insert(key, v);
    }
    json::decode_value(Value::Object(out), &format!("{what}, line {line}"))
}

/// The modelled fields of [`InvoiceLineItem`], in their wire spelling.
const LINE_FIELDS: &[&str] = &[
    "partnerId",
    "customerId",
    "customerName",
    "customerDomainName",
    "customerCountry",
    "invoiceNumber",
    "orderId",
    "orderDate",
    "productId",
    "skuId",
    "availabilityId",
    "productName",
    "skuName",
    "productQualifiers",
    "chargeType",
    "unitPrice",
    "effectiveUnitPrice",
    "unitType",
    "quantity",
    "subtotal",
    "taxTotal",
    "totalForCustomer",
    "currency",
    "publisherName",
    "publisherId",
    "subscriptionDescription",
    "subscriptionId",
    "subscriptionStartDate",
    "subscriptionEndDate",
    "chargeStartDate",
    "chargeEndDate",
    "termAndBillingCycle",
    "billingFrequency",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(text: &str) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn pascal_case_lines_map_to_the_line_item() {
        let body = gz(concat!(
            r#"{"CustomerName":"Contoso","PublisherName":"Fabrikam","Total":"12.50","UnitPrice":12.5,"ProductQualifiers":["Trial"],"Tier2MpnId":"123"}"#,
            "\n\n",
            r#"{"customerName":"Woodgrove","total":3}"#,
            "\n"
        ));
        let lines = decode_lines(&body[..], "part-0.json.gz").unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].customer_name, "Contoso");
        assert_eq!(lines[0].total_for_customer, Some(12.5));
        assert!(lines[0].is_trial());
        // Unmodelled keys are kept (first letter folded, as for every Partner Center body).
        assert_eq!(lines[0].extra["tier2MpnId"], "123");
        assert_eq!(lines[1].total_for_customer, Some(3.0));
    }

    #[test]
    fn a_damaged_file_keeps_no_line_and_says_so() {
        let mut body = gz(&format!("{}\n", r#"{"CustomerName":"Contoso"}"#).repeat(2000));
        let mid = body.len() / 2;
        body[mid] ^= 0xff;
        body[mid + 1] ^= 0xff;
        let e = decode_lines(&body[..], "part-1.json.gz").unwrap_err();
        assert!(is_damaged(&e), "{e}");
        assert!(e.to_string().contains("part-1.json.gz"), "{e}");
    }

    #[test]
    fn a_malformed_line_names_its_line_and_path() {
        let body = gz("{\"CustomerName\":\"a\"}\n{\"UnitPrice\": [1}\n");
        let e = decode_lines(&body[..], "p.json.gz").unwrap_err();
        let t = e.to_string();
        assert!(t.contains("line 2"), "{t}");
        assert!(!is_damaged(&e));
        let e = decode_line(br#"{"ChargeStartDate": 17}"#, "p", 1).unwrap_err();
        assert!(e.to_string().contains("chargeStartDate"), "{e}");
    }

    #[test]
    fn operation_states() {
        let op: Operation = json::decode(
            br##"{"@odata.type":"#microsoft.graph.partners.billing.exportSuccessOperation","id":"x","status":"completed","resourceLocation@odata.navigationLink":"https://graph.microsoft.com/v1.0/reports/partners/billing/manifests/m"}"##,
            "op",
        )
        .unwrap();
        assert!(matches!(op.state(), OperationState::Succeeded(l) if l.ends_with("/manifests/m")));
        let op: Operation = json::decode(
            br##"{"@odata.type":"#microsoft.graph.partners.billing.failedOperation","status":"failed","error":{"code":5000,"message":"No data available"}}"##,
            "op",
        )
        .unwrap();
        assert_eq!(
            op.state(),
            OperationState::Failed {
                code: "5000".into(),
                message: "No data available".into()
            }
        );
        let op: Operation = json::decode(br#"{"status":"notStarted"}"#, "op").unwrap();
        assert_eq!(op.state(), OperationState::Pending("notStarted".into()));
    }

    #[test]
    fn sas_token_never_prints() {
        let m: Manifest = json::decode(
            br#"{"rootDirectory":"https://x.blob.core.windows.net/c/d","sasToken":"sv=1&sig=SECRETSIG","blobs":[{"name":"a.json.gz"}]}"#,
            "m",
        )
        .unwrap();
        assert!(!format!("{m:?}").contains("SECRETSIG"));
        let url = m.blob_url(&m.blobs[0]).unwrap();
        assert_eq!(
            url.as_str(),
            "https://x.blob.core.windows.net/c/d/a.json.gz?sv=1&sig=SECRETSIG"
        );
        let plain: Manifest = json::decode(
            br#"{"rootDirectory":"http://example.com/c","sasToken":"sig=1","blobs":[{"name":"a"}]}"#,
            "m",
        )
        .unwrap();
        assert!(
            plain.blob_url(&plain.blobs[0]).is_err(),
            "no SAS over plain http"
        );
    }
}
