//! Plan changes of marketplace SaaS subscriptions (issue 6, item 6).
//!
//! # What Partner Center offers, and where it was found
//!
//! * `GET /v1/customers/{customer_id}/subscriptions/{subscription_id}/upgrades` returns a
//!   `ResourceCollection<Upgrade>` ("Manage orders - Get upgrades for a subscription",
//!   learn.microsoft.com/rest/api/partner-center/manage-orders/get-upgrades-for-a-subscription).
//! * `POST` to the same path takes one `Upgrade` as the body and answers `200` with an
//!   `UpgradeResult` ("Manage orders - Perform a subscription upgrade", …/perform-a-subscription-upgrade).
//!   `MS-RequestId` is "used for idempotency of requests" on both.
//! * `Upgrade` = `{targetOffer: Offer, upgradeType: none|upgrade_only|upgrade_with_license_transfer,
//!   isEligible: bool, quantity: int ("defaults to the source subscription quantity"),
//!   upgradeErrors: [UpgradeError], attributes}`; `UpgradeError` = `{code, description,
//!   additionalDetails}` with `code` one of `other, delegated_admin_permissions_disabled,
//!   subscription_status_not_active, conflicting_service_types, concurrency_conflicts,
//!   user_context_required, subscription_add_ons_present,
//!   subscription_does_not_have_any_upgrade_paths, subscription_target_offer_not_found,
//!   subscription_not_provisioned`; `UpgradeResult` = `{sourceSubscriptionId,
//!   targetSubscriptionId, upgradeType, upgradeErrors, licenseErrors}` ("Upgrade resources",
//!   learn.microsoft.com/partner-center/developer/upgrade-resources; .NET SDK classes `Upgrade`,
//!   `UpgradeResult`, `UpgradeErrorCode`, which numbers the codes 0..9 in that order).
//! * The newer transitions API (not called by this version; documented for the next one):
//!   `GET …/subscriptions/{id}/transitioneligibilities?eligibilityType=immediate|scheduled`
//!   returns `ResourceCollection<TransitionEligibility>` = `{catalogItemId, title, description,
//!   quantity, eligibilities: [{isEligible, transitionType, errors: [{code, description}]}]}`;
//!   `POST …/subscriptions/{id}/transitions` takes `{fromCatalogItemId, toCatalogItemId,
//!   fromSubscriptionId, toSubscriptionId, quantity, termDuration, billingCycle, promotionId,
//!   transitionType: transition_only|transition_with_license_transfer}` and answers a
//!   `Transition` (learn.microsoft.com/partner-center/developer/transition-a-new-commerce-subscription,
//!   …/transition-resources, …/rest/api/partner-center/manage-orders/create-a-transition-for-a-subscription;
//!   `TransitionErrorCode` adds `offer_does_not_support_billing_cycle`, `conversions_not_found`,
//!   `user_license_error`). The shared reference (`partner-center-api.md` §7.1, Appendix A)
//!   only lists the paths.
//!
//! # The probe in front of it (reference §15)
//!
//! No Partner Center operation for changing the plan of a third-party SaaS subscription is
//! documented; `/upgrades` is documented for license-based offers only. So for a marketplace
//! subscription (`isMicrosoftProduct: false`) the plans are first probed with
//! `GET …/transitionEligibilities?eligibilityType=immediate`. Only when that call succeeds and
//! lists an eligible item does the flow below run. When it is refused or lists nothing, no plan
//! is offered: the choices say so in plain words and link to the subscription's page in the
//! Partner Center portal, and a change is refused before anything is sent. Seat changes on the
//! current plan are not affected. A plan change is never emulated by cancel and re-buy.
//!
//! # Assumptions where the docs are silent (NOT FOUND)
//!
//! * The upgrade resources page says it "applies only to traditional license-based services";
//!   nothing documents `/upgrades` for marketplace SaaS. We assume it lists the *other plans of
//!   the same product* (for SaaS a plan change keeps the subscription id), with `targetOffer.id`
//!   the target's catalog item id `product:sku:availability` as in `Subscription.offerId`, and
//!   `targetOffer.minimumQuantity`/`maximumQuantity` the plan's seat bounds.
//! * A publisher that blocks downgrades: we assume Partner Center *lists* the lower plan with
//!   `isEligible: false`, `upgradeType: none` and an `UpgradeError` (`code: other`) whose
//!   description gives the reason, since the `Upgrade` resource exists to say why a move cannot
//!   be made. If Partner Center instead omits a plan, it is still shown here as missing, with a
//!   reason in our words (from the product's SKU list in the catalog).
//! * A plan change "takes effect once approved" (the publisher acknowledges the SaaS
//!   `ChangePlan`): after the POST we read the subscription back; if its `offerId` is not the
//!   target yet the change is reported as waiting for approval, not as failed.
//! * Proration of upfront monthly/annual charges is Partner Center's: we only say so.
//! * A refusal of the POST itself comes back in the usual `{code, description}` error body,
//!   and an `UpgradeResult` with `upgradeErrors` is treated as a refusal too.
//! * When every answer to the POST is lost (its retries reuse one `MS-RequestId`), the
//!   subscription read back tells whether the change was made; only if not is the error shown.

