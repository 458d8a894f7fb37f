// The buy flow, a modal (buying spends money, so it is the one thing allowed to block the window):
// 1 customer (opened from an offer; the availability in their billing country is checked here)
//   or offer (opened from a customer), 2 plan / term / billing / quantity, 3 review (price from
// the price list, cancellation window), Place order, 4 confirmation with the activation link.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useReducer, useRef, useState } from "react";

import * as api from "../api";
import { EMPTY_FILTER } from "../marketplace/windowing";
import type { CustomerRow, OrderConfirmation, OrderReview, PurchaseOptions } from "../bindings";
import { dateTime, isoPeriod, money } from "../format";
import { ContactList } from "../publishers/Publishers";
import { CloseButton, Fact } from "../shell/Detail";
import { ErrorBanner } from "../shell/ErrorBanner";
import { ExternalLink } from "../shell/ExternalLink";
import type { Navigate } from "../shell/nav";
import { pickKeys } from "../shell/shortcuts";
import { useDialog } from "../shell/useDialog";
import { useDebounced } from "../shell/useDebounced";
import { type Col, Table } from "../shell/Table";
import { useKeyed } from "../shell/useKeyed";
import { type BuyCustomer, type BuyEvent, type BuyOffer, type PlanStep, buyStep, isHttps, mailtoFor, planStepError, termKey, termLabel, timeLeft } from "./buy";

export type { BuyOffer } from "./buy";
import "./orders.css";
import { say, t } from "../i18n";
import { Trans } from "react-i18next";

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

