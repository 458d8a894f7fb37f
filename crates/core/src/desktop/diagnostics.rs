//! "Copy diagnostics": what support staff paste into a ticket. It says which CSP Desk, on
//! which system, connected how, and the last [`LOG_LINES`] lines of its log, and it never
//! carries a secret: every line goes through [`redact`] first, whatever logged it.

use std::path::Path;

/// How many log lines a report carries.
pub const LOG_LINES: usize = 200;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// What the report is made of (the shell fills in what only it knows: the WebKit version).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub version: String,
    pub commit: String,
    pub os: String,
    pub webkit: String,
    /// `sandbox` or `partner-center`, and the endpoint's host.
    pub connection: String,
    pub data_dir: String,
    pub log_dir: String,
}

/// The text copied to the clipboard: a header of facts, then the log's last lines, every line
/// [`redact`]ed (the facts too: a path or a label could carry a token pasted into a setting).
pub fn report(facts: &Facts, log_lines: &[String]) -> String {
    let mut out = String::from("CSP Desk diagnostics\n");
    for (k, v) in [
        ("Version", &facts.version),
        ("Commit", &facts.commit),
        ("OS", &facts.os),
        ("WebKit", &facts.webkit),
        ("Connection", &facts.connection),
        ("Data folder", &facts.data_dir),
        ("Log folder", &facts.log_dir),
    ] {
        out.push_str(&redact(&format!("{k}: {v}")));
        out.push('\n');
    }
    let start = log_lines.len().saturating_sub(LOG_LINES);
    let shown = &log_lines[start..];
    out.push_str(&format!("\nLast {} log lines:\n", shown.len()));
    for line in shown {
        out.push_str(&redact(line));
        out.push('\n');
    }
    out
}

/// The operating system, e.g. `Debian GNU/Linux 12 (bookworm), Linux 6.1.0-27-amd64, x86_64`.
pub fn os_description() -> String {
    let mut parts = vec![];
    if let Ok(text) = std::fs::read_to_string("/etc/os-release") {
        if let Some(name) = text
            .lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim_matches('"').to_string())
        {
            parts.push(name);
        }
    }
    if let Ok(kernel) = std::fs::read_to_string("/proc/sys/kernel/osrelease") {
        parts.push(format!("Linux {}", kernel.trim()));
    }
    if parts.is_empty() {
        parts.push(std::env::consts::OS.to_string());
    }
    parts.push(std::env::consts::ARCH.to_string());
    parts.join(", ")
}

/// The installed WebKitGTK, as the package manager knows it (Linux); elsewhere the system's
/// web view, which has no version of its own to report.
pub fn webkit_version() -> String {
    if !cfg!(target_os = "linux") {
        return if cfg!(target_os = "windows") {
            "WebView2 (system)".into()
        } else {
            "WKWebView (system)".into()
        };
    }
    let ask = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    ask(
        "dpkg-query",
        &["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"],
    )
    .map(|v| format!("WebKitGTK {v} (libwebkit2gtk-4.1-0)"))
    .or_else(|| {
        ask(
            "rpm",
            &["-q", "--qf", "%{VERSION}-%{RELEASE}", "webkit2gtk4.1"],
        )
        .map(|v| format!("WebKitGTK {v} (webkit2gtk4.1)"))
    })
    .unwrap_or_else(|| "WebKitGTK 4.1 (version unknown)".into())
}

/// The last `n` lines of the app's log files in `dir` (the daily `cspdesk.log.YYYY-MM-DD`
/// files, oldest first), across files when today's is short. An unreadable or missing folder
/// gives no lines.
pub fn last_log_lines(dir: &Path, n: usize) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.starts_with("cspdesk.log"))
        })
        .collect();
    // Daily names sort by date.
    files.sort();
    let mut out: Vec<String> = vec![];
    for f in files.iter().rev() {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.append(&mut out);
        out = lines;
        if out.len() >= n {
            break;
        }
    }
    let start = out.len().saturating_sub(n);
    out.split_off(start)
}

/// Names whose value is a secret wherever they appear as `name=value`, `name: value` or
/// `"name":"value"` (matched case-insensitively, as part of a longer name too:
/// `refresh_token`, `client_secret`, `X-Api-Key`).
const SECRET_NAMES: [&str; 9] = [
    "token",
    "secret",
    "password",
    "passwd",
    "authorization",
    "cookie",
    "assertion",
    "api-key",
    "api_key",
];
/// Short names that are secrets only as the whole name (a SAS signature, an OAuth code).
const SECRET_EXACT: [&str; 4] = ["sig", "code", "key", "apikey"];

