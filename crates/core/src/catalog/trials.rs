//! Free trials in their three shapes (reference §16), each attached to the paid plan it turns
//! into. This is the one home of the rule; the offer list's `--trial` filter, the offer detail
//! and the catalog's stored offers all read what [`attach`] decided.
//!
//! The rule:
//! 1. **A trial term** (an availability term with billing cycle `none`) on a SKU: the trial is
//!    that SKU's, and it turns into the SKU's paid terms. Length: the trial term's duration.
//! 2. **A trial SKU** (`isTrial: true`, the way license-based trials are modelled) beside paid
//!    ones: it belongs to the paid SKU whose title is the trial's title without its trial words
//!    ("Free Trial", "Trial", "(trial)"), compared folded; failing that, to the product's only
//!    paid SKU; failing that, to the first paid SKU by id. Length: its trial term's duration,
//!    else one month. The trial SKU stays listed, marked with the plan it turns into.
//! 3. **Only ARM's flag** (`hasFreeTrials`, or `pricingTypes` containing `FreeTrial`, on a
//!    plan of the matched marketplace product): the trial belongs to the Partner Center SKU
//!    with that plan's `skuId`. When only the product says `FreeTrial` and no plan does, every
//!    paid SKU is taken to start with one. Length: one month (the catalog has no trial length;
//!    the detail shows ARM's trial term when it has one).
//!
//! A SKU may match more than one shape; the first in this order wins.

use serde::{Deserialize, Serialize};

use super::OfferSku;
use crate::partner_center::arm::ArmProductSummary;

/// Where a plan's free trial was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TrialSource {
    /// A term with billing cycle `none` on the plan itself.
    Term,
    /// A separate trial SKU (`isTrial: true`).
    TrialSku,
    /// Only the Azure Marketplace catalog says so.
    Marketplace,
}

/// A paid plan's free trial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuTrial {
    /// ISO-8601 duration (`P1M`).
    pub length: String,
    pub source: TrialSource,
    /// The trial SKU's id, for [`TrialSource::TrialSku`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_sku_id: Option<String>,
}

/// Length when nothing says how long (the cart's SaaS trial sample is one month).
pub const DEFAULT_TRIAL_LENGTH: &str = "P1M";

fn trial_term(s: &OfferSku) -> Option<String> {
    s.availabilities
        .iter()
        .flat_map(|a| a.terms.iter())
        .find(|t| t.is_trial() && !t.duration.is_empty())
        .map(|t| t.duration.clone())
}

fn has_trial_term(s: &OfferSku) -> bool {
    s.availabilities
        .iter()
        .any(|a| a.terms.iter().any(|t| t.is_trial()))
}

