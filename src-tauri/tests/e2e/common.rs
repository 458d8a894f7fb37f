//! What every end-to-end test needs: the driver, a WebDriver session on the real app, polling,
//! clicks and screenshots.
//! Not every module uses every helper.
#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::Value;

pub const APP: &str = env!("CARGO_BIN_EXE_cspdesk-app");
pub const MARKET: &str = "US";

pub struct KillOnDrop(pub Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // SIGTERM, not Child::kill(): tauri-driver only kills WebKitWebDriver on TERM/INT/QUIT.
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn wait_port(port: u16, timeout: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < timeout, "port {port} never opened");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
}

/// The app the tests drive: `E2E_APP` (another build, e.g. target/release/cspdesk-app, or the
/// installed package's) or this build's.
pub fn app_path() -> PathBuf {
    std::env::var("E2E_APP")
        .ok()
        .filter(|a| !a.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(APP))
}

/// Ends the app a failed test left running (its WebDriver session never closed it). The app is
/// single-instance: while it runs, the next test's launch only brings that window forward and
/// exits, so the next session never starts and the whole run hangs until its timeout.
fn end_leftover_apps() {
    let app = std::fs::canonicalize(app_path()).unwrap_or_else(|_| app_path());
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if std::fs::read_link(e.path().join("exe")).is_ok_and(|exe| exe == app) {
            eprintln!("e2e: ending the app a previous test left running (pid {pid})");
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
            let start = Instant::now();
            while e.path().exists() && start.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

pub async fn session() -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        // E2E_APP: another build of the app (e.g. target/release/cspdesk-app) to measure.
        serde_json::json!({ "application": app_path() }),
    );
    // A driver that has just opened its port may drop the first request: try a few times.
    let mut tries = 0;
    loop {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect("http://127.0.0.1:4444")
            .await
        {
            Ok(c) => return c,
            Err(e) if tries < 3 => {
                tries += 1;
                eprintln!("e2e: webdriver session failed ({e}); retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => panic!("webdriver session (launches the app): {e}"),
        }
    }
}

/// Poll `script` (a JS expression returning a value) until `ok` holds.
pub async fn wait_for(
    c: &Client,
    what: &str,
    script: &str,
    timeout: Duration,
    ok: impl Fn(&Value) -> bool,
) -> Result<Value, CmdError> {
    let start = Instant::now();
    loop {
        let v = c.execute(&format!("return {script};"), vec![]).await?;
        if ok(&v) {
            return Ok(v);
        }
        assert!(
            start.elapsed() < timeout,
            "timed out waiting for {what}; last value {v}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Keeps the page repainting while a screenshot is taken: WebKitWebDriver takes it after the
/// page's next rendering update, and a still view has none until something on it changes (the
/// top bar's "synced N min ago", once a minute), so a screenshot of a still view waited up to
/// 60 s. A 1-pixel mark in the bottom-right corner changes shade every 16 ms until the
/// screenshot is back.
const REPAINT_START: &str = "if (!window.__e2eRepaint) { const d = document.createElement('div'); \
    d.id = 'e2e-repaint'; d.setAttribute('aria-hidden', 'true'); \
    d.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;opacity:0.05;background:#000'; \
    document.body.appendChild(d); let n = 0; \
    window.__e2eRepaint = setInterval(() => { d.style.background = (n++ % 2) ? '#000' : '#111'; }, 16); }";
const REPAINT_STOP: &str = "clearInterval(window.__e2eRepaint); window.__e2eRepaint = null; \
    document.getElementById('e2e-repaint')?.remove();";

pub async fn shot(c: &Client, name: &str) -> Result<(), CmdError> {
    tokio::time::sleep(Duration::from_millis(350)).await; // G4: let the paint catch up
    c.execute(REPAINT_START, vec![]).await?;
    let png = c.screenshot().await;
    c.execute(REPAINT_STOP, vec![]).await?;
    let png = png?;
    let dir = target_dir().join("e2e-shots");
    std::fs::create_dir_all(&dir).expect("shots dir");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write screenshot");
    eprintln!("e2e: screenshot {}", path.display());
    Ok(())
}

pub async fn click(c: &Client, css: &str) -> Result<(), CmdError> {
    c.find(Locator::Css(css)).await?.click().await
}

/// Keys typed into the field with id `id` (e.g. the Marketplace search `#search`).
pub async fn keys_to(c: &Client, id: &str, keys: &str) -> Result<(), CmdError> {
    c.find(Locator::Id(id)).await?.send_keys(keys).await
}

/// The id of the focused element.
pub async fn focused_id(c: &Client) -> Result<Value, CmdError> {
    c.execute("return document.activeElement?.id ?? null;", vec![])
        .await
}

/// The items of a JSON array a script returned, as `item` reads them (those it cannot are left out).
pub fn array_of<T>(v: &Value, item: impl Fn(&Value) -> Option<T>) -> Vec<T> {
    v.as_array()
        .map(|a| a.iter().filter_map(item).collect())
        .unwrap_or_default()
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Peak RSS (VmHWM, KiB) of the app process and of its WebKit child processes.
pub fn peak_rss() -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let p = e.path();
        let Ok(status) = std::fs::read_to_string(p.join("status")) else {
            continue;
        };
        let field = |k: &str| {
            status
                .lines()
                .find(|l| l.starts_with(k))
                .map(|l| l[k.len()..].trim().to_string())
        };
        let name = field("Name:").unwrap_or_default();
        if name.starts_with("cspdesk-app")
            || name.starts_with("WebKitWebProces")
            || name.starts_with("WebKitNetworkPr")
        {
            let kb = field("VmHWM:")
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
                .unwrap_or(0);
            out.push((name, kb));
        }
    }
    out
}

/// Free ports, a fresh data dir `target/<name>` (optionally seeded with a store file), and
/// tauri-driver started with the app's environment. Drop the guard to stop the driver.
pub fn start_driver(name: &str, presynced: Option<&str>) -> (KillOnDrop, PathBuf) {
    start_driver_with(name, presynced, &[])
}

/// [`start_driver`] with more environment for the app (e.g. `GTK_THEME=Adwaita:dark`).
pub fn start_driver_with(
    name: &str,
    presynced: Option<&str>,
    env: &[(&str, &str)],
) -> (KillOnDrop, PathBuf) {
    end_leftover_apps();
    // The previous test's WebKitWebDriver can hold its port for a moment after its driver exits.
    let start = Instant::now();
    for p in [4444u16, 4445] {
        while TcpStream::connect(("127.0.0.1", p)).is_ok() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "port {p} still in use after 20 s (a stale tauri-driver or WebKitWebDriver?)"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let data_dir = target_dir().join(name);
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir).expect("data dir");
    if let Some(store) = presynced {
        std::fs::copy(store, data_dir.join("cspdesk.sqlite")).expect("copy the presynced store");
    }
    let mut driver = Command::new("tauri-driver");
    // Never the developer's own settings: unless the test chose a file, a fresh one in the data
    // dir that sends exports to `<data dir>/exports`.
    if std::env::var_os("CSPDESK_SETTINGS").is_none() {
        let exports = data_dir.join("exports");
        std::fs::create_dir_all(&exports).expect("exports dir");
        let file = data_dir.join("settings.toml");
        std::fs::write(
            &file,
            format!(
                "export_dir = {}\n",
                toml_string(&exports.display().to_string())
            ),
        )
        .expect("settings file");
        driver.env("CSPDESK_SETTINGS", &file);
    }
    if presynced.is_some() {
        driver.env("CSPDESK_ENDPOINT", "http://127.0.0.1:9");
    } else {
        driver.env_remove("CSPDESK_ENDPOINT");
    }
    let guard = KillOnDrop(
        driver
            .args([
                "--port",
                "4444",
                "--native-port",
                "4445",
                "--native-driver",
                "/usr/bin/WebKitWebDriver",
            ])
            .env("CSPDESK_DATA_DIR", &data_dir)
            .envs(env.iter().copied())
            .env_remove("CSPDESK_ACCESS_TOKEN")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver on PATH"),
    );
    wait_port(4444, Duration::from_secs(20));
    (guard, data_dir)
}

/// Whether this run should drive the app (`E2E=1`); says why not otherwise.
pub fn enabled() -> bool {
    let on = std::env::var("E2E").ok().as_deref() == Some("1");
    if !on {
        eprintln!("E2E != 1, skipping");
    }
    on
}

/// Wait for the Marketplace's first rows after the first launch's catalog sync.
pub async fn wait_first_rows(c: &Client) -> Result<(), CmdError> {
    wait_for(
        c,
        "first rows after the first sync",
        "document.querySelector('#offer-table .tr[data-key]') !== null",
        Duration::from_secs(180),
        |v| v == &Value::Bool(true),
    )
    .await
    .map(|_| ())
}

/// Poll until `css` matches an element, then return whether it did.
pub async fn wait_css(c: &Client, css: &str, timeout: Duration) -> Result<(), CmdError> {
    let js = format!(
        "document.querySelector({}) !== null",
        serde_json::to_string(css).unwrap()
    );
    wait_for(c, css, &js, timeout, |v| v == &Value::Bool(true))
        .await
        .map(|_| ())
}

/// The text of the first element matching `css` (empty when none).
pub async fn text_of(c: &Client, css: &str) -> Result<String, CmdError> {
    let js = format!(
        "const e = document.querySelector({}); return e ? e.textContent : '';",
        serde_json::to_string(css).unwrap()
    );
    Ok(c.execute(&js, vec![])
        .await?
        .as_str()
        .unwrap_or("")
        .to_string())
}

/// One axe-core rule broken on the page: its id, impact, what it wants and where.
#[derive(Debug)]
pub struct AxeViolation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

/// Run axe-core (the npm package, `ui/node_modules/axe-core/axe.min.js`, injected through
/// WebDriver) on the page as it is, and return its serious and critical violations.
pub async fn axe_serious(c: &Client) -> Result<Vec<AxeViolation>, CmdError> {
    let loaded = c
        .execute("return typeof window.axe === 'object';", vec![])
        .await?;
    if loaded != Value::Bool(true) {
        let src = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js"),
        )
        .expect("axe-core in ui/node_modules (cd ui && npm ci)");
        // Run as a script body: axe puts itself on `window`.
        c.execute(&format!("{src}\nreturn typeof window.axe;"), vec![])
            .await?;
    }
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => [v.id, v.impact, v.help, v.nodes.map(n => n.target.join(' '))])))
               .catch(e => done([['axe-error', 'critical', String(e), []]]));",
            vec![],
        )
        .await?;
    Ok(array_of(&v, |x| {
        let s = |i: usize| x.get(i).and_then(Value::as_str).unwrap_or("").to_string();
        Some(AxeViolation {
            id: s(0),
            impact: s(1),
            help: s(2),
            targets: array_of(&x[3], |t| t.as_str().map(str::to_string)),
        })
    }))
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
