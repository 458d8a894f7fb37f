//! Filter, search, sort and window the marketplace in memory.
//!
//! Built once per sync ([`OfferIndex::new`]) so each keystroke is cheap at 100k offers: every
//! row's searchable text (title, publisher, description) is lowered once into one buffer that a
//! SIMD substring search scans in a single pass; categories are bit masks; each sort order is a
//! precomputed permutation. A query returns only the requested window plus the facet counts
//! (how many rows each filter value would give), never the whole list.

use std::collections::HashMap;

use memchr::memmem;
use serde::{Deserialize, Serialize};

use super::{categories, fold_name, MatchKind, Offer, OfferType};

/// Publisher filter of the marketplace view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "name")]
#[ts(export)]
pub enum PublisherFilter {
    #[default]
    Any,
    Microsoft,
    /// ISV offers: everything not published by Microsoft.
    Partner,
    /// One publisher, by display name (any case) or ARM publisher id.
    Named(String),
}

impl PublisherFilter {
    /// CLI spelling: `microsoft`, `partner`, or a publisher's name.
    pub fn parse(s: &str) -> PublisherFilter {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "any" | "all" => PublisherFilter::Any,
            "microsoft" => PublisherFilter::Microsoft,
            "partner" | "partners" | "isv" => PublisherFilter::Partner,
            _ => PublisherFilter::Named(s.trim().to_string()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct OfferFilter {
    /// Any of these types (empty = all).
    pub types: Vec<OfferType>,
    /// Any of these category ids (empty = all).
    pub categories: Vec<String>,
    pub publisher: PublisherFilter,
    pub trial_only: bool,
    /// Words that must all appear in the title, publisher or description (any case).
    pub search: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SortKey {
    #[default]
    Title,
    Publisher,
    Type,
    Trial,
    Plans,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct OfferQuery {
    pub filter: OfferFilter,
    pub sort: SortKey,
    pub descending: bool,
    #[ts(type = "number")]
    pub offset: usize,
    #[ts(type = "number")]
    pub limit: usize,
}

/// One table row (what the list shows; the detail comes from [`OfferIndex::offer`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OfferRow {
    /// Stable key of the offer within its market.
    pub key: String,
    pub product_id: Option<String>,
    pub title: String,
    pub publisher_name: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    pub categories: Vec<String>,
    pub free_trial: bool,
    pub plans: u32,
    pub purchasable: bool,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u32,
}

/// For each filter value, how many rows it would give with the other filters as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Facets {
    pub types: Vec<FacetCount>,
    pub categories: Vec<FacetCount>,
    pub microsoft: u32,
    pub partner: u32,
    pub trial: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OfferWindow {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<OfferRow>,
    pub facets: Facets,
}

struct RowMeta {
    offer_type: OfferType,
    cats: u64,
    publisher: u32,
    microsoft: bool,
    trial: bool,
}

/// The in-memory marketplace of one market.
pub struct OfferIndex {
    offers: Vec<Offer>,
    meta: Vec<RowMeta>,
    hay: Vec<u8>,
    starts: Vec<u32>,
    category_ids: Vec<String>,
    publishers: HashMap<String, u32>,
    publisher_ids: HashMap<String, u32>,
    orders: HashMap<SortKey, Vec<u32>>,
    by_key: HashMap<String, u32>,
}

impl std::fmt::Debug for OfferIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfferIndex")
            .field("offers", &self.offers.len())
            .finish()
    }
}

const ROW_END: u8 = 0x1e;

impl OfferIndex {
    pub fn new(offers: Vec<Offer>) -> OfferIndex {
        let mut category_ids: Vec<String> = Vec::new();
        let mut cat_pos: HashMap<String, u32> = HashMap::new();
        let mut publishers: HashMap<String, u32> = HashMap::new();
        let mut publisher_ids: HashMap<String, u32> = HashMap::new();
        let mut meta = Vec::with_capacity(offers.len());
        let mut hay = Vec::with_capacity(offers.len() * 160);
        let mut starts = Vec::with_capacity(offers.len() + 1);
        for o in &offers {
            let mut cats = 0u64;
            for c in &o.categories {
                let next = cat_pos.len() as u32;
                let pos = *cat_pos.entry(c.clone()).or_insert_with(|| {
                    category_ids.push(c.clone());
                    next
                });
                if pos < 64 {
                    cats |= 1 << pos;
                }
            }
            let next = publishers.len() as u32;
            let publisher = *publishers
                .entry(fold_name(&o.publisher_name))
                .or_insert(next);
            if let Some(id) = &o.publisher_id {
                publisher_ids.entry(id.to_lowercase()).or_insert(publisher);
            }
            meta.push(RowMeta {
                offer_type: o.offer_type,
                cats,
                publisher,
                microsoft: o.is_microsoft_product,
                trial: o.free_trial,
            });
            starts.push(hay.len() as u32);
            for part in [&o.title, &o.publisher_name, &o.description] {
                hay.extend_from_slice(part.to_lowercase().as_bytes());
                hay.push(0x1f);
            }
            hay.push(ROW_END);
        }
        starts.push(hay.len() as u32);
        let mut orders = HashMap::new();
        let base: Vec<u32> = (0..offers.len() as u32).collect();
        let lower: Vec<String> = offers.iter().map(|o| o.title.to_lowercase()).collect();
        let lower_pub: Vec<String> = offers
            .iter()
            .map(|o| o.publisher_name.to_lowercase())
            .collect();
        for key in [
            SortKey::Title,
            SortKey::Publisher,
            SortKey::Type,
            SortKey::Trial,
            SortKey::Plans,
        ] {
            let mut order = base.clone();
            order.sort_by(|&a, &b| {
                let (x, y) = (&offers[a as usize], &offers[b as usize]);
                let (a, b) = (a as usize, b as usize);
                let primary = match key {
                    SortKey::Title => lower[a].cmp(&lower[b]),
                    SortKey::Publisher => lower_pub[a].cmp(&lower_pub[b]),
                    SortKey::Type => x.offer_type.cmp(&y.offer_type),
                    SortKey::Trial => y.free_trial.cmp(&x.free_trial),
                    SortKey::Plans => x.skus.len().cmp(&y.skus.len()),
                };
                primary
                    .then_with(|| lower[a].cmp(&lower[b]))
                    .then(a.cmp(&b))
            });
            orders.insert(key, order);
        }
        let by_key = offers
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key().to_string(), i as u32))
            .collect();
        OfferIndex {
            offers,
            meta,
            hay,
            starts,
            category_ids,
            publishers,
            publisher_ids,
            orders,
            by_key,
        }
    }

