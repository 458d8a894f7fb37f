//! Declares the app's commands so each needs an explicit permission in `capabilities/`.
fn main() {
    // `generate_context!` needs `frontendDist` to exist at compile time; the UI build fills it.
    // Creating it here keeps build output out of git.
    std::fs::create_dir_all("../ui/dist").expect("creating ui/dist");
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
            // prices
            //
            // orders
            "customers",
            "customer_detail",
            "purchase_options",
            "review_order",
            "place_order",
            "activation_link",
            "orders",
            // subscriptions
            //
            // support
            //
            // account
        ]),
    ))
    .expect("tauri build script");
}
