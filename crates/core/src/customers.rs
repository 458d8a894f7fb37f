//! Customers: list and search (company name, domain or tenant id), and one customer with the
//! billing country from its billing profile.

use futures::TryStreamExt;

use crate::error::Result;
use crate::partner_center::models::Customer;
use crate::partner_center::{api, paging, Client};

/// Page size used when listing customers.
pub const PAGE_SIZE: u32 = 100;

/// Whether `c` matches a search over company name, domain and tenant id (any case, substring).
pub fn matches(c: &Customer, search: &str) -> bool {
    let s = search.trim().to_lowercase();
    if s.is_empty() {
        return true;
    }
    [
        &c.company_profile.company_name,
        &c.company_profile.domain,
        &c.company_profile.tenant_id,
        &c.id,
    ]
    .iter()
    .any(|f| f.to_lowercase().contains(&s))
}

/// Every customer (all pages), filtered by `search`.
pub async fn list(client: &Client, search: Option<&str>) -> Result<Vec<Customer>> {
    let all: Vec<Customer> = paging::items(client.clone(), api::customers(PAGE_SIZE, None))
        .try_collect()
        .await?;
    Ok(match search {
        Some(s) => all.into_iter().filter(|c| matches(c, s)).collect(),
        None => all,
    })
}

/// One customer with its billing profile.
pub async fn get(client: &Client, id: &str) -> Result<Customer> {
    let mut customer = client.execute(&api::customer(id)).await?;
    if customer.billing_profile.is_none() {
        customer.billing_profile = Some(client.execute(&api::billing_profile(id)).await?);
    }
    Ok(customer)
}

/// Where to email the customer (an activation link, an order confirmation): the billing
/// contact's email, else the company's; only something that looks like an address.
pub fn contact_email(c: &Customer) -> Option<String> {
    c.billing_profile
        .as_ref()
        .and_then(|b| b.email.clone())
        .filter(|e| e.contains('@'))
        .or_else(|| c.company_profile.email.clone())
        .filter(|e| e.contains('@') && !e.trim().is_empty())
}
