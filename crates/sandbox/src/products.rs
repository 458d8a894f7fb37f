//! The generated product catalog, kept compact so 100 000 offers start in well under a second.
//!
//! Only what listing needs is stored per product (id, title, publisher, type, markets, a
//! per-product seed). SKUs, terms, availabilities, descriptions, categories and prices are
//! derived on demand from that seed, so nothing is materialised that a request does not ask
//! for and the same seed always yields the same catalog. Prices drift day to day as a pure
//! function of (seed, date).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{self, hash_chars, mix, unit, Customer, Publisher, MARKETS};
pub(crate) use super::terms::{Kind, Term};

pub(crate) const F_PC: u8 = 1;
pub(crate) const F_ARM: u8 = 2;
const F_VOLATILE: u8 = 4;

pub(crate) struct Product {
    pub id: String,
    pub title: String,
    /// ARM offer id (slug, unique across the catalog).
    pub offer: String,
    pub publisher: u32,
    pub kind: Kind,
    pub markets: u32,
    pub seed: u64,
    pub flags: u8,
}

#[derive(Clone)]
pub(crate) struct Sku {
    pub index: usize,
    pub id: String,
    pub title: &'static str,
    pub plan_id: String,
    pub description: String,
    pub min_q: u32,
    pub max_q: u32,
    pub terms: Vec<Term>,
    /// The plan has a free trial: a trial term on a paid plan, or the trial SKU itself.
    pub trial: bool,
    /// A trial SKU (`isTrial: true`, reference §16 shape 2): its only term is the free month,
    /// and it renews to [`Sku::trial_sku`]'s paid plan.
    pub is_trial: bool,
    /// A separate trial SKU turns into this paid plan (see [`Catalog::listed_skus`]).
    pub trial_sku: bool,
    base_usd: f64,
}

#[rustfmt::skip]
const TIERS: &[&[&str]] = &[
    &["Standard"],
    &["Enterprise"],
    &["Professional"],
    &["Standard", "Premium"],
    &["Basic", "Pro"],
    &["Team", "Business"],
    &["Basic", "Standard", "Premium"],
    &["Starter", "Business", "Enterprise"],
    &["Essentials", "Professional", "Ultimate"],
];
#[rustfmt::skip]
const BOUNDS: &[(u32, u32)] = &[
    (1, 100), (1, 1000), (5, 1000), (1, 1), (10, 10000), (1, 300), (1, 1),
];
#[rustfmt::skip]
const TERM_SETS: &[&[Term]] = &[
    &[Term::M1Monthly],
    &[Term::Y1Annual],
    &[Term::M1Monthly, Term::Y1Annual],
    &[Term::M1Monthly, Term::Y1Annual, Term::Y1Monthly],
    &[Term::M1Monthly, Term::Y1Annual],
    &[Term::Y1Annual, Term::Y1Monthly],
];

#[rustfmt::skip]
const NOUNS: &[(&str, usize)] = &[
    ("Cloud Backup", 18), ("Threat Defense", 17), ("Data Pipeline", 1), ("Insights", 1),
    ("Key Vault Manager", 8), ("Identity Governance", 8), ("Helpdesk", 25), ("CRM Connector", 23),
    ("eSignature", 20), ("Forms", 20), ("Workflow Automation", 9), ("Log Analytics", 15), ("API Gateway", 9),
    ("Edge Firewall", 16), ("Expense Manager", 22), ("Payroll", 26), ("Campaign Studio", 24),
    ("Field Service", 27), ("Video Hub", 12), ("Model Studio", 0), ("Vector Search", 0), ("Ledger", 2),
    ("Kubernetes Manager", 4), ("SQL Optimizer", 5), ("Code Review", 6), ("Release Pipelines", 7),
    ("IoT Hub Connector", 10), ("Patch Manager", 11), ("Migration Assistant", 13), ("Spatial Anchors", 14),
    ("Uptime Monitor", 15), ("Zero Trust Access", 17), ("File Sync", 18), ("Web Accelerator", 19),
    ("Meeting Notes", 21), ("Sales Forecasting", 23), ("Customer Portal", 25), ("Recruiting", 26),
    ("Inventory Planner", 27), ("Compliance Manager", 17),
];
#[rustfmt::skip]
const QUALIFIERS: &[&str] = &[
    "", "", "", " Pro", " for Microsoft Teams", " Enterprise", " 365", " Cloud", " Suite", " Platform",
    " Online",
];
#[rustfmt::skip]
const AUDIENCES: &[&str] = &[
    "IT teams", "security operations centers", "finance departments", "sales teams", "developers",
    "small and medium businesses", "global enterprises", "service desks",
];
#[rustfmt::skip]
const BENEFITS: &[&str] = &[
    "cut manual work with automated workflows",
    "see every risk in one dashboard",
    "meet compliance requirements without extra tooling",
    "connect the tools they already use",
    "scale securely on Microsoft Azure",
    "turn raw data into decisions",
];

