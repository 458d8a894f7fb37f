//! The Invoices and Publishers views' facade (`AppCore`) against the embedded sandbox: invoice
//! lines windowed across the whole invoice with filters and totals, an export read back, notes
//! that survive a catalog sync, and the lookup from a subscription to its publisher's contacts.

use calamine::{Data, Reader, Xlsx};
use cspdesk_core::app::invoices::{LineQuery, LineSortKey, UNBILLED};
use cspdesk_core::app::publishers::NoteInput;
use cspdesk_core::app::AppCore;
use cspdesk_core::connection::ConnectOptions;
use cspdesk_core::error::Error;
use cspdesk_core::partner_center::{api, paging};
use cspdesk_core::settings::Settings;
use cspdesk_core::tabular::ExportFormat;

fn core(dir: &std::path::Path) -> AppCore {
    let settings = Settings {
        export_dir: Some(dir.join("exports")),
        ..Default::default()
    };
    AppCore::new(ConnectOptions {
        sandbox_starter: Some(cspdesk_sandbox::starter()),
        data_dir: Some(dir.to_path_buf()),
        sandbox_offers: Some(300),
        settings,
        ..Default::default()
    })
}

fn q(invoice: &str) -> LineQuery {
    LineQuery {
        invoice_id: invoice.into(),
        limit: 500,
        ..Default::default()
    }
}

