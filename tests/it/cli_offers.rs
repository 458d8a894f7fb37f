//! `cspdesk offers sync|list|show` end to end: the real binary against a sandbox on loopback.

use crate::support::cli::Cli;
use crate::support::common;

use serde_json::Value;

/// `offers list --market GB` with `filters`.
fn list(cli: &Cli, filters: &[&str]) -> Vec<Value> {
    let mut args = vec!["offers", "list", "--market", "GB"];
    args.extend_from_slice(filters);
    cli.json(&args).as_array().expect("a JSON array").clone()
}

fn text(o: &Value, k: &str) -> String {
    o[k].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_filter_and_the_search_of_offers_list() {
    let sb = common::sandbox_with(600, "").await;
    let cli = Cli::new(sb.url().as_str());
    let cli = tokio::task::spawn_blocking(move || {
        let report = cli.json(&["offers", "sync", "--market", "GB"]);
        assert!(report["offers"].as_u64().unwrap() > 100, "{report}");
        assert!(report["marketplaceError"].is_null(), "{report}");
        cli
    })
    .await
    .unwrap();

    tokio::task::spawn_blocking(move || {
        let all = list(&cli, &[]);
        assert!(all.len() > 100);
        // JSON shape: Partner Center names, skus nested
        let saas = all
            .iter()
            .find(|o| o["type"] == "saas" && o["productId"].is_string())
            .unwrap();
        let sku = &saas["skus"][0];
        assert!(
            sku["id"].is_string() && sku["productId"] == saas["productId"],
            "{sku}"
        );
        assert!(
            sku["availabilities"][0]["catalogItemId"].is_string(),
            "{sku}"
        );

        let by_type = list(&cli, &["--type", "saas"]);
        assert!(!by_type.is_empty() && by_type.len() < all.len());
        assert!(by_type.iter().all(|o| o["type"] == "saas"));
        let vms = list(&cli, &["--type", "vm"]);
        assert!(!vms.is_empty() && vms.iter().all(|o| o["type"] == "vm"));
        let two = list(&cli, &["--type", "vm", "--type", "container"]);
        assert!(
            two.len() > vms.len()
                && two
                    .iter()
                    .all(|o| o["type"] == "vm" || o["type"] == "container")
        );

        let sec = list(&cli, &["--category", "Security"]);
        assert!(!sec.is_empty() && sec.len() < all.len());
        assert!(sec.iter().all(|o| o["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "security")));

        let ms = list(&cli, &["--publisher", "microsoft"]);
        let partners = list(&cli, &["--publisher", "partner"]);
        assert!(!ms.is_empty() && !partners.is_empty());
        assert!(ms.iter().all(|o| o["isMicrosoftProduct"] == true));
        assert!(partners.iter().all(|o| o["isMicrosoftProduct"] == false));
        assert_eq!(ms.len() + partners.len(), all.len());
        let name = text(&partners[0], "publisherName");
        let named = list(&cli, &["--publisher", &name.to_uppercase()]);
        assert!(!named.is_empty() && named.iter().all(|o| text(o, "publisherName") == name));

        let trials = list(&cli, &["--trial"]);
        assert!(!trials.is_empty() && trials.len() < all.len());
        assert!(trials.iter().all(|o| o["freeTrial"] == true));

        let word = text(&partners[0], "title")
            .split_whitespace()
            .next()
            .unwrap()
            .to_lowercase();
        let found = list(&cli, &["--search", &word.to_uppercase()]);
        assert!(!found.is_empty());
        assert!(found.iter().all(|o| {
            [
                text(o, "title"),
                text(o, "publisherName"),
                text(o, "description"),
            ]
            .iter()
            .any(|f| f.to_lowercase().contains(&word))
        }));

        // "all Security SaaS offers from partners"
        let combo = list(
            &cli,
            &[
                "--type",
                "saas",
                "--category",
                "security",
                "--publisher",
                "partner",
            ],
        );
        let expected = all
            .iter()
            .filter(|o| {
                o["type"] == "saas"
                    && o["isMicrosoftProduct"] == false
                    && o["categories"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|c| c == "security")
            })
            .count();
        assert_eq!(combo.len(), expected);

        // show one offer, and a clear error for an unknown one
        let id = text(saas, "productId");
        let shown = cli.json(&["offers", "show", &id, "--market", "GB"]);
        assert_eq!(shown["productId"], saas["productId"]);
        // What the app's detail panel shows: contacts and legal links (or why they are
        // missing), and whether CSP can sell it.
        assert_eq!(shown["purchasable"], true, "{shown}");
        assert!(
            shown["publisher"]["supportUri"].is_string() || shown["marketplaceNote"].is_string(),
            "{shown}"
        );
        if shown["publisher"]["supportUri"].is_string() {
            assert!(shown["termsOfUseUri"].is_string() && shown["privacyPolicyUri"].is_string());
        }
        let (ok, text, _) = cli.run(&["offers", "show", &id, "--market", "GB"]);
        assert!(ok);
        for label in [
            "Support:",
            "Terms of use:",
            "Privacy:",
            "CSP:          can be sold through CSP",
        ] {
            assert!(text.contains(label), "{label} in {text}");
        }
        let (ok, _, err) = cli.run(&["offers", "show", "NOPE00000000", "--market", "GB"]);
        assert!(!ok && err.contains("not found"), "{err}");

        let (ok, _, err) = cli.run(&["offers", "list", "--type", "toaster"]);
        assert!(!ok && err.contains("unknown offer type"), "{err}");
    })
    .await
    .unwrap();
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_list_prints_a_json_array_and_searches() {
    let sb = common::sandbox().await;
    let cli = Cli::new(sb.url().as_str());
    tokio::task::spawn_blocking(move || {
        let all = cli.json(&["customers", "list"]);
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 50);
        let first = &all[0];
        assert!(first["id"].is_string() && first["companyProfile"]["companyName"].is_string());
        let domain = first["companyProfile"]["domain"].as_str().unwrap();
        let found = cli.json(&["customers", "list", "--search", &domain[..6].to_uppercase()]);
        assert!(found
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == first["id"]));
        let tenant = first["companyProfile"]["tenantId"].as_str().unwrap();
        let by_tenant = cli.json(&["customers", "list", "--search", tenant]);
        assert_eq!(by_tenant.as_array().unwrap().len(), 1);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_prints_the_servers_words_and_the_request_id_on_one_line() {
    let sb = common::sandbox_with(60, "").await;
    let cli = Cli::new(sb.url().as_str());
    let (ok, _, err) = tokio::task::spawn_blocking(move || {
        cli.run(&[
            "activation-link",
            "--customer",
            "no-such-customer",
            "no-such-subscription",
        ])
    })
    .await
    .unwrap();
    assert!(!ok);
    let line = err.trim_end().lines().last().unwrap_or_default();
    assert!(line.starts_with("error: "), "{err}");
    assert!(line.contains("HTTP 404"), "the server's answer: {line}");
    let id = line
        .split("request id ")
        .nth(1)
        .map(|s| s.trim_end_matches(']'))
        .unwrap_or_else(|| panic!("no request id in {line}"));
    assert!(uuid::Uuid::parse_str(id).is_ok(), "a request id: {id}");
}