pub(crate) struct Catalog {
    pub seed: u64,
    pub publishers: Vec<Publisher>,
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    by_id: HashMap<String, u32>,
    arm_ids: OnceLock<HashMap<String, u32>>,
}

impl Catalog {
    pub fn generate(seed: u64, offers: usize) -> Catalog {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n_pub = (offers / 6).clamp(5, 300);
        let publishers = data::publishers(&mut rng, n_pub);
        let customers = data::customers(&mut rng);
        let arm_only = offers / 100;
        let total = offers + arm_only;
        let mut products = Vec::with_capacity(total);
        let mut by_id = HashMap::with_capacity(total);
        let mut slugs = HashSet::with_capacity(total);
        let mut market_idx: Vec<usize> = (0..MARKETS.len()).collect();
        while products.len() < total {
            let id = format!("DZH318Z{}", hash_chars(rng.gen(), 5, data::UPPER_ALNUM));
            if by_id.contains_key(&id) {
                continue;
            }
            let r: f64 = rng.gen();
            let kind = match r {
                r if r < 0.75 => Kind::SaaS,
                r if r < 0.87 => Kind::VirtualMachines,
                r if r < 0.93 => Kind::Containers,
                _ => Kind::AzureApplications,
            };
            let publisher = if rng.gen::<f64>() < 0.03 {
                0
            } else {
                let u: f64 = rng.gen();
                1 + ((u * u) * (publishers.len() - 1) as f64) as u32
            };
            let pubname = &publishers[publisher as usize].name;
            let brand = pubname.split(' ').next().unwrap_or("Contoso");
            let (noun, _) = NOUNS.choose(&mut rng).copied().unwrap_or(("Insights", 1));
            let qual = QUALIFIERS.choose(&mut rng).copied().unwrap_or("");
            let title = match kind {
                Kind::SaaS => format!("{brand} {noun}{qual}"),
                Kind::VirtualMachines => format!("{brand} {noun} Virtual Appliance"),
                Kind::Containers => format!("{brand} {noun} Container"),
                Kind::AzureApplications => format!("{brand} {noun} Managed Application"),
            };
            let markets = if rng.gen::<f64>() < 0.85 {
                market_idx.shuffle(&mut rng);
                let k = rng.gen_range(10..=MARKETS.len());
                let mut mask: u32 = market_idx.iter().take(k).fold(0, |m, i| m | (1 << i));
                if rng.gen::<f64>() < 0.95 {
                    mask |= 1;
                }
                mask
            } else {
                market_idx.shuffle(&mut rng);
                let k = rng.gen_range(1..=3);
                let mut mask: u32 = market_idx.iter().take(k).fold(0, |m, i| m | (1 << i));
                if rng.gen::<f64>() < 0.6 {
                    mask |= 1;
                }
                mask
            };
            let mut flags = if products.len() >= offers {
                F_ARM
            } else if rng.gen::<f64>() < 0.02 {
                F_PC
            } else {
                F_PC | F_ARM
            };
            if rng.gen::<f64>() < 0.01 {
                flags |= F_VOLATILE;
            }
            let base = data::slug(&title);
            let mut offer = base.clone();
            let mut n = 2;
            while !slugs.insert(offer.clone()) {
                offer = format!("{base}-{n}");
                n += 1;
            }
            by_id.insert(id.clone(), products.len() as u32);
            products.push(Product {
                id,
                title,
                offer,
                publisher,
                kind,
                markets,
                seed: rng.gen(),
                flags,
            });
        }
        Catalog {
            seed,
            publishers,
            products,
            customers,
            by_id,
            arm_ids: OnceLock::new(),
        }
    }

    /// A product visible to Partner Center by id (case-insensitive), whatever the day.
    pub fn pc_product(&self, id: &str) -> Option<(usize, &Product)> {
        let i = *self.by_id.get(&id.to_ascii_uppercase())? as usize;
        let p = self.products.get(i)?;
        (p.flags & F_PC != 0).then_some((i, p))
    }

    /// Whether a product is listed on a given day (a few "volatile" offers come and go).
    pub fn present(&self, idx: usize, p: &Product, day: NaiveDate) -> bool {
        p.flags & F_VOLATILE == 0
            || mix(self.seed ^ idx as u64, day.num_days_from_ce() as u64) % 10 < 7
    }

