// The selected offer in full: publisher and contacts, description, plans and terms, trial,
// markets, legal links, and whether (and how) it can be bought.
import { useQuery } from "@tanstack/react-query";
import { memo, useState } from "react";

import * as api from "../api";
import type { OfferDetail, OfferRow } from "../bindings";
import { isoPeriod, typeLabel } from "../format";
import { billedLabel } from "../orders/buy";
import { BuyFlow } from "../orders/BuyFlow";
import { ContactList } from "../publishers/Publishers";
import { Detail } from "../shell/Detail";
import { ErrorBanner } from "../shell/ErrorBanner";
import { ExternalLink as Link } from "../shell/ExternalLink";
import type { Navigate } from "../shell/nav";
import { type Col, Table } from "../shell/Table";
import { say, t } from "../i18n";
import { Trans } from "react-i18next";

interface Props {
  market: string;
  offerKey: string;
  /** The row as the table has it, shown while the full detail loads. */
  preview: OfferRow | undefined;
  onClose: () => void;
  /** To other views, e.g. the buy flow for this offer. */
  navigate: Navigate;
}

const TERM_COLS: Array<Col<OfferDetail["plans"][number]["terms"][number]>> = [
  { get head() { return t("detailPanel.term"); }, cell: (item) => isoPeriod(item.duration) },
  { get head() { return t("detailPanel.billing"); }, cell: (item) => billedLabel(item.billingCycle) },
  { get head() { return t("detailPanel.refundWindow"); }, cell: (item) => item.refundWindow ?? "–" },
];

