//! `kill -9` in the middle of a catalog sync and of a price-list export: after a restart the
//! store is intact and consistent, the previous catalog is still there, and the export is either
//! complete or absent. (A kill during checkout is covered in `orders.rs` with a failpoint.)

use crate::support::common;

use std::process::{Command, Stdio};
use std::time::Duration;

fn cspdesk(url: &str, dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cspdesk"));
    c.args(["--endpoint", url, "--data-dir"])
        .arg(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn kill_after(mut cmd: Command, after: Duration) {
    let mut child = cmd.spawn().unwrap();
    std::thread::sleep(after);
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_during_sync_keeps_the_previous_catalog() {
    let sb = common::sandbox_with(600, "").await;
    let url = sb.url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let sb_faults = "latency=20ms".parse().unwrap();
    let (first, second) = tokio::task::spawn_blocking({
        let (url, d) = (url.clone(), d.clone());
        move || {
            let out = cspdesk(&url, &d, &["--json", "offers", "sync", "--market", "US"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let first: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            (first, d)
        }
    })
    .await
    .unwrap();
    sb.set_faults(sb_faults);
    tokio::task::spawn_blocking({
        let (url, d) = (url.clone(), second.clone());
        move || {
            kill_after(
                cspdesk(&url, &d, &["offers", "sync", "--market", "US"]),
                Duration::from_millis(1500),
            )
        }
    })
    .await
    .unwrap();
    sb.set_faults(Default::default());
    let store = cspdesk_core::store::Store::open(&d.join("cspdesk.sqlite"))
        .expect("the store opens after the kill");
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let offers = cspdesk_core::catalog::sync::load_offers(&store, "US").unwrap();
    assert_eq!(
        offers.len() as u64,
        first["offers"].as_u64().unwrap(),
        "the previous catalog is intact"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_during_export_leaves_no_file_and_the_next_export_is_complete() {
    let sb = common::sandbox_with(600, "latency=10ms").await;
    let url = sb.url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("prices.xlsx");
    let (d, o) = (dir.path().to_path_buf(), out.clone());
    tokio::task::spawn_blocking(move || {
        for ms in [300u64, 900, 1800] {
            let mut cmd = cspdesk(
                &url,
                &d,
                &[
                    "prices", "export", "--market", "US,GB", "--format", "xlsx", "--out",
                ],
            );
            cmd.arg(&o);
            kill_after(cmd, Duration::from_millis(ms));
            assert!(
                !o.exists() || calamine::open_workbook_auto(&o).is_ok(),
                "a killed export is complete or absent"
            );
        }
        let done = cspdesk(
            &url,
            &d,
            &[
                "prices", "export", "--market", "US,GB", "--format", "xlsx", "--out",
            ],
        )
        .arg(&o)
        .output()
        .unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert!(String::from_utf8_lossy(&done.stdout).contains("rows written"));
    })
    .await
    .unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "only the finished export remains: {leftovers:?}"
    );
    let store = cspdesk_core::store::Store::open(&dir.path().join("cspdesk.sqlite")).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
