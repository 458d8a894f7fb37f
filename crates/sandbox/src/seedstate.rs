//! The history a partner already has when the sandbox first starts: for every customer a few
//! marketplace SaaS subscriptions in every state (active, pending, suspended, deleted; monthly,
//! annual and trials; some still inside their cancellation window, most past it), each with
//! the order behind it. Ids come from the seed; dates are relative to the sandbox clock at
//! first start (and are then kept in the state file, if any).

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{guid, hash_chars, MARKETS};
use super::products::{Catalog, Kind, Term, F_PC};
use super::state::{Change, OrderLine, OrderRec};
use super::subscriptions::{add_months, new_sub, NewSub};

fn hours(rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(rng.gen_range(lo * 60..hi * 60))
}

/// Orders and subscriptions for all customers.
pub(crate) fn generate(cat: &Catalog, now: DateTime<Utc>) -> Vec<Change> {
    let mut rng = ChaCha8Rng::seed_from_u64(cat.seed ^ 0x005E_ED0F_5EED);
    let mut changes = Vec::new();
    if cat.products.is_empty() {
        return changes;
    }
    for cust in &cat.customers {
        let count = rng.gen_range(3..=8);
        for _ in 0..count {
            // A SaaS product sold in the customer's market that is always listed.
            let mut pick = None;
            for _ in 0..400 {
                let i = rng.gen_range(0..cat.products.len());
                let p = &cat.products[i];
                if p.kind == Kind::SaaS
                    && p.flags & F_PC != 0
                    && Catalog::sold_in(p, cust.market)
                    && cat.present(i, p, now.date_naive())
                {
                    pick = Some(p);
                    break;
                }
            }
            let Some(p) = pick else { continue };
            let skus = cat.skus(p);
            let sku = &skus[rng.gen_range(0..skus.len())];
            let r: f64 = rng.gen();
            let trial = sku.trial && rng.gen::<f64>() < 0.6;
            let term: Option<Term> = if trial {
                None
            } else {
                Some(sku.terms[rng.gen_range(0..sku.terms.len())])
            };
            let (status, age) = match r {
                r if r < 0.45 => ("active", hours(&mut rng, 20 * 24, 400 * 24)),
                r if r < 0.53 => ("active", hours(&mut rng, 1, 20)),
                r if r < 0.60 => ("active", hours(&mut rng, 2 * 24, 10 * 24)),
                r if r < 0.70 => ("pending", hours(&mut rng, 1, 20)),
                r if r < 0.78 => ("suspended", hours(&mut rng, 60 * 24, 300 * 24)),
                r if r < 0.90 => ("deleted", hours(&mut rng, 30 * 24, 400 * 24)),
                _ => ("active", hours(&mut rng, 24, 25 * 24)),
            };
            // A trial lasts a month: older ones ended (not converted) and are deleted.
            let (status, age) = match (trial, status) {
                (true, "pending") | (false, _) => (status, age),
                (true, _) if r < 0.6 => ("active", hours(&mut rng, 24, 25 * 24)),
                (true, _) => ("deleted", hours(&mut rng, 40 * 24, 330 * 24)),
            };
            let created = now - age;
            let hi = (sku.min_q + 20).min(sku.max_q);
            let quantity = rng.gen_range(sku.min_q..=hi.max(sku.min_q));
            let order_id = format!(
                "{}1",
                hash_chars(
                    rng.gen(),
                    32,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                )
            );
            let mut sub = new_sub(
                cat,
                NewSub {
                    id: guid(&mut rng),
                    customer: cust,
                    order_id: &order_id,
                    product: p,
                    sku,
                    market: cust.market,
                    term,
                    quantity,
                    friendly_name: None,
                    renews_to: trial.then(|| "P1Y".to_string()),
                    created,
                },
            );
            sub.etag = rng.gen::<u64>().to_string();
            if status != "pending" {
                let start = created + Duration::minutes(rng.gen_range(5..180));
                sub.activated = Some(start);
                sub.effective_start = start;
                sub.status = status.into();
                let months = term.map_or(1, Term::term_months);
                let mut end = add_months(start, months);
                while status == "active" && end < now && sub.auto_renew {
                    end = add_months(end, months);
                }
                sub.commitment_end = end - Duration::days(1);
                match status {
                    "suspended" => sub.ended = Some(start + hours(&mut rng, 24 * 20, 24 * 50)),
                    "deleted" if trial => sub.ended = Some(sub.cancel_until),
                    "deleted" => {
                        let window = (sub.cancel_until - created).num_minutes().max(61);
                        let at = created + Duration::minutes(rng.gen_range(60..window));
                        sub.ended = Some(at.max(start));
                        sub.auto_renew = false;
                    }
                    _ => {}
                }
            }
            let order = OrderRec {
                id: order_id,
                alternate_id: hash_chars(rng.gen(), 12, b"0123456789abcdef"),
                customer_id: cust.id.clone(),
                billing_cycle: sub.billing_cycle.clone(),
                currency: MARKETS[cust.market].currency.into(),
                symbol: MARKETS[cust.market].symbol.into(),
                country: MARKETS[cust.market].code.into(),
                created,
                lines: vec![OrderLine {
                    number: 0,
                    offer_id: format!("{}:{}:{}", p.id, sku.id, sub.availability_id),
                    product_id: p.id.clone(),
                    sku_id: sku.id.clone(),
                    availability_id: sub.availability_id.clone(),
                    term_duration: sub.term_duration.clone(),
                    friendly_name: sub.friendly_name.clone(),
                    quantity,
                    subscription_id: sub.id.clone(),
                    renews_to: sub.renewal_term.clone(),
                }],
            };
            changes.push(Change::Order(order));
            changes.push(Change::Sub(Box::new(sub)));
        }
    }
    changes
}
