//! Declares the app's commands so each needs an explicit permission in `capabilities/`.
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "connection_status",
            "markets",
            "last_sync",
            "sync_catalog",
            "cancel_sync",
            "query_offers",
            "offer_detail",
            "publishers",
        ]),
    ))
    .expect("tauri build script");
}
