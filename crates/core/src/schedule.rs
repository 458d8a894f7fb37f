//! The daily price-list export that runs by itself (issue 20): a user-level OS schedule runs the
//! installed `cspdesk` CLI (`cspdesk schedule run`), so nothing depends on the app being open.
//!
//! Where it is registered, decided here and only here:
//! - Linux: a systemd user timer (`~/.config/systemd/user/cspdesk-daily.{service,timer}`) where
//!   `systemctl --user` answers; else the user's crontab, between two marker lines that only
//!   CSP Desk touches; else nothing, and the error gives the cron line to copy.
//! - macOS: a launchd agent (`~/Library/LaunchAgents/com.cspdesk.daily.plist`); Windows: a Task
//!   Scheduler task (`schtasks /Create /SC DAILY`). Both are written but only Linux is tested here.
//!
//! What it does is kept in the store (the settings and every run), so `schedule run` needs
//! nothing but the data folder, and the app can say at start that a run failed or was missed.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::message::Message;
use crate::store::Store;
use crate::tabular::ExportFormat;

/// What runs every day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleSettings {
    /// Local time of day, `HH:MM`.
    pub at: String,
    pub markets: Vec<String>,
    pub formats: Vec<ExportFormat>,
    /// The folder the dated files go to.
    pub dir: String,
    /// Also write the customer price lists (with the margin rules).
    pub customer_prices: bool,
    /// Who the customer price lists are for (their header block).
    #[serde(default)]
    pub customer_list: crate::pricelist::layout::CustomerList,
    /// Dated files older than this many days are removed after a run.
    pub keep_days: u32,
}

/// One run, as `schedule history` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRun {
    #[ts(type = "number")]
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub ok: bool,
    /// Why it failed, in the words of the error.
    pub error: Option<String>,
    pub files: Vec<String>,
    /// Rows written, over every file.
    #[ts(type = "number")]
    pub rows: u64,
    /// Started by hand ("Run now", `schedule run --manual`) rather than by the OS schedule.
    pub manual: bool,
}

/// Where the schedule is registered.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    /// `systemd`, `crontab`, `launchd` or `schtasks`.
    pub backend: String,
    /// The file or entry written.
    pub entry: String,
    /// The command it runs.
    pub command: String,
}

const TABLES: &str = "CREATE TABLE IF NOT EXISTS schedule (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    json TEXT NOT NULL,
    set_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS schedule_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    ok INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    files TEXT NOT NULL DEFAULT '[]',
    rows INTEGER NOT NULL DEFAULT 0,
    manual INTEGER NOT NULL DEFAULT 0
)";

/// Checks what was asked: a time of day, at least one market and format, a folder.
pub fn check(s: &ScheduleSettings) -> Result<ScheduleSettings> {
    let at = NaiveTime::parse_from_str(s.at.trim(), "%H:%M").map_err(|_| {
        Error::from(Message::ScheduleBadTime {
            value: s.at.clone(),
        })
    })?;
    let mut markets = vec![];
    for m in &s.markets {
        let m = crate::catalog::markets::market_code(m)?;
        if !markets.contains(&m) {
            markets.push(m);
        }
    }
    if markets.is_empty() {
        return Err(Message::ScheduleNoMarket.into());
    }
    if s.formats.is_empty() {
        return Err(Message::ScheduleNoFormat.into());
    }
    let dir = s.dir.trim();
    if dir.is_empty() || !Path::new(dir).is_absolute() {
        return Err(Message::ScheduleBadFolder { value: dir.into() }.into());
    }
    Ok(ScheduleSettings {
        at: at.format("%H:%M").to_string(),
        markets,
        dir: dir.to_string(),
        keep_days: s.keep_days.max(1),
        ..s.clone()
    })
}

/// Saves the settings, as set at `now`.
pub fn save(store: &Store, s: &ScheduleSettings, now: DateTime<Utc>) -> Result<()> {
    let conn = store.conn();
    conn.execute_batch(TABLES)?;
    let json = serde_json::to_string(s)
        .map_err(|e| Error::Internal(format!("keeping the schedule: {e}")))?;
    conn.execute(
        "INSERT INTO schedule (id, json, set_at) VALUES (1, ?1, ?2) \
         ON CONFLICT(id) DO UPDATE SET json = ?1, set_at = ?2",
        params![json, now.to_rfc3339()],
    )?;
    Ok(())
}

