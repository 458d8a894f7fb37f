// The buy flow, a modal (buying spends money, so it is the one thing allowed to block the window):
// 1 customer (opened from an offer; the availability in their billing country is checked here)
//   or offer (opened from a customer), 2 plan / term / billing / quantity, 3 review (price from
// the price list, cancellation window), Place order, 4 confirmation with the activation link.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useReducer, useRef, useState } from "react";

import * as api from "../api";
import type { CustomerRow } from "../bindings/CustomerRow";
import type { OrderConfirmation } from "../bindings/OrderConfirmation";
import type { OrderReview } from "../bindings/OrderReview";
import type { PlanChoice } from "../bindings/PlanChoice";
import type { PurchaseOptions } from "../bindings/PurchaseOptions";
import type { TermChoice } from "../bindings/TermChoice";
import { dateTime } from "../format";
import { money } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { ExternalLink } from "../shell/ExternalLink";
import type { Navigate } from "../shell/nav";
import { composing } from "../shell/SearchField";
import { useDialog } from "../shell/useDialog";
import { useDebounced } from "../shell/useDebounced";
import { type BuyCustomer, type BuyOffer, type PlanStep, buyStep, copyText, durationLabel, isHttps, mailtoFor, planStepError, termKey, termLabel, timeLeft } from "./buy";

export type { BuyOffer } from "./buy";
import "./orders.css";

interface Props {
  /** The market the offer was found in (for its publisher contacts). */
  market: string;
  /** Given when opened from an offer: the first step picks the customer. */
  offer?: BuyOffer;
  /** Given when opened from a customer: the first step picks the offer. */
  customer?: BuyCustomer;
  onClose: () => void;
  navigate: Navigate;
}

const STEP_NAMES = (fromCustomer: boolean) => [fromCustomer ? "Offer" : "Customer", "Plan", "Review", "Confirmation"];

