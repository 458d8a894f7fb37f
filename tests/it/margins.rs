//! `cspdesk margins …` end to end: the real binary and its store, no network needed.

use std::process::Command;

use serde_json::Value;

fn cspdesk(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cspdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("cspdesk runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn rules(dir: &std::path::Path) -> Vec<Value> {
    let (ok, out, err) = cspdesk(dir, &["--json", "margins", "list"]);
    assert!(ok, "{err}");
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .expect("a JSON array")
        .clone()
}

#[test]
fn rules_are_added_listed_shared_as_a_file_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(rules(d).is_empty());

    let (ok, out, err) = cspdesk(d, &["margins", "add", "--markup", "20%", "--round", "0.99"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("+20%") && out.contains("round 0.99") && out.contains("everything"),
        "{out}"
    );
    let (ok, _, err) = cspdesk(
        d,
        &[
            "margins",
            "add",
            "--markup",
            "35",
            "--on",
            "erp",
            "--publisher",
            "Contoso",
            "--market",
            "gb",
        ],
    );
    assert!(ok, "{err}");

    // Below cost is refused unless it is a promotion; nothing is added.
    let (ok, _, err) = cspdesk(d, &["margins", "add", "--markup", "-10%"]);
    assert!(!ok && err.contains("below cost"), "{err}");
    let (ok, _, err) = cspdesk(
        d,
        &[
            "margins",
            "add",
            "--fixed",
            "-2",
            "--promotion",
            "--product",
            "P1",
            "--sku",
            "S1",
        ],
    );
    assert!(ok, "{err}");

    let list = rules(d);
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["percent"], 20.0);
    assert_eq!(list[0]["rounding"], "up99");
    assert_eq!(list[1]["basis"], "erp");
    assert_eq!(list[1]["market"], "GB", "markets are kept upper case");
    assert_eq!(list[2]["promotion"], true);

    // Shared as TOML, read back by another store as the same rules.
    let file = d.join("team-rules.toml");
    let (ok, _, err) = cspdesk(d, &["margins", "export", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let other = tempfile::tempdir().unwrap();
    let (ok, _, err) = cspdesk(other.path(), &["margins", "import", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let strip = |v: Vec<Value>| -> Vec<Value> {
        v.into_iter()
            .map(|mut r| {
                r.as_object_mut().unwrap().remove("id");
                r
            })
            .collect()
    };
    assert_eq!(strip(rules(other.path())), strip(list.clone()));

    // A bad file names its line and keeps the rules as they were.
    let bad = d.join("bad.csv");
    std::fs::write(&bad, "markup,round\n10%,0.99\n15%,0.98\n").unwrap();
    let (ok, _, err) = cspdesk(d, &["margins", "import", bad.to_str().unwrap()]);
    assert!(
        !ok && err.contains("line 3") && err.contains("0.98"),
        "{err}"
    );
    assert_eq!(rules(d).len(), 3);

    // A good CSV replaces them.
    let good = d.join("good.csv");
    std::fs::write(&good, "markup,type,round\n12%,SaaS,0.95\n").unwrap();
    let (ok, _, err) = cspdesk(d, &["margins", "import", good.to_str().unwrap()]);
    assert!(ok, "{err}");
    let now = rules(d);
    assert_eq!(now.len(), 1);
    assert_eq!(now[0]["productType"], "SaaS");

    let id = now[0]["id"].as_i64().unwrap().to_string();
    let (ok, _, err) = cspdesk(d, &["margins", "remove", &id]);
    assert!(ok, "{err}");
    let (ok, _, err) = cspdesk(d, &["margins", "remove", &id]);
    assert!(
        !ok && err.contains("not found") || err.contains("margin rule"),
        "{err}"
    );
    assert!(rules(d).is_empty());
}