    pub fn len(&self) -> usize {
        self.offers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offers.is_empty()
    }

    /// The full offer behind a row key.
    pub fn offer(&self, key: &str) -> Option<&Offer> {
        self.by_key.get(key).map(|&i| &self.offers[i as usize])
    }

    pub fn offers(&self) -> &[Offer] {
        &self.offers
    }

    /// Rows of the search: a bit per row, set when every word appears.
    fn search_mask(&self, search: &str) -> Option<Vec<bool>> {
        let words: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return None;
        }
        let n = self.offers.len();
        let mut mask = vec![true; n];
        for word in words {
            let finder = memmem::Finder::new(word.as_bytes());
            let mut hit = vec![false; n];
            let mut from = 0usize;
            while let Some(pos) = finder.find(&self.hay[from..]) {
                let at = from + pos;
                let row = self.starts.partition_point(|&s| s as usize <= at) - 1;
                hit[row] = true;
                from = self.starts[row + 1] as usize;
                if from >= self.hay.len() {
                    break;
                }
            }
            for (m, h) in mask.iter_mut().zip(hit) {
                *m &= h;
            }
        }
        Some(mask)
    }

    fn publisher_matches(&self, filter: &PublisherFilter, named: Option<u32>, m: &RowMeta) -> bool {
        match filter {
            PublisherFilter::Any => true,
            PublisherFilter::Microsoft => m.microsoft,
            PublisherFilter::Partner => !m.microsoft,
            PublisherFilter::Named(_) => Some(m.publisher) == named,
        }
    }

    /// Run a query: the window of rows plus facet counts.
    pub fn query(&self, q: &OfferQuery) -> OfferWindow {
        let f = &q.filter;
        let search = self.search_mask(&f.search);
        let mut cat_mask = 0u64;
        for c in &f.categories {
            let id = categories::resolve(c);
            match self.category_ids.iter().position(|x| *x == id) {
                Some(p) if p < 64 => cat_mask |= 1 << p,
                _ => {} // a category no offer has: matches nothing
            }
        }
        let cat_filter = !f.categories.is_empty();
        let named = match &f.publisher {
            PublisherFilter::Named(n) => self
                .publishers
                .get(&fold_name(n))
                .or_else(|| self.publisher_ids.get(&n.to_lowercase()))
                .copied()
                .or(Some(u32::MAX)),
            _ => None,
        };
        let mut pass = vec![false; self.offers.len()];
        let mut type_counts: HashMap<OfferType, u32> = HashMap::new();
        let mut cat_counts = vec![0u32; self.category_ids.len().min(64)];
        let (mut microsoft, mut partner, mut trial) = (0u32, 0u32, 0u32);
        for (i, m) in self.meta.iter().enumerate() {
            let s = search.as_ref().is_none_or(|mask| mask[i]);
            let t = f.types.is_empty() || f.types.contains(&m.offer_type);
            let c = !cat_filter || (m.cats & cat_mask) != 0;
            let p = self.publisher_matches(&f.publisher, named, m);
            let tr = !f.trial_only || m.trial;
            if s && c && p && tr {
                *type_counts.entry(m.offer_type).or_default() += 1;
            }
            if s && t && p && tr {
                let mut bits = m.cats;
                while bits != 0 {
                    let b = bits.trailing_zeros() as usize;
                    cat_counts[b] += 1;
                    bits &= bits - 1;
                }
            }
            if s && t && c && tr {
                if m.microsoft {
                    microsoft += 1;
                } else {
                    partner += 1;
                }
            }
            if s && t && c && p && m.trial {
                trial += 1;
            }
            pass[i] = s && t && c && p && tr;
        }
        let order = &self.orders[&q.sort];
        let limit = if q.limit == 0 { 200 } else { q.limit };
        let mut total = 0u32;
        let mut rows = Vec::with_capacity(limit.min(1000));
        let mut take = |i: u32| {
            if pass[i as usize] {
                if (total as usize) >= q.offset && rows.len() < limit {
                    rows.push(self.row(i as usize));
                }
                total += 1;
            }
        };
        if q.descending {
            order.iter().rev().copied().for_each(&mut take);
        } else {
            order.iter().copied().for_each(&mut take);
        }
        let mut types: Vec<FacetCount> = OfferType::ALL
            .iter()
            .filter_map(|t| {
                let count = type_counts.get(t).copied().unwrap_or(0);
                (count > 0 || f.types.contains(t)).then(|| FacetCount {
                    value: t.cli_name().into(),
                    label: t.label().into(),
                    count,
                })
            })
            .collect();
        types.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
        let mut cats: Vec<FacetCount> = self
            .category_ids
            .iter()
            .take(64)
            .zip(cat_counts)
            .map(|(id, count)| FacetCount {
                value: id.clone(),
                label: categories::display_name(id),
                count,
            })
            .collect();
        cats.sort_by(|a, b| a.label.cmp(&b.label));
        OfferWindow {
            total,
            offset: q.offset as u32,
            rows,
            facets: Facets {
                types,
                categories: cats,
                microsoft,
                partner,
                trial,
            },
        }
    }

    fn row(&self, i: usize) -> OfferRow {
        let o = &self.offers[i];
        OfferRow {
            key: o.key().to_string(),
            product_id: o.product_id.clone(),
            title: o.title.clone(),
            publisher_name: o.publisher_name.clone(),
            offer_type: o.offer_type,
            categories: o
                .categories
                .iter()
                .map(|c| categories::display_name(c))
                .collect(),
            free_trial: o.free_trial,
            plans: o.skus.len() as u32,
            purchasable: o.purchasable_through_csp(),
            match_kind: o.match_kind,
        }
    }

    /// Publisher display names starting with / containing `prefix` (type-ahead), best first.
    pub fn publisher_names(&self, prefix: &str, limit: usize) -> Vec<String> {
        let p = prefix.to_lowercase();
        let mut seen = std::collections::BTreeSet::new();
        for o in &self.offers {
            if o.publisher_name.to_lowercase().contains(&p) {
                seen.insert(o.publisher_name.clone());
            }
        }
        let mut names: Vec<String> = seen.into_iter().collect();
        names.sort_by_key(|n| !n.to_lowercase().starts_with(&p));
        names.truncate(limit);
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(
        title: &str,
        publisher: &str,
        ty: OfferType,
        cats: &[&str],
        trial: bool,
        ms: bool,
    ) -> Offer {
        Offer {
            product_id: Some(format!("P-{title}")),
            market: "US".into(),
            title: title.into(),
            description: format!("About {title}"),
            publisher_name: publisher.into(),
            publisher_id: Some(publisher.to_lowercase()),
            is_microsoft_product: ms,
            offer_type: ty,
            categories: cats.iter().map(|s| s.to_string()).collect(),
            free_trial: trial,
            skus: vec![],
            marketplace_id: None,
            match_kind: MatchKind::Exact,
        }
    }

    fn index() -> OfferIndex {
        OfferIndex::new(vec![
            offer(
                "Zeta Shield",
                "Contoso",
                OfferType::Saas,
                &["security"],
                true,
                false,
            ),
            offer(
                "Alpha Vault",
                "Fabrikam",
                OfferType::Saas,
                &["storage", "security"],
                false,
                false,
            ),
            offer(
                "Beta VM",
                "Contoso",
                OfferType::Vm,
                &["compute"],
                false,
                false,
            ),
            offer(
                "Defender Thing",
                "Microsoft Corporation",
                OfferType::Saas,
                &["security"],
                false,
                true,
            ),
        ])
    }

    fn titles(w: &OfferWindow) -> Vec<&str> {
        w.rows.iter().map(|r| r.title.as_str()).collect()
    }

    #[test]
    fn all_by_default_sorted_by_title() {
        let w = index().query(&OfferQuery::default());
        assert_eq!(w.total, 4);
        assert_eq!(
            titles(&w),
            ["Alpha Vault", "Beta VM", "Defender Thing", "Zeta Shield"]
        );
    }

    #[test]
    fn filters_combine() {
        let q = OfferQuery {
            filter: OfferFilter {
                types: vec![OfferType::Saas],
                categories: vec!["Security".into()],
                publisher: PublisherFilter::Partner,
                ..Default::default()
            },
            ..Default::default()
        };
        let w = index().query(&q);
        assert_eq!(titles(&w), ["Alpha Vault", "Zeta Shield"]);
        // facet counts: with type/category/partner fixed, trial would give 1; microsoft would give 1
        assert_eq!(w.facets.trial, 1);
        assert_eq!(w.facets.microsoft, 1);
        assert_eq!(w.facets.partner, 2);
    }

    #[test]
    fn search_is_case_insensitive_over_title_publisher_description() {
        let idx = index();
        let q = |s: &str| OfferQuery {
            filter: OfferFilter {
                search: s.into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(titles(&idx.query(&q("ZETA"))), ["Zeta Shield"]);
        assert_eq!(
            titles(&idx.query(&q("contoso"))),
            ["Beta VM", "Zeta Shield"]
        );
        assert_eq!(titles(&idx.query(&q("about vault"))), ["Alpha Vault"]);
        assert_eq!(idx.query(&q("nothing-like-this")).total, 0);
    }

    #[test]
    fn named_publisher_and_trial_and_window() {
        let idx = index();
        let mut q = OfferQuery::default();
        q.filter.publisher = PublisherFilter::Named("contoso".into());
        assert_eq!(titles(&idx.query(&q)), ["Beta VM", "Zeta Shield"]);
        q.filter.trial_only = true;
        assert_eq!(titles(&idx.query(&q)), ["Zeta Shield"]);
        let q = OfferQuery {
            sort: SortKey::Title,
            descending: true,
            offset: 1,
            limit: 2,
            ..Default::default()
        };
        let w = idx.query(&q);
        assert_eq!(w.total, 4);
        assert_eq!(titles(&w), ["Defender Thing", "Beta VM"]);
    }

    #[test]
    fn type_facets_ignore_the_type_filter_itself() {
        let q = OfferQuery {
            filter: OfferFilter {
                types: vec![OfferType::Vm],
                ..Default::default()
            },
            ..Default::default()
        };
        let w = index().query(&q);
        assert_eq!(w.total, 1);
        let saas = w.facets.types.iter().find(|f| f.value == "saas").unwrap();
        assert_eq!(saas.count, 3);
    }
}
