//! `cspdesk schedule …` end to end on Linux, in a temporary HOME that never touches the
//! machine's crontab or units. `crontab` and `systemctl` are found on the PATH, so the test puts
//! two stand-ins first on it: a `crontab` that keeps the table in `$HOME/crontab` (as `crontab
//! -l` / `crontab -` do), and a `systemctl` that either fails (no user session, as in a
//! container) or records what it was asked. The registered line (or unit's `ExecStart`) is run
//! as the OS would run it, its files are read back, a failed run is recorded and keeps the
//! earlier file, and removing the schedule removes our entry and nothing else.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::common;

/// A temporary HOME with the two stand-ins on the PATH.
struct Home {
    dir: tempfile::TempDir,
    path: String,
}

impl Home {
    fn new(systemd: bool) -> Home {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let crontab = r#"#!/bin/sh
tab="$HOME/crontab"
case "$1" in
  -l) [ -f "$tab" ] || { echo "no crontab for $(id -un)" >&2; exit 1; }; cat "$tab" ;;
  -) cat > "$tab.new" && mv "$tab.new" "$tab" ;;
  *) echo "usage: crontab -l | -" >&2; exit 2 ;;
esac
"#;
        let systemctl = if systemd {
            "#!/bin/sh\necho \"$*\" >> \"$HOME/systemctl.log\"\n"
        } else {
            "#!/bin/sh\necho 'Failed to connect to bus: No medium found' >&2\nexit 1\n"
        };
        for (name, text) in [("crontab", crontab), ("systemctl", systemctl)] {
            let p = bin.join(name);
            std::fs::write(&p, text).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        Home { dir, path }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.root().join(name)).unwrap_or_default()
    }

    /// A command with this HOME: no real crontab, unit folder or keychain of the user's.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.env("HOME", self.root())
            .env("XDG_CONFIG_HOME", self.root().join(".config"))
            .env("PATH", &self.path)
            .env_remove("CSPDESK_ACCESS_TOKEN");
        c
    }

    /// `cspdesk` against `url` with its data and settings in this HOME.
    fn cli(&self, url: &str, args: &[&str]) -> (bool, String, String) {
        let o = self
            .command(env!("CARGO_BIN_EXE_cspdesk"))
            .args(["--endpoint", url, "--settings"])
            .arg(self.root().join("settings.toml"))
            .arg("--data-dir")
            .arg(self.root().join("data"))
            .args(args)
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }

    /// Runs a registered command line as cron or systemd would: a shell, no terminal.
    fn run_line(&self, line: &str) -> Output {
        self.command("sh").args(["-c", line]).output().unwrap()
    }

    fn out(&self) -> PathBuf {
        self.root().join("daily")
    }
}

fn set(home: &Home, url: &str) -> Value {
    let outs = home.out().display().to_string();
    let (ok, json, err) = home.cli(
        url,
        &[
            "--json",
            "schedule",
            "set",
            "--at",
            "06:30",
            "--market",
            "gb",
            "--format",
            "csv,xlsx",
            "--dir",
            &outs,
            "--keep-days",
            "7",
        ],
    );
    assert!(ok, "{err}");
    serde_json::from_str(&json).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_daily_export_is_registered_in_the_crontab_run_recorded_and_removed() {
    let sb = common::sandbox_with(120, "").await;
    let url = sb.url().to_string();
    let home = Home::new(false);
    std::fs::write(
        home.root().join("crontab"),
        "MAILTO=\"\"\n17 3 * * * /usr/bin/true # someone else's\n",
    )
    .unwrap();

    let answer = tokio::task::block_in_place(|| set(&home, &url));
    assert_eq!(answer["registration"]["backend"], "crontab", "{answer}");

    // Registered: our block, with the other entry untouched.
    let tab = home.read("crontab");
    assert!(
        tab.contains("17 3 * * * /usr/bin/true # someone else's"),
        "{tab}"
    );
    let line = tab
        .lines()
        .find(|l| l.contains("schedule run"))
        .unwrap_or_else(|| panic!("no schedule line in {tab}"));
    assert!(line.starts_with("30 6 * * * "), "{line}");
    let command = line.splitn(6, ' ').nth(5).unwrap().to_string();

    // Run it as cron would.
    let stale = home.out().join("pricelist-GB-2020-01-01.csv");
    std::fs::create_dir_all(home.out()).unwrap();
    std::fs::write(&stale, "old").unwrap();
    let first = tokio::task::block_in_place(|| home.run_line(&command));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let day = chrono::Utc::now().format("%Y-%m-%d");
    let csv = home.out().join(format!("pricelist-GB-{day}.csv"));
    let xlsx = home.out().join(format!("pricelist-GB-{day}.xlsx"));
    let text = std::fs::read_to_string(&csv).unwrap();
    let csv_rows = text.lines().count() - 1;
    assert!(csv_rows > 10, "{text}");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert!(range.height() > csv_rows, "the workbook has every row too");
    assert!(
        !stale.exists(),
        "a dated file older than the days kept is removed"
    );

    // A run that cannot reach the services is recorded with its reason and keeps the file.
    // As on the next morning, today's price sheet is not in the store yet: the run must fetch.
    drop(sb);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let data = home.root().join("data");
    rusqlite::Connection::open(data.join("cspdesk.sqlite"))
        .unwrap()
        .execute("DELETE FROM price_snapshots", [])
        .unwrap();
    std::fs::remove_dir_all(data.join("price-snapshots")).unwrap();
    let second = tokio::task::block_in_place(|| home.run_line(&command));
    assert!(!second.status.success());
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        text,
        "the earlier file is kept"
    );
    let leftovers: Vec<_> = std::fs::read_dir(home.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("pricelist-GB-"))
        .collect();
    assert!(leftovers.is_empty(), "no partial file: {leftovers:?}");
    let (ok, history, err) =
        tokio::task::block_in_place(|| home.cli(&url, &["--json", "schedule", "history"]));
    assert!(ok, "{err}");
    let runs: Vec<Value> = serde_json::from_str(&history).unwrap();
    assert_eq!(runs.len(), 2, "{history}");
    assert_eq!(runs[0]["ok"], false);
    assert!(
        !runs[0]["error"].as_str().unwrap_or_default().is_empty(),
        "{history}"
    );
    assert_eq!(runs[1]["ok"], true);
    assert_eq!(runs[1]["manual"], false);
    assert_eq!(runs[1]["files"].as_array().unwrap().len(), 2);
    assert_eq!(
        runs[1]["rows"].as_u64().unwrap(),
        2 * csv_rows as u64,
        "the rows of both files"
    );

    // Off: our entry goes, the other stays.
    let (ok, _, err) = tokio::task::block_in_place(|| home.cli(&url, &["schedule", "remove"]));
    assert!(ok, "{err}");
    let tab = home.read("crontab");
    assert!(
        !tab.contains("schedule run") && !tab.contains("CSP Desk"),
        "{tab}"
    );
    assert!(tab.contains("/usr/bin/true # someone else's"), "{tab}");
}