fn secret_name(name: &str) -> bool {
    let n = name
        .trim_matches(|c: char| c == '"' || c == '\'')
        .to_ascii_lowercase();
    !n.is_empty() && (SECRET_NAMES.iter().any(|s| n.contains(s)) || SECRET_EXACT.contains(&&*n))
}

fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '~' | '+' | '/' | '=' | '%')
}

/// Removes secrets from one line of text: the value after a secret's name (`refresh_token=…`,
/// `"client_secret": "…"`, `Authorization: Bearer …`), a bearer token, a JWT (`eyJ…`) and any
/// long opaque run of mixed-case letters and digits (a token logged on its own). What is not a
/// secret is kept as written, so the line still says what happened.
pub fn redact(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    // Whether the last name seen (`name=`, `name:`) holds a secret: its value is dropped.
    while i < chars.len() {
        let c = chars[i];
        if !word_char(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && word_char(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        // `name=value` inside one word (a query string: `sig=…&se=…`).
        if let Some((name, value)) = split_assignment(&word) {
            if secret_name(name) && !value.is_empty() {
                out.push_str(name);
                out.push('=');
                if value.eq_ignore_ascii_case("bearer") || value.eq_ignore_ascii_case("basic") {
                    // `authorization=Basic <credentials>`: the scheme stays, what follows goes.
                    out.push_str(value);
                    i = redact_after_scheme(&chars, i, &mut out);
                } else {
                    out.push_str(REDACTED);
                }
                continue;
            }
        }
        if opaque(&word) {
            out.push_str(REDACTED);
            continue;
        }
        out.push_str(&word);
        // `name = value`, `name: value`, `"name": "value"`, `Authorization: Bearer value`.
        if secret_name(&word) {
            let mut j = i;
            // Closing quote of the name, separators, opening quote of the value.
            while j < chars.len() && matches!(chars[j], '"' | '\'' | ' ' | ':' | '=' | '\t') {
                j += 1;
            }
            let seps_ok = chars[i..j].iter().any(|c| matches!(c, ':' | '='));
            if seps_ok && j < chars.len() && word_char(chars[j]) {
                out.extend(&chars[i..j]);
                let mut k = j;
                while k < chars.len() && word_char(chars[k]) {
                    k += 1;
                }
                let value: String = chars[j..k].iter().collect();
                let scheme =
                    value.eq_ignore_ascii_case("bearer") || value.eq_ignore_ascii_case("basic");
                if scheme {
                    // Keep the scheme's name, drop what follows it.
                    out.push_str(&value);
                    i = redact_after_scheme(&chars, k, &mut out);
                } else {
                    out.push_str(REDACTED);
                    i = k;
                }
            }
        } else if word.eq_ignore_ascii_case("bearer") {
            i = redact_after_scheme(&chars, i, &mut out);
        }
    }
    out
}

/// After an authorization scheme's name (`Bearer`, `Basic`) ending at `at`: copies the spaces,
/// puts [`REDACTED`] for the credentials word that follows (if one does), and returns where the
/// text goes on.
fn redact_after_scheme(chars: &[char], at: usize, out: &mut String) -> usize {
    let mut m = at;
    while m < chars.len() && chars[m] == ' ' {
        m += 1;
    }
    let mut e = m;
    while e < chars.len() && word_char(chars[e]) {
        e += 1;
    }
    out.extend(&chars[at..m]);
    if e > m {
        out.push_str(REDACTED);
    }
    e
}

fn split_assignment(word: &str) -> Option<(&str, &str)> {
    // The last `name=` before the value (`?sv=1&sig=abc` is one word: split on `&` first).
    let (name, value) = word.split_once('=')?;
    let name = name.rsplit(['&', '?', ';']).next().unwrap_or(name);
    let prefix_len = word.len() - value.len() - 1 - name.len();
    if prefix_len > 0 {
        return None;
    }
    Some((name, value))
}

/// A JWT, or a long run of letters and digits of both cases (how tokens look when logged bare).
fn opaque(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, '.' | '=' | '%'));
    if w.starts_with("eyJ") && w.matches('.').count() >= 2 {
        return true;
    }
    w.len() >= 32
        && !w.contains('/')
        && w.chars().any(|c| c.is_ascii_digit())
        && w.chars().any(|c| c.is_ascii_uppercase())
        && w.chars().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str =
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaSJ9.c2lnbmF0dXJlLXBhcnQ";
    const REFRESH: &str = "0.AXoAq1B2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX3yZ4";

    fn secrets_in(text: &str) -> Vec<&'static str> {
        [
            JWT,
            REFRESH,
            "s3cr3t~Value_42",
            "hunter2",
            "Zm9vOmJhcg==",
            "sv-2024-sig-XYZ",
            "M.C123_BAY.2.U.abc",
        ]
        .into_iter()
        .filter(|s| text.contains(s))
        .collect()
    }

    #[test]
    fn secrets_in_log_lines_never_reach_the_report() {
        let lines: Vec<String> = [
            format!("2026-12-05T01:00:00Z INFO request Authorization: Bearer {JWT}"),
            format!("2026-12-05T01:00:01Z DEBUG token response refresh_token={REFRESH} expires_in=3600"),
            "2026-12-05T01:00:02Z DEBUG body {\"client_secret\":\"s3cr3t~Value_42\",\"grant_type\":\"client_credentials\"}".to_string(),
            "2026-12-05T01:00:03Z WARN proxy password = hunter2".to_string(),
            "2026-12-05T01:00:04Z INFO header authorization=Basic Zm9vOmJhcg==".to_string(),
            "2026-12-05T01:00:05Z INFO GET https://x.blob.core.windows.net/e/f.json.gz?sv=2024&sig=sv-2024-sig-XYZ&se=2026".to_string(),
            "2026-12-05T01:00:06Z INFO redirect ?code=M.C123_BAY.2.U.abc&state=1".to_string(),
            format!("2026-12-05T01:00:07Z ERROR bare {REFRESH} then {JWT}"),
        ]
        .into();
        let facts = Facts {
            version: "0.1.0".into(),
            connection: "sandbox".into(),
            ..Default::default()
        };
        let text = report(&facts, &lines);
        assert_eq!(secrets_in(&text), Vec::<&str>::new(), "{text}");
        // What happened is still readable.
        assert!(text.contains("Authorization: Bearer <redacted>"), "{text}");
        assert!(
            text.contains("refresh_token=<redacted> expires_in=3600"),
            "{text}"
        );
        assert!(
            text.contains("\"grant_type\":\"client_credentials\""),
            "{text}"
        );
        assert!(
            text.contains("sig=<redacted>&se=2026") || text.contains("sig=<redacted>"),
            "{text}"
        );
        assert!(text.contains("Version: 0.1.0"));
        assert!(text.contains("Connection: sandbox"));
    }

    #[test]
    fn ordinary_lines_are_kept_as_written() {
        for line in [
            "2026-12-05T01:00:00Z INFO catalog synced market=US offers=1523 in 2.1s",
            "subscription 3f2504e0-4f89-11d3-9a0c-0305e82c3301 renewed",
            "commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
            "wrote /root/.local/share/com.cspdesk.desktop/exports/pricelist-US-2026-12-05.xlsx",
            "the token expired: signing in again",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    #[test]
    fn only_the_last_200_lines_are_carried() {
        let lines: Vec<String> = (0..250).map(|i| format!("line {i}")).collect();
        let text = report(&Facts::default(), &lines);
        assert!(!text.contains("line 49\n"));
        assert!(text.contains("line 50\n") && text.contains("line 249\n"));
        assert!(text.contains("Last 200 log lines"));
    }

    #[test]
    fn log_lines_are_read_across_daily_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cspdesk.log.2026-12-04"), "a\nb\nc\n").unwrap();
        std::fs::write(dir.path().join("cspdesk.log.2026-12-05"), "d\ne\n").unwrap();
        std::fs::write(dir.path().join("other.txt"), "x\n").unwrap();
        assert_eq!(last_log_lines(dir.path(), 3), ["c", "d", "e"]);
        assert_eq!(last_log_lines(dir.path(), 10), ["a", "b", "c", "d", "e"]);
        assert!(last_log_lines(&dir.path().join("missing"), 3).is_empty());
    }
}