/// The invoice with the most lines, and its line count.
async fn fullest_invoice(core: &AppCore) -> (String, u32) {
    let mut best = (String::new(), 0);
    for inv in core.invoices().await.unwrap() {
        let w = core
            .invoice_lines(LineQuery {
                limit: 1,
                ..q(&inv.id)
            })
            .await
            .unwrap();
        if w.all > best.1 {
            best = (inv.id.clone(), w.all);
        }
    }
    best
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoice_lines_window_filter_total_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    let list = core.invoices().await.unwrap();

    // The current period comes first, unbilled, with its rule in words.
    assert_eq!(list[0].id, UNBILLED);
    assert!(list[0].unbilled && list[0].invoice_date.is_none());
    let current = list[0].period.as_ref().unwrap();
    assert!(
        current.label.contains(" charges · invoice available 8 "),
        "{}",
        current.label
    );
    // Each invoice is available on the 8th after its period, as its rule says.
    assert!(
        list.len() >= 7,
        "a year of invoices plus the unbilled period"
    );
    for inv in &list[1..] {
        let p = inv.period.as_ref().unwrap();
        assert_eq!(inv.invoice_date.unwrap().date_naive(), p.invoice_available);
        assert!(
            p.label
                .starts_with(&p.start.format("%B %Y charges").to_string()),
            "{}",
            p.label
        );
    }

    let (id, all) = fullest_invoice(&core).await;
    assert!(all >= 10, "{id} has {all} lines");

    // Windows of 7 over the whole invoice give exactly the lines Partner Center pages out 10 at a time.
    let conn = core.connection().await.unwrap();
    let req = if id == UNBILLED {
        api::unbilled_line_items("USD", "current", 10)
    } else {
        api::invoice_line_items(&id, 10)
    };
    let pages: Vec<Vec<_>> =
        futures::TryStreamExt::try_collect(paging::pages(conn.client.clone(), req))
            .await
            .unwrap();
    assert!(pages.len() >= 2);
    let paged: Vec<String> = pages
        .concat()
        .iter()
        .map(|l| format!("{}/{}", l.subscription_id, l.charge_type))
        .collect();
    let mut windowed = Vec::new();
    let mut offset = 0;
    while offset < all {
        let w = core
            .invoice_lines(LineQuery {
                offset,
                limit: 7,
                ..q(&id)
            })
            .await
            .unwrap();
        assert_eq!((w.total, w.offset), (all, offset));
        assert!(!w.rows.is_empty() && w.rows.len() <= 7);
        windowed.extend(
            w.rows
                .iter()
                .map(|r| format!("{}/{}", r.subscription_id, r.charge_type)),
        );
        offset += 7;
    }
    let (mut a, mut b) = (paged.clone(), windowed.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b, "every line once, across pages and windows");

    // Filters: publisher (any case), customer by id, product by part of its name; totals add up.
    let whole = core.invoice_lines(q(&id)).await.unwrap();
    let first = whole.rows[0].clone();
    let by_pub = core
        .invoice_lines(LineQuery {
            publisher: Some(first.publisher_name.to_uppercase()),
            ..q(&id)
        })
        .await
        .unwrap();
    assert!(by_pub.total >= 1 && by_pub.total <= all);
    assert!(by_pub
        .rows
        .iter()
        .all(|r| r.publisher_name == first.publisher_name));
    let sum: f64 = by_pub.rows.iter().map(|r| r.total.unwrap_or(0.0)).sum();
    assert!((by_pub.totals[0].amount - sum).abs() < 0.01);
    assert_eq!(by_pub.totals[0].currency, "USD");
    let by_customer = core
        .invoice_lines(LineQuery {
            customer: Some(first.customer_id.clone()),
            product: Some(first.product_name[..4].to_lowercase()),
            ..q(&id)
        })
        .await
        .unwrap();
    assert!(by_customer
        .rows
        .iter()
        .any(|r| r.subscription_id == first.subscription_id));
    assert!(by_customer
        .rows
        .iter()
        .all(|r| r.customer_id == first.customer_id));
    assert!(whole.customers.contains(&first.customer_name));
    let none = core
        .invoice_lines(LineQuery {
            customer: Some("no such customer".into()),
            ..q(&id)
        })
        .await
        .unwrap();
    assert_eq!((none.total, none.rows.len()), (0, 0));
    assert!(none.totals.is_empty());

    // Sorting by total, largest first.
    let by_total = core
        .invoice_lines(LineQuery {
            sort: LineSortKey::Total,
            descending: true,
            ..q(&id)
        })
        .await
        .unwrap();
    let totals: Vec<f64> = by_total
        .rows
        .iter()
        .map(|r| r.total.unwrap_or(0.0))
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");

    // Trial lines are at 0 and marked as trials (the sandbox's customers have some).
    let mut trials = 0;
    for inv in &list {
        let w = core.invoice_lines(q(&inv.id)).await.unwrap();
        assert_eq!(w.trials as usize, w.rows.iter().filter(|r| r.trial).count());
        for r in w.rows.iter().filter(|r| r.trial) {
            assert_eq!(r.total.unwrap_or(0.0), 0.0, "{r:?}");
            assert!(
                r.term_and_billing_cycle.to_lowercase().contains("trial"),
                "{r:?}"
            );
            trials += 1;
        }
    }
    assert!(trials > 0, "no trial line on any invoice");

    // Export the publisher's lines to xlsx, read it back.
    let out = dir.path().join("lines.xlsx");
    let res = core
        .export_invoice_lines(
            LineQuery {
                publisher: Some(first.publisher_name.clone()),
                ..q(&id)
            },
            Some(out.display().to_string()),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (res.rows, res.format),
        (u64::from(by_pub.total), ExportFormat::Xlsx)
    );
    // "Open file" and "Show in folder" act on it (the app wrote it); on nothing else.
    assert_eq!(core.written_file(&res.path).await.unwrap(), out);
    let other = dir.path().join("not-ours.xlsx");
    std::fs::write(&other, b"x").unwrap();
    let refused = core
        .written_file(&other.display().to_string())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, cspdesk_core::Error::Refused { .. }),
        "{refused}"
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range(&id).unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len() as u32, by_pub.total + 1);
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, line) in rows[1..].iter().zip(&by_pub.rows) {
        assert_eq!(
            row[col("Publisher")],
            Data::String(line.publisher_name.clone())
        );
        assert_eq!(
            row[col("Subscription ID")],
            Data::String(line.subscription_id.clone())
        );
        let trial = row[col("Trial")].to_string();
        assert_eq!(trial == "Trial", line.trial);
    }

    // No file named: the export folder, as csv; nothing half-written is left behind.
    let billed = &list[1].id;
    let billed_lines = core.invoice_lines(q(billed)).await.unwrap().all;
    let res = core
        .export_invoice_lines(q(billed), None, Some(ExportFormat::Csv))
        .await
        .unwrap();
    let expected = dir
        .path()
        .join("exports")
        .join(format!("invoice-{billed}-lines.csv"));
    assert_eq!(res.path, expected.display().to_string());
    let text = std::fs::read_to_string(&expected).unwrap();
    assert_eq!(text.lines().count() as u32, billed_lines + 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());

    // Bad input says what is wrong.
    let e = core
        .export_invoice_lines(q(&id), Some("/tmp/lines.pdf".into()), None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains(".xlsx or .csv"), "{e}");
    let e = core.invoice_lines(q("../x")).await.unwrap_err();
    assert!(matches!(e, Error::Invalid(_)), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publisher_notes_survive_a_catalog_sync_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    let list = core.publisher_list("US", None).await.unwrap();
    assert!(list.len() > 10);
    let p = list
        .iter()
        .find(|p| !p.microsoft && p.csp_offers > 0)
        .unwrap()
        .clone();
    assert!(p.offers >= p.csp_offers && p.notes == 0);
    let part: String = p.name.chars().skip(1).take(5).collect();
    let found = core
        .publisher_list("us", Some(part.to_uppercase()))
        .await
        .unwrap();
    assert!(found.iter().any(|x| x.key == p.key), "search {part:?}");
    assert!(found.len() < list.len());

    let note = core
        .add_publisher_note(
            &p.name,
            NoteInput {
                text: "Escalations go through their partner desk".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(note.kind, "note");
    let contact = core
        .add_publisher_note(
            &p.name,
            NoteInput {
                kind: "contact".into(),
                text: "Partner manager".into(),
                name: Some("Ana Diaz".into()),
                email: Some("ana@example.com".into()),
                phone: Some("+1 425 555 0100".into()),
            },
        )
        .await
        .unwrap();
    let bad = core
        .add_publisher_note(
            &p.name,
            NoteInput {
                email: Some("ana(at)example".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("not an email address"), "{bad}");

    // A catalog sync rewrites the offers, not the notes.
    core.sync("US", |_| {}).await.unwrap();
    let d = core.publisher_detail("US", &p.name).await.unwrap();
    assert_eq!(d.name, p.name);
    let texts: Vec<&str> = d.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Escalations go through their partner desk",
            "Partner manager"
        ]
    );
    assert_eq!(d.notes[1].email.as_deref(), Some("ana@example.com"));
    assert_eq!(d.responsibilities.len(), 2);
    assert!(d.responsibilities[0].contains("partner"));
    assert!(d.responsibilities[1].contains("publisher"));
    assert_eq!(d.offers.len() as u32, p.offers);
    assert!(
        d.contacts.email.is_some() || d.contacts.support_uri.is_some(),
        "{:?} {:?}",
        d.contacts,
        d.contacts_note
    );
    let listed = core.publisher_list("US", None).await.unwrap();
    assert_eq!(listed.iter().find(|x| x.key == p.key).unwrap().notes, 2);

    // Export every note, read it back.
    let res = core
        .export_publisher_notes(None, Some(ExportFormat::Xlsx))
        .await
        .unwrap();
    assert_eq!(res.rows, 2);
    let mut wb: Xlsx<_> = calamine::open_workbook(&res.path).unwrap();
    let range = wb.worksheet_range("Publisher notes").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[2].contains(&"Ana Diaz".to_string()), "{rows:?}");
    assert_eq!(rows[1][0], p.name);

    // Delete one; deleting it again says it is gone.
    core.delete_publisher_note(note.id).await.unwrap();
    let d = core.publisher_detail("US", &p.name).await.unwrap();
    assert_eq!(d.notes.len(), 1);
    assert_eq!(d.notes[0].id, contact.id);
    let e = core.delete_publisher_note(note.id).await.unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");

    // An unknown publisher names the cause.
    let e = core
        .publisher_detail("US", "No Such Publisher Anywhere")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_from_an_invoice_line_gives_its_publishers_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    let (id, _) = fullest_invoice(&core).await;
    let lines = core.invoice_lines(q(&id)).await.unwrap();
    let line = lines
        .rows
        .iter()
        .find(|r| !r.trial)
        .expect("a paid line")
        .clone();

    let found = core
        .publisher_for_subscription(&line.customer_id, &line.subscription_id)
        .await
        .unwrap();
    let s = &found.subscription;
    assert_eq!(s.subscription_id, line.subscription_id);
    assert_eq!(s.customer_id, line.customer_id);
    assert_eq!(s.customer_name, line.customer_name);
    assert_eq!(s.order_id, line.order_id);
    assert_eq!(found.publisher.name, line.publisher_name);
    assert_eq!(
        found.publisher.market.as_deref(),
        Some(line.customer_country.as_str()),
        "the offers come from the customer's market"
    );
    assert!(found
        .publisher
        .offers
        .iter()
        .any(|o| o.product_id.as_deref() == Some(line.product_id.as_str())));
    let email = found
        .publisher
        .contacts
        .email
        .clone()
        .expect("the sandbox publisher has a support email");
    assert!(found
        .contact_mailto
        .starts_with(&format!("mailto:{email}?subject=")));
    for part in [
        &s.customer_name,
        &s.subscription_id,
        &s.order_id,
        &s.product,
    ] {
        let enc: String = url::form_urlencoded::byte_serialize(part.as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        assert!(
            found.contact_mailto.contains(&enc),
            "{} lacks {part}",
            found.contact_mailto
        );
    }

    let e = core
        .publisher_for_subscription(&line.customer_id, "")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Said { .. }), "{e}");
    assert_eq!(e.said().unwrap()["code"], "publisherLookupNeedsIds");
    let e = core
        .publisher_for_subscription(&line.customer_id, "00000000-0000-0000-0000-000000000000")
        .await
        .unwrap_err();
    assert!(
        e.status() == Some(404) || matches!(e, Error::NotFound { .. }),
        "{e:?}"
    );
}
