//! `cspdesk prices export --customer-prices …` end to end (issue 20): the real binary against a
//! sandbox on loopback. The customer's file is read back and checked row by row against the
//! plain price list of the same day: the sell price each rule gives (worked out here from the
//! rule's words, not by the product's code), trial rows at 0, no cost, ERP or margin column,
//! and the header block; the internal variant's cost, margin and rule columns; filters; and a
//! bad rules file that names its line and leaves no file.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use crate::support::cli::Cli;
use crate::support::common;

/// `prices export --market GB --format FORMAT --out OUT EXTRA…`; `must` asserts success.
fn gb_export(cli: &Cli, must: bool, format: &str, out: &str, extra: &[&str]) -> (bool, String) {
    let mut args = vec![
        "prices", "export", "--market", "GB", "--format", format, "--out", out,
    ];
    args.extend_from_slice(extra);
    let (ok, _, err) = cli.run(&args);
    assert!(ok || !must, "cspdesk {args:?} failed: {err}");
    (ok, err)
}

/// A CSV file's records (any number of fields each).
fn csv_records(path: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// What names a row in one market: product, plan, term, billing plan, trial.
type Key = (String, String, String, String, String);

fn key_of(header: &[String], row: &[String]) -> Key {
    let k = |c: &str| row[header.iter().position(|h| h == c).unwrap()].clone();
    (
        k("Product ID"),
        k("SKU ID"),
        k("Term"),
        k("Billing plan"),
        k("Free trial"),
    )
}

/// The header row and the rows below it, wherever the block above ends.
fn table(records: &[Vec<String>]) -> (Vec<String>, Vec<Vec<String>>) {
    let top = records
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "Market"))
        .expect("a header row");
    (records[top].clone(), records[top + 1..].to_vec())
}

/// The plain list's rows by their key: column name → value.
fn keyed(header: &[String], rows: &[Vec<String>]) -> HashMap<Key, HashMap<String, String>> {
    let map: HashMap<_, _> = rows
        .iter()
        .map(|r| {
            let m = header.iter().cloned().zip(r.iter().cloned()).collect();
            (key_of(header, r), m)
        })
        .collect();
    assert_eq!(map.len(), rows.len(), "each row named once");
    map
}

/// Up to the next price ending in .99, in whole cents (16.992 is 16.99).
fn up99(v: f64) -> f64 {
    let cents = (v * 100.0).round();
    let whole = (cents / 100.0).floor();
    if cents <= whole * 100.0 + 99.0 {
        whole + 0.99
    } else {
        whole + 1.99
    }
}

