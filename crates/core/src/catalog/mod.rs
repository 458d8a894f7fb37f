//! The marketplace catalog as CSP Desk shows it: Partner Center products (with their SKUs and
//! availabilities) joined with the Azure Marketplace (ARM) catalog, which carries what Partner
//! Center lacks: categories, free-trial flags, publisher ids and (in the detail) contacts.
//!
//! The join key is publisher name + product title, the only evident one (reference §12). Every
//! offer records how it matched ([`MatchKind`]), and products found in only one source stay
//! visible rather than being dropped.

pub use crate::partner_center::categories;
pub mod detail;
pub mod markets;
pub mod query;
pub mod sync;
pub mod trials;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::partner_center::arm::ArmProductSummary;
use crate::partner_center::models::{Availability, Product, Sku};

/// The kind of marketplace offer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, ts_rs::TS,
)]
#[serde(rename_all = "kebab-case")]
pub enum OfferType {
    Saas,
    Vm,
    Container,
    AzureApp,
    Other,
}

impl OfferType {
    pub const ALL: [OfferType; 5] = [
        OfferType::Saas,
        OfferType::Vm,
        OfferType::Container,
        OfferType::AzureApp,
        OfferType::Other,
    ];

    /// From the CLI spelling (`saas|vm|container|azure-app`) or a display name.
    pub fn parse(s: &str) -> Option<OfferType> {
        let k: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match k.as_str() {
            "saas" => OfferType::Saas,
            "vm" | "vms" | "virtualmachine" | "virtualmachines" => OfferType::Vm,
            "container" | "containers" => OfferType::Container,
            "azureapp" | "azureapplication" | "azureapplications" | "app" => OfferType::AzureApp,
            "other" => OfferType::Other,
            _ => return None,
        })
    }

    /// From Partner Center's `productType.subType.id` or ARM's `productType`.
    pub fn from_source(s: &str) -> OfferType {
        OfferType::parse(s).unwrap_or(OfferType::Other)
    }

    pub fn label(self) -> &'static str {
        match self {
            OfferType::Saas => "SaaS",
            OfferType::Vm => "Virtual machine",
            OfferType::Container => "Container",
            OfferType::AzureApp => "Azure application",
            OfferType::Other => "Other",
        }
    }

    pub fn cli_name(self) -> &'static str {
        match self {
            OfferType::Saas => "saas",
            OfferType::Vm => "vm",
            OfferType::Container => "container",
            OfferType::AzureApp => "azure-app",
            OfferType::Other => "other",
        }
    }
}

/// How a Partner Center product was paired with an ARM catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum MatchKind {
    /// Publisher and title are identical.
    Exact,
    /// Identical after folding case, whitespace and ™/® marks ("matched by name").
    ByName,
    /// In Partner Center only: no categories or contacts known.
    PartnerCenterOnly,
    /// In the ARM catalog only: not available to CSP partners.
    MarketplaceOnly,
}

/// A SKU with its availabilities in the offer's market.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OfferSku {
    #[serde(flatten)]
    pub sku: Sku,
    pub availabilities: Vec<Availability>,
    /// This paid plan's free trial, in whichever shape it came (see [`trials`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial: Option<trials::SkuTrial>,
    /// For a trial SKU (`isTrial`): the paid plan it turns into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_of: Option<String>,
}

impl OfferSku {
    pub fn has_trial(&self) -> bool {
        self.trial.is_some()
            || self.sku.is_trial
            || self
                .availabilities
                .iter()
                .any(|a| a.terms.iter().any(|t| t.is_trial()))
    }
}

/// One row of the marketplace: a product in a market, with everything known about it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// Partner Center product id; `None` for offers CSP cannot see.
    pub product_id: Option<String>,
    pub market: String,
    pub title: String,
    pub description: String,
    pub publisher_name: String,
    /// ARM publisher id, when matched.
    pub publisher_id: Option<String>,
    pub is_microsoft_product: bool,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    /// ARM category ids.
    pub categories: Vec<String>,
    pub free_trial: bool,
    pub skus: Vec<OfferSku>,
    /// ARM `uniqueProductId`, when matched.
    pub marketplace_id: Option<String>,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
}

impl Offer {
    /// Store key: the product id, or the ARM id for marketplace-only offers.
    pub fn key(&self) -> &str {
        self.product_id
            .as_deref()
            .or(self.marketplace_id.as_deref())
            .unwrap_or(&self.title)
    }

    /// Only marketplace SaaS can be bought through Partner Center.
    pub fn purchasable_through_csp(&self) -> bool {
        self.offer_type == OfferType::Saas && self.product_id.is_some()
    }
}

/// Fold a name for joining: lower case, ™®© dropped, whitespace collapsed.
pub fn fold_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, '™' | '®' | '©'))
        .collect::<String>()
        .to_lowercase();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Partner Center product with its SKUs and availabilities in one market.
#[derive(Debug, Clone)]
pub struct FetchedProduct {
    pub product: Product,
    pub skus: Vec<OfferSku>,
}