/// The settings, when a schedule is set.
pub fn load(store: &Store) -> Result<Option<ScheduleSettings>> {
    Ok(load_with_time(store)?.map(|(s, _)| s))
}

fn load_with_time(store: &Store) -> Result<Option<(ScheduleSettings, DateTime<Utc>)>> {
    let conn = store.conn();
    conn.execute_batch(TABLES)?;
    let row: Option<(String, String)> = conn
        .query_row("SELECT json, set_at FROM schedule WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .ok();
    Ok(row.and_then(|(j, at)| {
        let at = DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc);
        Some((serde_json::from_str(&j).ok()?, at))
    }))
}

/// Forgets the settings (the history stays).
pub fn clear(store: &Store) -> Result<()> {
    let conn = store.conn();
    conn.execute_batch(TABLES)?;
    conn.execute("DELETE FROM schedule", [])?;
    Ok(())
}

/// Records the start of a run; returns its id.
fn run_started(store: &Store, at: DateTime<Utc>, manual: bool) -> Result<i64> {
    let conn = store.conn();
    conn.execute_batch(TABLES)?;
    conn.execute(
        "INSERT INTO schedule_runs (started_at, manual) VALUES (?1, ?2)",
        params![at.to_rfc3339(), manual],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records how a run ended.
fn run_finished(
    store: &Store,
    id: i64,
    at: DateTime<Utc>,
    outcome: &std::result::Result<&RunOutcome, String>,
) -> Result<()> {
    let (ok, error, files, rows) = match outcome {
        Ok(o) => (
            true,
            None,
            o.files.iter().map(|f| f.display().to_string()).collect(),
            o.rows,
        ),
        Err(e) => (false, Some(e.clone()), vec![], 0),
    };
    store.conn().execute(
        "UPDATE schedule_runs SET finished_at = ?1, ok = ?2, error = ?3, files = ?4, rows = ?5 WHERE id = ?6",
        params![
            at.to_rfc3339(),
            ok,
            error,
            serde_json::to_string(&files).unwrap_or_else(|_| "[]".into()),
            rows as i64,
            id
        ],
    )?;
    Ok(())
}

/// What a run wrote, and the old dated files it removed.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunOutcome {
    pub files: Vec<PathBuf>,
    pub rows: u64,
    pub removed: Vec<PathBuf>,
    /// The day the files are dated (the connection's clock); old files are counted from it.
    pub day: chrono::NaiveDate,
}

/// One run of the schedule `s`, recorded whatever happens: `connect` opens the connection, so
/// a run that cannot reach the services or is signed out is recorded with its reason. Each
/// file (one per format, every market in it) is written to a temporary file and renamed, so a
/// failed run leaves no part and keeps the earlier day's file. Dated files older than
/// `keep_days` are removed after a run that succeeded. The CLI's `schedule run` (what the OS
/// runs) and the app's "Run now" both come here.
pub async fn run<C, F>(
    store: &Store,
    s: &ScheduleSettings,
    manual: bool,
    connect: F,
    cancel: &std::sync::atomic::AtomicBool,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<RunOutcome>
where
    C: std::borrow::Borrow<crate::connection::Connection>,
    F: std::future::Future<Output = Result<C>>,
{
    let id = run_started(store, Utc::now(), manual)?;
    let outcome = match connect.await {
        Ok(conn) => export_all(conn.borrow(), s, cancel, progress).await,
        Err(e) => Err(e),
    };
    run_finished(
        store,
        id,
        Utc::now(),
        &outcome.as_ref().map_err(ToString::to_string),
    )?;
    let mut done = outcome?;
    done.removed = prune(Path::new(&s.dir), s.keep_days, done.day);
    Ok(done)
}

async fn export_all(
    conn: &crate::connection::Connection,
    s: &ScheduleSettings,
    cancel: &std::sync::atomic::AtomicBool,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<RunOutcome> {
    let day = conn.now().date_naive();
    std::fs::create_dir_all(&s.dir).map_err(|e| Error::io(format!("creating {}", s.dir), e))?;
    let mut done = RunOutcome {
        day,
        ..Default::default()
    };
    let lists = [None].into_iter().chain(s.customer_prices.then(|| {
        Some(crate::pricelist::CustomerExport {
            list: s.customer_list.clone(),
            rules_file: None,
        })
    }));
    let jobs: Vec<_> = lists
        .flat_map(|c| s.formats.iter().map(move |f| (c.clone(), *f)))
        .collect();
    for (customer, format) in jobs {
        let name = match customer {
            Some(_) => crate::pricelist::customer_export_name(&s.markets, day),
            None => crate::pricelist::export_name(&s.markets, day),
        };
        let out = Path::new(&s.dir).join(format!("{name}.{}", format.ext()));
        let req = crate::pricelist::ExportRequest {
            markets: s.markets.clone(),
            format,
            out,
            bom: false,
            filter: Default::default(),
            skip_bad_rows: false,
            day: Some(day),
            customer,
        };
        let base = done.rows;
        let report = crate::pricelist::export(conn, &req, cancel, &|n| progress(base + n)).await?;
        done.rows += report.rows;
        done.files.push(report.path);
    }
    Ok(done)
}

/// Every run, newest first.
pub fn history(store: &Store) -> Result<Vec<ScheduleRun>> {
    let conn = store.conn();
    conn.execute_batch(TABLES)?;
    let mut stmt = conn.prepare(
        "SELECT id, started_at, finished_at, ok, error, files, rows, manual FROM schedule_runs ORDER BY id DESC",
    )?;
    let time = |s: String| {
        DateTime::parse_from_rfc3339(&s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    };
    let rows = stmt.query_map([], |r| {
        Ok(ScheduleRun {
            id: r.get(0)?,
            started_at: time(r.get(1)?),
            finished_at: r.get::<_, Option<String>>(2)?.map(time),
            ok: r.get(3)?,
            error: r.get(4)?,
            files: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
            rows: r.get::<_, i64>(6)?.max(0) as u64,
            manual: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What the app says at start: the last run failed, or the run due last (at or before `now`)
/// did not start although the schedule was set before it (the machine was off). `None` when
/// all is well or nothing is scheduled.
pub fn attention(store: &Store, now: DateTime<chrono::Local>) -> Result<Option<Message>> {
    let Some((s, set_at)) = load_with_time(store)? else {
        return Ok(None);
    };
    let runs = history(store)?;
    if let Some(last) = runs.first().filter(|r| !r.ok) {
        let at = last
            .started_at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        return Ok(Some(match &last.error {
            Some(why) => Message::ScheduleFailed {
                at,
                why: why.clone(),
            },
            None => Message::ScheduleUnfinished { at },
        }));
    }
    let at = NaiveTime::parse_from_str(&s.at, "%H:%M").unwrap_or_default();
    let mut due = now.date_naive().and_time(at);
    if due > now.naive_local() {
        due -= Duration::days(1);
    }
    let local = |t: DateTime<Utc>| t.with_timezone(&chrono::Local).naive_local();
    let ran = runs
        .first()
        .is_some_and(|r| local(r.started_at) >= due - Duration::minutes(5));
    if !ran && local(set_at) < due {
        return Ok(Some(Message::ScheduleMissed {
            at: due.format("%Y-%m-%d %H:%M").to_string(),
        }));
    }
    Ok(None)
}

/// The dated name of a scheduled file, e.g. `pricelist-GB-2026-12-04.xlsx`.
pub fn is_dated_export(name: &str) -> Option<chrono::NaiveDate> {
    let stem = name.rsplit_once('.')?.0;
    let date = stem.get(stem.len().checked_sub(10)?..)?;
    (stem.starts_with("pricelist-") || stem.starts_with("customer-prices-"))
        .then(|| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
        .flatten()
}

/// Removes the dated exports in `dir` older than `keep_days` before `today`; returns them.
pub fn prune(dir: &Path, keep_days: u32, today: chrono::NaiveDate) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut gone = vec![];
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if let Some(day) = is_dated_export(&name) {
            if (today - day).num_days() >= i64::from(keep_days)
                && std::fs::remove_file(e.path()).is_ok()
            {
                gone.push(e.path());
            }
        }
    }
    gone
}

// ---- registering with the OS

const MARK_BEGIN: &str = "# >>> CSP Desk daily export (managed by `cspdesk schedule`) >>>";
const MARK_END: &str = "# <<< CSP Desk daily export <<<";
const UNIT: &str = "cspdesk-daily";

fn quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:=@%+,".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The command line the schedule runs.
pub fn command_line(command: &[String]) -> String {
    command
        .iter()
        .map(|a| quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The crontab line for `at` (HH:MM) running `command`.
pub fn cron_line(at: &str, command: &[String]) -> Result<String> {
    let t = NaiveTime::parse_from_str(at, "%H:%M").map_err(|_| {
        Error::from(Message::NotTimeOfDay {
            value: at.to_string(),
        })
    })?;
    use chrono::Timelike;
    Ok(format!(
        "{} {} * * * {}",
        t.minute(),
        t.hour(),
        command_line(command)
    ))
}

fn run_tool(cmd: &mut Command, what: &str) -> Result<String> {
    let out = cmd
        .output()
        .map_err(|e| Error::io(format!("running {what}"), e))?;
    if !out.status.success() {
        return Err(Message::ScheduleToolFailed {
            tool: what.to_string(),
            why: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        }
        .refused());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn systemd_user_available() -> bool {
    cfg!(target_os = "linux")
        && Command::new("systemctl")
            .args(["--user", "show-environment"])
            .output()
            .is_ok_and(|o| o.status.success())
}

fn crontab_available() -> bool {
    Command::new("crontab").arg("-l").output().is_ok_and(|o| {
        o.status.success() || String::from_utf8_lossy(&o.stderr).contains("no crontab")
    })
}

/// The crontab text with our block replaced by `line` (or removed when `None`).
fn with_block(current: &str, line: Option<&str>) -> String {
    let mut out = vec![];
    let mut inside = false;
    for l in current.lines() {
        if l.trim() == MARK_BEGIN {
            inside = true;
            continue;
        }
        if l.trim() == MARK_END {
            inside = false;
            continue;
        }
        if !inside {
            out.push(l.to_string());
        }
    }
    if let Some(line) = line {
        out.push(MARK_BEGIN.into());
        out.push(line.into());
        out.push(MARK_END.into());
    }
    let mut text = out.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

fn write_crontab(text: &str) -> Result<()> {
    use std::io::Write;
    let mut child = Command::new("crontab")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| Error::io("running crontab", e))?;
    child
        .stdin
        .take()
        .ok_or_else(|| Error::Internal("crontab took no input".into()))?
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("writing the crontab", e))?;
    let out = child
        .wait_with_output()
        .map_err(|e| Error::io("running crontab", e))?;
    if !out.status.success() {
        return Err(Message::ScheduleCrontabRefused {
            why: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        }
        .refused());
    }
    Ok(())
}

fn current_crontab() -> String {
    Command::new("crontab")
        .arg("-l")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

fn systemd_dir() -> Result<PathBuf> {
    directories::BaseDirs::new()
        .map(|d| d.config_dir().join("systemd/user"))
        .ok_or_else(|| Message::HomeFolderUnknown.into())
}

/// The command the OS runs: the `cspdesk` program `exe` with the options that say where the
/// data, the settings and the services are, so a scheduled run records into the same store the
/// app and the CLI read.
pub fn command(
    exe: &Path,
    data_dir: &Path,
    settings: &Path,
    opts: &crate::connection::ConnectOptions,
) -> Vec<String> {
    let mut cmd = vec![
        exe.display().to_string(),
        "--data-dir".into(),
        data_dir.display().to_string(),
        "--settings".into(),
        settings.display().to_string(),
    ];
    for (flag, url) in [
        ("--endpoint", &opts.endpoint),
        ("--partner-api", &opts.partner_api),
        ("--arm-endpoint", &opts.arm_endpoint),
        ("--authority", &opts.authority),
    ] {
        if let Some(u) = url {
            cmd.push(flag.into());
            cmd.push(u.to_string());
        }
    }
    if opts.sandbox {
        cmd.push("--sandbox".into());
    }
    cmd.extend(["schedule".into(), "run".into()]);
    cmd
}

/// The installed `cspdesk` CLI the desktop app schedules: beside the app's own program (a
/// package installs both in one folder), else on the PATH.
pub fn installed_cli() -> Result<PathBuf> {
    let name = if cfg!(windows) {
        "cspdesk.exe"
    } else {
        "cspdesk"
    };
    let beside = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join(name)))
        .filter(|p| p.is_file());
    let on_path = || {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
    };
    beside
        .or_else(on_path)
        .ok_or_else(|| Message::CliMissing.not_found())
}

/// Registers `command` to run every day at `at` (local time), replacing an earlier
/// registration. Says why when it cannot, with the cron line to add by hand.
pub fn register(at: &str, command: &[String]) -> Result<Registration> {
    let line = cron_line(at, command)?;
    let shown = command_line(command);
    if systemd_user_available() {
        let dir = systemd_dir()?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let service = format!(
            "[Unit]\nDescription=CSP Desk daily price-list export\n\n[Service]\nType=oneshot\nExecStart={shown}\n"
        );
        let timer = format!(
            "[Unit]\nDescription=CSP Desk daily price-list export\n\n[Timer]\nOnCalendar=*-*-* {at}:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n"
        );
        for (name, text) in [("service", service), ("timer", timer)] {
            let p = dir.join(format!("{UNIT}.{name}"));
            std::fs::write(&p, text)
                .map_err(|e| Error::io(format!("writing {}", p.display()), e))?;
        }
        run_tool(
            Command::new("systemctl").args(["--user", "daemon-reload"]),
            "systemctl --user daemon-reload",
        )?;
        run_tool(
            Command::new("systemctl").args(["--user", "enable", "--now", &format!("{UNIT}.timer")]),
            "systemctl --user enable",
        )?;
        return Ok(Registration {
            backend: "systemd".into(),
            entry: dir.join(format!("{UNIT}.timer")).display().to_string(),
            command: shown,
        });
    }
    if cfg!(target_os = "macos") {
        return register_launchd(at, command);
    }
    if cfg!(windows) {
        let t = at.to_string();
        run_tool(
            Command::new("schtasks").args([
                "/Create",
                "/F",
                "/SC",
                "DAILY",
                "/TN",
                "CSP Desk daily export",
                "/ST",
                &t,
                "/TR",
                &shown,
            ]),
            "schtasks",
        )?;
        return Ok(Registration {
            backend: "schtasks".into(),
            entry: "CSP Desk daily export".into(),
            command: shown,
        });
    }
    if crontab_available() {
        write_crontab(&with_block(&current_crontab(), Some(&line)))?;
        return Ok(Registration {
            backend: "crontab".into(),
            entry: line,
            command: shown,
        });
    }
    Err(Message::ScheduleNoScheduler { line }.refused())
}

fn register_launchd(at: &str, command: &[String]) -> Result<Registration> {
    let t = NaiveTime::parse_from_str(at, "%H:%M").map_err(|_| {
        Error::from(Message::NotTimeOfDay {
            value: at.to_string(),
        })
    })?;
    use chrono::Timelike;
    let home = directories::BaseDirs::new()
        .map(|d| d.home_dir().to_path_buf())
        .ok_or_else(|| Error::from(Message::HomeFolderUnknown))?;
    let p = home.join("Library/LaunchAgents/com.cspdesk.daily.plist");
    let args: String = command
        .iter()
        .map(|a| {
            format!(
                "<string>{}</string>",
                a.replace('&', "&amp;").replace('<', "&lt;")
            )
        })
        .collect();
    let plist = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict><key>Label</key><string>com.cspdesk.daily</string><key>ProgramArguments</key><array>{args}</array><key>StartCalendarInterval</key><dict><key>Hour</key><integer>{}</integer><key>Minute</key><integer>{}</integer></dict></dict></plist>\n",
        t.hour(),
        t.minute()
    );
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d)
            .map_err(|e| Error::io(format!("creating {}", d.display()), e))?;
    }
    std::fs::write(&p, plist).map_err(|e| Error::io(format!("writing {}", p.display()), e))?;
    let _ = Command::new("launchctl").arg("unload").arg(&p).output();
    run_tool(
        Command::new("launchctl").arg("load").arg(&p),
        "launchctl load",
    )?;
    Ok(Registration {
        backend: "launchd".into(),
        entry: p.display().to_string(),
        command: command_line(command),
    })
}

/// Removes the registration, wherever it is; nothing registered is not an error.
pub fn unregister() -> Result<()> {
    if systemd_user_available() {
        let _ = Command::new("systemctl")
            .args(["--user", "disable", "--now", &format!("{UNIT}.timer")])
            .output();
        let dir = systemd_dir()?;
        for name in ["service", "timer"] {
            let _ = std::fs::remove_file(dir.join(format!("{UNIT}.{name}")));
        }
        let _ = Command::new("systemctl")
            .args(["--user", "daemon-reload"])
            .output();
    }
    if cfg!(target_os = "macos") {
        if let Some(d) = directories::BaseDirs::new() {
            let p = d
                .home_dir()
                .join("Library/LaunchAgents/com.cspdesk.daily.plist");
            let _ = Command::new("launchctl").arg("unload").arg(&p).output();
            let _ = std::fs::remove_file(p);
        }
    }
    if cfg!(windows) {
        let _ = Command::new("schtasks")
            .args(["/Delete", "/F", "/TN", "CSP Desk daily export"])
            .output();
    }
    if crontab_available() {
        let now = current_crontab();
        let without = with_block(&now, None);
        if without != now {
            write_crontab(&without)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crontab_block_is_ours_alone() {
        let theirs = "MAILTO=me\n0 1 * * * backup\n";
        let cmd = vec![
            "/usr/bin/cspdesk".to_string(),
            "--data-dir".into(),
            "/home/a b".into(),
            "schedule".into(),
            "run".into(),
        ];
        let line = cron_line("06:30", &cmd).unwrap();
        assert_eq!(
            line,
            "30 6 * * * /usr/bin/cspdesk --data-dir '/home/a b' schedule run"
        );
        let with = with_block(theirs, Some(&line));
        assert!(with.starts_with(theirs) && with.contains(&line));
        let again = with_block(&with, Some(&line));
        assert_eq!(again.matches(&line).count(), 1, "replaced, not added twice");
        assert_eq!(with_block(&again, None), theirs);
    }

    #[test]
    fn settings_are_checked_and_old_files_pruned() {
        let ok = ScheduleSettings {
            at: "6:30".into(),
            markets: vec!["gb".into(), "GB".into()],
            formats: vec![ExportFormat::Xlsx],
            dir: "/tmp/x".into(),
            customer_prices: false,
            customer_list: Default::default(),
            keep_days: 0,
        };
        let c = check(&ok).unwrap();
        assert_eq!(
            (c.at.as_str(), c.markets.clone(), c.keep_days),
            ("06:30", vec!["GB".to_string()], 1)
        );
        assert!(check(&ScheduleSettings {
            at: "25:00".into(),
            ..ok.clone()
        })
        .is_err());
        assert!(check(&ScheduleSettings {
            dir: "exports".into(),
            ..ok.clone()
        })
        .is_err());
        assert!(check(&ScheduleSettings {
            formats: vec![],
            ..ok
        })
        .is_err());

        let dir = tempfile::tempdir().unwrap();
        for name in [
            "pricelist-GB-2026-11-01.xlsx",
            "pricelist-GB-2026-12-03.csv",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let gone = prune(dir.path(), 7, today);
        assert_eq!(gone.len(), 1);
        assert!(dir.path().join("pricelist-GB-2026-12-03.csv").exists());
        assert!(dir.path().join("notes.txt").exists());
    }
}
