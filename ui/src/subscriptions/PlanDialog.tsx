// "Change plan": only the plans Partner Center lists as eligible can be picked; the others are
// listed with the reason they are missing or blocked (e.g. the publisher blocks downgrades).
// A plan change spends money, so it is a confirmation that blocks the window.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";

import * as api from "../api";
import type { PlanChange, SubscriptionItem } from "../bindings";
import { useDialog } from "../shell/useDialog";
import { say, t } from "../i18n";
import { Trans } from "react-i18next";

interface Props {
  sub: SubscriptionItem;
  onClose: () => void;
  onDone: (c: PlanChange) => void;
}

function bounds(min: number | null, max: number | null): string {
  if (min === null && max === null) return "";
  return max === null ? t("planDialog.boundsFrom", { min: min ?? 1 }) : t("planDialog.bounds", { min: min ?? 1, max });
}

export function PlanDialog({ sub, onClose, onDone }: Props) {
  const plans = useQuery({ queryKey: ["subscription", sub.customerId, sub.id, "plans"], queryFn: () => api.planOptions(sub.customerId, sub.id) });
  const choices = plans.data ?? null;
  const [chosen, setTarget] = useState<string | null>(null);
  // The only plan it can move to is picked already.
  const target = chosen ?? (choices?.eligible.length === 1 ? choices.eligible[0]!.offerId : "");
  const [qty, setQty] = useState(String(sub.quantity));
  const change = useMutation({
    mutationFn: (p: { offerId: string; quantity: number | null }) => api.changePlan(sub.customerId, sub.id, p.offerId, p.quantity),
    onSuccess: onDone,
  });
  const busy = change.isPending;
  const error = change.error ?? plans.error;

  const boxRef = useRef<HTMLDivElement | null>(null);
  useDialog(boxRef, { Escape: () => void (busy || onClose()) });

  const picked = choices?.eligible.find((o) => o.offerId === target) ?? null;
  const n = Number(qty);
  const qtyOk =
    Number.isInteger(n) && n >= 1 && (!picked || ((picked.minimumQuantity === null || n >= picked.minimumQuantity) && (picked.maximumQuantity === null || n <= picked.maximumQuantity)));

  const confirm = () => picked && change.mutate({ offerId: picked.offerId, quantity: n === sub.quantity ? null : n });

  return (
    <div className="modal-backdrop">
      <div className="modal plan-modal" role="dialog" aria-modal="true" aria-labelledby="plan-dialog-title" id="plan-dialog" ref={boxRef}>
        <h2 id="plan-dialog-title">{t("planDialog.changePlan")}</h2>
        <p className="muted">
          <Trans i18nKey="planDialog.productnameForCustomernameNowOn" values={{ productName: sub.productName, customerName: sub.customerName, title: choices?.current.title ?? sub.planName, quantity: sub.quantity }} components={{ strong: <strong /> }} />
        </p>
        {!choices && !error && <p className="muted">{t("planDialog.askingPartnerCenterWhichPlans")}</p>}
        {choices && (
          <>
            {choices.notOffered ? (
              <p id="plan-none">
                {say(choices.notOfferedMessage, choices.notOffered)}.{" "}
                {choices.portalLink && (
                  <>
                    <Trans i18nKey="planDialog.changeThePlanInThe" components={{ a: <a href={choices.portalLink} id="plan-portal" onClick={(e) => {
                        e.preventDefault();
                        void api.openLink(choices.portalLink ?? "");
                      }} /> }} />
                  </>
                )}
              </p>
            ) : choices.eligible.length === 0 ? (
              <p id="plan-none">{t("planDialog.partnerCenterListsNoPlan")}</p>
            ) : (
              <fieldset className="plan-choices">
                <legend>{t("planDialog.plansItCanMoveTo")}</legend>
                {choices.eligible.map((o) => (
                  <label key={o.offerId} className="plan-choice">
                    <input type="radio" name="plan" value={o.offerId} checked={target === o.offerId} onChange={() => setTarget(o.offerId)} />
                    <span>
                      <strong>{o.title}</strong>
                      {o.description && <span className="muted"> — {o.description}</span>}
                      {bounds(o.minimumQuantity, o.maximumQuantity) && <span className="muted small"> ({bounds(o.minimumQuantity, o.maximumQuantity)})</span>}
                    </span>
                  </label>
                ))}
              </fieldset>
            )}
            {choices.unavailable.length > 0 && (
              <div className="plan-unavailable" id="plan-unavailable">
                <div className="muted small">{t("planDialog.notAvailable")}</div>
                <ul>
                  {choices.unavailable.map((o) => (
                    <li key={o.offerId || o.skuId}>
                      <strong>{o.title}</strong>: {say(o.reasonMessage, o.reason ?? "")}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {picked && (
              <label className="plan-qty">
                {t("planDialog.seats")}{" "}
                <input type="number" value={qty} onChange={(e) => setQty(e.target.value)} aria-invalid={!qtyOk} min={picked.minimumQuantity ?? 1} max={picked.maximumQuantity ?? undefined} />
                {!qtyOk && <span className="inline-error"> {bounds(picked.minimumQuantity, picked.maximumQuantity) || t("planDialog.aWholeNumberOfSeats")}</span>}
              </label>
            )}
            <ul className="plan-notes muted small">
              {choices.notes.map((n, i) => (
                <li key={n}>{say(choices.noteMessages[i], n)}</li>
              ))}
            </ul>
          </>
        )}
        {error && (
          <div className="dialog-error" role="alert" id="plan-error">
            <strong>{change.error ? t("planDialog.partnerCenterDidNotChange") : t("planDialog.thePlansCouldNotBe")}</strong> {error.text}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" autoFocus onClick={onClose} disabled={busy}>
            {t("planDialog.close")}
          </button>
          <button type="button" className="primary" id="confirm-plan" onClick={confirm} disabled={busy || !picked || !qtyOk}>
            {busy ? t("planDialog.changing") : picked ? t("planDialog.changeToTitle", { title: picked.title }) : t("planDialog.changePlan")}
          </button>
        </div>
      </div>
    </div>
  );
}