const STEP_NAMES = (fromCustomer: boolean) => [fromCustomer ? t("buyFlow.step.offer") : t("buyFlow.step.customer"), t("buyFlow.step.plan"), t("buyFlow.step.review"), t("buyFlow.step.confirmation")];

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
    ? { what: t("buyFlow.cannotBeBought", { offer: check.variables?.o.title, customer: check.variables?.c.name }), err: check.error, reset: check.reset }
    : review.error
      ? { what: t("buyFlow.reviewFailed"), err: review.error, reset: review.reset }
      : place.error && { what: t("buyFlow.notConfirmed"), err: place.error, reset: place.reset };

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
  // The customer or offer whose availability is being checked.
  const checking = check.isPending ? check.variables : undefined;

  const planError = s.step === 2 ? planStepError(s) : null;
  const toReview = () => {
    if (s.step !== 2 || !customer || !offer || planError) return;
    review.mutate({ plan: s.plan, term: s.term, quantity: s.quantity, c: customer, o: offer });
  };
  // A second click while the first is in flight does nothing (and the core refuses it too).
  const placeOrder = () => s.step === 3 && !place.isPending && place.mutate(s.review.reviewId);
  const options = s.step === 1 ? s.notSold : null;

  const names = STEP_NAMES(fromCustomer);
  const title = offer ? t("buyFlow.buyOffer", { offer: offer.title }) : customer ? t("buyFlow.buyFor", { customer: customer.name }) : t("buyFlow.buyForACustomer");

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !placing && step !== 4 && onClose()}>
      <div className="modal buy-flow" role="dialog" aria-modal="true" aria-labelledby="buy-title" id="buy-flow" ref={dialogRef} tabIndex={-1}>
        <div className="modal-head">
          <div>
            <h2 id="buy-title">{title}</h2>
            <div className="muted">
              {offer ? offer.publisherName : t("buyFlow.pickASaasOffer")}
              {customer && step > 1 && <> {t("buyFlow.forName", { name: customer.name })}</>}
            </div>
          </div>
          <CloseButton onClick={onClose} disabled={placing} />
        </div>
        <ol className="steps" aria-label={t("buyFlow.steps")}>
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
              <Trans i18nKey="buyFlow.notSoldInCountryMessage" values={{ country: options.notSold.country, message: say(options.notSold.messageCode, options.notSold.message) }} components={{ strong: <strong /> }} />
              {options.notSold.contacts ? (
                <ContactList contacts={options.notSold.contacts}>
                  <Fact label={t("buyFlow.publisher")}>{options.notSold.contacts.name}</Fact>
                </ContactList>
              ) : (
                <div className="muted">{t("buyFlow.askPublisher", { publisher: options.publisherName || t("buyFlow.thePublisher") })}</div>
              )}
              <div className="muted">{fromCustomer ? t("buyFlow.pickAnotherOffer") : t("buyFlow.pickAnotherCustomer")}</div>
            </div>
          )}
          {step === 1 && !fromCustomer && (
            <PickList
              id="buy-customers"
              find={(asked) => ({ queryKey: ["customers", asked, 0], queryFn: () => api.customers(asked) })}
              what={t("buyFlow.theCustomersCouldNotBe")}
              keyOf={(c) => c.id}
              render={(c) => (
                <span className="pick-main">
                  <strong>{c.companyName}</strong> <span className="muted">{c.domain}</span>
                </span>
              )}
              onPick={pickCustomer}
              selected={customer?.id ?? null}
              busyKey={checking?.c.id ?? null}
              placeholder={t("buyFlow.searchCustomersByCompanyName")}
              empty={t("buyFlow.noCustomerMatches")}
            />
          )}
          {step === 1 && fromCustomer && customer && (
            <PickList
              id="buy-offers"
              find={findOffers(market)}
              what={t("buyFlow.theSaasOffersOfMarket", { market })}
              keyOf={(o) => o.productId ?? o.key}
              render={(o) => (
                <span className="pick-main">
                  <strong>{o.title}</strong> <span className="muted">{o.publisherName}</span>
                  {o.freeTrial && <span className="pill trial">{t("buyFlow.freeTrial")}</span>}
                </span>
              )}
              onPick={(o) => pickOffer({ key: o.key, productId: o.productId ?? "", title: o.title, publisherName: o.publisherName })}
              selected={offer?.productId ?? null}
              busyKey={checking?.o.productId ?? null}
              placeholder={t("buyFlow.searchSaasOffersSoldIn", { market })}
              empty={t("buyFlow.noSaasOfferMatches")}
            />
          )}
          {s.step === 2 && (
            <PlanStep step={s} error={planError} dispatch={dispatch} />
          )}
          {s.step === 3 && <ReviewStep review={s.review} />}
          {s.step === 4 && <Confirmation c={s.confirmation} />}
        </div>
        <div className="modal-foot">
          {step === 1 && <span className="muted small">{fromCustomer ? t("buyFlow.onlySaasOffersCanBe") : t("buyFlow.theOfferSAvailabilityIs")}</span>}
          {(step === 2 || step === 3) && (
            <button type="button" onClick={() => dispatch({ type: "back" })} disabled={placing}>
              {t("buyFlow.back")}
            </button>
          )}
          {s.step === 4 && (
            <button
              type="button"
              id="buy-show-orders"
              onClick={() => {
                onClose();
                navigate({ view: "orders", customerId: s.confirmation.customerId });
              }}
            >
              {t("buyFlow.showInOrders")}
            </button>
          )}
          <span className="spacer" />
          {step === 1 && (
            <button type="button" onClick={onClose}>
              {t("buyFlow.cancel")}
            </button>
          )}
          {step === 2 && (
            <button type="button" className="primary" id="buy-review" disabled={planError !== null || review.isPending} onClick={toReview} title={planError ?? ""}>
              {review.isPending ? t("buyFlow.checking") : t("buyFlow.reviewOrder")}
            </button>
          )}
          {placing && (
            <span className="progress-note" role="status">
              <span className="spinner" aria-hidden="true" /> {t("buyFlow.placingTheOrderWithPartner")}
            </span>
          )}
          {s.step === 3 && (
            <button type="button" className="primary" id="buy-place" disabled={placing} aria-busy={placing} onClick={placeOrder}>
              {placing ? t("buyFlow.placing") : s.review.price ? t("buyFlow.placeOrderTotal", { total: money(s.review.price.total, s.review.price.currency) }) : t("buyFlow.placeOrder")}
            </button>
          )}
          {s.step === 4 && (
            <button type="button" className="primary" onClick={onClose} id="buy-done">
              {t("buyFlow.done")}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

interface PickListProps<T> {
  id: string;
  /** The question for what was typed (asked when the typing pauses). */
  find: (search: string) => { queryKey: readonly unknown[]; queryFn: () => Promise<T[]> };
  /** What could not be read, when the question failed. */
  what: string;
  keyOf: (item: T) => string;
  render: (item: T) => React.ReactNode;
  onPick: (item: T) => void;
  selected: string | null;
  /** The item whose availability is being checked. */
  busyKey: string | null;
  placeholder: string;
  empty: string;
}

const NONE: never[] = [];

/** A searchable list that picks on click or Enter; arrows move. */
function PickList<T>({ id, find, what, keyOf, render, onPick, selected, busyKey, placeholder, empty }: PickListProps<T>) {
  const [search, setSearch] = useState("");
  const asked = useDebounced(search, 120);
  const found = useQuery({ ...find(asked), placeholderData: keepPreviousData });
  const items: T[] = found.data ?? NONE;
  // The first item is highlighted again whenever the items change.
  const [hl, setHl] = useKeyed(items, 0);
  const onKey = (e: React.KeyboardEvent) => pickKeys(e, items.length, hl, setHl, (i) => items[i] && onPick(items[i]));
  return (
    <div className="pick">
      {found.error && <ErrorBanner error={found.error} what={what} />}
      <input type="search" autoFocus className="pick-search" placeholder={placeholder} aria-label={placeholder} value={search} onChange={(e) => setSearch(e.target.value)} onKeyDown={onKey} aria-controls={id} />
      {items.length === 0 && (
        <p className="muted pick-empty" role="status">
          {found.isPending ? t("buyFlow.loading") : empty}
        </p>
      )}
      {/* Focusable (a long list scrolls), with the same keys as the field. */}
      <ul className="pick-list" id={id} role="listbox" aria-label={placeholder} hidden={items.length === 0} tabIndex={0} onKeyDown={onKey}>
        {items.map((tv, i) => {
          const k = keyOf(tv);
          return (
            <li
              key={k}
              role="option"
              aria-selected={selected === k}
              data-key={k}
              className={`pick-item${i === hl ? " hl" : ""}${selected === k ? " selected" : ""}`}
              onMouseEnter={() => setHl(i)}
              onClick={() => onPick(tv)}
            >
              {render(tv)}
              {busyKey === k && (
                <span className="pick-busy">
                  <span className="spinner" aria-hidden="true" /> {t("buyFlow.checkingAvailability")}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The SaaS offers sold in `market` whose words contain `asked`, for the pick list. */
const findOffers = (market: string) => (asked: string) => ({
  queryKey: ["buy-offers", market, asked],
  queryFn: async () => {
    const filter = { ...EMPTY_FILTER, types: ["saas" as const], search: asked };
    const w = await api.queryOffers(market, { filter, sort: "title", descending: false, offset: 0, limit: 40 });
    return w.rows.filter((r) => r.purchasable && r.productId);
  },
});

/** Plan, term and billing, quantity: each choice an event of the wizard. */
function PlanStep({ step: { options, plan, term, quantity }, error, dispatch }: { step: PlanStep & { options: PurchaseOptions }; error: string | null; dispatch: (e: BuyEvent) => void }) {
  return (
    <div className="plan-step">
      <p className="muted">
        {t("buyFlow.soldInCountryBillingCountry", { country: options.country, customerName: options.customerName })}
      </p>
      <fieldset>
        <legend>{t("buyFlow.plan")}</legend>
        {options.plans.map((p) => (
          <label key={p.skuId} className={plan?.skuId === p.skuId ? "choice on" : "choice"}>
            <input type="radio" name="plan" checked={plan?.skuId === p.skuId} onChange={() => dispatch({ type: "plan", plan: p })} />
            <span>
              <strong>{p.title}</strong>
              {p.terms.some((tv) => tv.trial) && <span className="pill trial">{t("buyFlow.freeTrial")}</span>}
              <span className="muted small">
                {" "}
                · {p.minimumQuantity === p.maximumQuantity ? t("buyFlow.quantityMinimumquantity", { minimumQuantity: p.minimumQuantity }) : t("buyFlow.quantityMinimumquantityMaximumquantity", { minimumQuantity: p.minimumQuantity, maximumQuantity: p.maximumQuantity })}
              </span>
              {p.description && <div className="muted small choice-desc">{p.description}</div>}
            </span>
          </label>
        ))}
      </fieldset>
      {plan && (
        <div className="plan-row">
          <fieldset>
            <legend>{t("buyFlow.termAndBilling")}</legend>
            {plan.terms.map((tv) => (
              <label key={termKey(tv)} className={term && termKey(term) === termKey(tv) ? "choice on" : "choice"}>
                <input type="radio" name="term" checked={term !== null && termKey(term) === termKey(tv)} onChange={() => dispatch({ type: "term", term: tv })} />
                <span>
                  {termLabel(tv)}
                  <div className="muted small">{t("buyFlow.cancelWithARefundText", { text: say(tv.cancellation.message, tv.cancellation.text) })}</div>
                </span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t("buyFlow.quantity")}</legend>
            <input
              id="buy-quantity"
              type="number"
              min={plan.minimumQuantity}
              max={plan.maximumQuantity}
              value={quantity}
              onChange={(e) => dispatch({ type: "quantity", quantity: e.target.value })}
              aria-invalid={error !== null && error.includes("quantity") ? true : undefined}
            />
            <div className="muted small">
              {t("buyFlow.minimumquantityToMaximumquantity", { minimumQuantity: plan.minimumQuantity, maximumQuantity: plan.maximumQuantity })}
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
      <dl className="kv">
        <Fact label={t("buyFlow.customer2")}>
          <Trans i18nKey="buyFlow.customernameBillingCountryCountry" values={{ customerName: r.customerName, country: r.country }} components={{ span: <span className="muted" /> }} />
        </Fact>
        <Fact label={t("buyFlow.offer2")}>
          {r.productTitle} <span className="muted">· {r.publisherName}</span>
        </Fact>
        <Fact label={t("buyFlow.plan")}>{r.plan}</Fact>
        <Fact label={t("buyFlow.term")}>{termLabel(r.chosen)}</Fact>
        <Fact label={t("buyFlow.quantity")} className="num">{r.quantity}</Fact>
        <Fact label={t("buyFlow.price")} id="review-price">
          {r.price ? (
            <>
              <strong className="num">{money(r.price.total, r.price.currency)}</strong>
              <span className="muted">
                {" "}
                {t("buyFlow.quantityUnitpricePer", { quantity: r.quantity, unitPrice: money(r.price.unitPrice, r.price.currency) })} {r.chosen.billingCycle === "annual" ? t("buyFlow.year") : r.chosen.trial ? t("buyFlow.trial") : t("buyFlow.month")}{t("buyFlow.fromTheSource", { source: r.price.source })}
              </span>
            </>
          ) : (
            <span className="muted">{t("buyFlow.notInThePriceList")}</span>
          )}
        </Fact>
        <Fact label={t("buyFlow.cancellation")} id="review-cancellation">
          {r.chosen.trial ? t("buyFlow.canBeCancelledWithA") : t("buyFlow.canBeCancelledWithin")}{" "}
          <strong>{say(r.chosen.cancellation.message, r.chosen.cancellation.text)}</strong>
          <span className="muted"> ({r.chosen.cancellation.source === "availability" ? t("buyFlow.theOfferSOwnPolicy") : t("buyFlow.theMarketplaceDefault")})</span>
        </Fact>
        {r.termsOfUseUri && (
          <Fact label={t("buyFlow.terms")}>
            {t("buyFlow.placingTheOrderAcceptsThe")} <ExternalLink uri={r.termsOfUseUri}>{t("buyFlow.termsOfUse")}</ExternalLink>.
          </Fact>
        )}
      </dl>
      <p className="muted small">{t("buyFlow.nothingHasBeenOrderedYet")}</p>
    </div>
  );
}

/** An order's lines: its number, offer, term, quantity and the subscription it made. */
const lineCols = (c: OrderConfirmation): Array<Col<OrderConfirmation["lineItems"][number]>> => [
  { head: "#", title: (l) => t("buyFlow.lineItemNumberLineitemnumber", { lineItemNumber: l.lineItemNumber }), cell: (_, i) => i + 1 },
  { head: t("buyFlow.offer2"), title: (l) => l.offerId, cell: () => `${c.productTitle} · ${c.plan}` },
  { head: t("buyFlow.term"), cell: (l) => (l.termDuration ? isoPeriod(l.termDuration) : "–") },
  { head: t("buyFlow.quantity"), headClass: "num", className: "num", cell: (l) => l.quantity },
  { head: t("buyFlow.subscription"), cell: (l) => <code className="small">{l.subscriptionId ?? c.subscriptionId ?? "–"}</code> },
];

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
          <Trans i18nKey="buyFlow.orderPlacedForCustomername" values={{ customerName: c.customerName }} components={{ strong: <strong /> }} />
          <div className="muted">
            <Trans i18nKey="buyFlow.orderOrderidStatusStatusUntil" values={{ orderId: c.orderId, status: c.status }} components={{ code: <code id="confirm-order-id" />, span: <span className="pill warn" id="confirm-status" /> }} />
          </div>
        </div>
      </div>

      <section className="activation" aria-live="polite">
        <h3>{t("buyFlow.activationLink")}</h3>
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
                onClick={() => void api.copyText(link.uri).then((ok) => setCopied(ok ? t("buyFlow.copied") : t("buyFlow.copyFailed")))}
              >
                {t("buyFlow.copy")}
              </button>
              <button
                type="button"
                id="link-open"
                disabled={!isHttps(link.uri)}
                title={isHttps(link.uri) ? t("buyFlow.openThePublisherSPage") : t("buyFlow.onlyHttpsLinksAreOpened")}
                onClick={() => open.mutate(link.uri)}
              >
                {t("buyFlow.open")}
              </button>
              <button
                type="button"
                id="link-email"
                onClick={() => open.mutate(mailtoFor(c, link.uri, deadline))}
                title={c.customerEmail ? t("buyFlow.composeAnEmailToCustomeremail", { customerEmail: c.customerEmail }) : t("buyFlow.composeAnEmailTheCustomer")}
              >
                {t("buyFlow.emailToCustomer")}
              </button>
              {copied && <span className="muted small">{copied}</span>}
              {!isHttps(link.uri) && <span className="muted small">{t("buyFlow.onlyHttpsLinksOpenIn")}</span>}
              {open.error && <span className="inline-error">{t("buyFlow.couldNotOpenMessage", { message: open.error.text })}</span>}
            </div>
            <div className="muted small">{t("buyFlow.validUntilAboutExpiresatSend", { expiresAt: dateTime(link.expiresAt) })}</div>
          </>
        ) : polling ? (
          <div className="waiting" id="link-waiting" role="status">
            <span className="spinner" aria-hidden="true" /> {t("buyFlow.waitingForThePublisherLink")}
          </div>
        ) : (
          <div>
            {pollError ? <ErrorBanner error={pollError} what={t("buyFlow.theActivationLinkCouldNot")} /> : <span className="muted">{t("buyFlow.partnerCenterHasNoLink")} </span>}
            <button type="button" onClick={() => setSince(Date.now())}>
              {t("buyFlow.checkAgain")}
            </button>
            <div className="muted small">{t("buyFlow.itAlsoAppearsUnderSubscriptions")}</div>
          </div>
        )}
      </section>

      <section>
        <h3>{t("buyFlow.lineItems")}</h3>
        <Table className="lines" rows={c.lineItems} cols={lineCols(c)} rowKey={(l) => l.lineItemNumber} />
      </section>

      <section>
        <h3>{t("buyFlow.cancellationDeadline")}</h3>
        {c.cancellationAllowedUntil ? (
          <div id="confirm-deadline">
            <Trans i18nKey="buyFlow.cancelWithARefundUntil" values={{ deadline, cancellationAllowedUntil: timeLeft(c.cancellationAllowedUntil) }} components={{ strong: <strong />, span: <span className="muted" /> }} />
          </div>
        ) : (
          <div className="muted">{t("buyFlow.partnerCenterDidNotGive")}</div>
        )}
      </section>
    </div>
  );
}
