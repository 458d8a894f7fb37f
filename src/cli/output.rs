//! Printing: one JSON document, or an aligned table.

use serde::Serialize;

use cspdesk_core::{Error, Result};

pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Invalid(format!("printing JSON: {e}")))?;
    line(&s);
    Ok(())
}

/// Prints one line to stdout. When the reader has gone (`cspdesk offers list --json | head`),
/// the command ends quietly, as other command-line tools do, instead of panicking on the
/// broken pipe.
pub fn line(s: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{s}").and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to stdout: {e}");
        std::process::exit(1);
    }
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
        line(parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r.clone());
    }
}
