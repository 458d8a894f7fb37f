//! Benchmark: the price list as a user waits for it. A sandbox with 100,000 offers runs as its own
//! process (`cspdesk sandbox serve`); the export runs as another (`cspdesk prices export`, the
//! release binary), fetching over loopback, parsing, joining, applying the trial rule and
//! writing. Wall time and peak RSS (the exporting process's own, from `getrusage` of a child
//! measured alone) are printed for:
//!
//! - 5 markets (about 1M rows) to `.xlsx`: the first export of the day, then again from the day's
//!   snapshot, then to `.csv`;
//! - about 20 markets (about 4.4M rows) to `.xlsx` (`PRICELIST_BENCH_LARGE=0` skips it);
//! - `prices diff` over the 5 markets' two days of snapshots;
//! - the writer alone (1M synthetic rows, in-process), labelled as such;
//! - Python XlsxWriter `constant_memory` writing the same rows as the 5-market export, in the
//!   same run (`pip install xlsxwriter`; skipped with a note when missing).
//!
//! The sandbox builds each day's sheet once and keeps it ready; its serving time is reported
//! apart. Catalogs are synced once into `target/pricelist-bench/` and reused by later runs.
//! `cargo bench --bench pricelist_export`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use chrono::NaiveDate;
use cspdesk_core::pricelist::export::{write_rows, ExportFormat};
use cspdesk_core::pricelist::lookup::ProductLookup;
use cspdesk_core::pricelist::rows::OutRow;
use cspdesk_core::pricelist::sheet::PriceSheet;
use cspdesk_core::pricelist::snapshot;

const SMALL: [&str; 5] = ["US", "GB", "DE", "FR", "JP"];
const LARGE: [&str; 20] = [
    "US", "GB", "DE", "FR", "JP", "NL", "IT", "ES", "IE", "SE", "NO", "DK", "CH", "PL", "AU", "NZ",
    "CA", "BR", "IN", "SG",
];

/// Runs a command alone under Python's `getrusage(RUSAGE_CHILDREN)`: its wall time and peak RSS.
const MEASURE: &str = r#"
import os, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
secs = time.perf_counter() - t
if p.returncode != 0:
    sys.stderr.write(p.stderr.decode(errors="replace"))
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"MEASURE rc={p.returncode} secs={secs:.3f} cpu={u.ru_utime + u.ru_stime:.3f} maxrss_kib={u.ru_maxrss} load={os.getloadavg()[0]:.2f}")
"#;

struct Measured {
    secs: f64,
    /// User + system CPU seconds of the measured process (the machine is shared: wall time
    /// includes waiting for a core).
    cpu: f64,
    rss_mib: f64,
    /// The machine's 1-minute load average when it ended (2 cores: above 2, processes waited).
    load: f64,
}

fn measure(cmd: &mut Command) -> Measured {
    // The disk writes of what ran before (the catalogs' setup writes gigabytes) are flushed
    // first, so their write-back does not run on the cores during the measured run.
    let _ = Command::new("sync").status();
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let envs: Vec<_> = cmd
        .get_envs()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned())))
        .collect();
    let o = Command::new("python3")
        .arg("-c")
        .arg(MEASURE)
        .arg(program)
        .args(args)
        .envs(envs)
        .output()
        .expect("python3 runs the measurement");
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("MEASURE"))
        .unwrap_or_else(|| panic!("measure: {}", String::from_utf8_lossy(&o.stderr)));
    if !line.contains("rc=0") {
        panic!("failed: {line}\n{}", String::from_utf8_lossy(&o.stderr));
    }
    Measured {
        secs: field(line, "secs"),
        cpu: field(line, "cpu"),
        rss_mib: field(line, "maxrss_kib") / 1024.0,
        load: field(line, "load"),
    }
}

