//! The `cspdesk` binary against a sandbox, with its data and settings in a temporary folder of
//! its own (never the user's): what the CLI tests share.

use std::process::Command;

use serde_json::Value;

pub struct Cli {
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Cli {
    /// A CLI pointed at the sandbox at `url`, with a fresh data folder.
    pub fn new(url: &str) -> Cli {
        Cli {
            url: url.to_string(),
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// Runs `cspdesk ARGS`: whether it succeeded, its stdout and its stderr.
    pub fn run(&self, args: &[&str]) -> (bool, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_cspdesk"))
            .args(["--endpoint", &self.url, "--data-dir"])
            .arg(self.dir.path().join("data"))
            .arg("--settings")
            .arg(self.dir.path().join("settings.toml"))
            .args(args)
            .env_remove("CSPDESK_ACCESS_TOKEN")
            .output()
            .expect("cspdesk runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    /// Runs `cspdesk ARGS`, which must succeed; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args);
        assert!(ok, "cspdesk {args:?} failed: {err}");
        out
    }

    /// Runs `cspdesk --json ARGS`, which must succeed; its JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// A path in this CLI's folder.
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}
