//! The catalog as the price list's join needs it, and no more: product id → title, publisher,
//! type, category and its plans (SKU id → plan title, trial term).
//!
//! Built by reading the stored offers one at a time into a lean shape (descriptions, terms of
//! use and the like are skipped while parsing, never allocated), with every string in one arena
//! and the repeating ones (publishers, types, categories, plan titles, terms) interned. A market
//! of 100k offers takes a few MiB, where the marketplace's full [`OfferIndex`] takes hundreds.
//! It does not evaluate the marketplace's filters; [`ProductLookup::keep_only`] takes the ids
//! that the marketplace's own query picked.
//!
//! [`OfferIndex`]: crate::catalog::query::OfferIndex

use std::collections::{HashMap, HashSet};

use rusqlite::params;
use serde::Deserialize;

use crate::catalog::{categories, OfferType};
use crate::error::{Error, Result};
use crate::partner_center::models::BillingCycle;
use crate::store::Store;

/// An interned or arena string: `(start, len)` in [`ProductLookup::text`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span(u32, u32);

#[derive(Debug, Clone, Copy)]
struct Product {
    id: Span,
    title: Span,
    publisher: Span,
    offer_type: Span,
    category: Span,
    plans: (u32, u32),
    kept: bool,
}

#[derive(Debug, Clone, Copy)]
struct Plan {
    sku: Span,
    title: Span,
    /// The trial term, when the plan has a free trial.
    trial: Option<Span>,
    /// A trial SKU that the catalog attached to a paid plan (`trialOf`).
    folded: bool,
}

/// What the catalog knows about one product.
#[derive(Debug, Clone, Copy)]
pub struct ProductInfo<'a> {
    lookup: &'a ProductLookup,
    product: &'a Product,
}

impl<'a> ProductInfo<'a> {
    pub fn title(&self) -> &'a str {
        self.lookup.str(self.product.title)
    }
    pub fn publisher(&self) -> &'a str {
        self.lookup.str(self.product.publisher)
    }
    pub fn offer_type(&self) -> &'a str {
        self.lookup.str(self.product.offer_type)
    }
    pub fn category(&self) -> &'a str {
        self.lookup.str(self.product.category)
    }
    /// The plan title and trial term (if the plan has a free trial) of `sku`.
    pub fn plan(&self, sku: &str) -> Option<(&'a str, Option<&'a str>)> {
        let (start, len) = self.product.plans;
        self.lookup.plans[start as usize..(start + len) as usize]
            .iter()
            .rev() // a SKU listed twice: the later one, as a map would have kept
            .find(|p| self.lookup.str(p.sku) == sku)
            .map(|p| {
                (
                    self.lookup.str(p.title),
                    p.trial.map(|t| self.lookup.str(t)),
                )
            })
    }

    /// Whether `sku` is a trial SKU that turns into one of the product's paid plans: that
    /// plan's rows carry the trial, so the trial SKU's own rows are not exported again.
    pub fn folded_into_paid_plan(&self, sku: &str) -> bool {
        let (start, len) = self.product.plans;
        self.lookup.plans[start as usize..(start + len) as usize]
            .iter()
            .rev()
            .find(|p| self.lookup.str(p.sku) == sku)
            .is_some_and(|p| p.folded)
    }
}