/// The 1-minute load average now.
fn load_now() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// 50 margin rules over the products of a plain .csv export: one for everything, ten per
/// publisher, ten per category, twenty-nine per product.
fn fifty_rules(csv_path: &Path) -> String {
    let mut rdr = csv::Reader::from_path(csv_path).expect("the plain export");
    let headers = rdr.headers().expect("header").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (publisher, category, product) = (at("Publisher"), at("Category"), at("Product ID"));
    let (mut publishers, mut categories, mut products) = (vec![], vec![], vec![]);
    for r in rdr.records().take(200_000) {
        let r = r.expect("row");
        let keep = |v: &mut Vec<String>, s: &str, n: usize| {
            if v.len() < n && !s.is_empty() && !v.iter().any(|x| x == s) {
                v.push(s.to_string());
            }
        };
        keep(&mut publishers, &r[publisher], 10);
        keep(
            &mut categories,
            r[category].split(',').next().unwrap_or("").trim(),
            10,
        );
        keep(&mut products, &r[product], 29);
    }
    let mut toml = String::from("[[rule]]\nmarkup = \"20%\"\nround = \"0.99\"\n");
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    for (i, p) in publishers.iter().enumerate() {
        toml += &format!(
            "[[rule]]\nmarkup = \"{}%\"\npublisher = \"{}\"\n",
            10 + i,
            quote(p)
        );
    }
    for c in &categories {
        toml += &format!(
            "[[rule]]\nmarkup = \"15%\"\nround = \"0.95\"\ncategory = \"{}\"\n",
            quote(c)
        );
    }
    for p in &products {
        toml += &format!("[[rule]]\nfixed = 2.5\nproduct = \"{}\"\n", quote(p));
    }
    toml
}

