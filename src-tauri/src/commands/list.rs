// The one list of the desktop's commands, grouped by the capability file that grants them and
// by the module (`commands::<area>`) that holds them. Everything else is made from it:
// - `lib.rs` expands it into the invoke handler;
// - `build.rs` declares each command's permission, writes the `allow-*` grants of each file in
//   `capabilities/` (the plugin grants there are kept as written), and writes
//   `ui/src/bindings/Command.ts`, the union `api.ts` types its calls with.
// Adding a command is one line here plus the function.
commands! {
    default: {
        connection: [connection_status, markets],
        catalog: [last_sync, sync_catalog, cancel_sync, query_offers, offer_detail, publishers],
    },
    prices: {
        prices: [
            price_list_status,
            default_price_list_path,
            export_prices,
            cancel_price_export,
            fetch_price_snapshots,
            price_changes,
            default_changes_path,
            export_price_changes,
            open_exported_file,
            reveal_exported_file,
        ],
        pricing: [
            margin_rules,
            add_margin_rule,
            remove_margin_rule,
            import_margin_rules,
            export_margin_rules,
            schedule_status,
            set_schedule,
            remove_schedule,
            run_schedule_now,
            price_impact,
            export_price_impact,
        ],
    },
    orders: {
        orders: [
            customers,
            customer_detail,
            purchase_options,
            review_order,
            place_order,
            order_activation_link,
            orders,
        ],
    },
    subscriptions: {
        subscriptions: [
            list_subscriptions,
            subscription_badges,
            get_subscription,
            cancel_subscription,
            set_auto_renew,
            set_auto_renew_bulk,
            quantity_bounds,
            set_quantity,
            subscription_activation_link,
            cancellation_policy,
            export_subscriptions,
            plan_options,
            change_plan,
        ],
    },
    support: {
        support: [
            list_invoices,
            invoice_lines,
            export_invoice_lines,
            list_publishers,
            publisher_detail,
            publisher_for_subscription,
            add_publisher_note,
            delete_publisher_note,
            export_publisher_notes,
        ],
    },
    account: {
        account: [
            read_settings,
            check_settings,
            save_settings,
            whoami,
            sign_in,
            cancel_sign_in,
            sign_out,
            check_connection,
        ],
    },
    desktop: {
        desktop: [
            about_info,
            diagnostics_text,
            open_folder,
            update_prefs,
            set_automatic_update_checks,
            check_for_updates,
            install_update,
            restart_app,
        ],
    },
}