/// A title without its trial words, folded.
fn paid_title(title: &str) -> String {
    let lower = super::fold_name(title);
    let mut t = lower.clone();
    for w in [
        "(free trial)",
        "(trial)",
        "free trial",
        "trial",
        " - ",
        "()",
    ] {
        t = t.replace(w, " ");
    }
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decides every SKU's trial (`trial` on paid SKUs, `trial_of` on trial SKUs).
pub fn attach(skus: &mut [OfferSku], arm: Option<&ArmProductSummary>) {
    for s in skus.iter_mut() {
        s.trial = None;
        s.trial_of = None;
    }
    let paid: Vec<usize> = (0..skus.len()).filter(|&i| !skus[i].sku.is_trial).collect();
    // 1. a trial term on a paid SKU
    for &i in &paid {
        if has_trial_term(&skus[i]) {
            skus[i].trial = Some(SkuTrial {
                length: trial_term(&skus[i]).unwrap_or_else(|| DEFAULT_TRIAL_LENGTH.into()),
                source: TrialSource::Term,
                trial_sku_id: None,
            });
        }
    }
    // 2. trial SKUs
    let trial_skus: Vec<usize> = (0..skus.len()).filter(|&i| skus[i].sku.is_trial).collect();
    for t in trial_skus {
        let want = paid_title(&skus[t].sku.title);
        let target = paid
            .iter()
            .copied()
            .find(|&i| paid_title(&skus[i].sku.title) == want)
            .or_else(|| (paid.len() == 1).then(|| paid[0]))
            .or_else(|| {
                paid.iter()
                    .copied()
                    .min_by(|&a, &b| skus[a].sku.id.cmp(&skus[b].sku.id))
            });
        let Some(target) = target else { continue };
        let length = trial_term(&skus[t]).unwrap_or_else(|| DEFAULT_TRIAL_LENGTH.into());
        skus[t].trial_of = Some(skus[target].sku.id.clone());
        if skus[target].trial.is_none() {
            skus[target].trial = Some(SkuTrial {
                length,
                source: TrialSource::TrialSku,
                trial_sku_id: Some(skus[t].sku.id.clone()),
            });
        }
    }
    // 3. the marketplace's flag
    let Some(a) = arm else { return };
    let flagged = |types: &[String]| types.iter().any(|p| p.eq_ignore_ascii_case("freetrial"));
    let plan_skus: Vec<&str> = a
        .plans
        .iter()
        .filter(|p| flagged(&p.pricing_types))
        .map(|p| p.sku_id.as_str())
        .collect();
    let product_only = plan_skus.is_empty() && a.has_free_trial();
    for &i in &paid {
        let by_plan = plan_skus
            .iter()
            .any(|id| !id.is_empty() && id.eq_ignore_ascii_case(&skus[i].sku.id));
        if skus[i].trial.is_none() && (by_plan || product_only) {
            skus[i].trial = Some(SkuTrial {
                length: DEFAULT_TRIAL_LENGTH.into(),
                source: TrialSource::Marketplace,
                trial_sku_id: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner_center::json::decode;

    fn sku(id: &str, title: &str, is_trial: bool, trial_term: bool) -> OfferSku {
        let terms = if trial_term {
            r#"[{"duration":"P1Y","billingCycle":"annual"},{"duration":"P1M","billingCycle":"none"}]"#
        } else {
            r#"[{"duration":"P1Y","billingCycle":"annual"}]"#
        };
        OfferSku {
            sku: decode(
                format!(r#"{{"id":"{id}","title":"{title}","isTrial":{is_trial}}}"#).as_bytes(),
                "sku",
            )
            .unwrap(),
            availabilities: vec![decode(
                format!(r#"{{"id":"A{id}","terms":{terms}}}"#).as_bytes(),
                "a",
            )
            .unwrap()],
            trial: None,
            trial_of: None,
        }
    }

    #[test]
    fn a_trial_term_belongs_to_its_own_plan() {
        let mut s = vec![
            sku("0001", "Basic", false, true),
            sku("0002", "Pro", false, false),
        ];
        attach(&mut s, None);
        assert_eq!(s[0].trial.as_ref().unwrap().source, TrialSource::Term);
        assert_eq!(s[0].trial.as_ref().unwrap().length, "P1M");
        assert!(s[1].trial.is_none());
    }

    #[test]
    fn a_trial_sku_joins_the_paid_plan_of_its_name_or_the_only_one() {
        let mut s = vec![
            sku("0001", "Basic", false, false),
            sku("0002", "Pro", false, false),
            sku("0003", "Pro (Free Trial)", true, true),
        ];
        attach(&mut s, None);
        let t = s[1].trial.as_ref().unwrap();
        assert_eq!(
            (t.source, t.trial_sku_id.as_deref()),
            (TrialSource::TrialSku, Some("0003"))
        );
        assert_eq!(s[2].trial_of.as_deref(), Some("0002"));
        assert!(s[0].trial.is_none() && s[2].trial.is_none());

        let mut s = vec![
            sku("0002", "Standard", false, false),
            sku("0009", "Try it", true, false),
        ];
        attach(&mut s, None);
        assert_eq!(s[1].trial_of.as_deref(), Some("0002"));
        assert_eq!(s[0].trial.as_ref().unwrap().length, DEFAULT_TRIAL_LENGTH);
    }

    #[test]
    fn the_marketplace_flag_attaches_by_plan_sku_or_to_every_paid_plan() {
        let arm: ArmProductSummary = decode(
            br#"{"pricingTypes":["FreeTrial"],"plans":[{"skuId":"0002","pricingTypes":["FreeTrial"]},{"skuId":"0001","pricingTypes":[]}]}"#,
            "arm",
        )
        .unwrap();
        let mut s = vec![
            sku("0001", "Basic", false, false),
            sku("0002", "Pro", false, false),
        ];
        attach(&mut s, Some(&arm));
        assert!(s[0].trial.is_none());
        assert_eq!(
            s[1].trial.as_ref().unwrap().source,
            TrialSource::Marketplace
        );

        let product_only: ArmProductSummary = decode(
            br#"{"pricingTypes":["FreeTrial"],"plans":[{"skuId":"0001"}]}"#,
            "arm",
        )
        .unwrap();
        attach(&mut s, Some(&product_only));
        assert!(s.iter().all(|k| k.trial.is_some()));
    }
}