/// Join Partner Center products with ARM summaries (reference §12: publisher + title).
pub fn join(market: &str, products: Vec<FetchedProduct>, arm: &[ArmProductSummary]) -> Vec<Offer> {
    let mut exact: HashMap<(&str, &str), usize> = HashMap::new();
    let mut folded: HashMap<(String, String), usize> = HashMap::new();
    for (i, a) in arm.iter().enumerate() {
        exact
            .entry((a.publisher_display_name.as_str(), a.display_name.as_str()))
            .or_insert(i);
        folded
            .entry((
                fold_name(&a.publisher_display_name),
                fold_name(&a.display_name),
            ))
            .or_insert(i);
    }
    let mut used = vec![false; arm.len()];
    let mut offers = Vec::with_capacity(products.len() + arm.len() / 50);
    for fp in products {
        let p = &fp.product;
        let hit = exact
            .get(&(p.publisher_name.as_str(), p.title.as_str()))
            .map(|&i| (i, MatchKind::Exact))
            .or_else(|| {
                folded
                    .get(&(fold_name(&p.publisher_name), fold_name(&p.title)))
                    .map(|&i| (i, MatchKind::ByName))
            });
        let pc_type = p
            .product_type
            .sub_type
            .as_ref()
            .map(|s| s.id.as_str())
            .unwrap_or(p.product_type.id.as_str());
        let mut skus = fp.skus;
        trials::attach(&mut skus, hit.map(|(i, _)| &arm[i]));
        let sku_trial = skus.iter().any(OfferSku::has_trial);
        let mut offer = Offer {
            product_id: Some(p.id.clone()),
            market: market.to_string(),
            title: p.title.clone(),
            description: p.description.clone(),
            publisher_name: p.publisher_name.clone(),
            publisher_id: None,
            is_microsoft_product: p.is_microsoft_product,
            offer_type: OfferType::from_source(pc_type),
            categories: vec![],
            free_trial: sku_trial,
            skus,
            marketplace_id: None,
            match_kind: MatchKind::PartnerCenterOnly,
        };
        if let Some((i, kind)) = hit {
            used[i] = true;
            let a = &arm[i];
            offer.publisher_id = Some(a.publisher_id.clone());
            offer.categories = a.category_ids.clone();
            // With SKUs, the rule in `trials` has already placed the marketplace's flag on them.
            offer.free_trial = sku_trial || (offer.skus.is_empty() && a.has_free_trial());
            offer.marketplace_id = Some(a.unique_product_id.clone());
            offer.match_kind = kind;
            if offer.offer_type == OfferType::Other {
                offer.offer_type = OfferType::from_source(&a.product_type);
            }
        }
        offers.push(offer);
    }
    for (i, a) in arm.iter().enumerate() {
        if used[i] {
            continue;
        }
        offers.push(Offer {
            product_id: None,
            market: market.to_string(),
            title: a.display_name.clone(),
            description: if a.description.is_empty() {
                a.summary.clone()
            } else {
                a.description.clone()
            },
            publisher_name: a.publisher_display_name.clone(),
            publisher_id: Some(a.publisher_id.clone()),
            is_microsoft_product: a.publisher_type.eq_ignore_ascii_case("microsoft"),
            offer_type: OfferType::from_source(&a.product_type),
            categories: a.category_ids.clone(),
            free_trial: a.has_free_trial(),
            skus: vec![],
            marketplace_id: Some(a.unique_product_id.clone()),
            match_kind: MatchKind::MarketplaceOnly,
        });
    }
    offers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner_center::json::decode;

    fn product(id: &str, title: &str, publisher: &str, sub: &str) -> FetchedProduct {
        let json = format!(
            r#"{{"id":"{id}","title":"{title}","publisherName":"{publisher}","productType":{{"id":"Azure","subType":{{"id":"{sub}"}}}}}}"#
        );
        FetchedProduct {
            product: decode(json.as_bytes(), "p").unwrap(),
            skus: vec![],
        }
    }

    fn arm(
        id: &str,
        title: &str,
        publisher: &str,
        cats: &[&str],
        trial: bool,
    ) -> ArmProductSummary {
        let json = serde_json::json!({
            "uniqueProductId": id, "displayName": title, "publisherDisplayName": publisher, "publisherId": "pub",
            "productType": "SaaS", "categoryIds": cats, "pricingTypes": if trial { vec!["FreeTrial"] } else { vec![] },
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn joins_by_publisher_and_title_and_marks_the_match() {
        let offers = join(
            "US",
            vec![
                product("P1", "Sentinel Guard", "Contoso", "SaaS"),
                product("P2", "Data  Vault", "Fabrikam", "SaaS"),
                product("P3", "Lonely", "Nobody", "SaaS"),
            ],
            &[
                arm(
                    "contoso.sentinel",
                    "Sentinel Guard",
                    "Contoso",
                    &["security"],
                    true,
                ),
                arm(
                    "fabrikam.vault",
                    "data vault™",
                    "Fabrikam",
                    &["storage"],
                    false,
                ),
                arm("x.hidden", "Hidden Gem", "Xyz", &["analytics"], false),
            ],
        );
        let by = |t: &str| offers.iter().find(|o| o.title == t).unwrap();
        assert_eq!(by("Sentinel Guard").match_kind, MatchKind::Exact);
        assert_eq!(by("Sentinel Guard").categories, vec!["security"]);
        assert!(by("Sentinel Guard").free_trial);
        assert_eq!(by("Data  Vault").match_kind, MatchKind::ByName);
        assert_eq!(by("Lonely").match_kind, MatchKind::PartnerCenterOnly);
        let hidden = by("Hidden Gem");
        assert_eq!(hidden.match_kind, MatchKind::MarketplaceOnly);
        assert!(hidden.product_id.is_none());
        assert!(!hidden.purchasable_through_csp());
    }

    #[test]
    fn offer_type_parses_cli_and_source_names() {
        assert_eq!(OfferType::parse("azure-app"), Some(OfferType::AzureApp));
        assert_eq!(OfferType::from_source("VirtualMachines"), OfferType::Vm);
        assert_eq!(OfferType::from_source("Containers"), OfferType::Container);
        assert_eq!(OfferType::from_source("SaaS"), OfferType::Saas);
        assert_eq!(OfferType::parse("toaster"), None);
    }
}
