//! Filter, search, sort and window the marketplace in memory.
//!
//! Built once per sync ([`OfferIndex::new`]) so each keystroke is cheap at 100k offers: every
//! row's searchable text (title, publisher, description) is lowered once into one buffer that a
//! SIMD substring search scans in a single pass; categories are bit masks; each sort order is a
//! precomputed permutation. A query returns only the requested window plus the facet counts
//! (how many rows each filter value would give), never the whole list.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use memchr::memmem;
use serde::{Deserialize, Serialize};

use super::{categories, fold_name, MatchKind, Offer, OfferType};

/// Publisher filter of the marketplace view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "name")]
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
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u32,
}

/// For each filter value, how many rows it would give with the other filters as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Facets {
    pub types: Vec<FacetCount>,
    pub categories: Vec<FacetCount>,
    pub microsoft: u32,
    pub partner: u32,
    pub trial: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OfferWindow {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<OfferRow>,
    pub facets: Facets,
}

struct RowMeta {
    offer_type: OfferType,
    cats: u64,
    /// Index of `cats` in `OfferIndex::combos`.
    combo: u32,
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
    /// Per row: which ASCII letters/digits (and classes of other bytes) its text holds.
    char_bits: Vec<u64>,
    /// The distinct category sets rows have (a few hundred): counting rows per set and then
    /// per category is much cheaper than walking each row's category bits.
    combos: Vec<u64>,
    /// Distinct tokens (maximal runs of letters and digits of the lowered text), each followed
    /// by a 0 byte; `vocab_starts[t]` is where token `t` begins.
    vocab: Vec<u8>,
    vocab_starts: Vec<u32>,
    /// Rows holding each token, ascending: `postings[posting_starts[t]..posting_starts[t + 1]]`.
    postings: Vec<u32>,
    posting_starts: Vec<u32>,
    /// The last search's words and matching rows.
    last_search: Mutex<Option<LastSearch>>,
}

impl std::fmt::Debug for OfferIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfferIndex")
            .field("offers", &self.offers.len())
            .finish()
    }
}

/// A search's sorted words and the rows holding them all.
type LastSearch = (Vec<String>, Arc<Vec<u32>>);

const ROW_END: u8 = 0x1e;

fn type_bit(t: OfferType) -> u8 {
    1 << (t as u8)
}

/// Bits 0–25 for `a`–`z`, 26–35 for digits, 36 for any non-ASCII byte, 37–63 for other bytes
/// (hashed). A row can hold a word only if it has all of the word's bits.
fn bytes_bits(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |m, &b| {
        m | 1u64
            << match b {
                b'a'..=b'z' => b - b'a',
                b'0'..=b'9' => 26 + (b - b'0'),
                0x80.. => 36,
                _ => 37 + b % 27,
            }
    })
}

impl OfferIndex {
    pub fn new(offers: Vec<Offer>) -> OfferIndex {
        let mut category_ids: Vec<String> = Vec::new();
        let mut cat_pos: HashMap<String, u32> = HashMap::new();
        let mut publishers: HashMap<String, u32> = HashMap::new();
        let mut publisher_ids: HashMap<String, u32> = HashMap::new();
        let mut meta = Vec::with_capacity(offers.len());
        let mut hay = Vec::with_capacity(offers.len() * 160);
        let mut starts = Vec::with_capacity(offers.len() + 1);
        let mut char_bits = Vec::with_capacity(offers.len());
        let mut combos: Vec<u64> = Vec::new();
        let mut combo_pos: HashMap<u64, u32> = HashMap::new();
        let mut token_ids: HashMap<String, u32> = HashMap::new();
        let mut token_rows: Vec<Vec<u32>> = Vec::new();
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
            let next = combo_pos.len() as u32;
            let combo = *combo_pos.entry(cats).or_insert_with(|| {
                combos.push(cats);
                next
            });
            meta.push(RowMeta {
                offer_type: o.offer_type,
                cats,
                combo,
                publisher,
                microsoft: o.is_microsoft_product,
                trial: o.free_trial,
            });
            starts.push(hay.len() as u32);
            let row_start = hay.len();
            for part in [&o.title, &o.publisher_name, &o.description] {
                hay.extend_from_slice(part.to_lowercase().as_bytes());
                hay.push(0x1f);
            }
            char_bits.push(bytes_bits(&hay[row_start..]));
            let row = meta.len() as u32 - 1;
            let text = std::str::from_utf8(&hay[row_start..]).unwrap_or_default();
            for token in text.split(|c: char| !c.is_alphanumeric()) {
                if token.is_empty() {
                    continue;
                }
                let next = token_rows.len() as u32;
                let id = *token_ids.entry(token.to_string()).or_insert(next);
                if id == next {
                    token_rows.push(Vec::new());
                }
                let rows = &mut token_rows[id as usize];
                if rows.last() != Some(&row) {
                    rows.push(row);
                }
            }
            hay.push(ROW_END);
        }
        starts.push(hay.len() as u32);
        let mut tokens: Vec<(String, u32)> = token_ids.into_iter().collect();
        tokens.sort_unstable_by_key(|(_, id)| *id);
        let (mut vocab, mut vocab_starts) = (Vec::new(), Vec::with_capacity(tokens.len() + 1));
        for (t, _) in &tokens {
            vocab_starts.push(vocab.len() as u32);
            vocab.extend_from_slice(t.as_bytes());
            vocab.push(0);
        }
        vocab_starts.push(vocab.len() as u32);
        let mut posting_starts = Vec::with_capacity(token_rows.len() + 1);
        let mut postings = Vec::with_capacity(token_rows.iter().map(Vec::len).sum());
        for rows in &token_rows {
            posting_starts.push(postings.len() as u32);
            postings.extend_from_slice(rows);
        }
        posting_starts.push(postings.len() as u32);
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
            char_bits,
            combos,
            vocab,
            vocab_starts,
            postings,
            posting_starts,
            last_search: Mutex::new(None),
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

