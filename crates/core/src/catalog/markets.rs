//! The markets a partner sells in: their codes, names and currencies, and what counts as a
//! market code. The app's market picker, the price list and the CLI all read them here.

use serde::Serialize;

use crate::error::Result;
use crate::message::Message;

/// A market the partner can sell in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Market {
    /// ISO 3166 alpha-2, upper case.
    pub code: String,
    pub name: String,
    pub currency: String,
}

const MARKETS: &[(&str, &str, &str)] = &[
    ("US", "United States", "USD"),
    ("GB", "United Kingdom", "GBP"),
    ("DE", "Germany", "EUR"),
    ("FR", "France", "EUR"),
    ("NL", "Netherlands", "EUR"),
    ("IT", "Italy", "EUR"),
    ("ES", "Spain", "EUR"),
    ("IE", "Ireland", "EUR"),
    ("SE", "Sweden", "SEK"),
    ("NO", "Norway", "NOK"),
    ("DK", "Denmark", "DKK"),
    ("CH", "Switzerland", "CHF"),
    ("PL", "Poland", "PLN"),
    ("JP", "Japan", "JPY"),
    ("AU", "Australia", "AUD"),
    ("NZ", "New Zealand", "NZD"),
    ("CA", "Canada", "CAD"),
    ("BR", "Brazil", "BRL"),
    ("IN", "India", "INR"),
    ("SG", "Singapore", "SGD"),
    ("ZA", "South Africa", "ZAR"),
    ("MX", "Mexico", "MXN"),
    ("AT", "Austria", "EUR"),
    ("BE", "Belgium", "EUR"),
    ("FI", "Finland", "EUR"),
];

/// Every market, in the order the market picker lists them.
pub fn all() -> Vec<Market> {
    MARKETS
        .iter()
        .map(|(code, name, currency)| Market {
            code: (*code).into(),
            name: (*name).into(),
            currency: (*currency).into(),
        })
        .collect()
}

/// The currency of `market` (upper case), when it is one of ours.
pub fn currency_of(market: &str) -> Option<&'static str> {
    MARKETS
        .iter()
        .find(|(code, _, _)| code.eq_ignore_ascii_case(market.trim()))
        .map(|(_, _, currency)| *currency)
}

/// A market code as typed: two letters, any case, trimmed; returned upper case.
pub fn market_code(market: &str) -> Result<String> {
    let m = market.trim().to_ascii_uppercase();
    if m.len() == 2 && m.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(m)
    } else {
        Err(Message::MarketNotCode {
            value: market.into(),
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn market_codes_are_two_letters() {
        assert_eq!(market_code(" gb ").unwrap(), "GB");
        assert!(matches!(
            market_code("usa"),
            Err(crate::error::Error::Said { .. })
        ));
        assert_eq!(currency_of("jp"), Some("JPY"));
        assert!(all().iter().all(|m| market_code(&m.code).is_ok()));
    }
}
