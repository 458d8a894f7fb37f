//! Settings: a malformed settings file is named with its line at startup and the defaults are
//! used; Settings is reached from the sandbox banner, the fields show the defaults and the sandbox
//! connection, a wrong client id is named next to its field, the default market is changed and
//! saved (the file says so), and the view is captured at 1280×800 and 1024×700.

use std::time::Duration;

use fantoccini::error::CmdError;
use fantoccini::Locator;
use serde_json::Value;

use crate::common::*;

async fn value_of(c: &fantoccini::Client, css: &str) -> Result<Value, CmdError> {
    let js = format!(
        "const e = document.querySelector({}); return e ? (e.type === 'radio' ? e.checked : e.value) : null;",
        serde_json::to_string(css).unwrap()
    );
    c.execute(&js, vec![]).await
}

/// Types into a React-controlled input (the native setter, then an `input` event).
async fn type_into(c: &fantoccini::Client, css: &str, text: &str) -> Result<(), CmdError> {
    let js = format!(
        "const e = document.querySelector({}); \
         Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(e, {}); \
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));",
        serde_json::to_string(css).unwrap(),
        serde_json::to_string(text).unwrap()
    );
    c.execute(&js, vec![]).await.map(|_| ())
}

#[tokio::test]
async fn settings_show_the_defaults_and_save_a_new_default_market() {
    if !enabled() {
        return;
    }
    // Its own settings file: the app reads CSPDESK_SETTINGS (the driver inherits it at spawn;
    // removed right after so other tests keep the default).
    let settings_dir = target_dir().join("e2e-settings-file");
    let _ = std::fs::remove_dir_all(&settings_dir);
    let settings_file = settings_dir.join("settings.toml");
    // A malformed file: the app starts on the defaults, names the line, keeps the file aside.
    std::fs::create_dir_all(&settings_dir).expect("settings dir");
    let broken = "connection = \"partner-center\"\nclient_id = \"nope\"\n";
    std::fs::write(&settings_file, broken).expect("broken settings");
    std::env::set_var("CSPDESK_SETTINGS", &settings_file);
    let (_driver, _data_dir) = start_driver("e2e-settings", None);
    std::env::remove_var("CSPDESK_SETTINGS");

    let c = session().await;
    let result = async {
        c.set_window_size(1280, 800).await?;
        wait_css(&c, "#settings-problem-banner", Duration::from_secs(60)).await?;
        let problem = text_of(&c, "#settings-problem-banner").await?;
        assert!(
            problem.contains("(line 2)") && problem.contains("default settings"),
            "{problem}"
        );
        // The sandbox banner leads to Settings.
        wait_css(&c, "#sandbox-connect", Duration::from_secs(60)).await?;
        let banner = text_of(&c, "#sandbox-banner").await?;
        assert!(
            banner.contains("Connect a Partner Center account in Settings"),
            "{banner}"
        );
        click(&c, "#sandbox-connect").await?;
        wait_css(&c, "#settings-file", Duration::from_secs(10)).await?;
        wait_for(
            &c,
            "the startup banner to give way to the Settings notice",
            "document.getElementById('settings-problem-banner') === null",
            Duration::from_secs(5),
            |v| v == &Value::Bool(true),
        )
        .await?;

        let notice = text_of(&c, "#settings-problem").await?;
        assert!(
            notice.contains("line 2") && notice.contains("“nope” is not a GUID") && notice.contains("kept as"),
            "{notice}"
        );
        // Defaults: sandbox, no ids, US; the file is not written yet and is named.
        let file = text_of(&c, "#settings-file").await?;
        assert!(file.contains("Not saved yet"), "{file}");
        assert!(
            file.contains(&settings_file.display().to_string()),
            "{file}"
        );
        assert_eq!(
            value_of(&c, "#connection-sandbox").await?,
            Value::Bool(true)
        );
        assert_eq!(
            value_of(&c, "#connection-partner-center").await?,
            Value::Bool(false)
        );
        assert_eq!(value_of(&c, "#client-id").await?, "");
        assert_eq!(value_of(&c, "#tenant-id").await?, "");
        wait_for(
            &c,
            "the markets in the default market picker",
            "document.querySelectorAll('#default-market option').length",
            Duration::from_secs(10),
            |v| v.as_u64().unwrap_or(0) > 1,
        )
        .await?;
        assert_eq!(value_of(&c, "#default-market").await?, "US");
        wait_css(&c, "#account-status", Duration::from_secs(10)).await?;
        let account = text_of(&c, "#account-status").await?;
        assert!(account.contains("built-in sandbox"), "{account}");
        shot(&c, "settings-1280x800").await?;

        // A wrong client id is named next to its field; Save does not write.
        type_into(&c, "#client-id", "not-a-guid").await?;
        wait_css(&c, "#client-id-error", Duration::from_secs(5)).await?;
        let err = text_of(&c, "#client-id-error").await?;
        assert!(err.contains("not a GUID"), "{err}");
        click(&c, "#save-settings").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !settings_file.exists(),
            "nothing is written while a field is wrong"
        );
        shot(&c, "settings-invalid-1280x800").await?;
        type_into(&c, "#client-id", "").await?;

        // Edit the default market and save.
        c.execute(
            "document.getElementById('default-market').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
        c.find(Locator::Css("#default-market"))
            .await?
            .select_by_value("GB")
            .await?;
        click(&c, "#save-settings").await?;
        wait_for(
            &c,
            "the saved confirmation",
            "document.getElementById('save-status')?.textContent ?? ''",
            Duration::from_secs(10),
            |v| v.as_str().unwrap_or("").contains("Saved at"),
        )
        .await?;
        let text = std::fs::read_to_string(&settings_file).expect("the settings file was written");
        assert!(text.contains("markets = [\"GB\"]"), "{text}");
        assert!(text.contains("# Default markets"), "{text}");
        let file = text_of(&c, "#settings-file").await?;
        assert!(file.starts_with("Saved in"), "{file}");
        // The broken file is still there, as it was.
        let kept: Vec<_> = std::fs::read_dir(&settings_dir)
            .expect("settings dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("settings.toml.broken-"))
            .collect();
        assert_eq!(kept.len(), 1, "the broken file is kept aside");
        assert_eq!(std::fs::read_to_string(kept[0].path()).expect("kept"), broken);
        assert!(
            c.execute("return document.getElementById('settings-problem') === null;", vec![])
                .await?
                == Value::Bool(true),
            "the notice goes once good settings are saved"
        );
        shot(&c, "settings-saved-1280x800").await?;

        // 1024×700: still readable; then with the advanced section open.
        c.set_window_size(1024, 700).await?;
        c.execute("document.querySelector('.settings-scroll').scrollTop = 0;", vec![])
            .await?;
        shot(&c, "settings-1024x700").await?;
        c.execute(
            "const d = document.querySelector('.advanced'); d.open = true; d.scrollIntoView({block: 'start'});",
            vec![],
        )
        .await?;
        wait_css(&c, "#endpoint-partnerCenter", Duration::from_secs(5)).await?;
        shot(&c, "settings-advanced-1024x700").await?;
        Ok::<_, CmdError>(())
    }
    .await;
    c.close().await.ok();
    result.expect("settings e2e");
}
