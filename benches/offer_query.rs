//! The marketplace query at 100,000 offers: filters + keyword + sort + a 200-row window.
//! Plain `main` (no harness): prints p50/p99 per scenario. Run with `cargo bench --bench offer_query`.

use std::time::Instant;

use cspdesk_core::catalog::query::{OfferFilter, OfferIndex, OfferQuery, PublisherFilter, SortKey};
use cspdesk_core::catalog::{MatchKind, Offer, OfferType};

const N: usize = 100_000;

/// A small deterministic generator (xorshift) so the bench needs no data files.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "cloud",
    "secure",
    "backup",
    "analytics",
    "insight",
    "guard",
    "vault",
    "stream",
    "pipeline",
    "monitor",
    "identity",
    "ledger",
    "studio",
    "connect",
    "sync",
    "shield",
    "data",
    "edge",
    "compliance",
    "workflow",
    "portal",
    "mesh",
    "observe",
    "deploy",
    "scale",
    "recovery",
];
const PUBS: &[&str] = &[
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Tailspin",
    "Wingtip",
    "Adventure Works",
    "Litware",
    "Proseware",
    "Woodgrove",
    "Relecloud",
    "Lamna",
    "Trey Research",
];
const CATS: &[&str] = &[
    "security",
    "analytics",
    "storage",
    "compute",
    "databases",
    "devops",
    "identity",
    "networking",
    "web",
    "productivity",
    "ai-plus-machine-learning",
    "migration",
];

fn offers() -> Vec<Offer> {
    let mut r = Rng(0x9e3779b97f4a7c15);
    (0..N)
        .map(|i| {
            let title = format!("{} {} {}", r.pick(WORDS), r.pick(WORDS), i);
            let publisher = if r.next().is_multiple_of(10) {
                "Microsoft Corporation".to_string()
            } else {
                format!("{} {} {}", r.pick(PUBS), r.pick(WORDS), i % 3000)
            };
            let description = (0..12).map(|_| r.pick(WORDS)).collect::<Vec<_>>().join(" ");
            let offer_type = OfferType::ALL[(r.next() % 4) as usize];
            let categories = (0..1 + r.next() % 3)
                .map(|_| r.pick(CATS).to_string())
                .collect();
            Offer {
                product_id: Some(format!("DZH{i:09}")),
                market: "US".into(),
                title,
                description,
                is_microsoft_product: publisher.starts_with("Microsoft"),
                publisher_id: Some(publisher.to_lowercase().replace(' ', "")),
                publisher_name: publisher,
                offer_type,
                categories,
                free_trial: r.next().is_multiple_of(4),
                skus: vec![],
                marketplace_id: Some(format!("pub.offer{i}")),
                match_kind: MatchKind::Exact,
            }
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let t = Instant::now();
    let index = OfferIndex::new(offers());
    println!(
        "index of {N} offers built in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    // Keystrokes of a search being typed, each with filters and a sort.
    let typed = "secure backup";
    let searches: Vec<String> = (1..=typed.len()).map(|n| typed[..n].to_string()).collect();
    let scenarios: Vec<(&str, OfferQuery)> = vec![
        (
            "no filter, title sort",
            OfferQuery {
                limit: 200,
                ..Default::default()
            },
        ),
        (
            "type+category+partner+trial, publisher sort desc",
            OfferQuery {
                filter: OfferFilter {
                    types: vec![OfferType::Saas],
                    categories: vec!["security".into(), "storage".into()],
                    publisher: PublisherFilter::Partner,
                    trial_only: true,
                    search: String::new(),
                },
                sort: SortKey::Publisher,
                descending: true,
                offset: 0,
                limit: 200,
            },
        ),
        (
            "window deep in the list (offset 50,000)",
            OfferQuery {
                offset: 50_000,
                limit: 200,
                ..Default::default()
            },
        ),
    ];
    let mut all = Vec::new();
    let mut report = |name: &str, mut samples: Vec<f64>| {
        samples.sort_by(f64::total_cmp);
        println!(
            "{name:<58} p50 {:>6.3} ms   p99 {:>6.3} ms   (n={})",
            percentile(&samples, 0.5),
            percentile(&samples, 0.99),
            samples.len()
        );
        all.extend(samples);
    };
    for (name, q) in &scenarios {
        let mut samples = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            let w = index.query(q);
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(w);
        }
        report(name, samples);
    }
    let mut samples = Vec::new();
    for _ in 0..20 {
        for s in &searches {
            let q = OfferQuery {
                filter: OfferFilter {
                    types: vec![OfferType::Saas, OfferType::Vm],
                    categories: vec!["security".into()],
                    search: s.clone(),
                    ..Default::default()
                },
                sort: SortKey::Title,
                limit: 200,
                ..Default::default()
            };
            let t = Instant::now();
            let w = index.query(&q);
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(w);
        }
    }
    if std::env::var("BENCH_DETAIL").is_ok() {
        for (k, s) in searches.iter().enumerate() {
            let mut per: Vec<f64> = samples
                .iter()
                .skip(k)
                .step_by(searches.len())
                .copied()
                .collect();
            per.sort_by(f64::total_cmp);
            println!("  {s:<16} p50 {:.3} ms", percentile(&per, 0.5));
        }
    }
    report(
        "keystrokes `secure backup` + type + category filters",
        samples,
    );
    all.sort_by(f64::total_cmp);
    println!(
        "ALL QUERIES{:<47} p50 {:>6.3} ms   p99 {:>6.3} ms   (n={})",
        "",
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.len()
    );
}
