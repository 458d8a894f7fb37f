//! Invoices and Publishers: search a publisher, open it, see its contacts, add a note and see it
//! listed; and from an invoice line, "Publisher contacts" shows the subscription's publisher
//! with the subscription's details. Screenshots at 1280×800 and 1024×700.

use std::time::Duration;

use cspdesk_core::catalog::sync::load_offers;
use cspdesk_core::catalog::OfferType;
use cspdesk_core::store::Store;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::common::*;

const T: Duration = Duration::from_secs(30);

async fn is_true(c: &Client, what: &str, js: &str, timeout: Duration) -> Result<(), CmdError> {
    wait_for(c, what, js, timeout, |v| v == &Value::Bool(true))
        .await
        .map(|_| ())
}

/// Wait for the first launch's catalog (so views do not race it), then open `view`.
async fn open_view(c: &Client, label: &str) -> Result<(), CmdError> {
    is_true(
        c,
        "the marketplace's first rows",
        "document.querySelector('#offer-table .tr[data-key]') !== null",
        Duration::from_secs(180),
    )
    .await?;
    let js = format!(
        "const b = Array.from(document.querySelectorAll('.nav-item')).find(b => b.textContent.includes({})); if (b) b.click(); return b !== undefined;",
        serde_json::to_string(label).unwrap()
    );
    assert_eq!(
        c.execute(&js, vec![]).await?,
        Value::Bool(true),
        "no {label} in the sidebar"
    );
    Ok(())
}

/// A publisher whose SaaS offers matched the marketplace catalog (so it has support contacts).
fn publisher_with_contacts(data_dir: &std::path::Path) -> String {
    let store = Store::open(&data_dir.join("cspdesk.sqlite")).expect("store");
    let offers = load_offers(&store, MARKET).expect("stored offers");
    offers
        .iter()
        .filter(|o| {
            !o.is_microsoft_product
                && o.marketplace_id.is_some()
                && o.offer_type == OfferType::Saas
                && o.purchasable_through_csp()
        })
        .map(|o| o.publisher_name.clone())
        .min()
        .expect("a SaaS publisher in the marketplace catalog")
}

#[tokio::test]
async fn publishers_search_open_contacts_and_a_note() {
    if !enabled() {
        return;
    }
    let (_driver, data_dir) = start_driver("e2e-publishers", None);
    let c = session().await;
    let result = async {
        c.set_window_size(1280, 800).await?;
        open_view(&c, "Publishers").await?;
        is_true(&c, "publisher rows", "document.querySelector('#publisher-list .pub-row') !== null", T).await?;
        let name = publisher_with_contacts(&data_dir);

        // Ctrl+F, type part of the name: the list narrows to it; Enter opens the first match.
        c.find(Locator::Css("body")).await?.send_keys("\u{e009}f").await?;
        let focused = c
            .execute("return document.activeElement && document.activeElement.id;", vec![])
            .await?;
        assert_eq!(focused, Value::String("publisher-search".into()), "Ctrl+F focuses the search");
        let search = c.find(Locator::Id("publisher-search")).await?;
        search.send_keys(&name).await?;
        is_true(
            &c,
            "the searched publisher first in the list",
            &format!(
                "(() => {{ const r = document.querySelector('#publisher-list .pub-row .pub-name'); return r !== null && r.textContent === {}; }})()",
                serde_json::to_string(&name).unwrap()
            ),
            T,
        )
        .await?;
        let count = text_of(&c, "#publisher-count").await?;
        assert!(count.contains(" of "), "{count}");
        search.send_keys("\u{e007}").await?; // Enter
        is_true(
            &c,
            "the publisher's detail",
            &format!(
                "document.getElementById('publisher-title')?.textContent === {}",
                serde_json::to_string(&name).unwrap()
            ),
            T,
        )
        .await?;

        // Who handles what, and contacts as links the system opens.
        let who = text_of(&c, "#who-handles-what").await?;
        assert!(who.contains("Billing and subscription questions") && who.contains("Technical issues"), "{who}");
        let hrefs = c
            .execute(
                "return Array.from(document.querySelectorAll('#publisher-contacts a')).map(a => a.getAttribute('href'));",
                vec![],
            )
            .await?;
        let hrefs = array_of(&hrefs, |v| v.as_str().map(String::from));
        assert!(!hrefs.is_empty(), "no contact links for {name}");
        assert!(
            hrefs.iter().all(|h| h.starts_with("https://") || h.starts_with("mailto:") || h.starts_with("tel:")),
            "{hrefs:?}"
        );
        let offers = c
            .execute("return document.querySelectorAll('#publisher-offers li').length;", vec![])
            .await?;
        assert!(offers.as_u64().unwrap_or(0) > 0, "no offers listed");

        // Add a note: it is listed, and the list row counts it.
        let note = "E2E: escalations go through their partner desk";
        c.find(Locator::Id("note-text")).await?.send_keys(note).await?;
        click(&c, "#add-note").await?;
        is_true(
            &c,
            "the note listed",
            &format!(
                "Array.from(document.querySelectorAll('#notes-list .note-item')).some(n => n.textContent.includes({}))",
                serde_json::to_string(note).unwrap()
            ),
            T,
        )
        .await?;
        is_true(
            &c,
            "the note counted in the list",
            "document.querySelector('#publisher-list .pub-row.open .notes-pill') !== null",
            T,
        )
        .await?;
        assert_eq!(c.find(Locator::Id("note-text")).await?.prop("value").await?.as_deref(), Some(""));
        shot(&c, "publishers-1280x800").await?;
        c.set_window_size(1024, 700).await?;
        shot(&c, "publishers-1024x700").await?;

        // Export the notes to the export folder: the file is there, with Open file / Show in folder.
        c.set_window_size(1280, 800).await?;
        click(&c, "#export-notes").await?;
        wait_css(&c, "#notes-saved", Duration::from_secs(20)).await?;
        let saved = text_of(&c, "#notes-saved code").await?;
        assert!(
            saved.starts_with(&data_dir.join("exports").display().to_string()) && saved.ends_with(".xlsx"),
            "{saved}"
        );
        assert!(std::path::Path::new(&saved).is_file(), "{saved} written");
        let buttons = text_of(&c, "#notes-saved").await?;
        assert!(buttons.contains("Open file") && buttons.contains("Show in folder"), "{buttons}");
        shot(&c, "publishers-notes-exported-1280x800").await?;
        Ok::<_, CmdError>(())
    }
    .await;
    c.close().await.ok();
    result.expect("publishers view");
}

