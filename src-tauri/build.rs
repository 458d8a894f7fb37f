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
            //
            // subscriptions
            "list_subscriptions",
            "subscription_badges",
            "get_subscription",
            "cancel_subscription",
            "set_auto_renew",
            "set_auto_renew_bulk",
            "quantity_bounds",
            "set_quantity",
            "activation_link",
            "cancellation_policy",
            "export_subscriptions",
            "plan_options",
            "change_plan",
            //
            // support
            //
            // account
        ]),
    ))
    .expect("tauri build script");
}
