//! `cspdesk login | logout | whoami | settings`: the sign-in and the settings file.

use std::sync::Arc;

use clap::Subcommand;
use url::Url;

use cspdesk_core::auth::{check_openable, Auth, KeyringStore, BROWSER_TIMEOUT};
use cspdesk_core::settings::{self, ConnectionKind};
use cspdesk_core::{Error, Result};

use super::{output, Global};

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// Print the settings in effect, in the settings file's format.
    Show,
    /// Print where the settings file is.
    Path,
}

/// The authority to sign in at, and whether the command line named it (the core's rule).
fn authority(g: &Global) -> Result<(Url, bool)> {
    let t = g.connect_options().sign_in_target()?;
    Ok((t.authority, t.explicit))
}

fn auth(g: &Global, tenant: Option<String>, client_id: Option<String>) -> Result<Auth> {
    Auth::new(
        g.connect_options().auth_config(tenant, client_id)?,
        Arc::new(KeyringStore::new()),
    )
}

fn describe(a: &cspdesk_core::auth::Account) -> String {
    let who = match (&a.username, &a.name) {
        (Some(u), Some(n)) => format!("{n} <{u}>"),
        (Some(u), None) => u.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => "an unnamed account".into(),
    };
    format!(
        "{who}, tenant {}",
        a.tenant_id.as_deref().unwrap_or("(unknown)")
    )
}

pub async fn login(
    g: &Global,
    device_code: bool,
    tenant: Option<String>,
    client_id: Option<String>,
) -> Result<()> {
    let (_, explicit) = authority(g)?;
    if !explicit && g.settings().connection == ConnectionKind::Sandbox {
        return Err(Error::refused(
            "The settings say connection = \"sandbox\": the built-in sandbox needs no sign-in",
            format!(
                "To sign in to Partner Center, set connection = \"partner-center\" and client_id in {} \
                 (`cspdesk settings show` prints the documented file). To try the sign-in against a sandbox: \
                 run `cspdesk sandbox serve`, then `cspdesk --endpoint URL login --device-code`",
                g.settings_path().display()
            ),
        ));
    }
    let auth = auth(g, tenant, client_id)?;
    let account = if device_code {
        let code = auth.start_device_code().await?;
        eprintln!("{}", code.message);
        eprintln!("Waiting for the sign-in to finish (Ctrl+C to stop)…");
        auth.finish_device_code(&code).await?
    } else {
        auth.sign_in_with_browser(
            |url| {
                eprintln!(
                    "Opening the sign-in page in your browser. If it does not open, visit:\n{url}"
                );
                if let Err(e) = open_in_browser(url) {
                    eprintln!("(could not start a browser: {e})");
                }
                Ok(())
            },
            BROWSER_TIMEOUT,
        )
        .await?
    };
    if g.json {
        return output::json(&account);
    }
    println!("Signed in as {}.", describe(&account));
    Ok(())
}

/// Starts the platform's URL opener (only for URLs [`check_openable`] accepts).
fn open_in_browser(url: &Url) -> Result<()> {
    check_openable(url)?;
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url.as_str()])
    } else if cfg!(target_os = "windows") {
        (
            "rundll32",
            vec!["url.dll,FileProtocolHandler", url.as_str()],
        )
    } else {
        ("xdg-open", vec![url.as_str()])
    };
    std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| Error::io(format!("starting {program}"), e))
}

pub async fn logout(g: &Global) -> Result<()> {
    let auth = auth(g, None, None)?;
    auth.sign_out().await?;
    if g.json {
        return output::json(&serde_json::json!({"signedIn": false}));
    }
    println!(
        "Signed out: the sign-in for {} was removed from the keychain.",
        auth.config().authority
    );
    Ok(())
}

pub async fn whoami(g: &Global) -> Result<()> {
    let auth = auth(g, None, None)?;
    let status = auth.status().await?;
    let (_, explicit) = authority(g)?;
    let sandbox = !explicit && g.settings().connection == ConnectionKind::Sandbox;
    if g.json {
        let mut v = serde_json::to_value(&status)
            .map_err(|e| Error::Invalid(format!("status as JSON: {e}")))?;
        v["connection"] = serde_json::Value::String(if sandbox {
            "sandbox".into()
        } else {
            "partner-center".into()
        });
        return output::json(&v);
    }
    if sandbox {
        println!(
            "Using the built-in sandbox (settings: connection = \"sandbox\"): no sign-in needed."
        );
    }
    match (&status.account, status.signed_in) {
        (Some(a), true) => println!(
            "Signed in as {} at {} (app {}, since {}).",
            describe(a),
            status.authority,
            a.client_id,
            a.signed_in_at.format("%Y-%m-%d %H:%M UTC")
        ),
        (Some(a), false) => println!(
            "Not signed in at {}: the sign-in of {} has expired or was revoked. Sign in again: cspdesk login --device-code",
            status.authority,
            describe(a)
        ),
        (None, _) => println!(
            "Not signed in at {}. Sign in: cspdesk login --device-code",
            status.authority
        ),
    }
    Ok(())
}

pub fn settings_cmd(g: &Global, cmd: SettingsCmd) -> Result<()> {
    match cmd {
        SettingsCmd::Path => {
            let p = g.settings_path();
            if g.json {
                return output::json(&serde_json::json!({"path": p}));
            }
            println!("{}", p.display());
            Ok(())
        }
        SettingsCmd::Show => {
            let s = g.settings();
            if g.json {
                return output::json(s);
            }
            println!(
                "# {} ({})\n",
                g.settings_path().display(),
                if g.settings_path().exists() {
                    "in effect"
                } else {
                    "not written yet: these are the defaults"
                }
            );
            print!("{}", s.render());
            Ok(())
        }
    }
}

/// The settings file's path for this run.
pub fn settings_path(given: Option<&std::path::Path>) -> std::path::PathBuf {
    given
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(settings::default_path)
}
