//! Korean (issue 18): the app started under a Korean OS locale (`LANG=ko_KR.UTF-8`, settings
//! language `system`) speaks Korean: the webview reports `ko`, the sidebar and each view's heading
//! are Korean with no English left in the nav, column headers and tabs. Every view (and the price
//! lists' five tabs, an offer's detail and a subscription's detail) is shot at 1280×800 and
//! 1024×700 (`target/e2e-shots/ko-*.png`). Then Settings switches the language to English and the
//! window follows at once, without a restart.

use std::time::Duration;

use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::common::*;

/// The sidebar in VIEWS order, as ko.json says it.
const NAV: [(&str, &str); 8] = [
    ("marketplace", "마켓플레이스"),
    ("price-lists", "가격표"),
    ("customers", "고객"),
    ("subscriptions", "구독"),
    ("orders", "주문"),
    ("invoices", "청구서"),
    ("publishers", "게시자"),
    ("settings", "설정"),
];

async fn js(c: &Client, script: &str) -> Result<Value, CmdError> {
    c.execute(script, vec![]).await
}

async fn both_sizes(c: &Client, name: &str) -> Result<(), CmdError> {
    c.set_window_size(1280, 800).await?;
    shot(c, &format!("ko-{name}-1280x800")).await?;
    c.set_window_size(1024, 700).await?;
    shot(c, &format!("ko-{name}-1024x700")).await?;
    c.set_window_size(1280, 800).await
}

/// Texts of the window's chrome (nav, headings, tabs, column headers, buttons, labels) that are
/// in Latin letters with no Hangul, leaving out names that are the same in Korean (brands,
/// codes, file types, URLs) and data (links, chips, the grids' and tables' cells).
const ENGLISH_LEFT: &str = r#"
// Names that are the same in Korean (brands, products, file types, codes) and paths are not
// English left behind: take them out, and what still has Latin words is.
const same = /https?:\/\/\S*|\b(CSP Desk|CSP|SaaS|SKU|ID|Excel|CSV|UTF-8|Microsoft Entra ID|Microsoft Entra|Microsoft|Azure Portal|Azure Marketplace|Azure Resource Manager|Azure|Partner API|ERP|GUID|ISV|MS-RequestId|English|organizations|contoso\.onmicrosoft\.com|[A-Z]{2})\b|\.xlsx|\.csv|\/\S+/g;
const out = [];
for (const el of document.querySelectorAll('.sidebar .nav-label, h1, h2, h3, [role=tab], th, [role=columnheader], legend, label, button:not(.link):not(.chip), option:first-child, [placeholder], [aria-label], [title]')) {
  if (el.closest('[data-key], tbody, [role=gridcell], .detail-body .contacts, .result-path')) continue;
  for (const text of [el.matches('[placeholder]') ? el.getAttribute('placeholder') : null, el.matches('[aria-label]') ? el.getAttribute('aria-label') : null, el.children.length === 0 || el.matches('button, th, label, h1, h2, h3') ? el.textContent : null]) {
    const t = (text ?? '').replace(/\s+/g, ' ').trim();
    if (!t || /[가-힣]/.test(t) || !/[A-Za-z]{2}/.test(t.replace(same, ''))) continue;
    out.push(t);
  }
}
return [...new Set(out)];
"#;

async fn english_left(c: &Client, view: &str) -> Result<Vec<String>, CmdError> {
    let left = array_of(&js(c, ENGLISH_LEFT).await?, |v| {
        v.as_str().map(String::from)
    });
    eprintln!("e2e: korean {view}: Latin-only chrome texts: {left:?}");
    Ok(left)
}

async fn open_view(c: &Client, i: usize) -> Result<(), CmdError> {
    let (id, label) = NAV[i];
    let items = c.find_all(Locator::Css(".sidebar .nav-item")).await?;
    items[i].click().await?;
    wait_for(
        c,
        &format!("{id} open"),
        "document.querySelector('.nav-item.active .nav-label')?.textContent ?? ''",
        Duration::from_secs(10),
        |v| v.as_str() == Some(label),
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(600)).await;
    Ok(())
}

