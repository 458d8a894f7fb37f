//! The account manager's desk (issue 20) for the desktop: margin rules (the Pricing tab), the
//! daily export's schedule and its history, and the price changes that touch customers. Each
//! method maps types onto one core function, as the CLI's `margins`, `schedule` and
//! `prices impact` do.

use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::AppCore;
use crate::error::Result;
use crate::message::Message;
use crate::pricelist::impact::{self, ImpactReport};
use crate::pricing::{self, MarginRule, RuleForm};
use crate::schedule::{self, Registration, RunOutcome, ScheduleRun, ScheduleSettings};
use crate::tabular::{self, ExportFormat, ExportResult};

/// A rule as the Pricing tab lists it: the rule and its words.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleRow {
    #[serde(flatten)]
    pub rule: MarginRule,
    pub words: String,
}

/// The Schedule panel: what is set, where it is registered, every run, and what needs saying.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleStatus {
    pub settings: Option<ScheduleSettings>,
    pub runs: Vec<ScheduleRun>,
    /// A failed or missed run, said at start (with "Run now").
    pub attention: Option<String>,
    /// `attention` as a code.
    pub attention_message: Option<Message>,
}

/// What "Run now" did.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRunDone {
    pub files: Vec<String>,
    #[ts(type = "number")]
    pub rows: u64,
    pub removed: Vec<String>,
}

impl From<RunOutcome> for ScheduleRunDone {
    fn from(o: RunOutcome) -> Self {
        let text = |v: Vec<std::path::PathBuf>| v.iter().map(|p| p.display().to_string()).collect();
        ScheduleRunDone {
            files: text(o.files),
            rows: o.rows,
            removed: text(o.removed),
        }
    }
}

fn rows(rules: Vec<MarginRule>) -> Vec<RuleRow> {
    rules
        .into_iter()
        .map(|rule| RuleRow {
            words: rule.describe(),
            rule,
        })
        .collect()
}

impl AppCore {
    pub async fn margin_rules(&self) -> Result<Vec<RuleRow>> {
        Ok(rows(pricing::store::list(&self.connection().await?.store)?))
    }

    /// Adds a rule (checked: a rule below cost needs `promotion`); the rules after.
    pub async fn add_margin_rule(&self, form: RuleForm) -> Result<Vec<RuleRow>> {
        let rule = form.rule()?;
        let conn = self.connection().await?;
        pricing::store::add(&conn.store, &rule)?;
        Ok(rows(pricing::store::list(&conn.store)?))
    }

    pub async fn remove_margin_rule(&self, id: i64) -> Result<Vec<RuleRow>> {
        let conn = self.connection().await?;
        pricing::store::remove(&conn.store, id)?;
        Ok(rows(pricing::store::list(&conn.store)?))
    }

    /// Replaces the rules with a TOML or CSV file's; a bad file names its line and keeps the
    /// rules as they were.
    pub async fn import_margin_rules(&self, path: &str) -> Result<Vec<RuleRow>> {
        let conn = self.connection().await?;
        let read = pricing::file::read(&tabular::user_path(path)?)?;
        Ok(rows(pricing::store::replace_all(&conn.store, &read)?))
    }

    /// Writes the rules to a TOML or CSV file (by its extension).
    pub async fn export_margin_rules(&self, path: &str) -> Result<String> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let conn = self.connection().await?;
        let out = tabular::user_path(path)?;
        let rules = pricing::store::list(&conn.store)?;
        pricing::file::write(&out, &rules)?;
        self.remember_written(&out);
        Ok(out.display().to_string())
    }

    pub async fn schedule_status(&self) -> Result<ScheduleStatus> {
        let conn = self.connection().await?;
        let attention = schedule::attention(&conn.store, chrono::Local::now())?;
        Ok(ScheduleStatus {
            settings: schedule::load(&conn.store)?,
            runs: schedule::history(&conn.store)?,
            attention: attention.as_ref().map(Message::english),
            attention_message: attention,
        })
    }

    /// Registers the daily export with the OS (it runs the installed `cspdesk` CLI, app open
    /// or not) and keeps its settings.
    pub async fn set_schedule(&self, settings: ScheduleSettings) -> Result<Registration> {
        let conn = self.connection().await?;
        let settings = schedule::check(&settings)?;
        let command = schedule::command(
            &schedule::installed_cli()?,
            &conn.data_dir,
            &self.settings_path(),
            &self.opts(),
        );
        let reg = schedule::register(&settings.at, &command)?;
        schedule::save(&conn.store, &settings, chrono::Utc::now())?;
        Ok(reg)
    }

    /// Turns the schedule off: its OS entry goes, the history stays.
    pub async fn remove_schedule(&self) -> Result<()> {
        let conn = self.connection().await?;
        schedule::unregister()?;
        schedule::clear(&conn.store)
    }

    /// "Run now": the scheduled export, here, recorded as a run by hand.
    pub async fn run_schedule_now(&self) -> Result<ScheduleRunDone> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let conn = self.connection().await?;
        let settings = schedule::load(&conn.store)?
            .ok_or_else(|| crate::error::Error::from(Message::ScheduleNotSet))?;
        let done = schedule::run(
            &conn.store,
            &settings,
            true,
            async { Ok(conn.clone()) },
            &AtomicBool::new(false),
            &|_| {},
        )
        .await?;
        for f in &done.files {
            self.remember_written(f);
        }
        Ok(done.into())
    }

    /// The customers the latest price changes touch (`prices impact`).
    pub async fn price_impact(
        &self,
        markets: &[String],
        days: Option<u32>,
    ) -> Result<ImpactReport> {
        let conn = self.connection().await?;
        impact::impact(&conn, markets, days).await
    }

    pub async fn export_price_impact(
        &self,
        markets: &[String],
        days: Option<u32>,
        path: &str,
        format: ExportFormat,
    ) -> Result<ExportResult> {
        let _working = self.in_flight.begin(crate::desktop::update::Work::Export);
        let (out, format) = tabular::checked_path(path, Some(format))?;
        let report = self.price_impact(markets, days).await?;
        let n = tabular::write(&out, format, &[impact::table(&report.rows)])?;
        self.remember_written(&out);
        Ok(ExportResult::new(&out, n, format))
    }
}
