//! Fixed reference data and small deterministic helpers for the generated world.
//!
//! The sandbox must produce the same catalog on every machine for the same seed, so every
//! generated value comes either from a `ChaCha8Rng` seeded with the configured seed or from
//! [`mix`], a stateless hash of (seed, key…). This file holds the tables that do not depend on
//! the seed (markets, categories, word lists) plus publisher and customer generation.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A market (country) the catalog sells in, with its currency and a USD → currency factor.
pub(crate) struct Market {
    pub code: &'static str,
    pub currency: &'static str,
    pub symbol: &'static str,
    pub fx: f64,
    /// Decimal places prices are rounded to.
    pub decimals: i32,
    pub culture: &'static str,
    pub cities: &'static [(&'static str, &'static str, &'static str)],
}

macro_rules! m {
    ($c:expr, $cur:expr, $sym:expr, $fx:expr, $dec:expr, $cul:expr, $cities:expr) => {
        Market {
            code: $c,
            currency: $cur,
            symbol: $sym,
            fx: $fx,
            decimals: $dec,
            culture: $cul,
            cities: $cities,
        }
    };
}

/// All markets. Index 0 is the United States (most products are sold there).
#[rustfmt::skip]
pub(crate) const MARKETS: &[Market] = &[
    m!("US", "USD", "$", 1.0, 2, "en-US", &[("Redmond", "WA", "98052"), ("Austin", "TX", "73301"), ("Boston", "MA", "02110")]),
    m!("GB", "GBP", "£", 0.79, 2, "en-GB", &[("London", "", "EC1A 1BB"), ("Manchester", "", "M1 1AE")]),
    m!("DE", "EUR", "€", 0.92, 2, "de-DE", &[("München", "", "80331"), ("Berlin", "", "10115")]),
    m!("FR", "EUR", "€", 0.92, 2, "fr-FR", &[("Paris", "", "75001"), ("Lyon", "", "69001")]),
    m!("NL", "EUR", "€", 0.92, 2, "nl-NL", &[("Amsterdam", "", "1011 AB"), ("Utrecht", "", "3511 AA")]),
    m!("IT", "EUR", "€", 0.92, 2, "it-IT", &[("Milano", "", "20121"), ("Roma", "", "00118")]),
    m!("ES", "EUR", "€", 0.92, 2, "es-ES", &[("Madrid", "", "28001"), ("Barcelona", "", "08001")]),
    m!("IE", "EUR", "€", 0.92, 2, "en-IE", &[("Dublin", "", "D02 XY45")]),
    m!("SE", "SEK", "kr", 10.5, 2, "sv-SE", &[("Stockholm", "", "111 20")]),
    m!("NO", "NOK", "kr", 10.6, 2, "nb-NO", &[("Oslo", "", "0150")]),
    m!("DK", "DKK", "kr", 6.9, 2, "da-DK", &[("København", "", "1050")]),
    m!("CH", "CHF", "CHF", 0.88, 2, "de-CH", &[("Zürich", "", "8001"), ("Genève", "", "1201")]),
    m!("PL", "PLN", "zł", 4.0, 2, "pl-PL", &[("Warszawa", "", "00-001")]),
    m!("JP", "JPY", "¥", 150.0, 0, "ja-JP", &[("Tokyo", "", "100-0001")]),
    m!("AU", "AUD", "$", 1.52, 2, "en-AU", &[("Sydney", "NSW", "2000"), ("Melbourne", "VIC", "3000")]),
    m!("NZ", "NZD", "$", 1.65, 2, "en-NZ", &[("Auckland", "", "1010")]),
    m!("CA", "CAD", "$", 1.36, 2, "en-CA", &[("Toronto", "ON", "M5H 2N2"), ("Vancouver", "BC", "V6B 1A1")]),
    m!("BR", "BRL", "R$", 5.0, 2, "pt-BR", &[("São Paulo", "SP", "01000-000")]),
    m!("IN", "INR", "₹", 83.0, 2, "en-IN", &[("Bengaluru", "KA", "560001")]),
    m!("SG", "SGD", "$", 1.34, 2, "en-SG", &[("Singapore", "", "048583")]),
    m!("ZA", "ZAR", "R", 18.5, 2, "en-ZA", &[("Johannesburg", "GP", "2001")]),
    m!("MX", "MXN", "$", 17.0, 2, "es-MX", &[("Ciudad de México", "CMX", "06000")]),
    m!("AT", "EUR", "€", 0.92, 2, "de-AT", &[("Wien", "", "1010")]),
    m!("BE", "EUR", "€", 0.92, 2, "nl-BE", &[("Brussel", "", "1000")]),
    m!("FI", "EUR", "€", 0.92, 2, "fi-FI", &[("Helsinki", "", "00100")]),
];

