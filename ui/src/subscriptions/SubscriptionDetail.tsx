// One subscription: the live countdown to its cancellation deadline (with the absolute date in
// the user's locale and where the deadline comes from), Cancel inside the window behind a
// confirmation, auto-renew, seats within the plan's bounds, the activation link while pending
// fulfillment, and the way to the publisher's contacts.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";

import * as api from "../api";
import type { PolicyInfo, SubscriptionItem } from "../bindings";
import { date, dateTime } from "../format";
import { mailto } from "../orders/buy";
import { Detail, Fact } from "../shell/Detail";
import { ErrorBanner } from "../shell/ErrorBanner";
import { ExternalLink } from "../shell/ExternalLink";
import type { Navigate } from "../shell/nav";
import { useDialog } from "../shell/useDialog";
import { PlanDialog } from "./PlanDialog";
import { StatusPill } from "./Subscriptions";
import { billingLabel, statusLabel, cancelRule, closingSoon, countdown, termLabel, urgent, waitingFor, duration } from "./time";
import { useNow } from "./useNow";
import { t, say } from "../i18n";
import { Trans } from "react-i18next";

interface Props {
  sub: SubscriptionItem;
  skew: number;
  policy: PolicyInfo;
  onChange: (s: SubscriptionItem) => void;
  onClose: () => void;
  navigate: Navigate;
  toast: (m: string) => void;
}

function hours(h: number): string {
  return h % 24 === 0 && h >= 48 ? t("subscriptionDetail.days", { count: h / 24 }) : t("subscriptionDetail.hours", { count: h });
}