    pub fn sold_in(p: &Product, market: usize) -> bool {
        p.markets & (1 << market) != 0
    }

    pub fn publisher(&self, p: &Product) -> &Publisher {
        &self.publishers[p.publisher as usize]
    }

    pub fn skus(&self, p: &Product) -> Vec<Sku> {
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        let tiers = TIERS.choose(&mut rng).copied().unwrap_or(&["Standard"]);
        let (min_q, max_q) = BOUNDS.choose(&mut rng).copied().unwrap_or((1, 100));
        let per_seat = max_q > 1;
        let mut base: f64 = if per_seat {
            rng.gen_range(2.0..40.0)
        } else {
            rng.gen_range(49.0..2500.0)
        };
        let trial_product = p.kind == Kind::SaaS && rng.gen::<f64>() < 0.15;
        // Decided without drawing from `rng`, so every other product keeps its plans.
        let trial_sku_product =
            p.kind == Kind::SaaS && !trial_product && mix(p.seed, 0x75C1).is_multiple_of(12);
        let last = tiers.len() - 1;
        tiers
            .iter()
            .enumerate()
            .map(|(i, title)| {
                let terms = TERM_SETS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or(&[Term::M1Monthly])
                    .to_vec();
                let sku = Sku {
                    index: i,
                    id: format!("{:04}", i + 1),
                    title,
                    plan_id: data::slug(title),
                    description: format!(
                        "{} plan of {}: {}.",
                        title,
                        p.title,
                        BENEFITS[i % BENEFITS.len()]
                    ),
                    min_q,
                    max_q,
                    terms,
                    trial: trial_product && i == 0,
                    is_trial: false,
                    trial_sku: trial_sku_product && i == last,
                    base_usd: (base * 100.0).round() / 100.0,
                };
                base *= rng.gen_range(1.6..2.6);
                sku
            })
            .collect()
    }

    /// Whether the product's publisher blocks downgrades (a move to a lower plan): about half of
    /// the publishers, fixed by the seed. Plans are ordered by price, lowest first.
    pub fn blocks_downgrades(&self, p: &Product) -> bool {
        mix(self.seed, 0xD0_3E ^ u64::from(p.publisher)).is_multiple_of(2)
    }