/** Memoized: typing in the search must not re-render an open detail. */
export const DetailPanel = memo(function DetailPanel({ market, offerKey, preview, onClose, navigate }: Props) {
  const detail = useQuery({ queryKey: ["offer", market, offerKey], queryFn: () => api.offerDetail(market, offerKey) });
  // The buy flow is a modal owned by this panel (buying spends money, so it may block the window).
  const [buying, setBuying] = useState(false);
  const d = detail.data ?? null;
  const error = detail.error;
  return (
    <Detail
      id="detail-panel"
      label={t("detailPanel.offerDetail")}
      title={d?.title ?? preview?.title ?? (error ? t("detailPanel.offer") : t("detailPanel.loading"))}
      titleId="detail-title"
      sub={
        d && (
          <div className="detail-sub">
            <span className="pill type">{typeLabel(d.type)}</span>
            {d.categories.map((c) => (
              <span key={c} className="pill">
                {c}
              </span>
            ))}
            {d.match === "byName" && (
              <span className="pill warn" title={t("detailPanel.partnerCenterAndTheAzure")}>
                {t("detailPanel.matchedByName")}
              </span>
            )}
          </div>
        )
      }
      onClose={onClose}
    >
      {error && (
        <ErrorBanner error={error} what={t("detailPanel.theOfferCouldNotBe")} onRetry={() => void detail.refetch()} />
      )}
      {!d && !error && preview && (
        <div className="detail-body">
          <section>
            <h3>{t("detailPanel.publisher")}</h3>
            <div className="publisher-name">{preview.publisherName}</div>
            <p className="muted">{t("detailPanel.typeLoadingPlansContacts", { type: typeLabel(preview.type) })}</p>
          </section>
        </div>
      )}
      {d && (
        <div className="detail-body">
          <section className={d.purchasable ? "buy ok" : "buy no"} id="csp-status">
            {d.purchasable ? (
              <>
                <div>
                  <Trans i18nKey="detailPanel.canBeBoughtThroughCsp" components={{ strong: <strong /> }} />
                </div>
                {d.productId ? (
                  <button type="button" className="primary tooltip-wrap" id="buy-button" onClick={() => setBuying(true)}>
                    {t("detailPanel.buyForACustomer")}
                  </button>
                ) : (
                  <span className="muted">{t("detailPanel.notInThePartnerCenter", { market: d.market })}</span>
                )}
              </>
            ) : (
              <div id="buy-not-csp">
                <Trans i18nKey="detailPanel.notSoldThroughCspPurchasenote" values={{ purchaseNote: say(d.purchaseMessage, d.purchaseNote ?? "") }} components={{ strong: <strong /> }} />
                {d.type !== "saas" && (
                  <div className="small">
                    {t("detailPanel.onlySaasOffersCanBe")}{" "}
                    <Link uri="https://portal.azure.com/#create/hub">{t("detailPanel.azurePortal")}</Link> {t("detailPanel.toDeployItUnderThe")}
                  </div>
                )}
              </div>
            )}
          </section>

          <section>
            <h3>{t("detailPanel.publisher")}</h3>
            <div className="publisher-name" id="detail-publisher">
              {d.publisher.name}
              {d.publisher.microsoft && <span className="pill">{t("detailPanel.microsoft")}</span>}
            </div>
            <ContactList contacts={d.publisher} />
            {!d.publisher.supportUri && !d.publisher.email && !d.publisher.phone && (
              <p className="muted">{t("detailPanel.noSupportContactsKnown")}</p>
            )}
            {d.marketplaceNote && <p className="note">{say(d.marketplaceMessage, d.marketplaceNote)}</p>}
          </section>

          <section>
            <h3>{t("detailPanel.termsAndPrivacy")}</h3>
            <ul className="legal">
              <li>{d.termsOfUseUri ? <Link uri={d.termsOfUseUri}>{t("detailPanel.termsOfUse")}</Link> : <span className="muted">{t("detailPanel.termsOfUseNotPublished")}</span>}</li>
              {d.cspTermsUri && (
                <li>
                  <Link uri={d.cspTermsUri}>{t("detailPanel.cspTerms")}</Link>
                </li>
              )}
              <li>{d.privacyPolicyUri ? <Link uri={d.privacyPolicyUri}>{t("detailPanel.privacyPolicy")}</Link> : <span className="muted">{t("detailPanel.privacyPolicyNotPublished")}</span>}</li>
            </ul>
          </section>

          <section>
            <h3>{t("detailPanel.description")}</h3>
            <p className="description">{d.description || <span className="muted">{t("detailPanel.noDescription")}</span>}</p>
          </section>

          <section>
            <h3>{t("detailPanel.freeTrial")}</h3>
            <p id="detail-trial">
              {d.freeTrial ? (d.trialLength ? t("detailPanel.trialOf", { length: d.trialLength }) : t("detailPanel.trialLengthNotStated")) : t("detailPanel.noFreeTrial")}
            </p>
          </section>

          <section>
            <h3>{t("detailPanel.plansLength", { length: d.plans.length })}</h3>
            {d.plans.length === 0 && <p className="muted">{t("detailPanel.noPlansInPartnerCenter")}</p>}
            {d.plans.map((p) => (
              <div className="plan" key={p.id}>
                <div className="plan-head">
                  <strong>{p.title || p.id}</strong>
                  <span className="muted"> · {p.id}</span>
                  {p.trial && <span className="pill trial">{t("detailPanel.freeTrial")}</span>}
                </div>
                {p.description && <div className="plan-desc">{p.description}</div>}
                <div className="plan-meta">
                  {t("detailPanel.quantityMinquantityMaxquantity", { minQuantity: p.minQuantity, maxQuantity: p.maxQuantity })}
                  {p.billingCycles.length > 0 && <> {t("detailPanel.billingValue", { value: p.billingCycles.join(", ") })}</>}
                </div>
                {p.terms.length > 0 && (
                  <Table className="terms" rows={p.terms} cols={TERM_COLS} rowKey={(_, i) => i} rowProps={(item) => ({ title: item.description })} />
                )}
              </div>
            ))}
          </section>

          <section>
            <h3>{t("detailPanel.markets")}</h3>
            <div className="markets" id="detail-markets">
              {d.markets.map((m) => (
                <span key={m} className={m === d.market ? "pill on" : "pill"}>
                  {m}
                </span>
              ))}
            </div>
            <p className="muted small">{t("detailPanel.amongTheMarketsSyncedOn")}</p>
          </section>
        </div>
      )}
      {buying && d?.productId && (
        <BuyFlow
          market={market}
          offer={{ key: d.key, productId: d.productId, title: d.title, publisherName: d.publisher.name }}
          onClose={() => setBuying(false)}
          navigate={navigate}
        />
      )}
    </Detail>
  );
});
