//! Printing: one JSON document, or an aligned table.

use serde::Serialize;

use cspdesk_core::{Error, Result};

pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Invalid(format!("printing JSON: {e}")))?;
    println!("{s}");
    Ok(())
}

pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count().min(60));
        }
    }
    let line = |cells: Vec<String>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let mut c: String = c.chars().take(60).collect();
                let pad = w.saturating_sub(c.chars().count());
                c.extend(std::iter::repeat_n(' ', pad));
                c
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r.clone());
    }
}