/// Index of a market by two-letter code, case-insensitively.
pub(crate) fn market_index(code: &str) -> Option<usize> {
    MARKETS
        .iter()
        .position(|m| m.code.eq_ignore_ascii_case(code))
}

/// Round a price to the market's precision.
pub(crate) fn round_price(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// Azure Marketplace category ids with their display names (the catalog module's list: the
/// first 20 are the Azure (IT) categories, the rest app (business) categories).
pub(crate) use cspdesk_client::categories::CATEGORIES;

/// Display name of an Azure Marketplace category id ("security" → "Security").
pub fn category_display_name(id: &str) -> Option<&'static str> {
    CATEGORIES
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(id))
        .map(|(_, v)| *v)
}

/// Industry ids the ARM catalog uses (a few products carry one).
#[rustfmt::skip]
pub(crate) const INDUSTRIES: &[&str] = &[
    "financial-services", "healthcare", "retail", "manufacturing", "education",
];

/// SplitMix64-style mixer: a stateless, platform-independent hash of two words.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform float in [0, 1) from a hash.
pub(crate) fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// `n` characters from `alphabet`, drawn from a hash chain.
pub(crate) fn hash_chars(mut h: u64, n: usize, alphabet: &[u8]) -> String {
    let mut s = String::with_capacity(n);
    for i in 0..n {
        if i % 8 == 0 {
            h = mix(h, i as u64 + 1);
        }
        let idx = (h % alphabet.len() as u64) as usize;
        h /= alphabet.len() as u64;
        s.push(char::from(alphabet[idx]));
    }
    s
}

pub(crate) const UPPER_ALNUM: &[u8] = b"0123456789BCDFGHJKLMNPQRSTVWXZ";
pub(crate) const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

