//! The UI's bindings: every type that crosses IPC, declared in TypeScript through `ts-rs`.
//!
//! The desktop shell's test `bindings_are_written` writes them, with the shell's own, as one
//! module (`ui/src/bindings/index.ts`); CI fails when the committed file is stale. A type the UI
//! names but nobody lists here fails the UI's typecheck, so this list cannot silently miss one.

use std::collections::BTreeMap;

use ts_rs::{Config, TypeVisitor, TS};

/// Visits every core (and client) type the desktop app's commands take or answer with; the
/// types they contain are reached through them.
pub fn visit_types(v: &mut impl TypeVisitor) {
    v.visit::<crate::app::ConnectionStatus>();
    v.visit::<crate::app::account::SaveOutcome>();
    v.visit::<crate::app::account::SettingsFileProblem>();
    v.visit::<crate::app::account::SettingsView>();
    v.visit::<crate::app::account::AccountChange>();
    v.visit::<crate::app::account::WhoAmI>();
    v.visit::<crate::app::orders::OrderConfirmation>();
    v.visit::<crate::app::orders::OrderLine>();
    v.visit::<crate::app::orders::OrderReview>();
    v.visit::<crate::app::orders::PurchaseChoice>();
    v.visit::<crate::app::catalog::PublisherOption>();
    v.visit::<crate::app::customers::CustomerDetail>();
    v.visit::<crate::app::customers::CustomerRow>();
    v.visit::<crate::app::customers::CustomerSubscription>();
    v.visit::<crate::app::invoices::LineQuery>();
    v.visit::<crate::app::invoices::LineRow>();
    v.visit::<crate::app::invoices::LineWindow>();
    v.visit::<crate::app::prices::ExportPhase>();
    v.visit::<crate::app::prices::ExportProgress>();
    v.visit::<crate::app::prices::MarketExport>();
    v.visit::<crate::app::prices::PriceExportDone>();
    v.visit::<crate::app::prices::PriceExportRequest>();
    v.visit::<crate::app::prices::ChangeSummary>();
    v.visit::<crate::app::prices::ChangesState>();
    v.visit::<crate::app::prices::PriceChanges>();
    v.visit::<crate::app::prices::FetchedSnapshot>();
    v.visit::<crate::app::prices::LastExport>();
    v.visit::<crate::app::prices::MarketSnapshots>();
    v.visit::<crate::app::prices::PriceListStatus>();
    v.visit::<crate::app::pricing::RuleRow>();
    v.visit::<crate::app::pricing::ScheduleRunDone>();
    v.visit::<crate::app::pricing::ScheduleStatus>();
    v.visit::<crate::app::publishers::PublisherDetail>();
    v.visit::<crate::app::publishers::PublisherOfferRow>();
    v.visit::<crate::app::publishers::PublisherRow>();
    v.visit::<crate::app::publishers::SubscriptionInfo>();
    v.visit::<crate::app::publishers::SubscriptionLookup>();
    v.visit::<crate::app::subscriptions::ActivationLinkInfo>();
    v.visit::<crate::app::subscriptions::AutoRenewResult>();
    v.visit::<crate::app::subscriptions::CancellationDeadline>();
    v.visit::<crate::app::subscriptions::DeadlineKind>();
    v.visit::<crate::app::subscriptions::SubscriptionBadges>();
    v.visit::<crate::app::subscriptions::SubscriptionItem>();
    v.visit::<crate::app::subscriptions::SubscriptionList>();
    v.visit::<crate::app::subscriptions::SubscriptionRef>();
    v.visit::<crate::app::subscriptions::SubscriptionState>();
    v.visit::<crate::app::subscriptions::UrgentSubscription>();
    v.visit::<crate::auth::audiences::AudienceCheck>();
    v.visit::<crate::billing::BillingPeriod>();
    v.visit::<crate::billing::lines::CurrencyTotal>();
    v.visit::<crate::billing::lines::InvoiceSummary>();
    v.visit::<crate::billing::lines::LineSortKey>();
    v.visit::<crate::catalog::MatchKind>();
    v.visit::<crate::catalog::OfferType>();
    v.visit::<crate::catalog::detail::NamedLink>();
    v.visit::<crate::catalog::detail::OfferDetail>();
    v.visit::<crate::catalog::detail::PlanDetail>();
    v.visit::<crate::catalog::detail::PlanTerm>();
    v.visit::<crate::catalog::detail::PublisherContacts>();
    v.visit::<crate::catalog::markets::Market>();
    v.visit::<crate::catalog::query::FacetCount>();
    v.visit::<crate::catalog::query::Facets>();
    v.visit::<crate::catalog::query::OfferFilter>();
    v.visit::<crate::catalog::query::OfferQuery>();
    v.visit::<crate::catalog::query::OfferRow>();
    v.visit::<crate::catalog::query::OfferWindow>();
    v.visit::<crate::catalog::query::PublisherFilter>();
    v.visit::<crate::catalog::query::SortKey>();
    v.visit::<crate::catalog::sync::Phase>();
    v.visit::<crate::catalog::sync::Progress>();
    v.visit::<crate::catalog::sync::SyncState>();
    v.visit::<crate::connection::Mode>();
    v.visit::<crate::desktop::AboutInfo>();
    v.visit::<crate::desktop::update::UpdateCheck>();
    v.visit::<crate::desktop::update::UpdateOffer>();
    v.visit::<crate::desktop::update::UpdatePrefs>();
    v.visit::<crate::desktop::update::UpdateProgress>();
    v.visit::<crate::doctor::ConnectionReport>();
    v.visit::<crate::doctor::RefusalKind>();
    v.visit::<crate::doctor::ServiceCheck>();
    v.visit::<crate::message::Message>();
    v.visit::<crate::message::Served>();
    v.visit::<crate::orders::ActivationLinkInfo>();
    v.visit::<crate::orders::CancellationWindow>();
    v.visit::<crate::orders::Price>();
    v.visit::<crate::orders::PurchaseOption>();
    v.visit::<crate::orders::Review>();
    v.visit::<crate::orders::buy::NotSold>();
    v.visit::<crate::orders::buy::PlanChoice>();
    v.visit::<crate::orders::buy::PurchaseOptions>();
    v.visit::<crate::orders::journal::JournalEntry>();
    v.visit::<crate::orders::journal::JournalState>();
    v.visit::<crate::partner_center::error::AuthReason>();
    v.visit::<crate::partner_center::error::ErrorKind>();
    v.visit::<crate::partner_center::graph::ExportProgress>();
    v.visit::<crate::pricelist::diff::ChangeKind>();
    v.visit::<crate::pricelist::diff::PriceChange>();
    v.visit::<crate::pricelist::impact::ImpactReport>();
    v.visit::<crate::pricelist::impact::ImpactRow>();
    v.visit::<crate::pricelist::impact::ImpactSkip>();
    v.visit::<crate::pricelist::impact::ImpactSpan>();
    v.visit::<crate::pricelist::layout::CustomerList>();
    v.visit::<crate::pricing::MarginRule>();
    v.visit::<crate::pricing::MarkupBasis>();
    v.visit::<crate::pricing::RuleForm>();
    v.visit::<crate::pricing::Rounding>();
    v.visit::<crate::pricing::RuleScope>();
    v.visit::<crate::publishers::NewNote>();
    v.visit::<crate::publishers::Note>();
    v.visit::<crate::schedule::Registration>();
    v.visit::<crate::schedule::ScheduleRun>();
    v.visit::<crate::schedule::ScheduleSettings>();
    v.visit::<crate::settings::Language>();
    v.visit::<crate::settings::form::ConnectionChoice>();
    v.visit::<crate::settings::form::EndpointValues>();
    v.visit::<crate::settings::form::FieldError>();
    v.visit::<crate::settings::form::SettingsValues>();
    v.visit::<crate::subscriptions::QuantityBounds>();
    v.visit::<crate::subscriptions::SubscriptionCounts>();
    v.visit::<crate::subscriptions::SubscriptionSet>();
    v.visit::<crate::subscriptions::plans::ChangedSubscription>();
    v.visit::<crate::subscriptions::plans::CurrentPlan>();
    v.visit::<crate::subscriptions::plans::PlanChange>();
    v.visit::<crate::subscriptions::plans::PlanChoices>();
    v.visit::<crate::subscriptions::plans::PlanOption>();
    v.visit::<crate::subscriptions::plans::PlanRef>();
    v.visit::<crate::subscriptions::policy::PolicyInfo>();
    v.visit::<crate::tabular::ExportFormat>();
    v.visit::<crate::tabular::ExportResult>();
}

