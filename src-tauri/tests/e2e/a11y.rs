//! Accessibility in the real window: axe-core (the npm package, injected through WebDriver) on
//! every view, and on a list's open detail and each Price lists tab, in the light theme and in
//! the dark one (`GTK_THEME=Adwaita:dark`). A serious or critical violation fails the test, with
//! its rule id, impact and the elements it names. These runs have the accessibility bus on
//! (at-spi-bus-launcher in the test's D-Bus session, `NO_AT_BRIDGE=0`): the app must work with
//! a screen reader's bus there. One app launch per theme; screenshots `a11y-<view>-<theme>.png`.

use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::error::CmdError;
use fantoccini::Client;
use serde_json::Value;

use crate::common::*;

/// What to look at: the sidebar entry, then (optionally) a row to open, and the Price lists tabs.
const VIEWS: &[(&str, &str, Option<&str>)] = &[
    (
        "marketplace",
        "Marketplace",
        Some("#offer-table .tr[data-key]"),
    ),
    ("price-lists", "Price lists", None),
    (
        "customers",
        "Customers",
        Some("#customer-table .tr[data-id]"),
    ),
    (
        "subscriptions",
        "Subscriptions",
        Some("#subs-table .tr[data-id]"),
    ),
    ("orders", "Orders", None),
    ("invoices", "Invoices", Some("#line-table .tr[data-sub]")),
    (
        "publishers",
        "Publishers",
        Some("#publisher-list .tr[data-key]"),
    ),
    ("settings", "Settings", None),
];
const PRICE_TABS: &[&str] = &["export", "changes", "impact", "pricing", "schedule"];