export function SubscriptionDetail({ sub, skew, policy, onChange, onClose, navigate, toast }: Props) {
  // Seconds tick while the window closes within a day; minutes otherwise.
  const coarse = useNow(skew, 60_000);
  const fine = closingSoon(sub, coarse);
  const now = useNow(skew, fine ? 1000 : 60_000);
  const rule = cancelRule(sub, now);
  const [confirming, setConfirming] = useState(false);
  const [changingPlan, setChangingPlan] = useState(false);
  const renew = useMutation({
    mutationFn: () => api.setAutoRenew(sub.customerId, sub.id, !sub.autoRenewEnabled),
    onSuccess: (v) => {
      onChange({ ...sub, autoRenewEnabled: v });
      toast(v ? t("subscriptionDetail.autoRenewOn", { product: sub.productName }) : t("subscriptionDetail.autoRenewOff", { product: sub.productName }));
    },
  });
  // After a plan change: the item as Partner Center now has it (plan name, seats, deadline).
  const readBack = useMutation({ mutationFn: () => api.getSubscription(sub.customerId, sub.id), onSuccess: onChange });

  return (
    <Detail
      id="sub-detail"
      className="sub-detail"
      label={t("subscriptionDetail.subscriptionDetail")}
      title={sub.productName}
      titleId="sub-title"
      sub={
        <div className="detail-sub">
          <span id="sub-status">
            <StatusPill status={sub.status} trial={sub.isTrial} />
          </span>
          <span className="muted" id="sub-customer">
            {sub.customerName}
          </span>
        </div>
      }
      onClose={onClose}
    >
      {renew.error && <ErrorBanner error={renew.error} what={t("subscriptionDetail.autoRenewCouldNotBe")} onDismiss={renew.reset} />}
      {readBack.error && <ErrorBanner error={readBack.error} what={t("subscriptionDetail.theSubscriptionCouldNotBe")} onDismiss={readBack.reset} />}
      <div className="detail-body">
        <section className="cancel-section" id="cancel-section">
          <h3>{t("subscriptionDetail.cancellation")}</h3>
          {sub.deadline ? (
            <>
              {rule.enabled && (
                <div className={urgent(sub, now) ? "countdown urgent" : "countdown"} id="countdown" aria-live="off">
                  {t("subscriptionDetail.closesAt", { at: countdown(sub.deadline.at, now, fine) })}
                </div>
              )}
              <div>
                {rule.enabled ? t("subscriptionDetail.cancelBy") : t("subscriptionDetail.windowClosed")}
                <strong id="deadline-date">{dateTime(sub.deadline.at)}</strong>
              </div>
              <div className="muted small" id="deadline-source" title={say(sub.deadline.message, sub.deadline.source)}>
                {sub.deadline.kind === "subscriptionField" ? t("subscriptionDetail.source.subscriptionField") : sub.deadline.kind === "refundOption" ? t("subscriptionDetail.source.refundOption") : t("subscriptionDetail.source.policy")}
                {sub.deadline.kind === "policy" && t("subscriptionDetail.monthlyMonthlyhoursAnnualAnnualhoursSource", { monthlyHours: hours(policy.monthlyHours), annualHours: hours(policy.annualHours), source: policy.source })}
              </div>
            </>
          ) : (
            <div className="muted">{t("subscriptionDetail.partnerCenterGivesNoCancellation")}</div>
          )}
          <div className="cancel-row">
            <button
              type="button"
              className="danger"
              id="cancel-button"
              disabled={!rule.enabled}
              onClick={() => {
                renew.reset();
                setConfirming(true);
              }}
            >
              {t("subscriptionDetail.cancelSubscription")}
            </button>
            {rule.enabled ? <span className="muted small">{say(sub.refundMessage, sub.refund)}</span> : <span className="muted small" id="cancel-reason">{rule.reason}</span>}
          </div>
          <details className="policy">
            <summary>{t("subscriptionDetail.cancellationPolicy")}</summary>
            <p>
              {t("subscriptionDetail.whenTheSubscriptionGivesNo", { monthlyHours: hours(policy.monthlyHours), annualHours: hours(policy.annualHours), source: policy.source })}
            </p>
            {policy.sourceUrl && (
              <p>
                <ExternalLink uri={policy.sourceUrl}>{policy.sourceUrl}</ExternalLink>
              </p>
            )}
            <p className="muted small">{t("subscriptionDetail.readFromOrigin", { origin: policy.origin })}</p>
          </details>
        </section>

        {sub.status === "pendingFulfillment" && <Activation sub={sub} now={now} toast={toast} />}

        <section>
          <h3>{t("subscriptionDetail.autoRenew")}</h3>
          <label className="check toggle">
            <input type="checkbox" id="auto-renew" checked={sub.autoRenewEnabled} disabled={renew.isPending || sub.status === "cancelled" || sub.status === "suspended"} onChange={() => renew.mutate()} />
            {renew.isPending ? t("subscriptionDetail.changing") : sub.autoRenewEnabled ? t("subscriptionDetail.renewsAtTheEndOf") : t("subscriptionDetail.endsAtTheEndOf")}
          </label>
        </section>

        <Seats key={sub.quantity} sub={sub} onChange={onChange} toast={toast} />

        {sub.status === "active" && (
          <section>
            <h3>{t("subscriptionDetail.plan")}</h3>
            <div className="cancel-row">
              <span>
                <strong>{sub.planName}</strong>
              </span>
              <button type="button" id="change-plan" onClick={() => setChangingPlan(true)}>
                {t("subscriptionDetail.changePlan")}
              </button>
            </div>
          </section>
        )}

        <section>
          <h3>{t("subscriptionDetail.subscription")}</h3>
          <dl className="contacts facts">
            <Fact label={t("subscriptionDetail.plan")}>{sub.planName}</Fact>
            <Fact label={t("subscriptionDetail.publisher")}>{sub.publisherName}</Fact>
            <Fact label={t("subscriptionDetail.term")}>
              {t("subscriptionDetail.termBilled", { termDuration: termLabel(sub.termDuration), billing: billingLabel(sub.billingCycle).toLowerCase() })}
            </Fact>
            <Fact label={t("subscriptionDetail.created")}>{sub.creationDate ? dateTime(sub.creationDate) : "–"}</Fact>
            <Fact label={t("subscriptionDetail.termEnds")}>{date(sub.commitmentEndDate) || "–"}</Fact>
            <Fact label={t("subscriptionDetail.order")} className="mono">{sub.orderId || "–"}</Fact>
            <Fact label={t("subscriptionDetail.id")} className="mono">{sub.id}</Fact>
          </dl>
          <button type="button" id="publisher-contacts" onClick={() => navigate({ view: "publishers", customerId: sub.customerId, subscriptionId: sub.id })}>
            {t("subscriptionDetail.publisherContacts")}
          </button>
        </section>
      </div>
      {changingPlan && (
        <PlanDialog
          sub={sub}
          onClose={() => setChangingPlan(false)}
          onDone={(c) => {
            setChangingPlan(false);
            toast(say(c.messageCode, c.message));
            readBack.mutate();
          }}
        />
      )}
      {confirming && (
        <CancelDialog
          sub={sub}
          now={now}
          onClose={() => setConfirming(false)}
          onDone={(s) => {
            setConfirming(false);
            onChange(s);
            toast(t("subscriptionDetail.nowStatus", { product: s.productName, customer: s.customerName, status: statusLabel(s.status) }));
          }}
        />
      )}
    </Detail>
  );
}