use serde::Serialize;

use super::{plan_bounds, set_quantity_with, PlanBounds};
use crate::error::{Error, Result};
use crate::message::Message;
use crate::partner_center::models::{Sku, Subscription, Upgrade, UpgradeErrorCode, UpgradeResult};
use crate::partner_center::{api, paging, Client};

/// What a partner needs to know before a plan change, shown with the choices.
pub const PLAN_CHANGE_NOTES: [Message; 3] = [
    Message::PlanNoteAnyTime,
    Message::PlanNoteApproval,
    Message::PlanNoteProrated,
];

/// The plan a subscription is on now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CurrentPlan {
    /// `product:sku:availability`.
    pub offer_id: String,
    pub product_id: String,
    pub sku_id: String,
    /// The plan's (SKU's) title, e.g. `Premium`.
    pub title: String,
    pub offer_name: String,
    pub quantity: u32,
    /// Seat bounds of the plan, when the catalog gives them.
    pub minimum_quantity: Option<u32>,
    pub maximum_quantity: Option<u32>,
    pub status: String,
    pub billing_cycle: String,
    pub term_duration: String,
}

/// One plan the subscription may, or may not, move to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanOption {
    /// The target's catalog item id (`targetOffer.id`), empty for a plan Partner Center did
    /// not list.
    pub offer_id: String,
    pub product_id: String,
    pub sku_id: String,
    pub title: String,
    pub description: String,
    /// Partner Center's `isEligible`.
    pub is_eligible: bool,
    /// Whether Partner Center listed the plan at all.
    pub listed: bool,
    /// Partner Center's `upgradeType` (`none`, `upgrade_only`, …).
    pub upgrade_type: String,
    /// Why it cannot be chosen, in words (`None` when eligible).
    pub reason: Option<String>,
    /// `reason` as a code, when the reason is ours (Partner Center's own words have none).
    pub reason_message: Option<Message>,
    /// `upgradeErrors[].code`.
    pub error_codes: Vec<String>,
    pub minimum_quantity: Option<u32>,
    pub maximum_quantity: Option<u32>,
}

/// The plans a subscription can move to, and those it cannot with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanChoices {
    pub customer_id: String,
    pub subscription_id: String,
    pub current: CurrentPlan,
    /// Listed by Partner Center as eligible: the only targets offered.
    pub eligible: Vec<PlanOption>,
    /// Listed as not eligible, or not listed at all, each with its reason.
    pub unavailable: Vec<PlanOption>,
    /// Proration and approval notes to show with the choices.
    pub notes: Vec<String>,
    /// `notes` as codes, in the same order.
    pub note_messages: Vec<Message>,
    /// When Partner Center offers no plan change for this subscription: why, in plain words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub not_offered: Option<String>,
    /// `not_offered` as a code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub not_offered_message: Option<Message>,
    /// The subscription's page in the Partner Center portal, to change the plan there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub portal_link: Option<String>,
}