/// The accessibility bus, started in this D-Bus session; its address, read back from it.
fn accessibility_bus() -> (KillOnDrop, String) {
    let launcher = KillOnDrop(
        Command::new("/usr/libexec/at-spi-bus-launcher")
            .arg("--launch-immediately")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("at-spi-bus-launcher (at-spi2-core)"),
    );
    let start = std::time::Instant::now();
    loop {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.a11y.Bus",
                "/org/a11y/bus",
                "org.a11y.Bus.GetAddress",
            ])
            .output()
            .expect("dbus-send");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if out.status.success() && text.contains("unix:") {
            return (
                launcher,
                text.lines().last().unwrap_or("").trim().to_string(),
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the accessibility bus never answered: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn check(c: &Client, what: &str, found: &mut Vec<String>) -> Result<(), CmdError> {
    let v = axe_serious(c).await?;
    let size = c.execute("return [innerWidth, innerHeight, document.querySelector('.app')?.getBoundingClientRect().height];", vec![]).await?;
    eprintln!("e2e: axe {what}: {} serious or critical (page [innerWidth, innerHeight, app height] {size})", v.len());
    for x in v {
        let line = format!(
            "{what}: {} ({}) {}: {}",
            x.id,
            x.impact,
            x.help,
            x.targets.join(" | ")
        );
        eprintln!("e2e: axe   {line}");
        found.push(line);
    }
    Ok(())
}

/// The X screen itself (ImageMagick's `import`), beside WebDriver's screenshot of the page: what
/// the window shows, to tell a page painted short from a screenshot taken short.
fn screen_shot(name: &str) {
    let path = target_dir()
        .join("e2e-shots")
        .join(format!("{name}-xscreen.png"));
    match Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
    {
        Ok(s) if s.success() => eprintln!("e2e: X screen {}", path.display()),
        other => eprintln!("e2e: no X screen shot ({other:?})"),
    }
}

async fn settle(c: &Client) -> Result<(), CmdError> {
    // Data from the sandbox, then the paint.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let _ = wait_for(
        c,
        "nothing loading",
        "document.querySelector('progress, .skeleton') === null",
        Duration::from_secs(20),
        |v| v == &Value::Bool(true),
    )
    .await;
    Ok(())
}

/// The buy flow, a dialog: axe on it; Tab stays inside; Esc closes it and the focus is back on
/// the button that opened it.
async fn buy_dialog(c: &Client, theme: &str, found: &mut Vec<String>) -> Result<(), CmdError> {
    wait_for(
        c,
        "Buy… enabled",
        "document.querySelector('#customer-buy:not([disabled])') !== null",
        Duration::from_secs(20),
        |v| v == &Value::Bool(true),
    )
    .await?;
    c.execute("document.getElementById('customer-buy').focus();", vec![])
        .await?;
    c.active_element().await?.send_keys("\u{e007}").await?; // Enter on the button
    wait_css(c, "#buy-flow", Duration::from_secs(10)).await?;
    settle(c).await?;
    check(c, &format!("buy dialog ({theme})"), found).await?;
    shot(c, &format!("a11y-buy-dialog-{theme}")).await?;
    for _ in 0..30 {
        c.active_element().await?.send_keys("\u{e004}").await?; // Tab
    }
    let inside = c
        .execute(
            "return document.getElementById('buy-flow').contains(document.activeElement);",
            vec![],
        )
        .await?;
    assert_eq!(inside, Value::Bool(true), "Tab left the dialog");
    c.active_element().await?.send_keys("\u{e00c}").await?; // Escape
    wait_for(
        c,
        "the dialog closed",
        "document.getElementById('buy-flow') === null",
        Duration::from_secs(10),
        |v| v == &Value::Bool(true),
    )
    .await?;
    assert_eq!(
        focused_id(c).await?,
        "customer-buy",
        "the focus goes back to Buy…"
    );
    Ok(())
}

async fn a11y(theme: &str) {
    let (_bus, address) = accessibility_bus();
    eprintln!("e2e: accessibility bus at {address}");
    let mut env = vec![("NO_AT_BRIDGE", "0")];
    if theme == "dark" {
        env.push(("GTK_THEME", "Adwaita:dark"));
    }
    let (_driver, _data_dir) = start_driver_with(&format!("e2e-a11y-{theme}"), None, &env);
    let c = session().await;
    let mut found = Vec::new();
    let result = async {
        c.set_window_size(1280, 800).await?;
        wait_first_rows(&c).await?;
        let sizes = c
            .execute("return [innerWidth, innerHeight, outerWidth, outerHeight, devicePixelRatio, screen.width, screen.height, document.documentElement.clientHeight];", vec![])
            .await?;
        eprintln!("e2e: page [innerWidth, innerHeight, outerWidth, outerHeight, devicePixelRatio, screen.width, screen.height, clientHeight] = {sizes}");
        let dark = c.execute("return matchMedia('(prefers-color-scheme: dark)').matches;", vec![]).await?;
        assert_eq!(dark, Value::Bool(theme == "dark"), "the {theme} theme");
        for (id, label, row) in VIEWS {
            c.execute(&format!("Array.from(document.querySelectorAll('.nav-item')).find(b => b.textContent.includes({})).click();", serde_json::to_string(label).unwrap()), vec![])
                .await?;
            wait_css(&c, ".nav-item.active", Duration::from_secs(10)).await?;
            settle(&c).await?;
            check(&c, &format!("{id} ({theme})"), &mut found).await?;
            shot(&c, &format!("a11y-{id}-{theme}")).await?;
            screen_shot(&format!("a11y-{id}-{theme}"));
            if *id == "price-lists" {
                for t in PRICE_TABS {
                    click(&c, &format!("#tab-{t}")).await?;
                    settle(&c).await?;
                    check(&c, &format!("{id}/{t} ({theme})"), &mut found).await?;
                    shot(&c, &format!("a11y-{id}-{t}-{theme}")).await?;
                }
            }
            if let Some(row) = row {
                // A row opened: the detail beside the list.
                if wait_css(&c, row, Duration::from_secs(60)).await.is_ok() {
                    click(&c, row).await?;
                    settle(&c).await?;
                    check(&c, &format!("{id} with a row open ({theme})"), &mut found).await?;
                    shot(&c, &format!("a11y-{id}-open-{theme}")).await?;
                    if *id == "customers" {
                        buy_dialog(&c, theme, &mut found).await?;
                    }
                }
            }
        }
        Ok::<_, CmdError>(())
    }
    .await;
    if result.is_err() {
        let _ = shot(&c, &format!("a11y-{theme}-failure")).await;
    }
    c.close().await.ok();
    result.expect("the a11y e2e");
    assert!(
        found.is_empty(),
        "axe found {} serious or critical violations ({theme}):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[tokio::test]
async fn a11y_light() {
    if enabled() {
        a11y("light").await;
    }
}

#[tokio::test]
async fn a11y_dark() {
    if enabled() {
        a11y("dark").await;
    }
}