/** The only thing that blocks the window: cancelling cannot be undone. */
function CancelDialog({ sub, now, onClose, onDone }: { sub: SubscriptionItem; now: number; onClose: () => void; onDone: (s: SubscriptionItem) => void }) {
  const cancel = useMutation({ mutationFn: () => api.cancelSubscription(sub.customerId, sub.id), onSuccess: onDone });
  const busy = cancel.isPending;
  const error = cancel.error;
  const boxRef = useRef<HTMLDivElement | null>(null);
  useDialog(boxRef, { Escape: () => void (busy || onClose()) });

  const rule = cancelRule(sub, now);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="cancel-dialog-title" id="cancel-dialog" ref={boxRef}>
        <h2 id="cancel-dialog-title">{t("subscriptionDetail.cancelThisSubscription")}</h2>
        <dl className="contacts">
          <Fact label={t("subscriptionDetail.customer")} id="confirm-customer">{sub.customerName}</Fact>
          <Fact label={t("subscriptionDetail.product")} id="confirm-product">
            {sub.productName} · {sub.planName}
            {sub.quantity > 1 ? ` · ${sub.unitType ? `${sub.quantity} ${sub.unitType}` : t("subscriptionDetail.seats", { count: sub.quantity })}` : ""}
          </Fact>
          <Fact label={t("subscriptionDetail.refund")} id="confirm-refund">{say(sub.refundMessage, sub.refund)}</Fact>
          {sub.deadline && (
            <Fact label={t("subscriptionDetail.window")}>
              {t("subscriptionDetail.closesAtAt2", { at: countdown(sub.deadline.at, now), at2: dateTime(sub.deadline.at) })}
            </Fact>
          )}
        </dl>
        <p>{t("subscriptionDetail.theCustomerLosesAccessPartner")}</p>
        {error && (
          <div className="dialog-error" role="alert" id="cancel-error">
            <Trans i18nKey="subscriptionDetail.partnerCenterDidNotCancel" values={{ message: error.text }} components={{ strong: <strong /> }} />
          </div>
        )}
        <div className="modal-actions">
          <button type="button" autoFocus onClick={onClose} disabled={busy}>
            {t("subscriptionDetail.keepSubscription")}
          </button>
          <button type="button" className="danger" id="confirm-cancel" onClick={() => cancel.mutate()} disabled={busy || !rule.enabled}>
            {busy ? t("subscriptionDetail.cancelling") : t("subscriptionDetail.cancelSubscription2")}
          </button>
        </div>
      </div>
    </div>
  );
}