#[tokio::test]
async fn invoice_line_to_its_publishers_contacts() {
    if !enabled() {
        return;
    }
    let (_driver, _data_dir) = start_driver("e2e-invoices", None);
    let c = session().await;
    let result = async {
        c.set_window_size(1280, 800).await?;
        open_view(&c, "Invoices").await?;
        is_true(&c, "billing periods", "document.querySelector('#invoice-periods .period') !== null", T).await?;
        let rule = text_of(&c, "#period-rule").await?;
        // The core's billing-period sentence, said by the UI with its own date format
        // ("invoice available November 8, 2026" in English).
        assert!(rule.contains(" charges · invoice available ") && rule.contains(" 8, "), "{rule}");
        let first_period = text_of(&c, "#invoice-periods .period").await?;
        assert!(first_period.contains("Current"), "{first_period}");
        is_true(&c, "line items", "document.querySelector('#line-table .tr[data-sub]') !== null", T).await?;
        let totals = text_of(&c, "#line-totals").await?;
        assert!(totals.starts_with("Total $"), "{totals}");
        shot(&c, "invoices-1280x800").await?;

        // Sort by total: largest first on the first click.
        click(&c, ".th[data-col='total']").await?;
        is_true(
            &c,
            "sorted by total, descending",
            "document.querySelector(\".th[data-col='total']\").getAttribute('aria-sort') === 'descending'",
            T,
        )
        .await?;
        is_true(
            &c,
            "rows largest total first",
            "(() => { const t = Array.from(document.querySelectorAll('#line-table .tr[data-sub]')).sort((a, b) => a.ariaRowIndex - b.ariaRowIndex).map(r => Number(r.querySelector('.c-total').textContent.replace(/[^0-9.-]/g, ''))); return t.length > 5 && t.every((v, i) => i === 0 || t[i - 1] >= v); })()",
            T,
        )
        .await?;

        // Open a paid line; its "Publisher contacts" leads to the publisher with the subscription.
        let picked = c
            .execute(
                "const r = Array.from(document.querySelectorAll('#line-table .tr[data-sub]')).find(r => !r.classList.contains('trial-line')); if (r) r.click(); return r ? [r.dataset.sub, r.querySelector('.c-publisher').textContent] : null;",
                vec![],
            )
            .await?;
        let sub = picked[0].as_str().expect("a paid line").to_string();
        let publisher = picked[1].as_str().unwrap_or("").to_string();
        is_true(
            &c,
            "the line's detail",
            &format!(
                "document.getElementById('line-subscription-id')?.textContent === {}",
                serde_json::to_string(&sub).unwrap()
            ),
            T,
        )
        .await?;
        c.set_window_size(1024, 700).await?;
        shot(&c, "invoices-line-1024x700").await?;
        click(&c, "#line-publisher-contacts").await?;

        is_true(
            &c,
            "the subscription's context",
            &format!(
                "document.getElementById('ctx-subscription-id')?.textContent === {}",
                serde_json::to_string(&sub).unwrap()
            ),
            Duration::from_secs(60),
        )
        .await?;
        let title = text_of(&c, "#publisher-title").await?;
        assert_eq!(title, publisher);
        let order = text_of(&c, "#ctx-order-id").await?;
        assert!(!order.is_empty() && order != "–", "no order id");
        let mailto = c
            .execute("return document.getElementById('contact-publisher').getAttribute('href');", vec![])
            .await?;
        let mailto = mailto.as_str().unwrap_or("").to_string();
        assert!(mailto.starts_with("mailto:") && mailto.contains(&sub), "{mailto}");
        assert!(mailto.contains(&order), "{mailto}");
        let contacts = c
            .execute(
                "return Array.from(document.querySelectorAll('#publisher-contacts a')).map(a => a.getAttribute('href'));",
                vec![],
            )
            .await?;
        assert!(
            contacts.as_array().is_some_and(|a| !a.is_empty()),
            "no support contact shown: {contacts}"
        );
        shot(&c, "publisher-lookup-1024x700").await?;
        c.set_window_size(1280, 800).await?;
        shot(&c, "publisher-lookup-1280x800").await?;
        Ok::<_, CmdError>(())
    }
    .await;
    c.close().await.ok();
    result.expect("lookup from an invoice line");
}