export function BuyFlow({ market, offer: initialOffer, customer: initialCustomer, onClose, navigate }: Props) {
  const fromCustomer = !initialOffer;
  const [s, dispatch] = useReducer(buyStep, { step: 1, offer: initialOffer ?? null, customer: initialCustomer ?? null, notSold: null });
  const { step, offer, customer } = s;
  const dialogRef = useRef<HTMLDivElement | null>(null);

  // Check the availability for a customer + offer: not sold there, or on to the plan step.
  const check = useMutation({
    mutationFn: ({ c, o }: { c: BuyCustomer; o: BuyOffer }) => api.purchaseOptions(c.id, o.productId, market, o.key),
    onSuccess: (options) => dispatch({ type: "options", options }),
  });
  const review = useMutation({
    mutationFn: (p: Required<PlanStep> & { c: BuyCustomer; o: BuyOffer }) =>
      api.reviewOrder({
        customerId: p.c.id,
        productId: p.o.productId,
        skuId: p.plan!.skuId,
        availabilityId: p.plan!.availabilityId,
        quantity: Number(p.quantity),
        termDuration: p.term!.trial ? null : p.term!.termDuration,
        billingCycle: p.term!.trial ? null : p.term!.billingCycle,
        trial: p.term!.trial,
      }),
    onSuccess: (r) => dispatch({ type: "reviewed", review: r }),
  });
  const place = useMutation({ mutationFn: api.placeOrder, onSuccess: (c) => dispatch({ type: "placed", confirmation: c }) });
  const placing = place.isPending;
  const failed = check.error
    ? { what: `${check.variables?.o.title} cannot be bought for ${check.variables?.c.name}`, err: check.error, reset: check.reset }
    : review.error
      ? { what: "The order did not pass the review", err: review.error, reset: review.reset }
      : place.error && { what: "The order was not confirmed", err: place.error, reset: place.reset };

  // Esc closes, except while an order is being placed.
  useDialog(dialogRef, { Escape: () => void (placing || onClose()) });

  useEffect(() => {
    dialogRef.current?.focus();
  }, [step]);

  const pickCustomer = (c: CustomerRow) => {
    const picked = { id: c.id, name: c.companyName };
    dispatch({ type: "customer", customer: picked });
    if (offer) check.mutate({ c: picked, o: offer });
  };
  const pickOffer = (o: BuyOffer) => {
    dispatch({ type: "offer", offer: o });
    if (customer) check.mutate({ c: customer, o });
  };
  const checking = check.isPending && check.variables ? check.variables.c.id + check.variables.o.productId : null;

  const planError = s.step === 2 ? planStepError(s) : null;
  const toReview = () => {
    if (s.step !== 2 || !customer || !offer || planError) return;
    review.mutate({ plan: s.plan, term: s.term, quantity: s.quantity, c: customer, o: offer });
  };
  // A second click while the first is in flight does nothing (and the core refuses it too).
  const placeOrder = () => s.step === 3 && !place.isPending && place.mutate(s.review.reviewId);
  const options = s.step === 1 ? s.notSold : null;

  const names = STEP_NAMES(fromCustomer);
  const title = offer ? `Buy ${offer.title}` : `Buy for ${customer?.name ?? "a customer"}`;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !placing && step !== 4 && onClose()}>
      <div className="modal buy-flow" role="dialog" aria-modal="true" aria-labelledby="buy-title" id="buy-flow" ref={dialogRef} tabIndex={-1}>
        <div className="modal-head">
          <div>
            <h2 id="buy-title">{title}</h2>
            <div className="muted">
              {offer ? offer.publisherName : "Pick a SaaS offer"}
              {customer && step > 1 && <> · for {customer.name}</>}
            </div>
          </div>
          <button type="button" className="ghost close" onClick={onClose} disabled={placing} aria-label="Close (Esc)" title="Close (Esc)">
            ✕
          </button>
        </div>
        <ol className="steps" aria-label="Steps">
          {names.map((n, i) => (
            <li key={n} className={i + 1 === step ? "on" : i + 1 < step ? "done" : ""} aria-current={i + 1 === step ? "step" : undefined}>
              <span className="step-no">{i + 1 < step ? "✓" : i + 1}</span> {n}
            </li>
          ))}
        </ol>
        {failed && <ErrorBanner error={failed.err} what={failed.what} onDismiss={failed.reset} />}
        <div className="modal-body">
          {step === 1 && options?.notSold && (
            <div className="not-sold" id="not-sold" role="alert">
              <strong>Not sold in {options.notSold.country}.</strong> {options.notSold.message}.
              {options.notSold.contacts ? (
                <dl className="contacts">
                  <dt>Publisher</dt>
                  <dd>{options.notSold.contacts.name}</dd>
                  {options.notSold.contacts.supportUri && (
                    <>
                      <dt>Support</dt>
                      <dd>
                        <ExternalLink uri={options.notSold.contacts.supportUri}>{options.notSold.contacts.supportUri}</ExternalLink>
                      </dd>
                    </>
                  )}
                  {options.notSold.contacts.email && (
                    <>
                      <dt>Email</dt>
                      <dd>
                        <ExternalLink uri={`mailto:${options.notSold.contacts.email}`}>{options.notSold.contacts.email}</ExternalLink>
                      </dd>
                    </>
                  )}
                  {options.notSold.contacts.phone && (
                    <>
                      <dt>Phone</dt>
                      <dd>{options.notSold.contacts.phone}</dd>
                    </>
                  )}
                </dl>
              ) : (
                <div className="muted">Ask {options.publisherName || "the publisher"} whether they can sell there; their contacts are in the offer's detail.</div>
              )}
              <div className="muted">Pick another {fromCustomer ? "offer" : "customer"}, or ask the publisher.</div>
            </div>
          )}
          {step === 1 && !fromCustomer && (
            <CustomerStep
              checking={checking}
              selected={customer?.id ?? null}
              onPick={pickCustomer}
            />
          )}
          {step === 1 && fromCustomer && customer && (
            <OfferStep market={market} checking={checking} selected={offer?.productId ?? null} onPick={pickOffer} />
          )}
          {s.step === 2 && (
            <PlanStep
              options={s.options}
              plan={s.plan}
              term={s.term}
              quantity={s.quantity}
              error={planError}
              onPlan={(plan) => dispatch({ type: "plan", plan })}
              onTerm={(term) => dispatch({ type: "term", term })}
              onQuantity={(quantity) => dispatch({ type: "quantity", quantity })}
            />
          )}
          {s.step === 3 && <ReviewStep review={s.review} />}
          {s.step === 4 && <Confirmation c={s.confirmation} />}
        </div>
        <div className="modal-foot">
          {step === 2 && (
            <>
              <button type="button" onClick={() => dispatch({ type: "back" })}>
                Back
              </button>
              <span className="spacer" />
              <button type="button" className="primary" id="buy-review" disabled={planError !== null || review.isPending} onClick={toReview} title={planError ?? ""}>
                {review.isPending ? "Checking…" : "Review order"}
              </button>
            </>
          )}
          {s.step === 3 && (
            <>
              <button type="button" onClick={() => dispatch({ type: "back" })} disabled={placing}>
                Back
              </button>
              <span className="spacer" />
              {placing && (
                <span className="progress-note" role="status">
                  <span className="spinner" aria-hidden="true" /> Placing the order with Partner Center…
                </span>
              )}
              <button type="button" className="primary" id="buy-place" disabled={placing} aria-busy={placing} onClick={placeOrder}>
                {placing ? "Placing…" : s.review.price ? `Place order · ${money(s.review.price.total, s.review.price.currency)}` : "Place order"}
              </button>
            </>
          )}
          {s.step === 4 && (
            <>
              <button
                type="button"
                id="buy-show-orders"
                onClick={() => {
                  onClose();
                  navigate({ view: "orders", customerId: s.confirmation.customerId });
                }}
              >
                Show in Orders
              </button>
              <span className="spacer" />
              <button type="button" className="primary" onClick={onClose} id="buy-done">
                Done
              </button>
            </>
          )}
          {step === 1 && (
            <>
              <span className="muted small">{fromCustomer ? "Only SaaS offers can be bought through Partner Center." : "The offer's availability is checked in the customer's billing country."}</span>
              <span className="spacer" />
              <button type="button" onClick={onClose}>
                Cancel
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

/** A searchable list that picks on click or Enter; arrows move. */
function PickList<T>({
  items,
  keyOf,
  render,
  onPick,
  selected,
  busyKey,
  placeholder,
  search,
  onSearch,
  loading,
  empty,
  id,
}: {
  items: T[];
  keyOf: (t: T) => string;
  render: (t: T) => React.ReactNode;
  onPick: (t: T) => void;
  selected: string | null;
  busyKey: string | null;
  placeholder: string;
  search: string;
  onSearch: (s: string) => void;
  loading: boolean;
  empty: string;
  id: string;
}) {
  // The first item is highlighted again whenever the items change.
  const [highlighted, setHighlighted] = useState({ items, index: 0 });
  const hl = highlighted.items === items ? highlighted.index : 0;
  const setHl = (index: number) => setHighlighted({ items, index });
  const onKey = (e: React.KeyboardEvent) => {
    if (composing(e)) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setHl(Math.min(items.length - 1, hl + 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setHl(Math.max(0, hl - 1));
    } else if (e.key === "Enter" && items[hl]) {
      e.preventDefault();
      onPick(items[hl]);
    }
  };
  return (
    <div className="pick">
      <input type="search" autoFocus className="pick-search" placeholder={placeholder} aria-label={placeholder} value={search} onChange={(e) => onSearch(e.target.value)} onKeyDown={onKey} aria-controls={id} />
      {items.length === 0 && (
        <p className="muted pick-empty" role="status">
          {loading ? "Loading…" : empty}
        </p>
      )}
      {/* Focusable (a long list scrolls), with the same keys as the field. */}
      <ul className="pick-list" id={id} role="listbox" aria-label={placeholder} hidden={items.length === 0} tabIndex={0} onKeyDown={onKey}>
        {items.map((t, i) => {
          const k = keyOf(t);
          return (
            <li
              key={k}
              role="option"
              aria-selected={selected === k}
              data-key={k}
              className={`pick-item${i === hl ? " hl" : ""}${selected === k ? " selected" : ""}`}
              onMouseEnter={() => setHl(i)}
              onClick={() => onPick(t)}
            >
              {render(t)}
              {busyKey === k && (
                <span className="pick-busy">
                  <span className="spinner" aria-hidden="true" /> checking availability…
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

const NONE: never[] = [];

function CustomerStep({ checking, selected, onPick }: { checking: string | null; selected: string | null; onPick: (c: CustomerRow) => void }) {
  const [search, setSearch] = useState("");
  const asked = useDebounced(search, 120);
  const found = useQuery({ queryKey: ["customers", asked, 0], queryFn: () => api.customers(asked), placeholderData: keepPreviousData });
  const rows = found.data ?? NONE;
  const { isPending: loading, error } = found;
  return (
    <>
      {error && <ErrorBanner error={error} what="The customers could not be listed" />}
      <PickList
        id="buy-customers"
        items={rows}
        keyOf={(c) => c.id}
        render={(c) => (
          <span className="pick-main">
            <strong>{c.companyName}</strong> <span className="muted">{c.domain}</span>
          </span>
        )}
        onPick={onPick}
        selected={selected}
        busyKey={checking ? (rows.find((r) => checking.startsWith(r.id))?.id ?? null) : null}
        placeholder="Search customers by company name, domain or tenant id"
        search={search}
        onSearch={setSearch}
        loading={loading}
        empty="No customer matches."
      />
    </>
  );
}

function OfferStep({ market, checking, selected, onPick }: { market: string; checking: string | null; selected: string | null; onPick: (o: BuyOffer) => void }) {
  const [search, setSearch] = useState("");
  const asked = useDebounced(search, 120);
  const found = useQuery({
    queryKey: ["buy-offers", market, asked],
    queryFn: async () => {
      const filter = { types: ["saas" as const], categories: [], publisher: { kind: "any" as const }, trialOnly: false, search: asked };
      const w = await api.queryOffers(market, { filter, sort: "title", descending: false, offset: 0, limit: 40 });
      return w.rows.filter((r) => r.purchasable && r.productId);
    },
    placeholderData: keepPreviousData,
  });
  const rows = found.data ?? NONE;
  const { isPending: loading, error } = found;
  return (
    <>
      {error && <ErrorBanner error={error} what={`The SaaS offers of ${market} could not be listed`} />}
      <PickList
        id="buy-offers"
        items={rows}
        keyOf={(o) => o.productId ?? o.key}
        render={(o) => (
          <span className="pick-main">
            <strong>{o.title}</strong> <span className="muted">{o.publisherName}</span>
            {o.freeTrial && <span className="pill trial">Free trial</span>}
          </span>
        )}
        onPick={(o) => onPick({ key: o.key, productId: o.productId ?? "", title: o.title, publisherName: o.publisherName })}
        selected={selected}
        busyKey={checking ? (rows.find((r) => r.productId && checking.endsWith(r.productId))?.productId ?? null) : null}
        placeholder={`Search SaaS offers sold in ${market}`}
        search={search}
        onSearch={setSearch}
        loading={loading}
        empty="No SaaS offer matches."
      />
    </>
  );
}

function PlanStep({
  options,
  plan,
  term,
  quantity,
  error,
  onPlan,
  onTerm,
  onQuantity,
}: {
  options: PurchaseOptions;
  plan: PlanChoice | null;
  term: TermChoice | null;
  quantity: string;
  error: string | null;
  onPlan: (p: PlanChoice) => void;
  onTerm: (t: TermChoice) => void;
  onQuantity: (q: string) => void;
}) {
  return (
    <div className="plan-step">
      <p className="muted">
        Sold in {options.country} (billing country of {options.customerName}). Only the terms this plan's availability lists are offered.
      </p>
      <fieldset>
        <legend>Plan</legend>
        {options.plans.map((p) => (
          <label key={p.skuId} className={plan?.skuId === p.skuId ? "choice on" : "choice"}>
            <input type="radio" name="plan" checked={plan?.skuId === p.skuId} onChange={() => onPlan(p)} />
            <span>
              <strong>{p.title}</strong>
              {p.terms.some((t) => t.trial) && <span className="pill trial">Free trial</span>}
              <span className="muted small">
                {" "}
                · {p.minimumQuantity === p.maximumQuantity ? `quantity ${p.minimumQuantity}` : `quantity ${p.minimumQuantity}–${p.maximumQuantity}`}
              </span>
              {p.description && <div className="muted small choice-desc">{p.description}</div>}
            </span>
          </label>
        ))}
      </fieldset>
      {plan && (
        <div className="plan-row">
          <fieldset>
            <legend>Term and billing</legend>
            {plan.terms.map((t) => (
              <label key={termKey(t)} className={term && termKey(term) === termKey(t) ? "choice on" : "choice"}>
                <input type="radio" name="term" checked={term !== null && termKey(term) === termKey(t)} onChange={() => onTerm(t)} />
                <span>
                  {termLabel(t)}
                  <div className="muted small">Cancel with a refund: {t.cancellation.text}</div>
                </span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Quantity</legend>
            <input
              id="buy-quantity"
              type="number"
              min={plan.minimumQuantity}
              max={plan.maximumQuantity}
              value={quantity}
              onChange={(e) => onQuantity(e.target.value)}
              aria-invalid={error !== null && error.includes("quantity") ? true : undefined}
            />
            <div className="muted small">
              {plan.minimumQuantity} to {plan.maximumQuantity}
            </div>
          </fieldset>
        </div>
      )}
      {error && <div className="inline-error step-error">{error}</div>}
    </div>
  );
}

function ReviewStep({ review: r }: { review: OrderReview }) {
  return (
    <div className="review" id="buy-review-step">
      <table className="kv">
        <tbody>
          <tr>
            <th>Customer</th>
            <td>
              {r.customerName} <span className="muted">· billing country {r.country}</span>
            </td>
          </tr>
          <tr>
            <th>Offer</th>
            <td>
              {r.productTitle} <span className="muted">· {r.publisherName}</span>
            </td>
          </tr>
          <tr>
            <th>Plan</th>
            <td>{r.plan}</td>
          </tr>
          <tr>
            <th>Term</th>
            <td>{termLabel(r.chosen)}</td>
          </tr>
          <tr>
            <th>Quantity</th>
            <td className="num">{r.quantity}</td>
          </tr>
          <tr>
            <th>Price</th>
            <td id="review-price">
              {r.price ? (
                <>
                  <strong className="num">{money(r.price.total, r.price.currency)}</strong>
                  <span className="muted">
                    {" "}
                    ({r.quantity} × {money(r.price.unitPrice, r.price.currency)} per {r.chosen.billingCycle === "annual" ? "year" : r.chosen.trial ? "trial" : "month"}) · from the {r.price.source}
                  </span>
                </>
              ) : (
                <span className="muted">Not in the price list; Partner Center prices it at checkout.</span>
              )}
            </td>
          </tr>
          <tr>
            <th>Cancellation</th>
            <td id="review-cancellation">
              Can be cancelled with a refund {r.chosen.trial ? "" : "within "}
              <strong>{r.chosen.cancellation.text}</strong>
              <span className="muted"> ({r.chosen.cancellation.source === "availability" ? "the offer's own policy" : "the marketplace default"})</span>
            </td>
          </tr>
          {r.termsOfUseUri && (
            <tr>
              <th>Terms</th>
              <td>
                Placing the order accepts the publisher's <ExternalLink uri={r.termsOfUseUri}>terms of use</ExternalLink>.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="muted small">Nothing has been ordered yet. Placing the order creates a cart and checks it out in Partner Center, once.</p>
    </div>
  );
}

function Confirmation({ c }: { c: OrderConfirmation }) {
  // Poll for the publisher's link for up to 2 minutes; each call waits with backoff on the Rust side.
  const [since, setSince] = useState(() => Date.now());
  const poll = useQuery({
    queryKey: ["order-activation", c.customerId, c.orderId, since],
    queryFn: () => api.orderActivationLink(c.customerId, c.orderId, 15),
    enabled: c.activationLink === null,
    refetchInterval: (q) => (q.state.data || q.state.error || Date.now() - since >= 120_000 ? false : 10),
  });
  const link = c.activationLink ?? poll.data ?? null;
  const pollError = poll.error;
  const polling = !pollError && (poll.isFetching || poll.dataUpdatedAt - since < 120_000);
  const [copied, setCopied] = useState<string | null>(null);
  const open = useMutation({ mutationFn: api.openLink });

  const deadline = c.cancellationAllowedUntil ? dateTime(c.cancellationAllowedUntil) : null;
  return (
    <div className="confirmation" id="buy-confirmation">
      <div className="confirm-head">
        <span className="confirm-tick" aria-hidden="true">
          ✓
        </span>
        <div>
          <strong>Order placed for {c.customerName}.</strong>
          <div className="muted">
            Order <code id="confirm-order-id">{c.orderId}</code> · status <span className="pill warn" id="confirm-status">{c.status}</span> until the customer activates it with the publisher.
          </div>
        </div>
      </div>

      <section className="activation" aria-live="polite">
        <h3>Activation link</h3>
        {link ? (
          <>
            <div className="link-box">
              <code id="activation-link" title={link.uri}>
                {link.uri}
              </code>
            </div>
            <div className="link-actions">
              <button
                type="button"
                id="link-copy"
                onClick={() => void copyText(link.uri).then((ok) => setCopied(ok ? "Copied" : "Copy failed: select the link and press Ctrl+C"))}
              >
                Copy
              </button>
              <button
                type="button"
                id="link-open"
                disabled={!isHttps(link.uri)}
                title={isHttps(link.uri) ? "Open the publisher's page in the browser" : "Only https links are opened"}
                onClick={() => open.mutate(link.uri)}
              >
                Open
              </button>
              <button
                type="button"
                id="link-email"
                onClick={() => open.mutate(mailtoFor(c, link.uri, deadline))}
                title={c.customerEmail ? `Compose an email to ${c.customerEmail}` : "Compose an email (the customer has no email in the billing profile)"}
              >
                Email to customer
              </button>
              {copied && <span className="muted small">{copied}</span>}
              {!isHttps(link.uri) && <span className="muted small">Only https links open in the browser; copy this one.</span>}
              {open.error && <span className="inline-error">Could not open: {open.error.message}</span>}
            </div>
            <div className="muted small">Valid until about {dateTime(link.expiresAt)}; send it to the customer to start the subscription.</div>
          </>
        ) : polling ? (
          <div className="waiting" id="link-waiting" role="status">
            <span className="spinner" aria-hidden="true" /> Waiting for the publisher link…
          </div>
        ) : (
          <div>
            {pollError ? <ErrorBanner error={pollError} what="The activation link could not be read" /> : <span className="muted">Partner Center has no link yet. </span>}
            <button type="button" onClick={() => setSince(Date.now())}>
              Check again
            </button>
            <div className="muted small">It also appears under Subscriptions as "Waiting for activation".</div>
          </div>
        )}
      </section>

      <section>
        <h3>Line items</h3>
        <table className="lines">
          <thead>
            <tr>
              <th>#</th>
              <th>Offer</th>
              <th>Term</th>
              <th className="num">Quantity</th>
              <th>Subscription</th>
            </tr>
          </thead>
          <tbody>
            {c.lineItems.map((l, i) => (
              <tr key={l.lineItemNumber}>
                <td title={`Line item number ${l.lineItemNumber}`}>{i + 1}</td>
                <td title={l.offerId}>
                  {c.productTitle} · {c.plan}
                </td>
                <td>{l.termDuration ? durationLabel(l.termDuration) : "–"}</td>
                <td className="num">{l.quantity}</td>
                <td>
                  <code className="small">{l.subscriptionId ?? c.subscriptionId ?? "–"}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h3>Cancellation deadline</h3>
        {c.cancellationAllowedUntil ? (
          <div id="confirm-deadline">
            Cancel with a refund until <strong>{deadline}</strong> <span className="muted">({timeLeft(c.cancellationAllowedUntil)})</span>
          </div>
        ) : (
          <div className="muted">Partner Center did not give one yet; see Subscriptions.</div>
        )}
      </section>
    </div>
  );
}
