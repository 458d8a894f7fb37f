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
//! Building it reads and parses the whole stored catalog (hundreds of MB for 100k offers), so it
//! is built once per catalog sync and kept in `price-lookups/MARKET.lookup` beside the store, in
//! a flat binary form that loads in milliseconds. The file names the sync it was built from
//! (`catalog_sync`'s time and offer count); after a new sync it no longer matches and is built
//! again. An in-memory store (tests) builds it every time.
//!
//! [`OfferIndex`]: crate::catalog::query::OfferIndex

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
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
    /// Product id's hash → position in `products` (open addressing, `u32::MAX` empty): one or
    /// two probes a plan, where a binary search missed the cache a dozen times.
    index: Vec<u32>,
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

/// The kept lookup's format; a file of another is built again.
const MAGIC: &[u8; 8] = b"CSPDLK02";

impl ProductLookup {
    /// The lookup of `market`'s stored catalog: the one kept for its last sync, or built (and
    /// kept) now.
    pub fn load(store: &Store, market: &str) -> Result<ProductLookup> {
        let market = market.to_ascii_uppercase();
        let (Some(file), Some(version)) =
            (saved_file(store, &market), catalog_version(store, &market)?)
        else {
            return Self::build(store, &market);
        };
        match read_saved(&file, &version) {
            Ok(Some(lookup)) => return Ok(lookup),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(file = %file.display(), error = %e, "the kept price-list lookup is unreadable: building it again")
            }
        }
        let lookup = Self::build(store, &market)?;
        // Kept only if no sync replaced the catalog while it was read.
        if catalog_version(store, &market)?.as_deref() == Some(version.as_str()) {
            if let Err(e) = lookup.save(&file, &version) {
                tracing::warn!(file = %file.display(), error = %e, "could not keep the price-list lookup");
            }
        }
        Ok(lookup)
    }

    /// Build and keep `market`'s lookup for the catalog just stored, so that the next export
    /// (the first of the day, usually) does not wait for it: reading a 100k-offer catalog back
    /// takes about a second a market, as long as the rest of that export. The sync calls this;
    /// an export still builds a missing or outdated one itself. Nothing is kept for an
    /// in-memory store.
    pub fn prepare(store: &Store, market: &str) -> Result<()> {
        if saved_file(store, market).is_none() {
            return Ok(());
        }
        Self::load(store, market).map(drop)
    }

    /// Read the stored catalog of `market` and build its lookup.
    fn build(store: &Store, market: &str) -> Result<ProductLookup> {
        let conn = store.conn();
        let mut stmt = conn.prepare("SELECT key, json FROM offers WHERE market = ?1")?;
        let mut rows = stmt.query(params![market])?;
        let mut lookup = ProductLookup::default();
        while let Some(row) = rows.next()? {
            let json = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let offer: LeanOffer = serde_json::from_str(json).map_err(|e| {
                let key: String = row.get(0).unwrap_or_default();
                Error::from(crate::message::Message::StoredOfferUnreadable {
                    offer: key,
                    why: e.to_string(),
                })
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
        lookup.index_products();
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
        let mask = self.index.len().checked_sub(1)?;
        let mut slot = fnv1a(id) as usize & mask;
        loop {
            let i = *self.index.get(slot)?;
            let p = self.products.get(i as usize)?;
            if self.str(p.id) == id {
                return Some(p);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Build [`ProductLookup::index`] (product ids are unique).
    fn index_products(&mut self) {
        let size = (self.products.len() * 2).next_power_of_two().max(16);
        let mut index = vec![u32::MAX; size];
        for (i, p) in self.products.iter().enumerate() {
            let mut slot = fnv1a(span_str(&self.text, p.id)) as usize & (size - 1);
            while index[slot] != u32::MAX {
                slot = (slot + 1) & (size - 1);
            }
            index[slot] = i as u32;
        }
        self.index = index;
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

impl ProductLookup {
    /// Write the lookup to `file` (through a synced temporary file renamed into place), marked as
    /// built from the catalog `version`.
    fn save(&self, file: &Path, version: &str) -> Result<()> {
        let dir = file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let tmp = crate::tabular::temp_beside(file)?;
        let io = |e| Error::io(format!("writing {}", file.display()), e);
        let mut w = BufWriter::new(tmp.as_file());
        self.write_to(&mut w, version).map_err(io)?;
        w.flush().map_err(io)?;
        drop(w);
        tmp.as_file().sync_all().map_err(io)?;
        crate::tabular::persist(tmp, file)?;
        Ok(())
    }

    /// The file's layout: magic, version, text (each a length and bytes), then the products and
    /// the plans (a count and fixed-size records of little-endian `u32`s).
    fn write_to(&self, w: &mut impl Write, version: &str) -> std::io::Result<()> {
        w.write_all(MAGIC)?;
        for part in [version.as_bytes(), self.text.as_bytes()] {
            put(w, &[part.len() as u32])?;
            w.write_all(part)?;
        }
        put(w, &[self.products.len() as u32])?;
        for p in &self.products {
            let [a, b, c, d, e] = [p.id, p.title, p.publisher, p.offer_type, p.category];
            put(
                w,
                &[
                    a.0, a.1, b.0, b.1, c.0, c.1, d.0, d.1, e.0, e.1, p.plans.0, p.plans.1,
                ],
            )?;
        }
        put(w, &[self.plans.len() as u32])?;
        for p in &self.plans {
            let t = p.trial.map_or((u32::MAX, 0), |t| (t.0, t.1));
            put(
                w,
                &[
                    p.sku.0,
                    p.sku.1,
                    p.title.0,
                    p.title.1,
                    t.0,
                    t.1,
                    p.folded as u32,
                ],
            )?;
        }
        Ok(())
    }
}

fn put(w: &mut impl Write, ns: &[u32]) -> std::io::Result<()> {
    for n in ns {
        w.write_all(&n.to_le_bytes())?;
    }
    Ok(())
}

fn take(r: &mut impl Read, out: &mut [u32]) -> std::io::Result<()> {
    let mut b = [0u8; 4 * 12];
    let b = &mut b[..4 * out.len()];
    r.read_exact(b)?;
    for (o, c) in out.iter_mut().zip(b.chunks_exact(4)) {
        *o = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    Ok(())
}

/// A length and that many bytes (at most `limit`, the file's size, so a damaged length is an
/// error rather than a huge allocation).
fn take_bytes(r: &mut impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut n = [0u32];
    take(r, &mut n)?;
    if n[0] as u64 > limit {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    let mut v = vec![0u8; n[0] as usize];
    r.read_exact(&mut v)?;
    Ok(v)
}

/// Where `market`'s lookup is kept: `price-lookups/` beside the store's database.
fn saved_file(store: &Store, market: &str) -> Option<PathBuf> {
    let dir = store.path()?.parent()?;
    Some(dir.join("price-lookups").join(format!("{market}.lookup")))
}

/// The stored catalog of `market` as its last sync recorded it (time and offer count); `None`
/// when it was never synced.
fn catalog_version(store: &Store, market: &str) -> Result<Option<String>> {
    Ok(store
        .conn()
        .query_row(
            "SELECT fetched_at, offers FROM catalog_sync WHERE market = ?1",
            params![market],
            |r| {
                Ok(format!(
                    "{}|{}",
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?
                ))
            },
        )
        .optional()?)
}

/// The lookup kept in `file`, if there is one and it was built from the catalog `version`.
/// Every span and plan range is checked, so a damaged file is an error, never a panic.
fn read_saved(file: &Path, version: &str) -> std::io::Result<Option<ProductLookup>> {
    let f = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let size = f.metadata()?.len();
    let r = &mut BufReader::with_capacity(1 << 16, f);
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC || take_bytes(r, size)? != version.as_bytes() {
        return Ok(None);
    }
    let text = String::from_utf8(take_bytes(r, size)?).map_err(|_| bad("text"))?;
    let span = |start: u32, len: u32| {
        let end = start as usize + len as usize;
        let fits = end <= text.len()
            && text.is_char_boundary(start as usize)
            && text.is_char_boundary(end);
        fits.then_some(Span(start, len)).ok_or_else(|| bad("span"))
    };
    let mut n = [0u32];
    take(r, &mut n)?;
    let records = |n: u32, size_of: u64| (n as u64).min(size / size_of) as usize;
    let mut products = Vec::with_capacity(records(n[0], 48));
    let mut f = [0u32; 12];
    for _ in 0..n[0] {
        take(r, &mut f)?;
        products.push(Product {
            id: span(f[0], f[1])?,
            title: span(f[2], f[3])?,
            publisher: span(f[4], f[5])?,
            offer_type: span(f[6], f[7])?,
            category: span(f[8], f[9])?,
            plans: (f[10], f[11]),
            kept: true,
        });
    }
    take(r, &mut n)?;
    let mut plans = Vec::with_capacity(records(n[0], 28));
    let mut f = [0u32; 7];
    for _ in 0..n[0] {
        take(r, &mut f)?;
        let trial = match f[4] {
            u32::MAX => None,
            start => Some(span(start, f[5])?),
        };
        plans.push(Plan {
            sku: span(f[0], f[1])?,
            title: span(f[2], f[3])?,
            trial,
            folded: f[6] == 1,
        });
    }
    let plans_fit = products
        .iter()
        .all(|p| p.plans.0 as u64 + p.plans.1 as u64 <= plans.len() as u64);
    if !plans_fit || r.read(&mut [0u8])? != 0 {
        return Err(bad("plans"));
    }
    let mut lookup = ProductLookup {
        text,
        interned: HashMap::new(),
        products,
        plans,
        index: Vec::new(),
        filtering: false,
    };
    lookup.index_products();
    Ok(Some(lookup))
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
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
        l.index_products();
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sync(store: &Store, market: &str, at: &str, offers: &[(&str, &str, &str)]) {
        let conn = store.conn();
        conn.execute("DELETE FROM offers WHERE market = ?1", [market])
            .unwrap();
        for (id, title, plan) in offers {
            let json = format!(
                r#"{{"productId":"{id}","title":"{title}","publisherName":"Contoso","type":"saas",
                    "categories":["Security"],"skus":[{{"id":"0001","title":"{plan}",
                    "availabilities":[{{"terms":[{{"duration":"P1M","billingCycle":"none"}}]}}]}}]}}"#
            );
            conn.execute(
                "INSERT INTO offers (market, key, json) VALUES (?1, ?2, ?3)",
                params![market, id, json],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT OR REPLACE INTO catalog_sync (market, fetched_at, offers, arm_products) VALUES (?1, ?2, ?3, 0)",
            params![market, at, offers.len() as i64],
        )
        .unwrap();
    }

    fn describe(l: &ProductLookup, id: &str) -> Option<String> {
        let p = l.get(id)?;
        let (plan, trial) = p.plan("0001")?;
        Some(format!(
            "{}|{}|{}|{}|{plan}|{trial:?}",
            p.title(),
            p.publisher(),
            p.offer_type(),
            p.category()
        ))
    }

    #[test]
    fn the_kept_lookup_answers_as_the_built_one_until_the_catalog_is_synced_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        sync(
            &store,
            "GB",
            "2026-12-01T00:00:00Z",
            &[("P2", "Vault ünïcode", "Pro"), ("P1", "Shield", "Basic")],
        );
        let built = ProductLookup::load(&store, "gb").unwrap();
        let file = dir.path().join("price-lookups/GB.lookup");
        assert!(file.exists(), "kept beside the store");
        let kept = ProductLookup::load(&store, "GB").unwrap();
        for id in ["P1", "P2", "P3"] {
            assert_eq!(describe(&kept, id), describe(&built, id), "{id}");
        }
        assert_eq!(
            describe(&kept, "P2").as_deref(),
            Some("Vault ünïcode|Contoso|SaaS|Security|Pro|Some(\"P1M\")")
        );

        // A new sync: the next export sees the new catalog.
        sync(
            &store,
            "GB",
            "2026-12-02T00:00:00Z",
            &[("P1", "Shield 2", "Basic")],
        );
        let after = ProductLookup::load(&store, "GB").unwrap();
        assert!(describe(&after, "P1").unwrap().starts_with("Shield 2|"));
        assert_eq!(describe(&after, "P2"), None);
    }

    #[test]
    fn a_damaged_kept_lookup_is_built_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        sync(
            &store,
            "US",
            "2026-12-01T00:00:00Z",
            &[("P1", "Shield", "Basic")],
        );
        let want = describe(&ProductLookup::load(&store, "US").unwrap(), "P1");
        let file = dir.path().join("price-lookups/US.lookup");
        let bytes = std::fs::read(&file).unwrap();
        for cut in [bytes.len() - 3, 40] {
            let mut damaged = bytes[..cut].to_vec();
            damaged.extend_from_slice(&[0xff; 7]);
            std::fs::write(&file, &damaged).unwrap();
            assert_eq!(
                describe(&ProductLookup::load(&store, "US").unwrap(), "P1"),
                want
            );
        }
    }
}