    /// The second trial shape (reference §16): about one SaaS product in twelve without a
    /// trial term models its free month as a SKU of its own (`isTrial: true`), titled as the
    /// paid plan it turns into plus "Free Trial". That plan is the product's top one, so the
    /// trial rule has to match by title (not take the first plan). Not in [`Catalog::skus`]:
    /// only the catalog, carts and price sheets list it ([`Catalog::listed_skus`]).
    fn trial_sku_of(&self, paid: &[Sku]) -> Option<Sku> {
        let target = paid.iter().find(|s| s.trial_sku)?;
        let title: &'static str = match target.title {
            "Standard" => "Standard Free Trial",
            "Enterprise" => "Enterprise Free Trial",
            "Professional" => "Professional Free Trial",
            "Premium" => "Premium Free Trial",
            "Pro" => "Pro Free Trial",
            "Business" => "Business Free Trial",
            "Ultimate" => "Ultimate Free Trial",
            _ => "Free Trial",
        };
        Some(Sku {
            index: paid.len(),
            id: format!("{:04}", paid.len() + 1),
            title,
            plan_id: data::slug(title),
            description: format!("One month of the {} plan, free.", target.title),
            min_q: target.min_q,
            max_q: target.max_q,
            terms: Vec::new(),
            trial: true,
            is_trial: true,
            trial_sku: false,
            base_usd: 0.0,
        })
    }

    /// Every SKU Partner Center lists: the paid plans, then the trial SKU if there is one.
    pub fn listed_skus(&self, p: &Product) -> Vec<Sku> {
        let mut skus = self.skus(p);
        if let Some(t) = self.trial_sku_of(&skus) {
            skus.push(t);
        }
        skus
    }

    pub fn sku(&self, p: &Product, sku_id: &str) -> Option<Sku> {
        self.listed_skus(p).into_iter().find(|s| s.id == sku_id)
    }

    pub fn categories(&self, p: &Product) -> Vec<&'static str> {
        let h = mix(p.seed, 11);
        let n = 1 + (h % 3) as usize;
        let mut out: Vec<&'static str> = Vec::with_capacity(n);
        let noun_cat = NOUNS
            .iter()
            .find(|(nn, _)| p.title.contains(nn))
            .map(|(_, c)| *c)
            .unwrap_or(1);
        out.push(data::CATEGORIES[noun_cat % data::CATEGORIES.len()].0);
        for k in 1..n {
            let c = data::CATEGORIES[(mix(h, k as u64) % data::CATEGORIES.len() as u64) as usize].0;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    pub fn description(&self, p: &Product) -> String {
        let h = mix(p.seed, 12);
        let aud = AUDIENCES[(h % AUDIENCES.len() as u64) as usize];
        let ben = BENEFITS[((h >> 8) % BENEFITS.len() as u64) as usize];
        let ben2 = BENEFITS[((h >> 16) % BENEFITS.len() as u64) as usize];
        format!(
            "{} helps {aud} {ben}. Built by {}, it deploys in minutes and lets you {ben2}.",
            p.title,
            self.publisher(p).name
        )
    }

    /// 12-character availability id of (product, sku, market).
    pub fn availability_id(&self, p: &Product, sku: &Sku, market: usize) -> String {
        format!(
            "DZH318Z0{}",
            hash_chars(
                mix(p.seed, 100 + sku.index as u64 * 64 + market as u64),
                4,
                data::UPPER_ALNUM
            )
        )
    }

    pub fn term_id(p: &Product, sku: &Sku, term: Option<Term>) -> String {
        hash_chars(
            mix(
                p.seed,
                1000 + sku.index as u64 * 8 + term.map_or(0, Term::code),
            ),
            12,
            data::LOWER,
        )
    }

    /// Finds (product index, sku, market) for a `product:sku:availability` catalog item id.
    pub fn resolve_item(&self, item: &str) -> Option<(usize, Sku, usize)> {
        let mut parts = item.split(':');
        let (pid, sid, aid) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let (i, p) = self.pc_product(pid)?;
        let sku = self.sku(p, sid)?;
        let market = (0..MARKETS.len()).find(|m| {
            Catalog::sold_in(p, *m) && self.availability_id(p, &sku, *m).eq_ignore_ascii_case(aid)
        })?;
        Some((i, sku, market))
    }

    /// USD price of one unit for one charge of `term` on `day`, and the day it took effect.
    /// ~2% of prices change on any day, each change moving the price ±1–15% off its base.
    pub fn usd_price(
        &self,
        p: &Product,
        sku: &Sku,
        term: Term,
        day: NaiveDate,
    ) -> (f64, NaiveDate) {
        let per_charge = match term {
            Term::M1Monthly => sku.base_usd,
            Term::Y1Annual => sku.base_usd * 12.0 * 0.9,
            Term::Y1Monthly => sku.base_usd * 0.95,
        };
        let key = mix(
            p.seed ^ self.seed,
            5000 + sku.index as u64 * 8 + term.code(),
        );
        let d0 = day.num_days_from_ce() as i64;
        for back in 0..365 {
            let d = d0 - back;
            let h = mix(key, d as u64);
            if h % 10_000 < 200 {
                let pct = 0.01 + unit(mix(h, 1)) * 0.14;
                let sign = if mix(h, 2) & 1 == 0 { 1.0 } else { -1.0 };
                let when = day - Duration::days(back);
                return (data::round_price(per_charge * (1.0 + sign * pct), 2), when);
            }
        }
        let since = NaiveDate::from_ymd_opt(day.year() - 1, 1, 1).unwrap_or(day);
        (data::round_price(per_charge, 2), since)
    }

    /// Price in the market's currency, rounded to its precision.
    pub fn price(
        &self,
        p: &Product,
        sku: &Sku,
        term: Term,
        market: usize,
        day: NaiveDate,
    ) -> (f64, NaiveDate) {
        let (usd, since) = self.usd_price(p, sku, term, day);
        let m = &MARKETS[market];
        (data::round_price(usd * m.fx, m.decimals), since)
    }

    /// ARM display name: the PC title, except ~5% differ in case, whitespace or a trailing ™.
    pub fn arm_display_name(p: &Product) -> String {
        let h = mix(p.seed, 77);
        if h % 100 >= 5 {
            return p.title.clone();
        }
        match (h >> 8) % 4 {
            0 => p.title.to_lowercase(),
            1 => p.title.replacen(' ', "  ", 1),
            2 => format!("{}™", p.title),
            _ => format!("{} ", p.title.to_uppercase()),
        }
    }

    /// Index of an ARM product by `uniqueProductId` (`publisherId.offerId`, case-insensitive).
    pub fn arm_product(&self, unique: &str) -> Option<usize> {
        let map = self.arm_ids.get_or_init(|| {
            self.products
                .iter()
                .enumerate()
                .filter(|(_, p)| p.flags & F_ARM != 0)
                .map(|(i, p)| (format!("{}.{}", self.publisher(p).id, p.offer), i as u32))
                .collect()
        });
        map.get(&unique.to_ascii_lowercase()).map(|i| *i as usize)
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(id))
    }
}