#[tokio::test(flavor = "multi_thread")]
async fn where_systemd_runs_a_user_timer_is_written_enabled_run_and_removed() {
    let sb = common::sandbox_with(60, "").await;
    let url = sb.url().to_string();
    let home = Home::new(true);

    let answer = tokio::task::block_in_place(|| set(&home, &url));
    assert_eq!(answer["registration"]["backend"], "systemd", "{answer}");
    let units = home.root().join(".config/systemd/user");
    let timer = std::fs::read_to_string(units.join("cspdesk-daily.timer")).unwrap();
    assert!(timer.contains("OnCalendar=*-*-* 06:30:00"), "{timer}");
    assert!(
        timer.contains("Persistent=true"),
        "a run missed while off runs at the next boot"
    );
    let service = std::fs::read_to_string(units.join("cspdesk-daily.service")).unwrap();
    let exec = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap_or_else(|| panic!("no ExecStart in {service}"));
    let log = home.read("systemctl.log");
    assert!(
        log.contains("--user enable --now cspdesk-daily.timer"),
        "{log}"
    );
    assert!(
        home.read("crontab").is_empty(),
        "nothing in the crontab as well"
    );

    let ran = tokio::task::block_in_place(|| home.run_line(exec));
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let day = chrono::Utc::now().format("%Y-%m-%d");
    assert!(home.out().join(format!("pricelist-GB-{day}.csv")).exists());

    let (ok, _, err) = tokio::task::block_in_place(|| home.cli(&url, &["schedule", "remove"]));
    assert!(ok, "{err}");
    assert!(!units.join("cspdesk-daily.timer").exists());
    assert!(!units.join("cspdesk-daily.service").exists());
    assert!(
        home.read("systemctl.log")
            .contains("--user disable --now cspdesk-daily.timer"),
        "the timer is stopped"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_that_cannot_be_registered_says_why_and_gives_the_cron_line() {
    let sb = common::sandbox_with(20, "").await;
    let url = sb.url().to_string();
    let home = Home::new(false);
    // A crontab that refuses this user, as cron.allow/cron.deny can.
    let refusing = "#!/bin/sh\necho \"You ($(id -un)) are not allowed to use this program (crontab)\" >&2\nexit 1\n";
    let stub = home.root().join("bin/crontab");
    std::fs::write(&stub, refusing).unwrap();
    let outs = home.out().display().to_string();
    let (ok, _, err) = tokio::task::block_in_place(|| {
        home.cli(
            &url,
            &[
                "schedule", "set", "--at", "06:30", "--market", "gb", "--dir", &outs,
            ],
        )
    });
    assert!(!ok, "nothing could take the schedule");
    assert!(err.contains("no schedule could be registered"), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("30 6 * * * "))
        .unwrap_or_else(|| panic!("the cron line to copy: {err}"));
    assert!(line.contains("schedule") && line.contains("run"), "{line}");
    let (ok, shown, err) =
        tokio::task::block_in_place(|| home.cli(&url, &["--json", "schedule", "show"]));
    assert!(ok, "{err}");
    assert_eq!(shown.trim(), "null", "nothing is kept as set");
}