/// Equal to the price sheet's precision (4 places).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.000_051
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_price_list_carries_the_sell_prices_of_the_rules_and_nothing_of_the_cost() {
    let sb = common::sandbox_with(150, "").await;
    let cli = Cli::new(sb.url().as_str());
    let plain_path = cli.path("plain.csv");
    tokio::task::block_in_place(|| gb_export(&cli, true, "csv", &plain_path, &[]));
    let plain = csv_records(&plain_path);
    let (plain_header, plain_rows) = (plain[0].clone(), plain[1..].to_vec());
    let col = |name: &str| plain_header.iter().position(|h| h == name).unwrap();
    let (publisher_c, price_c, trial_c, product_c, sku_c) = (
        col("Publisher"),
        col("Unit price"),
        col("Free trial"),
        col("Product ID"),
        col("SKU ID"),
    );
    let paid = |r: &&Vec<String>| r[trial_c] == "No" && r[price_c].parse::<f64>().unwrap() > 0.0;
    // One publisher's rows get +10 %, one plan of another publisher +5.00, the rest +20 % up
    // to .99.
    let publisher = plain_rows.iter().find(paid).unwrap()[publisher_c].clone();
    let plan_row = plain_rows
        .iter()
        .filter(paid)
        .find(|r| r[publisher_c] != publisher)
        .unwrap()
        .clone();
    assert!(
        plain_rows.iter().any(|r| r[trial_c] == "Trial"),
        "the sandbox has trials"
    );
    tokio::task::block_in_place(|| {
        cli.ok(&["margins", "add", "--markup", "20%", "--round", "0.99"]);
        cli.ok(&[
            "margins",
            "add",
            "--markup",
            "10%",
            "--publisher",
            &publisher,
        ]);
        cli.ok(&[
            "margins",
            "add",
            "--fixed",
            "5",
            "--product",
            &plan_row[product_c],
            "--sku",
            &plan_row[sku_c],
        ]);
    });

    // The customer's file.
    let out = cli.path("fabrikam.csv");
    tokio::task::block_in_place(|| {
        gb_export(
            &cli,
            true,
            "csv",
            &out,
            &[
                "--customer-prices",
                "--customer",
                "Fabrikam Ltd",
                "--partner",
                "Contoso Partners",
            ],
        )
    });
    let got = csv_records(&out);
    let today = chrono::Utc::now().date_naive();
    let valid = today + chrono::Duration::days(30);
    assert_eq!(
        got[..4].to_vec(),
        vec![
            vec!["Price list".to_string(), "for Fabrikam Ltd".into()],
            vec!["From".into(), "Contoso Partners".into()],
            vec!["Date".into(), today.format("%Y-%m-%d").to_string()],
            vec!["Valid until".into(), valid.format("%Y-%m-%d").to_string()],
        ],
        "the header block"
    );
    let header = got[4].clone();
    for hidden in ["ERP price", "Cost", "Margin", "Rule"] {
        assert!(
            !header.contains(&hidden.to_string()),
            "{hidden} in {header:?}"
        );
    }
    for shown in [
        "Unit price",
        "Term",
        "Billing plan",
        "Plan",
        "Publisher",
        "Free trial",
    ] {
        assert!(
            header.contains(&shown.to_string()),
            "{shown} missing: {header:?}"
        );
    }
    let rows = got[5..].to_vec();
    assert_eq!(
        rows.len(),
        plain_rows.len(),
        "every row of the plain list, trials too"
    );
    let by_key = keyed(&plain_header, &plain_rows);
    let mut seen = [0; 4];
    for r in &rows {
        let k = &key_of(&header, r);
        let m: HashMap<&str, &str> = header
            .iter()
            .map(String::as_str)
            .zip(r.iter().map(String::as_str))
            .collect();
        let cost: f64 = by_key[k]["Unit price"].parse().unwrap();
        let sell: f64 = m["Unit price"].parse().unwrap();
        let expected = if m["Free trial"] == "Trial" {
            seen[0] += 1;
            0.0
        } else if m["Product ID"] == plan_row[product_c] && m["SKU ID"] == plan_row[sku_c] {
            seen[1] += 1;
            cost + 5.0
        } else if m["Publisher"] == publisher {
            seen[2] += 1;
            cost * 1.1
        } else {
            seen[3] += 1;
            if cost == 0.0 {
                up99(0.0)
            } else {
                up99(cost * 1.2)
            }
        };
        assert!(
            close(sell, expected),
            "{r:?}: sold at {sell}, expected {expected} (cost {cost})"
        );
        assert!(
            sell >= cost || m["Free trial"] == "Trial",
            "never below cost: {r:?}"
        );
    }
    assert!(
        seen.iter().all(|n| *n > 0),
        "every rule and trials were met: {seen:?}"
    );

    // The internal variant: the cost, ERP price, margin and rule beside the sell price.
    let internal = cli.path("internal.xlsx");
    tokio::task::block_in_place(|| {
        gb_export(
            &cli,
            true,
            "xlsx",
            &internal,
            &[
                "--customer-prices",
                "--internal",
                "--customer",
                "Fabrikam Ltd",
            ],
        )
    });
    let mut wb: Xlsx<_> = calamine::open_workbook(&internal).unwrap();
    let range = wb.worksheet_range("GB").unwrap();
    let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    assert_eq!(text(&cells[0][0]), "Price list (internal: cost and margin)");
    assert_eq!(text(&cells[0][3]), "for Fabrikam Ltd");
    let top = cells.iter().position(|r| text(&r[0]) == "Market").unwrap();
    let h: Vec<String> = cells[top].iter().map(text).collect();
    let at = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (sell_i, cost_i, margin_i, rule_i, trial_i, publisher_i) = (
        at("Unit price"),
        at("Cost"),
        at("Margin"),
        at("Rule"),
        at("Free trial"),
        at("Publisher"),
    );
    assert!(h.contains(&"ERP price".to_string()));
    let body = &cells[top + 1..];
    assert_eq!(body.len(), plain_rows.len());
    let num = |d: &Data| match d {
        Data::Float(f) => *f,
        other => panic!("not a number: {other:?}"),
    };
    for r in body {
        let (sell, cost, margin) = (num(&r[sell_i]), num(&r[cost_i]), num(&r[margin_i]));
        assert!(close(margin, sell - cost), "{r:?}");
        let rule = text(&r[rule_i]);
        if text(&r[trial_i]) == "Trial" {
            assert_eq!(sell, 0.0);
        } else if text(&r[publisher_i]) == publisher {
            assert!(
                rule.starts_with("#2 +10%"),
                "the publisher's rule wins: {rule}"
            );
        } else {
            assert!(rule.starts_with("#1 ") || rule.starts_with("#3 "), "{rule}");
        }
    }

    // Filters work as for the plain list.
    let one_publisher = cli.path("one_publisher.csv");
    tokio::task::block_in_place(|| {
        gb_export(
            &cli,
            true,
            "csv",
            &one_publisher,
            &["--customer-prices", "--publisher", &publisher],
        )
    });
    let (one_publisher_header, one_publisher_rows) = table(&csv_records(&one_publisher));
    let publisher_at = one_publisher_header
        .iter()
        .position(|c| c == "Publisher")
        .unwrap();
    let expected = plain_rows
        .iter()
        .filter(|r| r[publisher_c] == publisher)
        .count();
    assert!(expected > 0 && expected < plain_rows.len());
    assert_eq!(one_publisher_rows.len(), expected);
    assert!(one_publisher_rows
        .iter()
        .all(|r| r[publisher_at] == publisher));

    // A rules file with a bad line is named, and nothing is written.
    let bad = cli.dir.path().join("rules.csv");
    std::fs::write(&bad, "markup,round\n20%,0.99\nlots,0.99\n").unwrap();
    let none = cli.path("none.csv");
    let (ok, err) = tokio::task::block_in_place(|| {
        gb_export(
            &cli,
            false,
            "csv",
            &none,
            &["--margin", &bad.display().to_string()],
        )
    });
    assert!(!ok);
    assert!(err.contains("line 3"), "{err}");
    assert!(!Path::new(&none).exists());
    let good = cli.dir.path().join("rules.toml");
    std::fs::write(&good, "[[rule]]\nmarkup = \"50%\"\n").unwrap();
    let from_file = cli.path("from-file.csv");
    tokio::task::block_in_place(|| {
        gb_export(
            &cli,
            true,
            "csv",
            &from_file,
            &["--margin", &good.display().to_string()],
        )
    });
    let (f_header, f_rows) = table(&csv_records(&from_file));
    let price_at = f_header.iter().position(|c| c == "Unit price").unwrap();
    let by_key = keyed(&plain_header, &plain_rows);
    for r in &f_rows {
        let k = &key_of(&f_header, r);
        let cost: f64 = by_key[k]["Unit price"].parse().unwrap();
        let sell: f64 = r[price_at].parse().unwrap();
        let trial = by_key[k]["Free trial"] == "Trial";
        assert!(close(sell, if trial { 0.0 } else { cost * 1.5 }), "{r:?}");
    }
}