fn field(line: &str, key: &str) -> f64 {
    line.split_whitespace()
        .find_map(|p| p.strip_prefix(&format!("{key}=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

struct SandboxProcess {
    child: Child,
    url: String,
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sandbox(bin: &Path, offers: usize) -> SandboxProcess {
    let mut child = Command::new(bin)
        .args(["sandbox", "serve", "--offers", &offers.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sandbox starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("sandbox says where it listens");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("sandbox said {line:?}"))
        .to_string();
    SandboxProcess { child, url }
}

fn cli(bin: &Path, url: &str, data: &Path) -> Command {
    let mut c = Command::new(bin);
    c.arg("--endpoint")
        .arg(url)
        .arg("--data-dir")
        .arg(data)
        .env("CSPDESK_ACCESS_TOKEN", "sandbox-access-token")
        .env("RUST_LOG", "warn");
    c
}

fn run(cmd: &mut Command) {
    let o = cmd.output().expect("runs");
    assert!(
        o.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// GET every market's sheet (zipped, as the client asks): the sandbox builds and keeps them.
fn warm_sandbox(url: &str, markets: &[&str]) -> (f64, f64, Vec<u64>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let http = reqwest::Client::new();
        let get = |m: &str| {
            let u = format!(
                "{url}/v1.0/sales/pricesheets(Market='{m}',PricesheetView='marketplace')/$value"
            );
            let http = http.clone();
            async move {
                http.get(u)
                    .header("Authorization", "Bearer sandbox-access-token")
                    .header("Accept-Encoding", "deflate")
                    .send()
                    .await
                    .expect("sheet")
                    .bytes()
                    .await
                    .expect("body")
                    .len() as u64
            }
        };
        let t = Instant::now();
        for m in markets {
            get(m).await;
        }
        let build = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut bytes = Vec::new();
        for m in markets {
            bytes.push(get(m).await);
        }
        (build, t.elapsed().as_secs_f64(), bytes)
    })
}

/// Give `to` a copy of `from`'s synced catalog (bench setup only).
fn copy_catalog(data: &Path, from: &str, to: &str) {
    let store = open_store(data);
    let conn = store.conn();
    conn.execute("DELETE FROM offers WHERE market = ?1", [to])
        .expect("offers");
    conn.execute(
        "INSERT INTO offers (market, key, json) SELECT ?2, key, json FROM offers WHERE market = ?1",
        [from, to],
    )
    .expect("copy offers");
    conn.execute(
        "INSERT OR REPLACE INTO catalog_sync (market, fetched_at, offers, arm_products, arm_error) \
         SELECT ?2, fetched_at, offers, arm_products, arm_error FROM catalog_sync WHERE market = ?1",
        [from, to],
    )
    .expect("copy sync state");
}

/// Forget every snapshot (files and index), as on a new day.
fn clear_snapshots(data: &Path) {
    open_store(data)
        .conn()
        .execute("DELETE FROM price_snapshots", [])
        .expect("snapshot index");
    let dir = data.join("price-snapshots");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn count_csv_rows(path: &Path) -> u64 {
    let f = std::fs::File::open(path).expect("csv");
    BufReader::new(f).lines().count() as u64 - 1
}

/// Row `i` of the writer-only figure.
fn synthetic(i: u64, buf: &mut [String; 4]) -> OutRow<'_> {
    use std::fmt::Write as _;
    for b in buf.iter_mut() {
        b.clear();
    }
    let _ = write!(buf[0], "DZH318Z0{:04X}", (i / 4) % 65_536);
    let _ = write!(buf[1], "Product {}", i / 4);
    let _ = write!(buf[2], "000{}", 1 + i % 3);
    let _ = write!(buf[3], "Publisher {}", i % 300);
    let price = ((i * 37) % 10_000) as f64 / 100.0 + 1.0;
    let [a, b, c, d] = buf;
    OutRow {
        market: "GB",
        currency: "GBP",
        product_id: a,
        product: b,
        sku_id: c,
        plan: "Standard",
        publisher: d,
        offer_type: "SaaS",
        category: "Security",
        term: if i.is_multiple_of(2) { "P1M" } else { "P1Y" },
        billing_plan: if i.is_multiple_of(2) {
            "Monthly"
        } else {
            "Annual"
        },
        unit_price: price,
        erp_price: Some((price * 1.2 * 100.0).round() / 100.0),
        effective_start: NaiveDate::from_ymd_opt(2026, 1, 1),
        effective_end: NaiveDate::from_ymd_opt(2026, 12, 31),
        free_trial: "No",
    }
}

/// `--child writer ROWS OUT`: the writer alone, fed synthetic rows (no fetch, parse or join).
fn child_writer(rows: u64, out: &Path) {
    let t = Instant::now();
    let mut buf: [String; 4] = Default::default();
    let n = write_rows(out, ExportFormat::Xlsx, "GB", "GBP", |sink| {
        for i in 0..rows {
            sink.row(&synthetic(i, &mut buf))?;
        }
        Ok(())
    })
    .expect("writes");
    println!("WRITER rows={n} secs={:.3}", t.elapsed().as_secs_f64());
}

fn open_store(data: &Path) -> cspdesk_core::store::Store {
    cspdesk_core::store::Store::open(&data.join("cspdesk.sqlite")).expect("the bench's store")
}

/// `--child next-day DATA MARKETS`: a next day's snapshot made from today's.
fn child_next_day(data: &Path, markets: &str) {
    let store = open_store(data);
    for m in markets.split(',') {
        let today = snapshot::list(&store, m).expect("snapshots")[0].day;
        let mut rows = snapshot::load(&store, m, today).expect("today's rows");
        let mut added = Vec::new();
        for (i, r) in rows.iter_mut().enumerate() {
            if i % 50 == 7 && r.unit_price > 0.0 {
                r.unit_price = (r.unit_price * 1.05 * 100.0).round() / 100.0;
            }
            if i % 200 == 11 {
                let mut n = r.clone();
                n.sku_id = format!("{}-N", n.sku_id);
                added.push(n);
            }
        }
        let mut i = 0;
        rows.retain(|_| {
            i += 1;
            i % 200 != 3
        });
        rows.extend(added);
        let sheet = PriceSheet {
            market: m.to_string(),
            rows,
            bad_rows: Vec::new(),
        };
        snapshot::save(
            &store,
            &sheet,
            today + chrono::Duration::days(1),
            chrono::Utc::now(),
        )
        .expect("next day's snapshot");
    }
}

/// `--child diff DATA MARKETS`: the changes of each market between its two newest snapshots.
fn child_diff(data: &Path, markets: &str) {
    let store = open_store(data);
    let mut n = 0;
    for m in markets.split(',') {
        n += cspdesk_core::pricelist::changes_in(&store, m, None, None)
            .expect("changes")
            .changes
            .len();
    }
    println!("DIFF changes={n}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        match args[pos + 1].as_str() {
            "next-day" => child_next_day(Path::new(&args[pos + 2]), &args[pos + 3]),
            "diff" => child_diff(Path::new(&args[pos + 2]), &args[pos + 3]),
            "writer" => child_writer(
                args[pos + 2].parse().expect("rows"),
                Path::new(&args[pos + 3]),
            ),
            other => panic!("unknown child {other}"),
        }
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let offers: usize = std::env::var("PRICELIST_BENCH_OFFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let large = std::env::var("PRICELIST_BENCH_LARGE").map_or(true, |v| v != "0");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cspdesk"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root
        .join("target/pricelist-bench")
        .join(format!("offers-{offers}"));
    std::fs::create_dir_all(&data).expect("bench data dir");
    let work = tempfile::tempdir().expect("tempdir");
    let me = std::env::current_exe().expect("exe");

    println!("pricelist_export: {offers} offers, 2 cores shared with the sandbox process");
    let sandbox = start_sandbox(&bin, offers);
    let markets: Vec<&str> = if large {
        LARGE.to_vec()
    } else {
        SMALL.to_vec()
    };

    // Catalogs: synced once, reused by later runs (not part of an export's time). Syncing a
    // 100k-offer catalog takes minutes a market here, so by default the 15 markets only the
    // large run needs get a copy of US's catalog (PRICELIST_BENCH_SYNC_ALL=1 syncs them too).
    let sync_all = std::env::var("PRICELIST_BENCH_SYNC_ALL").is_ok_and(|v| v == "1");
    for m in &markets {
        let marker = data.join(format!(".synced-{m}"));
        if marker.exists() || data.join(format!(".copied-{m}")).exists() {
            continue;
        }
        if !sync_all && !SMALL.contains(m) {
            copy_catalog(&data, "US", m);
            std::fs::write(data.join(format!(".copied-{m}")), b"").expect("marker");
            println!("setup: catalog of {m} copied from US's");
            continue;
        }
        let t = Instant::now();
        run(cli(&bin, &sandbox.url, &data).args(["offers", "sync", "--market", m]));
        println!(
            "setup: catalog of {m} synced in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        std::fs::write(&marker, b"").expect("marker");
    }

    // A sync builds each market's product lookup for the join as it stores the catalog; the
    // copies above stand in for syncs, so they get the same (a no-op where it is current).
    let t = Instant::now();
    {
        let store = open_store(&data);
        for m in &markets {
            ProductLookup::prepare(&store, m).expect("product lookup");
        }
    }
    println!(
        "setup: product lookups ready (built by the sync) in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let (build, serve, sizes) = warm_sandbox(&sandbox.url, &markets);
    println!(
        "sandbox: builds the day's {} sheets in {build:.2} s (once a day), then serves them ({:.1} MB zipped) in {serve:.2} s",
        markets.len(),
        sizes.iter().sum::<u64>() as f64 / 1e6
    );
    // The 5 markets come first in both lists.
    let small_zipped: u64 = sizes.iter().take(SMALL.len()).sum();

    let export = |markets: &str, format: &str, out: &Path| {
        measure(
            cli(&bin, &sandbox.url, &data)
                .args([
                    "prices", "export", "--market", markets, "--format", format, "--out",
                ])
                .arg(out),
        )
    };
    let small = SMALL.join(",");
    let xlsx = work.path().join("small.xlsx");
    let csv = work.path().join("small.csv");

    // 1. 5 markets, first export of the day: fetch + parse + join + trial rule + write .xlsx.
    clear_snapshots(&data);
    let first = export(&small, "xlsx", &xlsx);
    let snapshot_bytes = dir_bytes(&data.join("price-snapshots"));
    // 2. The same from today's snapshot.
    let again = export(&small, "xlsx", &xlsx);
    // 3. To .csv (from the snapshot), and once more on a fresh day.
    let csv_snap = export(&small, "csv", &csv);
    let rows = count_csv_rows(&csv);
    clear_snapshots(&data);
    let csv_first = export(&small, "csv", &csv);
    // 1a. The first export when the lookups are missing (a catalog stored by an older version):
    // the export builds and keeps them first.
    clear_snapshots(&data);
    for m in SMALL {
        let _ = std::fs::remove_file(data.join("price-lookups").join(format!("{m}.lookup")));
    }
    let cold = export(&small, "xlsx", &xlsx);
    println!(
        "1. {rows} rows, 5 markets, first export of the day to .xlsx: {:.2} s ({:.2} s CPU, load {:.1}), peak RSS {:.1} MiB (target <= 6 s, <= 64 MiB)",
        first.secs, first.cpu, first.load, first.rss_mib
    );
    println!(
        "1a. the same when the export must first build the 5 markets' product lookups (normally the sync's work): {:.2} s ({:.2} s CPU, load {:.1}), peak RSS {:.1} MiB",
        cold.secs, cold.cpu, cold.load, cold.rss_mib
    );
    println!(
        "2. the same from today's snapshot: {:.2} s ({:.2} s CPU, load {:.1}), peak RSS {:.1} MiB (target <= 5 s)",
        again.secs, again.cpu, again.load, again.rss_mib
    );
    println!(
        "3. to .csv: {:.2} s ({:.2} s CPU, load {:.1}) from the snapshot, {:.2} s ({:.2} s CPU, load {:.1}) first of the day; peak RSS {:.1} MiB (target <= 1.5 s)",
        csv_snap.secs, csv_snap.cpu, csv_snap.load, csv_first.secs, csv_first.cpu, csv_first.load, csv_first.rss_mib.max(csv_snap.rss_mib)
    );
    println!(
        "   store growth: {:.1} MB of snapshots for 5 markets = {:.2} x the zipped sheets the sandbox served (target <= 1.2 x)",
        snapshot_bytes as f64 / 1e6,
        snapshot_bytes as f64 / (small_zipped as f64).max(1.0)
    );

    // 3b. A customer price list with 50 margin rules against the plain list, both to .xlsx
    // from today's snapshot, back to back.
    let rules = work.path().join("rules.toml");
    std::fs::write(&rules, fifty_rules(&csv)).expect("rules file");
    let plain = export(&small, "xlsx", &xlsx);
    let customer_xlsx = work.path().join("customer.xlsx");
    let customer = measure(
        cli(&bin, &sandbox.url, &data)
            .args([
                "prices",
                "export",
                "--market",
                &small,
                "--format",
                "xlsx",
                "--customer-prices",
                "--customer",
                "Fabrikam",
                "--margin",
            ])
            .arg(&rules)
            .arg("--out")
            .arg(&customer_xlsx),
    );
    println!(
        "3b. customer price list, 50 rules, {rows} rows to .xlsx from the snapshot: {:.2} s ({:.2} s CPU, load {:.1}), peak RSS {:.1} MiB; the plain list just before: {:.2} s ({:.2} s CPU) = {:+.1} % (target <= +10 %)",
        customer.secs,
        customer.cpu,
        customer.load,
        customer.rss_mib,
        plain.secs,
        plain.cpu,
        (customer.secs / plain.secs - 1.0) * 100.0
    );

    // 4. About 20 markets.
    if large {
        clear_snapshots(&data);
        let big = work.path().join("large.xlsx");
        let large_run = export(&LARGE.join(","), "xlsx", &big);
        let big_csv = work.path().join("large.csv");
        run(cli(&bin, &sandbox.url, &data)
            .args([
                "prices",
                "export",
                "--market",
                &LARGE.join(","),
                "--format",
                "csv",
                "--out",
            ])
            .arg(&big_csv));
        println!(
            "4. {} rows, 20 markets, first export of the day to .xlsx: {:.2} s ({:.2} s CPU, load {:.1}), peak RSS {:.1} MiB (target <= 25 s, <= 96 MiB)",
            count_csv_rows(&big_csv),
            large_run.secs,
            large_run.cpu,
            large_run.load,
            large_run.rss_mib
        );
    }

    // 5. Changes between two days of the 5 markets: today's snapshots, and a next day made from
    // them (1 price in 50 moved, 1 row in 200 gone, as many new).
    run(cli(&bin, &sandbox.url, &data).args(["prices", "fetch", "--market", &small]));
    run(Command::new(&me)
        .args(["--child", "next-day"])
        .arg(&data)
        .arg(&small));
    let diff = measure(
        Command::new(&me)
            .args(["--child", "diff"])
            .arg(&data)
            .arg(&small),
    );
    println!(
        "5. prices diff of two {rows}-row days (5 markets, one process): {:.2} s ({:.2} s CPU, load {:.1}), peak RSS {:.1} MiB (target <= 3 s, <= 64 MiB)",
        diff.secs, diff.cpu, diff.load, diff.rss_mib
    );

    // 6. The writer alone.
    let w = work.path().join("writer.xlsx");
    let writer = measure(
        Command::new(&me)
            .args(["--child", "writer", "1000000"])
            .arg(&w),
    );
    println!(
        "6. writer only (1,000,000 synthetic rows, no fetch/parse/join; calibration): {:.2} s ({:.2} s CPU, load {:.1}), peak RSS {:.1} MiB",
        writer.secs, writer.cpu, writer.load, writer.rss_mib
    );

    // 7. Python XlsxWriter, the same rows as export 1 (PRICELIST_BENCH_PYTHON=0 skips it).
    drop(sandbox);
    if std::env::var("PRICELIST_BENCH_PYTHON").is_ok_and(|v| v == "0") {
        return;
    }
    let script = root.join("benches/xlsxwriter_baseline.py");
    let py_out = work.path().join("python.xlsx");
    let t = Instant::now();
    match Command::new("python3")
        .arg(&script)
        .arg(&csv)
        .arg(&py_out)
        .output()
    {
        Ok(o) if o.status.success() => {
            let py = t.elapsed().as_secs_f64();
            println!(
                "7. python XlsxWriter constant_memory, the same {rows} rows (read from the .csv export): {py:.2} s (load {:.1})",
                load_now()
            );
            println!(
                "   ratio python / rust whole path (first export of the day): {:.1}x (target >= 15x); python / rust from the snapshot: {:.1}x",
                py / first.secs,
                py / again.secs
            );
        }
        Ok(o) => println!(
            "7. python baseline skipped: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => println!("7. python baseline skipped: {e}"),
    }
}