/// Product id → what the catalog knows, for one market.
#[derive(Debug, Default)]
pub struct ProductLookup {
    text: String,
    interned: HashMap<Box<str>, Span>,
    /// Sorted by id.
    products: Vec<Product>,
    plans: Vec<Plan>,
    filtering: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LeanOffer {
    product_id: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    publisher_name: String,
    #[serde(rename = "type")]
    offer_type: OfferType,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    skus: Vec<LeanSku>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LeanSku {
    #[serde(default)]
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    is_trial: bool,
    #[serde(default)]
    availabilities: Vec<LeanAvailability>,
    /// The free trial the catalog attached to this paid plan, in whichever shape it came
    /// (`catalog::trials` decides; the price list only reads it).
    #[serde(default)]
    trial: Option<LeanTrial>,
    /// For a trial SKU: the paid plan the catalog attached it to.
    #[serde(default)]
    trial_of: Option<String>,
}

#[derive(Deserialize)]
struct LeanTrial {
    #[serde(default)]
    length: String,
}

#[derive(Deserialize)]
struct LeanAvailability {
    #[serde(default)]
    terms: Vec<LeanTerm>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LeanTerm {
    #[serde(default)]
    duration: String,
    billing_cycle: Option<BillingCycle>,
}

impl ProductLookup {
    /// Read the stored catalog of `market`.
    pub fn load(store: &Store, market: &str) -> Result<ProductLookup> {
        let conn = store.conn();
        let mut stmt = conn.prepare("SELECT key, json FROM offers WHERE market = ?1")?;
        let mut rows = stmt.query(params![market.to_ascii_uppercase()])?;
        let mut lookup = ProductLookup::default();
        while let Some(row) = rows.next()? {
            let json = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let offer: LeanOffer = serde_json::from_str(json).map_err(|e| {
                let key: String = row.get(0).unwrap_or_default();
                Error::Invalid(format!(
                    "stored offer {key} is unreadable ({e}); run `cspdesk offers sync` again"
                ))
            })?;
            lookup.add(offer);
        }
        let text = &lookup.text;
        lookup.products.sort_by(|a, b| {
            span_str(text, a.id)
                .cmp(span_str(text, b.id))
                .then(a.plans.0.cmp(&b.plans.0))
        });
        // The store holds one offer per product id; should it ever hold two, the later wins,
        // as it did when the join used a map.
        let mut i = 0;
        while i + 1 < lookup.products.len() {
            let (a, b) = (lookup.products[i], lookup.products[i + 1]);
            if span_str(text, a.id) == span_str(text, b.id) {
                lookup.products.remove(i);
            } else {
                i += 1;
            }
        }
        lookup.interned = HashMap::new();
        lookup.text.shrink_to_fit();
        lookup.products.shrink_to_fit();
        lookup.plans.shrink_to_fit();
        Ok(lookup)
    }

    /// From now on only products in `ids` are kept (the marketplace filter's choice).
    pub fn keep_only(&mut self, ids: &HashSet<String>) {
        self.filtering = true;
        let text = &self.text;
        for p in &mut self.products {
            p.kept = ids.contains(span_str(text, p.id));
        }
    }

    /// Whether rows of `product_id` belong in the export.
    pub fn keeps(&self, product_id: &str) -> bool {
        !self.filtering || self.find(product_id).is_some_and(|p| p.kept)
    }

    pub fn get(&self, product_id: &str) -> Option<ProductInfo<'_>> {
        self.find(product_id).map(|product| ProductInfo {
            lookup: self,
            product,
        })
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    fn find(&self, id: &str) -> Option<&Product> {
        self.products
            .binary_search_by(|p| self.str(p.id).cmp(id))
            .ok()
            .map(|i| &self.products[i])
    }

    fn str(&self, s: Span) -> &str {
        span_str(&self.text, s)
    }

    fn push(&mut self, s: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        Span(start, s.len() as u32)
    }

    fn intern(&mut self, s: &str) -> Span {
        if let Some(span) = self.interned.get(s) {
            return *span;
        }
        let span = self.push(s);
        self.interned.insert(s.into(), span);
        span
    }

    fn add(&mut self, o: LeanOffer) {
        let Some(id) = o.product_id else { return };
        let start = self.plans.len() as u32;
        for s in &o.skus {
            let trial = s
                .trial
                .as_ref()
                .map(|t| t.length.as_str())
                .filter(|l| !l.is_empty())
                .or_else(|| {
                    s.availabilities
                        .iter()
                        .flat_map(|a| a.terms.iter())
                        .find(|t| t.billing_cycle == Some(BillingCycle::None))
                        .map(|t| t.duration.as_str())
                })
                .or_else(|| s.is_trial.then_some("P1M"));
            let plan = Plan {
                sku: self.intern(&s.id),
                title: self.intern(&s.title),
                trial: trial.map(|t| self.intern(t)),
                folded: s.is_trial && s.trial_of.is_some(),
            };
            self.plans.push(plan);
        }
        let category = o
            .categories
            .iter()
            .map(|c| categories::display_name(c))
            .collect::<Vec<_>>()
            .join(", ");
        let product = Product {
            id: self.push(&id),
            title: self.push(&o.title),
            publisher: self.intern(&o.publisher_name),
            offer_type: self.intern(o.offer_type.label()),
            category: self.intern(&category),
            plans: (start, self.plans.len() as u32 - start),
            kept: true,
        };
        self.products.push(product);
    }
}

fn span_str(text: &str, s: Span) -> &str {
    &text[s.0 as usize..(s.0 + s.1) as usize]
}

#[cfg(test)]
impl ProductLookup {
    /// One product with one plan.
    pub(crate) fn for_tests(id: &str, sku: &str, plan: &str, trial: Option<&str>) -> Self {
        let mut l = ProductLookup::default();
        l.add(LeanOffer {
            product_id: Some(id.into()),
            title: "Shield".into(),
            publisher_name: "Contoso".into(),
            offer_type: OfferType::Saas,
            categories: Vec::new(),
            skus: vec![LeanSku {
                id: sku.into(),
                title: plan.into(),
                is_trial: false,
                availabilities: vec![LeanAvailability {
                    terms: trial
                        .map(|t| LeanTerm {
                            duration: t.into(),
                            billing_cycle: Some(BillingCycle::None),
                        })
                        .into_iter()
                        .collect(),
                }],
                trial: None,
                trial_of: None,
            }],
        });
        l
    }
}
