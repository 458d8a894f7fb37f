//! The Changes tab: what moved between two days' price snapshots of a market, and its export.

use chrono::{NaiveDate, Utc};
use serde::Serialize;

use crate::app::AppCore;
use crate::catalog::markets::{currency_of, market_code};
use crate::error::Result;
use crate::message::Message;
use crate::pricelist::diff::ChangeKind;
use crate::pricelist::{self, snapshot};
use crate::tabular::{self, ExportFormat, ExportResult};

/// One change between two snapshots (the core's type; `PriceChangeRow` in the UI's bindings).
pub use crate::pricelist::diff::{ChangeKind as PriceChangeKind, PriceChange as PriceChangeRow};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangeSummary {
    pub new: u32,
    pub removed: u32,
    pub increases: u32,
    pub decreases: u32,
}

/// Whether there is anything to compare yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ChangesState {
    /// No snapshot of the market yet.
    NoSnapshot,
    /// One snapshot so far; changes appear after the next day's.
    OneSnapshot,
    /// `from` and `to` are set and `changes` lists what moved.
    Ready,
}

/// The Changes tab for one market.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PriceChanges {
    pub market: String,
    pub currency: String,
    pub state: ChangesState,
    /// Days with a snapshot, newest first (what the from/to pickers offer).
    pub snapshots: Vec<NaiveDate>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Says what the state means and what to do, when it is not `ready`.
    pub message: Option<String>,
    pub summary: ChangeSummary,
    pub changes: Vec<PriceChangeRow>,
}

/// What one snapshot of `market`, taken on `day`, means for the changes.
fn one_snapshot(market: &str, day: NaiveDate) -> Message {
    if day == Utc::now().date_naive() {
        Message::ChangesOneToday {
            market: market.into(),
        }
    } else {
        Message::ChangesOneOn {
            market: market.into(),
            day,
        }
    }
}

impl AppCore {
    /// A file name for the changes of `market` between two days.
    pub async fn default_changes_path(
        &self,
        market: &str,
        from: NaiveDate,
        to: NaiveDate,
        format: ExportFormat,
    ) -> Result<String> {
        let market = market_code(market)?;
        let dir = self.export_dir();
        let name = format!("price-changes-{market}-{from}-to-{to}");
        Ok(tabular::free_name(&dir, &name, format.ext())
            .display()
            .to_string())
    }

    /// The changes of `market` between two snapshot days (default: the two newest). With fewer
    /// than two snapshots the answer says so (state `noSnapshot` / `oneSnapshot`) instead of failing.
    pub async fn price_changes(
        &self,
        market: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<PriceChanges> {
        let market = market_code(market)?;
        let c = self.connection().await?;
        let days: Vec<NaiveDate> = snapshot::list(&c.store, &market)?
            .into_iter()
            .map(|s| s.day)
            .collect();
        let mut answer = PriceChanges {
            currency: currency_of(&market).unwrap_or_default().to_string(),
            market: market.clone(),
            state: ChangesState::Ready,
            snapshots: days.clone(),
            from: None,
            to: None,
            message: None,
            summary: ChangeSummary::default(),
            changes: Vec::new(),
        };
        match days.as_slice() {
            [] => {
                answer.state = ChangesState::NoSnapshot;
                answer.message = Some(
                    Message::ChangesNoSnapshot {
                        market: market.clone(),
                    }
                    .english(),
                );
                return Ok(answer);
            }
            [only] => {
                answer.state = ChangesState::OneSnapshot;
                answer.to = Some(*only);
                answer.message = Some(one_snapshot(&market, *only).english());
                return Ok(answer);
            }
            _ => {}
        }
        if let (Some(f), Some(t)) = (from, to) {
            if f == t {
                return Err(Message::ChangesSameDay.into());
            }
            if f > t {
                return Err(Message::ChangesFromAfterTo { from: f, to: t }.into());
            }
        }
        let report = pricelist::changes(&c, &market, from, to)?;
        answer.from = Some(report.from);
        answer.to = Some(report.to);
        for ch in report.changes {
            match ch.kind {
                ChangeKind::New => answer.summary.new += 1,
                ChangeKind::Removed => answer.summary.removed += 1,
                ChangeKind::Increase => answer.summary.increases += 1,
                ChangeKind::Decrease => answer.summary.decreases += 1,
            }
            answer.changes.push(ch);
        }
        Ok(answer)
    }

    /// Write the changes of `market` between two days to `path` (`.xlsx` or `.csv`, by
    /// `format`), as `cspdesk prices diff --out` does.
    pub async fn export_price_changes(
        &self,
        market: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        path: &str,
        format: ExportFormat,
    ) -> Result<ExportResult> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let (out, format) = tabular::checked_path(path, Some(format))?;
        let changes = self.price_changes(market, from, to).await?;
        if changes.state != ChangesState::Ready {
            return Err(match (changes.state, changes.to) {
                (ChangesState::NoSnapshot, _) => Message::ChangesNoSnapshot {
                    market: changes.market,
                },
                (ChangesState::OneSnapshot, Some(day)) => one_snapshot(&changes.market, day),
                _ => Message::ChangesNoneYet,
            }
            .into());
        }
        let rows = crate::tabular::write(
            &out,
            format,
            &[crate::pricelist::diff::changes_table(&changes.changes)],
        )?;
        self.remember_written(&out);
        Ok(ExportResult::new(&out, rows, format))
    }
}