function Activation({ sub, now, toast }: { sub: SubscriptionItem; now: number; toast: (m: string) => void }) {
  const held = useQuery({ queryKey: ["subscription", sub.customerId, sub.id, "activation"], queryFn: () => api.subscriptionActivationLink(sub.customerId, sub.id) });
  const link = held.data ?? null;
  // The link again before each use: the core fetches a fresh one when the held one is 24 h old.
  const use = useMutation({
    mutationFn: async (how: "copy" | "open" | "email") => {
      const fresh = await held.refetch({ throwOnError: true });
      const l = fresh.data!;
      if (how === "open") return api.openLink(l.uri);
      if (how === "copy") {
        if (!(await api.copyText(l.uri))) throw new api.IpcError("unknown", t("subscriptionDetail.clipboardFailed"), false);
        return toast(l.refreshed ? t("subscriptionDetail.freshLinkCopied") : t("subscriptionDetail.linkCopied"));
      }
      const body = t("subscriptionDetail.mailBody", { product: sub.productName, plan: sub.planName, uri: l.uri, until: dateTime(l.expiresAt) });
      return api.openLink(mailto(l.customerEmail, t("buy.mail.subject", { product: sub.productName }), body));
    },
  });
  const error = use.error ?? held.error;
  return (
    <section className="activation" id="activation">
      <h3>{t("subscriptionDetail.activation")}</h3>
      <p>
        <Trans i18nKey="subscriptionDetail.pendingFulfillmentCreationdateTheCustomer" values={{ creationDate: waitingFor(sub.creationDate, now) }} components={{ strong: <strong />, span: <span id="waiting-for" /> }} />
      </p>
      {error && (
        <ErrorBanner
          error={error}
          what={t("subscriptionDetail.theActivationLinkCouldNot")}
          onRetry={() => {
            use.reset();
            void held.refetch();
          }}
        />
      )}
      {link && (
        <>
          <input className="link-box" readOnly value={link.uri} aria-label={t("subscriptionDetail.activationLink")} id="activation-link" onFocus={(e) => e.target.select()} />
          <div className="muted small" id="link-expiry">
            {Date.parse(link.expiresAt) > now
              ? t("subscriptionDetail.linkValidUntilExpiresatValue", { expiresAt: dateTime(link.expiresAt), value: duration(Date.parse(link.expiresAt) - now) })
              : t("subscriptionDetail.thisLinkHasExpiredCopy")}
          </div>
          <div className="button-row">
            <button type="button" onClick={() => use.mutate("copy")} id="link-copy">
              {t("subscriptionDetail.copy")}
            </button>
            <button type="button" onClick={() => use.mutate("open")} id="link-open">
              {t("subscriptionDetail.open")}
            </button>
            <button type="button" onClick={() => use.mutate("email")} id="link-email" title={link.customerEmail ? t("subscriptionDetail.emailToCustomeremail", { customerEmail: link.customerEmail }) : t("subscriptionDetail.opensAnEmailWithThe")}>
              {t("subscriptionDetail.emailToCustomer")}
            </button>
          </div>
        </>
      )}
      {!link && !error && <p className="muted">{t("subscriptionDetail.fetchingTheActivationLink")}</p>}
    </section>
  );
}

function Seats({ sub, onChange, toast }: { sub: SubscriptionItem; onChange: (s: SubscriptionItem) => void; toast: (m: string) => void }) {
  const [value, setValue] = useState(String(sub.quantity));
  const editable = sub.status === "active" || sub.status === "pendingFulfillment";
  const held = useQuery({ queryKey: ["subscription", sub.customerId, sub.id, "bounds"], queryFn: () => api.quantityBounds(sub.customerId, sub.id), enabled: editable });
  const bounds = held.data ?? null;

  const n = Number(value);
  const valid = Number.isInteger(n) && (!bounds || (n >= bounds.min && n <= bounds.max));
  const save = useMutation({
    mutationFn: () => api.setQuantity(sub.customerId, sub.id, n),
    onSuccess: (s) => {
      onChange(s);
      toast(t("subscriptionDetail.nowSeats", { product: s.productName, count: s.quantity }));
    },
  });
  const busy = save.isPending;
  return (
    <section>
      <h3>{t("subscriptionDetail.seats")}</h3>
      {save.error ? (
        <ErrorBanner error={save.error} what={t("subscriptionDetail.theSeatCountCouldNot")} onDismiss={save.reset} />
      ) : (
        held.error && <ErrorBanner error={held.error} what={t("subscriptionDetail.thePlanSSeatBounds")} onRetry={() => void held.refetch()} />
      )}
      {editable ? (
        <div className="seats">
          <input
            type="number"
            id="quantity"
            min={bounds?.min ?? 1}
            max={bounds?.max}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-label={t("subscriptionDetail.seats")}
            aria-invalid={!valid}
          />
          <button type="button" onClick={() => save.mutate()} disabled={busy || !valid || n === sub.quantity} id="quantity-save">
            {busy ? t("subscriptionDetail.saving") : t("subscriptionDetail.change")}
          </button>
          <span className={valid ? "muted small" : "inline-error"}>
            {bounds ? t("subscriptionDetail.plannameAllowsMinToMax", { planName: bounds.planName, min: bounds.min, max: bounds.max }) : t("subscriptionDetail.readingThePlanSBounds")}
          </span>
        </div>
      ) : (
        <p>
          {sub.quantity} {sub.unitType || t("subscriptionDetail.seats2")}
        </p>
      )}
    </section>
  );
}
