//! Benchmark: 1,000,000 price rows to `.xlsx` (constant-memory) and to `.csv`, with wall time and
//! peak RSS, and the same rows through Python XlsxWriter in `constant_memory` mode as the baseline.
//!
//! `cargo bench --bench pricelist_export` (rows: `EXPORT_BENCH_ROWS`, default 1,000,000). Each
//! writer runs in its own child process so its peak RSS (VmHWM) is its own. The Python baseline
//! needs `pip install xlsxwriter`; it is skipped with a note when that is missing.

use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use chrono::NaiveDate;
use cspdesk_core::pricelist::export::{write_csv, write_xlsx, ExportControl, SheetInput};
use cspdesk_core::pricelist::rows::PriceRow;

/// Row `i` of the benchmark; `benches/xlsxwriter_baseline.py` builds the same rows.
fn row(i: u64) -> PriceRow {
    let price = ((i * 37) % 10_000) as f64 / 100.0 + 1.0;
    PriceRow {
        market: "GB".into(),
        currency: "GBP".into(),
        product_id: format!("DZH318Z0{:04X}", (i / 4) % 65_536),
        product: format!("Product {}", i / 4),
        sku_id: format!("000{}", 1 + i % 3),
        plan: "Standard".into(),
        publisher: format!("Publisher {}", i % 300),
        offer_type: "SaaS".into(),
        category: "Security".into(),
        term: if i.is_multiple_of(2) {
            "P1M".into()
        } else {
            "P1Y".into()
        },
        billing_plan: if i.is_multiple_of(2) {
            "Monthly".into()
        } else {
            "Annual".into()
        },
        unit_price: price,
        erp_price: Some((price * 1.2 * 100.0).round() / 100.0),
        effective_start: NaiveDate::from_ymd_opt(2026, 1, 1),
        effective_end: NaiveDate::from_ymd_opt(2026, 12, 31),
        free_trial: "No".into(),
    }
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn child(mode: &str, rows: u64, out: &std::path::Path) {
    let cancel = AtomicBool::new(false);
    let progress = |_n: u64| {};
    let ctl = ExportControl {
        cancel: &cancel,
        progress: &progress,
    };
    let t = Instant::now();
    let n = match mode {
        "xlsx" => write_xlsx(
            out,
            vec![SheetInput {
                name: "GB".into(),
                currency: "GBP".into(),
                rows: Box::new((0..rows).map(row)),
            }],
            &ctl,
        ),
        _ => write_csv(out, &mut (0..rows).map(row), false, &ctl),
    }
    .expect("export");
    let secs = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "RESULT {mode} rows={n} secs={secs:.3} peak_rss_mib={:.1} bytes={size}",
        peak_rss_mib()
    );
}

fn parse(line: &str, key: &str) -> f64 {
    line.split_whitespace()
        .find_map(|p| p.strip_prefix(&format!("{key}=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: u64 = std::env::var("EXPORT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        child(&args[pos + 1], rows, std::path::Path::new(&args[pos + 2]));
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let me = std::env::current_exe().expect("exe");
    let mut rust_xlsx = f64::NAN;
    for mode in ["xlsx", "csv"] {
        let out = dir.path().join(format!("bench.{mode}"));
        let o = Command::new(&me)
            .args(["--child", mode])
            .arg(&out)
            .env("EXPORT_BENCH_ROWS", rows.to_string())
            .output()
            .expect("child");
        let text = String::from_utf8_lossy(&o.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("RESULT"))
            .unwrap_or_else(|| panic!("child failed: {}", String::from_utf8_lossy(&o.stderr)));
        let (secs, rss) = (parse(line, "secs"), parse(line, "peak_rss_mib"));
        let target = if mode == "xlsx" {
            "target <= 6 s, <= 64 MiB"
        } else {
            "target <= 1.5 s"
        };
        println!("rust {mode}: {rows} rows in {secs:.2} s, peak RSS {rss:.1} MiB ({target})");
        if mode == "xlsx" {
            rust_xlsx = secs;
        }
    }
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/xlsxwriter_baseline.py");
    let out = dir.path().join("python.xlsx");
    let t = Instant::now();
    match Command::new("python3")
        .arg(&script)
        .arg(rows.to_string())
        .arg(&out)
        .output()
    {
        Ok(o) if o.status.success() => {
            let py = t.elapsed().as_secs_f64();
            println!("python XlsxWriter constant_memory: {rows} rows in {py:.2} s");
            println!(
                "ratio python/rust xlsx: {:.1}x (target >= 10x)",
                py / rust_xlsx
            );
        }
        Ok(o) => println!(
            "python baseline skipped: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => println!("python baseline skipped: {e}"),
    }
}