/// A GUID drawn from the generator (version-4 layout).
pub(crate) fn guid(rng: &mut ChaCha8Rng) -> String {
    let bytes: [u8; 16] = rng.gen();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// A publisher of marketplace offers.
pub(crate) struct Publisher {
    /// ARM `publisherId` (slug).
    pub id: String,
    pub name: String,
    pub website: String,
    pub support_uri: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub microsoft: bool,
}

#[rustfmt::skip]
const PUB_FIRST: &[&str] = &[
    "Bright", "Kestrel", "Nimbus", "Blue", "Silver", "Iron", "Granite", "Cedar", "Harbor", "North", "Summit",
    "Vector", "Quantum", "Cobalt", "Crimson", "Falcon", "Atlas", "Orbit", "Pioneer", "Redwood", "Sapphire",
    "Stratus", "Tandem", "Umbra", "Velvet", "Willow", "Zephyr", "Aurora", "Beacon", "Catalyst", "Delta",
    "Ember", "Fjord", "Glacier", "Helix", "Indigo", "Juniper", "Keystone", "Lumen", "Meridian", "Nova", "Onyx",
    "Polar", "Quill", "Ridge", "Sparrow", "Tidal", "Unity", "Vantage", "Alder", "Basalt", "Compass",
];
#[rustfmt::skip]
const PUB_SECOND: &[&str] = &[
    "path", "wave", "stone", "field", "gate", "point", "bridge", "works", "forge", "line", "scale", "wind",
    "leaf", "rock", "light", "shift", "stack", "peak", "sight", "mark", "loop", "core", "grid", "flow",
];
#[rustfmt::skip]
const PUB_KIND: &[&str] = &[
    "Software", "Analytics", "Systems", "Labs", "Technologies", "Security", "Data", "Cloud", "Networks",
    "Solutions", "Digital", "AI",
];
#[rustfmt::skip]
const PUB_FORM: &[&str] = &[
    "Inc.", "Ltd", "GmbH", "LLC", "B.V.", "AB", "S.A.", "Pty Ltd", "Corp.", "AG",
];

pub(crate) fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Publisher 0 is Microsoft; the others get unique generated names.
pub(crate) fn publishers(rng: &mut ChaCha8Rng, count: usize) -> Vec<Publisher> {
    let mut out = vec![Publisher {
        id: "microsoft".into(),
        name: "Microsoft Corporation".into(),
        website: "https://www.microsoft.com/".into(),
        support_uri: "https://support.microsoft.com/".into(),
        email: None,
        phone: Some("+1-800-642-7676".into()),
        microsoft: true,
    }];
    let mut seen = std::collections::HashSet::new();
    while out.len() < count.max(2) {
        let brand = format!(
            "{}{}",
            PUB_FIRST.choose(rng).copied().unwrap_or("Blue"),
            PUB_SECOND.choose(rng).copied().unwrap_or("path")
        );
        let kind = PUB_KIND.choose(rng).copied().unwrap_or("Software");
        let form = PUB_FORM.choose(rng).copied().unwrap_or("Inc.");
        let key = format!("{brand} {kind}");
        if !seen.insert(key.clone()) {
            continue;
        }
        let id = slug(&key).replace('-', "");
        // Reserved example domains: links in the app never point at a real company.
        let domain = format!("{id}.example.com");
        let email = (rng.gen::<f64>() < 0.7).then(|| format!("support@{domain}"));
        let phone = (rng.gen::<f64>() < 0.5).then(|| {
            format!(
                "+1-{}-555-{:04}",
                rng.gen_range(201..990),
                rng.gen_range(100..9999)
            )
        });
        out.push(Publisher {
            id,
            name: format!("{key} {form}"),
            website: format!("https://www.{domain}/"),
            support_uri: format!("https://www.{domain}/support"),
            email,
            phone,
            microsoft: false,
        });
    }
    out
}

/// A customer of the partner, with its billing address (the market is its country).
pub(crate) struct Customer {
    pub id: String,
    pub company: String,
    pub domain: String,
    pub market: usize,
    pub city: &'static str,
    pub state: &'static str,
    pub postal: &'static str,
    pub street: String,
    pub first: &'static str,
    pub last: &'static str,
    pub phone: String,
    pub profile_id: String,
    pub etag: u64,
}

#[rustfmt::skip]
const CUST_A: &[&str] = &[
    "Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Adventure", "Alpine", "Coho", "Datum", "Fourth",
    "Humongous", "Litware", "Lucerne", "Margie's", "Proseware", "Relecloud", "Southridge", "Trey", "Woodgrove",
    "Wide World", "Blue Yonder", "Graphic", "Consolidated", "Lamna", "Bellows", "Munson's", "Nod", "VanArsdel",
];
#[rustfmt::skip]
const CUST_B: &[&str] = &[
    "Traders", "Pharmaceuticals", "Toys", "Airlines", "Logistics", "Bank", "Works", "Winery", "Publishing",
    "Health", "Insurance", "Motors", "Foods", "Energy", "Studios", "Outfitters", "Research", "Hotels",
];
#[rustfmt::skip]
const FIRST: &[&str] = &[
    "Anna", "Ben", "Chloé", "Daniel", "Eva", "Felix", "Grace", "Hiro", "Ines", "Jonas", "Kavya", "Lars",
];
#[rustfmt::skip]
const LAST: &[&str] = &[
    "Smith", "Müller", "Dubois", "Jansen", "Rossi", "García", "Nilsen", "Tanaka", "Kowalski", "Brown",
];
#[rustfmt::skip]
const STREETS: &[&str] = &[
    "Main Street", "High Street", "Market Square", "Harbour Road", "Station Road", "Park Avenue",
];

/// 50 customers in at least 8 countries: the first 8 take one each of a fixed set of
/// markets, the rest are weighted toward the United States.
pub(crate) fn customers(rng: &mut ChaCha8Rng) -> Vec<Customer> {
    const FIXED: &[&str] = &["US", "GB", "DE", "FR", "NL", "SE", "AU", "JP", "CA", "CH"];
    let mut out = Vec::with_capacity(50);
    let mut seen = std::collections::HashSet::new();
    while out.len() < 50 {
        let company = format!(
            "{} {}",
            CUST_A.choose(rng).copied().unwrap_or("Contoso"),
            CUST_B.choose(rng).copied().unwrap_or("Traders")
        );
        if !seen.insert(company.clone()) {
            continue;
        }
        let market = if out.len() < FIXED.len() {
            FIXED
                .get(out.len())
                .and_then(|c| market_index(c))
                .unwrap_or(0)
        } else if rng.gen::<f64>() < 0.4 {
            0
        } else {
            rng.gen_range(0..MARKETS.len())
        };
        let m = &MARKETS[market];
        let (city, state, postal) = m
            .cities
            .choose(rng)
            .copied()
            .unwrap_or(("Redmond", "WA", "98052"));
        let id = guid(rng);
        let domain = format!("{}.onmicrosoft.com", slug(&company).replace('-', ""));
        out.push(Customer {
            id,
            domain,
            market,
            city,
            state,
            postal,
            street: format!(
                "{} {}",
                rng.gen_range(1..250),
                STREETS.choose(rng).copied().unwrap_or("Main Street")
            ),
            first: FIRST.choose(rng).copied().unwrap_or("Anna"),
            last: LAST.choose(rng).copied().unwrap_or("Smith"),
            phone: format!("{}", rng.gen_range(2_000_000_000u64..9_999_999_999u64)),
            profile_id: guid(rng),
            etag: rng.gen(),
            company,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_and_markets() {
        assert_eq!(category_display_name("security"), Some("Security"));
        assert_eq!(
            category_display_name("ai-plus-machine-learning"),
            Some("AI + Machine Learning")
        );
        assert_eq!(category_display_name("nope"), None);
        assert!(MARKETS.len() >= 20);
        assert_eq!(market_index("gb").map(|i| MARKETS[i].symbol), Some("£"));
        assert_eq!(round_price(1234.567, 0), 1235.0);
    }
}
