//! `cspdesk doctor`: one read-only call per service, what answered and what was refused and why.

use cspdesk_core::doctor;
use cspdesk_core::{Error, Result};

use super::{output, Global};

pub async fn run(g: &Global) -> Result<()> {
    let conn = g.connect().await?;
    let report = doctor::check(&conn).await;
    if g.json {
        output::json(&report)?;
    } else {
        let rows: Vec<Vec<String>> = report
            .checks
            .iter()
            .map(|c| {
                vec![
                    c.service.clone(),
                    if c.ok {
                        "answered".into()
                    } else {
                        "REFUSED".into()
                    },
                    c.status
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "-".into()),
                    c.request_id.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        output::table(&["SERVICE", "RESULT", "HTTP", "REQUEST ID"], &rows);
        println!();
        for c in &report.checks {
            println!("{} ({}): {}", c.service, c.serves, c.message);
        }
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::refused(
            format!("Not every service answered ({})", report.summary()),
            "Each refusal above says what to do; run cspdesk doctor again afterwards",
        ))
    }
}