/// The subscription's page in the Partner Center portal.
/// ASSUMPTION: the portal's deep-link layout is not documented; this is the customer's
/// subscriptions page as the portal addresses it today.
pub fn portal_link(customer_id: &str, subscription_id: &str) -> String {
    format!(
        "https://partner.microsoft.com/dashboard/commerce2/customers/{customer_id}/subscriptions/{subscription_id}"
    )
}

/// What the eligibility probe found.
enum Probe {
    /// A Microsoft product: `/upgrades` is documented for it; no probe.
    NotNeeded,
    /// At least one eligible item: the plan change flow may run.
    Offered,
    /// Refused or nothing eligible: why.
    NotOffered(Message),
}

async fn probe(client: &Client, sub: &Subscription, customer_id: &str) -> Probe {
    if sub.is_microsoft_product {
        return Probe::NotNeeded;
    }
    let req = crate::partner_center::transitions::eligibilities(customer_id, &sub.id);
    match paging::collect_all(client, req).await {
        Ok(items) if items.iter().any(|i| i.any_eligible()) => Probe::Offered,
        Ok(_) => Probe::NotOffered(Message::PlanNoneListed),
        Err(e) => {
            tracing::info!(error = %e, "plan change eligibility refused");
            Probe::NotOffered(Message::PlanCheckRefused { why: e.to_string() })
        }
    }
}

/// A plan, as named in a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanRef {
    pub offer_id: String,
    pub sku_id: String,
    pub title: String,
}

/// The subscription as read back after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangedSubscription {
    pub id: String,
    pub offer_id: String,
    pub offer_name: String,
    pub friendly_name: String,
    pub quantity: u32,
    pub status: String,
    pub billing_cycle: String,
    pub term_duration: String,
    pub auto_renew_enabled: bool,
}

impl From<&Subscription> for ChangedSubscription {
    fn from(s: &Subscription) -> Self {
        ChangedSubscription {
            id: s.id.clone(),
            offer_id: s.offer_id.clone(),
            offer_name: s.offer_name.clone(),
            friendly_name: s.friendly_name.clone(),
            quantity: s.quantity,
            status: s.status.to_string(),
            billing_cycle: s.billing_cycle.to_string(),
            term_duration: s.term_duration.clone(),
            auto_renew_enabled: s.auto_renew_enabled,
        }
    }
}

/// The outcome of [`change_plan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanChange {
    pub customer_id: String,
    pub subscription_id: String,
    pub from: PlanRef,
    pub to: PlanRef,
    /// Whether a plan change was sent (false for a quantity change on the same plan).
    pub plan_changed: bool,
    /// The read-back subscription is on the target plan.
    pub applied: bool,
    /// Sent and accepted, but the subscription is not on the target yet: the publisher has
    /// still to approve it.
    pub pending_approval: bool,
    /// `UpgradeResult.upgradeType`, empty when no plan change was sent.
    pub upgrade_type: String,
    /// `UpgradeResult.targetSubscriptionId` (for SaaS the same subscription).
    pub target_subscription_id: String,
    /// The subscription as read back from Partner Center after the change.
    pub subscription: ChangedSubscription,
    /// One sentence for the user.
    pub message: String,
    /// `message` as a code.
    pub message_code: Message,
}

/// Words for an `UpgradeError` code that came without a description.
fn code_words(code: &UpgradeErrorCode) -> &'static str {
    match code {
        UpgradeErrorCode::DelegatedAdminPermissionsDisabled => {
            "the customer has removed the partner's administrative permissions"
        }
        UpgradeErrorCode::SubscriptionStatusNotActive => "the subscription is not active",
        UpgradeErrorCode::ConflictingServiceTypes => "the service types conflict",
        UpgradeErrorCode::ConcurrencyConflicts => {
            "another change to this subscription is in progress"
        }
        UpgradeErrorCode::UserContextRequired => "it needs a signed-in user (App+User)",
        UpgradeErrorCode::SubscriptionAddOnsPresent => "the subscription has add-ons",
        UpgradeErrorCode::SubscriptionDoesNotHaveAnyUpgradePaths => {
            "the subscription has no plan it can move to"
        }
        UpgradeErrorCode::SubscriptionTargetOfferNotFound => {
            "the plan is not one this subscription can move to"
        }
        UpgradeErrorCode::SubscriptionNotProvisioned => "the subscription is not provisioned yet",
        _ => "Partner Center gives no reason",
    }
}