/// Each declared type's TypeScript, by name: what [`Declarations::module`] writes.
pub struct Declarations {
    cfg: Config,
    declared: BTreeMap<String, String>,
}

impl Default for Declarations {
    fn default() -> Self {
        Self {
            cfg: Config::from_env(),
            declared: BTreeMap::new(),
        }
    }
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        T::visit_generics(self);
        if T::output_path().is_none() {
            return; // a primitive or a container: nothing to declare
        }
        let name = T::ident(&self.cfg);
        if self.declared.contains_key(&name) {
            return;
        }
        let docs = T::docs().unwrap_or_default();
        let decl = format!("{docs}export {}", T::decl(&self.cfg));
        self.declared.insert(name, compact_docs(&decl));
        T::visit_dependencies(self);
    }
}

impl Declarations {
    /// One TypeScript module: `header`, then every declaration, sorted by name.
    pub fn module(&self, header: &str) -> String {
        let mut out = String::from(header);
        for decl in self.declared.values() {
            out.push_str(decl.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A one-line doc comment (`/**\n * text\n */`) as `/** text */`; longer ones as they are.
fn compact_docs(ts: &str) -> String {
    let mut out = String::with_capacity(ts.len());
    let mut rest = ts;
    while let Some(start) = rest.find("/**\n") {
        out.push_str(&rest[..start]);
        let body = &rest[start + 4..];
        let Some(end) = body.find(" */") else {
            break;
        };
        let inner = &body[..end];
        match inner.strip_prefix(" * ").map(|l| l.trim_end_matches('\n')) {
            Some(line) if !line.contains('\n') => {
                out.push_str("/** ");
                out.push_str(line);
                out.push_str(" */");
            }
            _ => {
                out.push_str("/**\n");
                out.push_str(inner);
                out.push_str(" */");
            }
        }
        rest = &body[end + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_docs_fold_and_longer_ones_stay() {
        let ts = "/**\n * One line.\n */\nexport type A = { \n/**\n * Two\n * lines.\n */\nx: number, };";
        assert_eq!(
            compact_docs(ts),
            "/** One line. */\nexport type A = { \n/**\n * Two\n * lines.\n */\nx: number, };"
        );
    }

    #[test]
    fn every_listed_type_is_declared_once_with_what_it_contains() {
        let mut d = Declarations::default();
        visit_types(&mut d);
        let ts = d.module("");
        assert_eq!(ts.matches("export type SubscriptionItem = ").count(), 1);
        assert_eq!(ts.matches("export type Message = ").count(), 1);
        assert!(ts.contains("/** Percent, e.g. 20 for +20 %. */\npercent: number | null"));
    }
}