    /// Rows (ascending) whose text holds every word of `search`; `None` when there is no search.
    ///
    /// A word of letters and digits can only occur inside one token (a maximal run of letters
    /// and digits), so it is looked up in the token vocabulary (a few hundred KB, not the whole
    /// text) and the rows of the matching tokens are united in a bit set. One-letter words are
    /// answered by each row's character bits; words with other characters scan the text.
    /// Words are then intersected. The last answer is kept, since scrolling and the publisher
    /// type-ahead ask the same search again.
    fn search_rows(&self, search: &str) -> Option<Arc<Vec<u32>>> {
        let mut words: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return None;
        }
        words.sort();
        words.dedup();
        if let Some((old, rows)) = &*self.last_search.lock().unwrap_or_else(|p| p.into_inner()) {
            if *old == words {
                return Some(rows.clone());
            }
        }
        let n = self.offers.len();
        let mut all: Option<Vec<u64>> = None;
        for word in &words {
            let mut set = vec![0u64; n.div_ceil(64)];
            let bytes = word.as_bytes();
            let mut add = |r: u32| set[r as usize / 64] |= 1 << (r % 64);
            if bytes.len() == 1 && bytes[0].is_ascii_alphanumeric() {
                let bits = bytes_bits(bytes);
                (0..n as u32)
                    .filter(|&r| self.char_bits[r as usize] & bits == bits)
                    .for_each(&mut add);
            } else if word.chars().all(char::is_alphanumeric) {
                let finder = memmem::Finder::new(bytes);
                let (mut token, mut from) = (0usize, 0usize);
                while let Some(pos) = finder.find(&self.vocab[from..]) {
                    let at = from + pos;
                    while self.vocab_starts[token + 1] as usize <= at {
                        token += 1;
                    }
                    let (p0, p1) = (self.posting_starts[token], self.posting_starts[token + 1]);
                    self.postings[p0 as usize..p1 as usize]
                        .iter()
                        .for_each(|&r| add(r));
                    from = self.vocab_starts[token + 1] as usize;
                    if from >= self.vocab.len() {
                        break;
                    }
                }
            } else {
                self.scan(&memmem::Finder::new(bytes))
                    .into_iter()
                    .for_each(&mut add);
            }
            all = Some(match all {
                Some(mut acc) => {
                    acc.iter_mut().zip(&set).for_each(|(a, s)| *a &= s);
                    acc
                }
                None => set,
            });
        }
        let mut rows = Vec::new();
        for (i, &chunk) in all.unwrap_or_default().iter().enumerate() {
            let mut bits = chunk;
            while bits != 0 {
                rows.push((i * 64) as u32 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        let rows = Arc::new(rows);
        *self.last_search.lock().unwrap_or_else(|p| p.into_inner()) = Some((words, rows.clone()));
        Some(rows)
    }

    /// One pass over all text: the rows holding `finder`'s word, ascending.
    fn scan(&self, finder: &memmem::Finder<'_>) -> Vec<u32> {
        let mut rows = Vec::new();
        let mut row = 0usize;
        let mut from = 0usize;
        while let Some(pos) = finder.find(&self.hay[from..]) {
            let at = from + pos;
            // hits come in order, so the row cursor only moves forward
            while self.starts[row + 1] as usize <= at {
                row += 1;
            }
            rows.push(row as u32);
            from = self.starts[row + 1] as usize;
            if from >= self.hay.len() {
                break;
            }
        }
        rows
    }

    /// Run a query: the window of rows plus facet counts.
    pub fn query(&self, q: &OfferQuery) -> OfferWindow {
        let f = &q.filter;
        let search = self.search_rows(&f.search);
        let mut cat_mask = 0u64;
        for c in &f.categories {
            let id = categories::resolve(c);
            match self.category_ids.iter().position(|x| *x == id) {
                Some(p) if p < 64 => cat_mask |= 1 << p,
                _ => {} // a category no offer has: matches nothing
            }
        }
        let cat_filter = !f.categories.is_empty();
        let type_mask: u8 = f.types.iter().fold(0, |m, t| m | type_bit(*t));
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
        let mut type_counts = [0u32; OfferType::ALL.len()];
        let mut combo_counts = vec![0u32; self.combos.len()];
        let (mut microsoft, mut partner, mut trial, mut total) = (0u32, 0u32, 0u32, 0u32);
        // Branch-light on purpose: this runs once per row (100k) on every keystroke.
        let pub_mode = match &f.publisher {
            PublisherFilter::Any => 0u8,
            PublisherFilter::Microsoft => 1,
            PublisherFilter::Partner => 2,
            PublisherFilter::Named(_) => 3,
        };
        let named_id = named.unwrap_or(u32::MAX);
        let trial_only = f.trial_only;
        let mut count = |i: usize| {
            let m = &self.meta[i];
            let t = type_mask == 0 || type_bit(m.offer_type) & type_mask != 0;
            let c = !cat_filter || (m.cats & cat_mask) != 0;
            let p = match pub_mode {
                0 => true,
                1 => m.microsoft,
                2 => !m.microsoft,
                _ => m.publisher == named_id,
            };
            let tr = !trial_only | m.trial;
            let p_tr = p & tr;
            type_counts[m.offer_type as usize] += u32::from(c & p_tr);
            combo_counts[m.combo as usize] += u32::from(t & p_tr);
            let t_c_tr = t & c & tr;
            microsoft += u32::from(t_c_tr & m.microsoft);
            partner += u32::from(t_c_tr & !m.microsoft);
            trial += u32::from(t & c & p & m.trial);
            let ok = t & c & p_tr;
            pass[i] = ok;
            total += u32::from(ok);
        };
        match &search {
            Some(rows) => rows.iter().for_each(|&r| count(r as usize)),
            None => (0..self.meta.len()).for_each(&mut count),
        }
        let mut cat_counts = [0u32; 64];
        for (&combo, &n) in self.combos.iter().zip(&combo_counts) {
            let mut bits = combo;
            while n > 0 && bits != 0 {
                cat_counts[bits.trailing_zeros() as usize] += n;
                bits &= bits - 1;
            }
        }
        let order = &self.orders[&q.sort];
        let limit = if q.limit == 0 { 200 } else { q.limit };
        let end = q.offset.saturating_add(limit).min(total as usize);
        let mut rows = Vec::with_capacity(end.saturating_sub(q.offset));
        let mut seen = 0usize;
        let mut take = |i: u32| {
            if pass[i as usize] {
                if seen >= q.offset {
                    rows.push(self.row(i as usize));
                }
                seen += 1;
            }
            seen < end // stop once the window is full
        };
        if q.offset < end {
            if q.descending {
                order.iter().rev().copied().all(&mut take);
            } else {
                order.iter().copied().all(&mut take);
            }
        }
        let mut types: Vec<FacetCount> = OfferType::ALL
            .iter()
            .filter_map(|t| {
                let count = type_counts[*t as usize];
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

    #[test]
    fn typed_searches_refine_and_widen_correctly() {
        let idx = index();
        let brute = |s: &str| -> Vec<String> {
            let words: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
            let mut t: Vec<String> = idx
                .offers()
                .iter()
                .filter(|o| {
                    let text = format!("{} {} {}", o.title, o.publisher_name, o.description)
                        .to_lowercase();
                    words.iter().all(|w| text.contains(w.as_str()))
                })
                .map(|o| o.title.clone())
                .collect();
            t.sort_by_key(|x| x.to_lowercase());
            t
        };
        for s in [
            "a",
            "ab",
            "abo",
            "abou",
            "about",
            "about z",
            "about ze",
            "about",
            "ab",
            "",
            "v",
            "va",
            "vault alpha",
            "ALPHA",
            "contoso b",
            "corp",
            "é",
            "1",
            "zeta-",
            "t s",
            "ion c",
        ] {
            let q = OfferQuery {
                filter: OfferFilter {
                    search: s.into(),
                    ..Default::default()
                },
                ..Default::default()
            };
            let got: Vec<String> = idx.query(&q).rows.iter().map(|r| r.title.clone()).collect();
            assert_eq!(got, brute(s), "search {s:?}");
        }
    }
}
