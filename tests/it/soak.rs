//! The soak as a test: 200 orders, 100 auto-renew toggles and 50 cancellations, a catalog sync and
//! price-list exports against a sandbox with 10% 429, 5% 5xx, 2% dropped-after-commit and
//! 0–200 ms latency; then exactly-once, complete-or-absent, read-back and integrity checks.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn soak_against_a_faulty_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = cspdesk_soak::SoakConfig::new(dir.path().to_path_buf());
    cfg.offers = 300;
    cfg.max_duration = std::time::Duration::from_secs(420);
    let report = cspdesk_soak::run(&cfg).await.expect("soak runs");
    eprintln!("{}", serde_json::to_string_pretty(&report).unwrap());
    for c in &report.checks {
        assert!(c.ok, "{}: {}", c.name, c.detail);
    }
    assert!(
        report.faults_injected.throttled > 0 && report.faults_injected.server_errors > 0,
        "faults were injected"
    );
    assert_eq!(report.orders_placed + report.orders_failed, 200);
    assert!(report.orders_placed >= 190, "{report:?}");
    assert_eq!(report.auto_renew_changed, 100);
    assert_eq!(report.cancelled, 50);
}
