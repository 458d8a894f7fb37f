//! The real `cspdesk` binary: a malformed settings file, `whoami`, and `login --device-code`
//! / `logout` against a sandbox (that part needs a usable OS keychain, e.g. a kernel session
//! keyring as `scripts/test.sh` provides, and is skipped without one).

use crate::support::auth_support;

use std::io::BufRead;
use std::process::{Command, Stdio};

use cspdesk_core::auth::{KeyringStore, SecretStore};
use cspdesk_core::secrets::Secret;

fn cspdesk(settings: &std::path::Path, keychain: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cspdesk"));
    c.arg("--settings")
        .arg(settings)
        .env("CSPDESK_KEYCHAIN_SERVICE", keychain)
        .env_remove("CSPDESK_ACCESS_TOKEN")
        .env_remove("CSPDESK_LOG");
    c
}

fn run(mut c: Command) -> (bool, String, String) {
    let out = c.output().expect("cspdesk runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_malformed_settings_file_is_named_kept_aside_and_the_app_starts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml");
    let broken = "connection = \"partner-center\"\n\n[endpoints]\npartner_center = \"http://pc.example.com/\"\n";
    std::fs::write(&file, broken).unwrap();
    let mut c = cspdesk(&file, "cspdesk-test-unused");
    c.args(["settings", "show"]);
    let (ok, out, err) = run(c);
    assert!(ok, "{err}");
    assert!(
        err.contains("line 4") && err.contains("only https://"),
        "{err}"
    );
    assert!(err.contains("using the default settings"), "{err}");
    assert!(out.contains("connection = \"sandbox\""), "{out}");
    // Kept aside, byte for byte; nothing was written in its place.
    assert!(!file.exists());
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("settings.toml.broken-"));
    assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), broken);

    // A command that works with the defaults still works (the built-in sandbox needs no sign-in).
    let mut c = cspdesk(&file, "cspdesk-test-unused");
    c.args(["--json", "whoami"]);
    let (ok, out, err) = run(c);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["connection"], "sandbox");
    assert_eq!(v["signedIn"], false);
}

#[test]
fn login_with_a_device_code_then_whoami_and_logout() {
    let keychain = format!("cspdesk-test-{}", uuid::Uuid::new_v4());
    let probe = KeyringStore::with_service(&keychain);
    if let Err(e) = probe.set("probe", &Secret::new("x")) {
        eprintln!("skipped: no usable OS keychain here ({e}); scripts/test.sh runs this under `keyctl session -`");
        return;
    }
    probe.delete("probe").unwrap();

    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(auth_support::sandbox());
    let url = sb.url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.toml");
    let data = dir.path().join("data");
    let with_endpoint = |args: &[&str]| {
        let mut c = cspdesk(&settings, &keychain);
        c.args(["--endpoint", &url, "--data-dir"])
            .arg(&data)
            .args(args);
        c
    };

    let mut login = with_endpoint(&["login", "--device-code"]);
    let mut child = login
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read stderr to the end on a thread (dropping it early would break the child's pipe).
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in stderr.lines() {
            let line = line.unwrap();
            let _ = tx.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let prompt = rx
        .iter()
        .find(|l| l.contains("enter the code"))
        .expect("the device code is printed");
    let code = prompt
        .split("enter the code ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no code in {prompt:?}"))
        .to_string();
    let page = rt.block_on(auth_support::approve_device_code(
        &format!("{url}devicelogin"),
        &code,
        cspdesk_sandbox::SANDBOX_USER,
    ));
    assert!(page.contains("You have signed in"), "{page}");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = reader.join().unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Signed in as Sandbox Admin"), "{stdout}");

    let (ok, out, err) = run(with_endpoint(&["whoami"]));
    assert!(ok, "{err}");
    assert!(
        out.contains(cspdesk_sandbox::SANDBOX_USER)
            && out.contains(cspdesk_sandbox::SANDBOX_TENANT_ID),
        "{out}"
    );

    // Commands now run on the sign-in: the sandbox issues tokens for them.
    let before = sb.issued_secrets().len();
    let (ok, _, err) = run(with_endpoint(&["--json", "customers", "list"]));
    assert!(ok, "{err}");
    assert!(
        sb.issued_secrets().len() > before,
        "the CLI used the signed-in tokens"
    );

    let (ok, _, err) = run(with_endpoint(&["logout"]));
    assert!(ok, "{err}");
    let (ok, out, _) = run(with_endpoint(&["whoami"]));
    assert!(ok && out.contains("Not signed in"), "{out}");
    assert!(KeyringStore::with_service(&keychain)
        .get("refresh-token@127.0.0.1")
        .unwrap()
        .is_none());
}
