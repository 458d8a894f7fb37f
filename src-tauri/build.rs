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
            "price_list_status",
            "default_price_list_path",
            "export_prices",
            "cancel_price_export",
            "fetch_price_snapshots",
            "price_changes",
            "default_changes_path",
            "export_price_changes",
            "open_exported_file",
            "reveal_exported_file",
            // orders
            "customers",
            "customer_detail",
            "purchase_options",
            "review_order",
            "place_order",
            "order_activation_link",
            "orders",
            // subscriptions
            "list_subscriptions",
            "subscription_badges",
            "get_subscription",
            "cancel_subscription",
            "set_auto_renew",
            "set_auto_renew_bulk",
            "quantity_bounds",
            "set_quantity",
            "subscription_activation_link",
            "cancellation_policy",
            "export_subscriptions",
            "plan_options",
            "change_plan",
            //
            // support
            "list_invoices",
            "invoice_lines",
            "export_invoice_lines",
            "list_publishers",
            "publisher_detail",
            "publisher_for_subscription",
            "add_publisher_note",
            "delete_publisher_note",
            "export_publisher_notes",
            //
            // account
            "read_settings",
            "save_settings",
            "whoami",
            "check_connection",
            "sign_in",
            "cancel_sign_in",
            "sign_out",
            "restart_app",
        ]),
    ))
    .expect("tauri build script");
}