fn reason_of(u: &Upgrade) -> String {
    let words: Vec<String> = u
        .upgrade_errors
        .iter()
        .map(|e| {
            let d = e.description.trim();
            let mut w = if d.is_empty() {
                code_words(&e.code).to_string()
            } else {
                d.trim_end_matches('.').to_string()
            };
            if let Some(extra) = e
                .additional_details
                .as_deref()
                .map(str::trim)
                .filter(|x| !x.is_empty())
            {
                w = format!("{w} ({})", extra.trim_end_matches('.'));
            }
            w
        })
        .collect();
    if words.is_empty() {
        "Partner Center lists it as not eligible and gives no reason".into()
    } else {
        let mut s = words.join(". ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s
    }
}

/// `1 seat`, `5 seats`.
pub fn seats(n: u32) -> String {
    crate::message::seats_of(n)
}

fn bound(n: u32) -> Option<u32> {
    (n > 0).then_some(n)
}

/// Everything both operations need: the subscription, the listed upgrades, the catalog SKUs.
struct Context {
    sub: Subscription,
    upgrades: Vec<Upgrade>,
    choices: PlanChoices,
}

async fn context(client: &Client, customer_id: &str, subscription_id: &str) -> Result<Context> {
    let sub = client
        .execute(&api::subscription(customer_id, subscription_id))
        .await?;
    let not_offered = match probe(client, &sub, customer_id).await {
        Probe::NotOffered(why) => Some(why),
        Probe::NotNeeded | Probe::Offered => None,
    };
    let upgrades = if not_offered.is_some() {
        vec![]
    } else {
        paging::collect_all(
            client,
            api::subscription_upgrades(customer_id, subscription_id),
        )
        .await?
    };
    let (p, s) = sub.product_and_sku();
    let (product_id, sku_id) = (
        p.unwrap_or_default().to_string(),
        s.unwrap_or_default().to_string(),
    );
    // The product's plans from the catalog: titles, bounds, and which plans were not listed.
    let skus: Vec<Sku> = if product_id.is_empty() {
        vec![]
    } else {
        let country = crate::customers::get(client, customer_id)
            .await?
            .billing_country()
            .unwrap_or("US")
            .to_string();
        paging::collect_all(client, api::skus(&product_id, &country))
            .await
            .unwrap_or_default()
    };
    let sku_of = |id: &str| skus.iter().find(|s| s.id.eq_ignore_ascii_case(id));
    let current_sku = sku_of(&sku_id);
    let current_title = current_sku
        .map(|s| s.title.clone())
        .unwrap_or_else(|| sub.offer_name.clone());
    let current = CurrentPlan {
        offer_id: sub.offer_id.clone(),
        product_id: product_id.clone(),
        sku_id: sku_id.clone(),
        title: current_title,
        offer_name: sub.offer_name.clone(),
        quantity: sub.quantity,
        minimum_quantity: current_sku.and_then(|s| bound(s.minimum_quantity)),
        maximum_quantity: current_sku.and_then(|s| bound(s.maximum_quantity)),
        status: sub.status.to_string(),
        billing_cycle: sub.billing_cycle.to_string(),
        term_duration: sub.term_duration.clone(),
    };
    let mut eligible = vec![];
    let mut unavailable = vec![];
    for u in &upgrades {
        let t = &u.target_offer;
        let (p, s) = t.product_and_sku();
        let (p, s) = (
            p.unwrap_or_default().to_string(),
            s.unwrap_or_default().to_string(),
        );
        let sku = sku_of(&s);
        let option = PlanOption {
            offer_id: t.id.clone(),
            product_id: p,
            sku_id: s,
            title: sku
                .map(|k| k.title.clone())
                .filter(|x| !x.is_empty())
                .unwrap_or_else(|| t.name.clone()),
            description: if t.description.is_empty() {
                sku.map(|k| k.description.clone()).unwrap_or_default()
            } else {
                t.description.clone()
            },
            is_eligible: u.is_eligible,
            listed: true,
            upgrade_type: u.upgrade_type.to_string(),
            reason: (!u.is_eligible).then(|| reason_of(u)),
            reason_message: None,
            error_codes: u
                .upgrade_errors
                .iter()
                .map(|e| e.code.to_string())
                .collect(),
            minimum_quantity: bound(t.minimum_quantity)
                .or_else(|| sku.and_then(|k| bound(k.minimum_quantity))),
            maximum_quantity: bound(t.maximum_quantity)
                .or_else(|| sku.and_then(|k| bound(k.maximum_quantity))),
        };
        if u.is_eligible {
            eligible.push(option);
        } else {
            unavailable.push(option);
        }
    }
    // Plans of the product Partner Center did not list at all.
    for k in &skus {
        if k.id.eq_ignore_ascii_case(&sku_id) {
            continue;
        }
        let listed = eligible
            .iter()
            .chain(&unavailable)
            .any(|o| o.sku_id.eq_ignore_ascii_case(&k.id));
        if listed {
            continue;
        }
        let reason = match &not_offered {
            Some(_) => Message::PlanPortalOnly {
                plan: k.title.clone(),
            },
            None => Message::PlanNotListed {
                plan: k.title.clone(),
                current: current.title.clone(),
            },
        };
        unavailable.push(PlanOption {
            offer_id: String::new(),
            product_id: product_id.clone(),
            sku_id: k.id.clone(),
            title: k.title.clone(),
            description: k.description.clone(),
            is_eligible: false,
            listed: false,
            upgrade_type: String::new(),
            reason: Some(reason.english()),
            reason_message: Some(reason),
            error_codes: vec![],
            minimum_quantity: bound(k.minimum_quantity),
            maximum_quantity: bound(k.maximum_quantity),
        });
    }
    let choices = PlanChoices {
        customer_id: customer_id.to_string(),
        subscription_id: sub.id.clone(),
        current,
        eligible,
        unavailable,
        notes: PLAN_CHANGE_NOTES.iter().map(Message::english).collect(),
        note_messages: PLAN_CHANGE_NOTES.to_vec(),
        portal_link: not_offered
            .as_ref()
            .map(|_| portal_link(customer_id, &sub.id)),
        not_offered: not_offered.as_ref().map(Message::english),
        not_offered_message: not_offered,
    };
    Ok(Context {
        sub,
        upgrades,
        choices,
    })
}

/// The plans a subscription may move to (only those Partner Center lists as eligible), and the
/// others of its product with the reason each cannot be chosen.
pub async fn plan_options(
    client: &Client,
    customer_id: &str,
    subscription_id: &str,
) -> Result<PlanChoices> {
    Ok(context(client, customer_id, subscription_id).await?.choices)
}

/// Whether `target` (a SKU id, an offer id `product:sku[:availability]`, or a plan title) names
/// this plan.
fn names(target: &str, offer_id: &str, product_id: &str, sku_id: &str, title: &str) -> bool {
    let t = target.trim();
    if t.is_empty() {
        return false;
    }
    if t.contains(':') {
        let mut parts = t.split(':');
        let (p, s, a) = (parts.next(), parts.next(), parts.next());
        return match a {
            Some(_) => !offer_id.is_empty() && t.eq_ignore_ascii_case(offer_id),
            None => {
                p.is_some_and(|p| p.eq_ignore_ascii_case(product_id))
                    && s.is_some_and(|s| s.eq_ignore_ascii_case(sku_id))
            }
        };
    }
    t.eq_ignore_ascii_case(sku_id) || (!title.is_empty() && t.eq_ignore_ascii_case(title))
}

fn list_of(options: &[PlanOption]) -> String {
    options
        .iter()
        .map(|o| format!("{} ({})", o.title, o.sku_id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Move a subscription to another plan (`target`: SKU id, offer id or plan title), optionally
/// with a new seat count, or, when `target` is the current plan, change only the seat count.
/// Refuses, before anything is sent, a target Partner Center does not list as eligible and a
/// quantity outside the target plan's bounds. Reads the subscription back afterwards.
pub async fn change_plan(
    client: &Client,
    customer_id: &str,
    subscription_id: &str,
    target: &str,
    quantity: Option<u32>,
) -> Result<PlanChange> {
    let Context {
        sub,
        upgrades,
        choices,
    } = context(client, customer_id, subscription_id).await?;
    let cur = &choices.current;
    let from = PlanRef {
        offer_id: cur.offer_id.clone(),
        sku_id: cur.sku_id.clone(),
        title: cur.title.clone(),
    };
    let choose_hint = || {
        Box::new(if choices.eligible.is_empty() {
            Message::PlanChoicesNone
        } else {
            Message::PlanChoices {
                plans: list_of(&choices.eligible),
            }
        })
    };

    if names(
        target,
        &cur.offer_id,
        &cur.product_id,
        &cur.sku_id,
        &cur.title,
    ) {
        let Some(q) = quantity else {
            return Err(Message::PlanAlreadyOn {
                subscription: sub.id.clone(),
                plan: cur.title.clone(),
                choices: choose_hint(),
            }
            .refused());
        };
        let s = set_quantity_with(client, customer_id, subscription_id, q).await?;
        let said = Message::PlanSeats {
            subscription: s.id.clone(),
            seats: s.quantity,
        };
        return Ok(PlanChange {
            customer_id: customer_id.to_string(),
            subscription_id: s.id.clone(),
            to: from.clone(),
            from,
            plan_changed: false,
            applied: s.quantity == q,
            pending_approval: false,
            upgrade_type: String::new(),
            target_subscription_id: s.id.clone(),
            message: said.english(),
            message_code: said,
            subscription: ChangedSubscription::from(&s),
        });
    }

    if let (Some(why), Some(link)) = (&choices.not_offered_message, &choices.portal_link) {
        return Err(Message::PlanPortalRefused {
            why: Box::new(why.clone()),
            link: link.clone(),
        }
        .refused());
    }
    let find = |list: &[PlanOption]| {
        list.iter()
            .find(|o| names(target, &o.offer_id, &o.product_id, &o.sku_id, &o.title))
            .cloned()
    };
    let option = match (find(&choices.eligible), find(&choices.unavailable)) {
        (Some(o), _) => o,
        (None, Some(o)) => {
            return Err(Message::PlanIneligible {
                subscription: sub.id.clone(),
                from: cur.title.clone(),
                to: o.title.clone(),
                why: Box::new(match &o.reason {
                    Some(text) => Message::Verbatim { text: text.clone() },
                    None => Message::PlanNotEligible,
                }),
                choices: choose_hint(),
            }
            .refused())
        }
        (None, None) => {
            return Err(Message::PlanUnknownTarget {
                target: target.to_string(),
                offer: cur.offer_name.clone(),
                choices: choose_hint(),
            }
            .refused())
        }
    };
    let q = quantity.unwrap_or(sub.quantity);
    if let (Some(min), Some(max)) = (option.minimum_quantity, option.maximum_quantity) {
        PlanBounds::new(&option.title, min, max).check(q)?;
    } else if let Some(b) =
        plan_bounds(client, customer_id, &option.product_id, &option.sku_id).await?
    {
        b.check(q)?;
    }
    let Some(mut upgrade) = upgrades
        .into_iter()
        .find(|u| u.is_eligible && u.target_offer.id == option.offer_id)
    else {
        return Err(Message::PlanVanished {
            plan: option.title.clone(),
        }
        .into());
    };
    upgrade.quantity = q;
    // Retries of the POST reuse one MS-RequestId, so Partner Center applies it at most once.
    let result = match client
        .execute(&api::upgrade_subscription(
            customer_id,
            subscription_id,
            &upgrade,
        )?)
        .await
    {
        Ok(r) => r,
        // Every answer was lost: the change may have been made. The subscription says.
        Err(e @ Error::Network { .. }) => {
            let now = client
                .execute(&api::subscription(customer_id, subscription_id))
                .await?;
            if now.product_and_sku().1 != Some(option.sku_id.as_str()) {
                return Err(e);
            }
            let mut done = UpgradeResult::default();
            done.source_subscription_id = subscription_id.to_string();
            done.target_subscription_id = subscription_id.to_string();
            done.upgrade_type = upgrade.upgrade_type.clone();
            done
        }
        Err(e) => return Err(e),
    };
    if !result.upgrade_errors.is_empty() {
        let mut refused = Upgrade::default();
        refused.upgrade_errors = result.upgrade_errors.clone();
        let words = reason_of(&refused);
        return Err(Message::PlanChangeRefused {
            subscription: sub.id.clone(),
            plan: option.title.clone(),
            why: words,
        }
        .refused());
    }
    let target_id = if result.target_subscription_id.is_empty() {
        subscription_id.to_string()
    } else {
        result.target_subscription_id.clone()
    };
    let after = client
        .execute(&api::subscription(customer_id, &target_id))
        .await?;
    let (_, after_sku) = after.product_and_sku();
    let applied = after_sku.is_some_and(|s| s.eq_ignore_ascii_case(&option.sku_id));
    let said = if applied {
        Message::PlanMoved {
            subscription: after.id.clone(),
            from: from.title.clone(),
            to: option.title.clone(),
            seats: after.quantity,
        }
    } else {
        Message::PlanPending {
            subscription: after.id.clone(),
            from: from.title.clone(),
            to: option.title.clone(),
        }
    };
    Ok(PlanChange {
        customer_id: customer_id.to_string(),
        subscription_id: subscription_id.to_string(),
        from,
        to: PlanRef {
            offer_id: option.offer_id.clone(),
            sku_id: option.sku_id.clone(),
            title: option.title.clone(),
        },
        plan_changed: true,
        applied,
        pending_approval: !applied,
        upgrade_type: result.upgrade_type.to_string(),
        target_subscription_id: target_id,
        subscription: ChangedSubscription::from(&after),
        message: said.english(),
        message_code: said,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner_center::json::decode;
    use crate::partner_center::models::Collection;

    #[test]
    fn targets_are_named_by_sku_offer_or_title() {
        let offer = "DZH318Z0ABCD:0002:DZH318Z0WXYZ";
        assert!(names("0002", offer, "DZH318Z0ABCD", "0002", "Premium"));
        assert!(names(offer, offer, "DZH318Z0ABCD", "0002", "Premium"));
        assert!(names(
            "dzh318z0abcd:0002",
            offer,
            "DZH318Z0ABCD",
            "0002",
            "Premium"
        ));
        assert!(names("premium", offer, "DZH318Z0ABCD", "0002", "Premium"));
        assert!(!names("0001", offer, "DZH318Z0ABCD", "0002", "Premium"));
        assert!(!names(
            "DZH318Z0ABCD:0002:OTHER",
            offer,
            "DZH318Z0ABCD",
            "0002",
            "Premium"
        ));
        assert!(!names("", offer, "DZH318Z0ABCD", "0002", "Premium"));
    }

    #[test]
    fn upgrades_read_tolerantly_with_reasons_in_words() {
        let c: Collection<Upgrade> = decode(
            br#"{"totalCount":2,"items":[
              {"targetOffer":{"id":"P:0003:A","name":"Premium","minimumQuantity":1,"maximumQuantity":100,"isAddOn":false},
               "upgradeType":"upgrade_only","isEligible":true,"quantity":5,"upgradeErrors":[]},
              {"TargetOffer":{"Id":"P:0001:A","Name":"Basic"},"UpgradeType":"none","IsEligible":false,
               "UpgradeErrors":[{"Code":8,"Description":""},{"code":"other","description":"The publisher does not allow downgrades from Standard to Basic."}]}
            ]}"#,
            "upgrades",
        )
        .unwrap();
        assert_eq!(c.items.len(), 2);
        let blocked = &c.items[1];
        assert!(!blocked.is_eligible);
        assert_eq!(
            blocked.upgrade_errors[0].code,
            UpgradeErrorCode::SubscriptionTargetOfferNotFound
        );
        assert_eq!(
            reason_of(blocked),
            "The plan is not one this subscription can move to. The publisher does not allow downgrades from Standard to Basic"
        );
        // Unmodelled offer fields survive for the POST body.
        let body = serde_json::to_value(&c.items[0]).unwrap();
        assert_eq!(body["targetOffer"]["isAddOn"], false);
        assert_eq!(body["upgradeType"], "upgrade_only");
    }
}