#[tokio::test]
async fn korean() {
    if !enabled() {
        return;
    }
    let env: &[(&str, &str)] = &[
        ("LANG", "ko_KR.UTF-8"),
        ("LANGUAGE", "ko_KR:ko"),
        ("LC_ALL", "ko_KR.UTF-8"),
    ];
    let (_driver, _data_dir) = start_driver_with("e2e-korean", None, env);
    let c = session().await;
    let result = async {
        c.set_window_size(1280, 800).await?;
        wait_first_rows(&c).await?;
        // WebKitGTK reports en-US here (no ko_KR locale is generated on the machine); the core
        // reads LANG, and the app follows it.
        let langs = js(&c, "return [navigator.language, navigator.languages, document.documentElement.lang];").await?;
        eprintln!("e2e: korean: navigator.language, navigator.languages, <html lang> = {langs}");
        assert_eq!(langs[2], Value::from("ko"), "the app follows the OS's Korean: {langs}");

        // The nav: every item Korean, none English.
        let nav = array_of(&js(&c, "return Array.from(document.querySelectorAll('.sidebar .nav-label')).map(e => e.textContent);").await?, |v| v.as_str().map(String::from));
        assert_eq!(nav, NAV.iter().map(|(_, l)| l.to_string()).collect::<Vec<_>>(), "the sidebar in Korean");
        let mut all_left: Vec<(String, String)> = vec![];

        // Marketplace, and an offer's detail.
        let heads = array_of(&js(&c, "return Array.from(document.querySelectorAll('#offer-table [role=columnheader]')).map(e => e.textContent);").await?, |v| v.as_str().map(String::from));
        assert!(heads.iter().any(|h| h.contains("오퍼")) && heads.iter().any(|h| h.contains("게시자")), "Korean column headers: {heads:?}");
        assert!(text_of(&c, "#result-count").await?.contains("오퍼"), "the count in Korean");
        all_left.extend(english_left(&c, "marketplace").await?.into_iter().map(|t| ("marketplace".into(), t)));
        both_sizes(&c, "marketplace").await?;
        js(&c, "document.querySelector('#offer-table .tr[data-key]').dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));").await?;
        wait_css(&c, "#detail-trial", Duration::from_secs(20)).await?;
        assert!(text_of(&c, "#detail-trial").await?.chars().any(|ch| ('가'..='힣').contains(&ch)), "the detail in Korean");
        both_sizes(&c, "marketplace-detail").await?;
        c.find(Locator::Css("body")).await?.send_keys("\u{E00C}").await?;

        // Every other view.
        for (i, (id, _)) in NAV.iter().enumerate().skip(1) {
            open_view(&c, i).await?;
            match *id {
                "price-lists" => {
                    for tab in ["export", "changes", "impact", "pricing", "schedule"] {
                        click(&c, &format!("#tab-{tab}")).await?;
                        wait_css(&c, &format!("[aria-labelledby='tab-{tab}'], #panel-{tab}"), Duration::from_secs(10)).await?;
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        let label = text_of(&c, &format!("#tab-{tab}")).await?;
                        assert!(label.chars().any(|ch| ('가'..='힣').contains(&ch)), "the {tab} tab in Korean: {label}");
                        all_left.extend(english_left(&c, &format!("price-lists/{tab}")).await?.into_iter().map(|t| (format!("price-lists/{tab}"), t)));
                        both_sizes(&c, &format!("price-lists-{tab}")).await?;
                    }
                    continue;
                }
                "subscriptions" => {
                    wait_css(&c, "#subs-table .tr", Duration::from_secs(120)).await?;
                }
                _ => {}
            }
            let h1 = text_of(&c, ".main h1").await?;
            if !h1.is_empty() && *id != "invoices" {
                assert!(h1.chars().any(|ch| ('가'..='힣').contains(&ch)), "{id}'s heading in Korean: {h1}");
            }
            all_left.extend(english_left(&c, id).await?.into_iter().map(|t| (id.to_string(), t)));
            both_sizes(&c, id).await?;
            if *id == "subscriptions" {
                // A subscription's detail: the cancellation deadline's rule in Korean.
                js(&c, "document.querySelector('#subs-table .tr').click();").await?;
                wait_css(&c, "#sub-detail", Duration::from_secs(20)).await?;
                tokio::time::sleep(Duration::from_millis(500)).await;
                both_sizes(&c, "subscriptions-detail").await?;
                c.find(Locator::Css("body")).await?.send_keys("\u{E00C}").await?;
            }
        }
        eprintln!("e2e: korean: Latin-only chrome texts over all views: {}", all_left.len());
        assert!(all_left.is_empty(), "English left in the Korean window: {all_left:?}");

        // Settings → English: the window follows at once.
        c.find(Locator::Id("language")).await?.select_by_value("en").await?;
        click(&c, "#save-settings").await?;
        wait_for(&c, "the nav in English", "document.querySelector('.nav-item.active .nav-label')?.textContent ?? ''", Duration::from_secs(20), |v| v.as_str() == Some("Settings")).await?;
        assert_eq!(js(&c, "return document.documentElement.lang;").await?, Value::from("en"));
        shot(&c, "ko-switched-to-english-1280x800").await?;
        Ok::<_, CmdError>(())
    }
    .await;
    if result.is_err() {
        let _ = shot(&c, "ko-failure").await;
    }
    c.close().await.ok();
    result.expect("the Korean e2e");
}
