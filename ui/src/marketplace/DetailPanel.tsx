// The selected offer in full: publisher and contacts, description, plans and terms, trial,
// markets, legal links, and whether (and how) it can be bought.
import { useQuery } from "@tanstack/react-query";
import { Fragment, memo, useState } from "react";

import * as api from "../api";
import type { OfferRow } from "../bindings/OfferRow";
import { TYPE_LABELS } from "../format";
import { BuyFlow } from "../orders/BuyFlow";
import { ErrorBanner } from "../shell/ErrorBanner";
import { ExternalLink as Link } from "../shell/ExternalLink";
import type { Navigate } from "../shell/nav";

interface Props {
  market: string;
  offerKey: string;
  /** The row as the table has it, shown while the full detail loads. */
  preview: OfferRow | undefined;
  onClose: () => void;
  /** To other views, e.g. the buy flow for this offer. */
  navigate: Navigate;
}

/** Memoized: typing in the search must not re-render an open detail. */
export const DetailPanel = memo(function DetailPanel({ market, offerKey, preview, onClose, navigate }: Props) {
  const detail = useQuery({ queryKey: ["offer", market, offerKey], queryFn: () => api.offerDetail(market, offerKey) });
  // The buy flow is a modal owned by this panel (buying spends money, so it may block the window).
  const [buying, setBuying] = useState(false);
  const d = detail.data ?? null;
  const error = detail.error;
  return (
    <aside className="detail" id="detail-panel" aria-label="Offer detail">
      <div className="detail-head">
        <div>
          <h2 id="detail-title">{d?.title ?? preview?.title ?? (error ? "Offer" : "Loading…")}</h2>
          {d && (
            <div className="detail-sub">
              <span className="pill type">{d.typeLabel}</span>
              {d.categories.map((c) => (
                <span key={c} className="pill">
                  {c}
                </span>
              ))}
              {d.match === "byName" && (
                <span className="pill warn" title="Partner Center and the Azure Marketplace were matched by publisher and title">
                  matched by name
                </span>
              )}
            </div>
          )}
        </div>
        <button type="button" className="ghost close" onClick={onClose} aria-label="Close detail (Esc)" title="Close (Esc)">
          ✕
        </button>
      </div>
      {error && (
        <ErrorBanner error={error} what="The offer could not be shown" onRetry={() => void detail.refetch()} />
      )}
      {!d && !error && preview && (
        <div className="detail-body">
          <section>
            <h3>Publisher</h3>
            <div className="publisher-name">{preview.publisherName}</div>
            <p className="muted">{TYPE_LABELS[preview.type]} · loading plans, contacts and terms…</p>
          </section>
        </div>
      )}
      {d && (
        <div className="detail-body">
          <section className={d.purchasable ? "buy ok" : "buy no"} id="csp-status">
            {d.purchasable ? (
              <>
                <div>
                  <strong>Can be bought through CSP.</strong> Buying subscribes the customer and accepts the
                  publisher's terms below.
                </div>
                {d.productId ? (
                  <button type="button" className="primary tooltip-wrap" id="buy-button" onClick={() => setBuying(true)}>
                    Buy for a customer
                  </button>
                ) : (
                  <span className="muted">Not in the Partner Center catalog of {d.market}; it cannot be ordered from here.</span>
                )}
              </>
            ) : (
              <div id="buy-not-csp">
                <strong>Not sold through CSP.</strong> {d.purchaseNote}
                {d.type !== "saas" && (
                  <div className="small">
                    Only SaaS offers can be bought for a customer here. Go to the{" "}
                    <Link uri="https://portal.azure.com/#create/hub">Azure portal</Link> to deploy it under the customer's Azure subscription.
                  </div>
                )}
              </div>
            )}
          </section>

          <section>
            <h3>Publisher</h3>
            <div className="publisher-name" id="detail-publisher">
              {d.publisher.name}
              {d.publisher.microsoft && <span className="pill">Microsoft</span>}
            </div>
            <dl className="contacts">
              {d.publisher.supportUri && (
                <>
                  <dt>Support</dt>
                  <dd>
                    <Link uri={d.publisher.supportUri}>{d.publisher.supportUri}</Link>
                  </dd>
                </>
              )}
              {d.publisher.email && (
                <>
                  <dt>Email</dt>
                  <dd>
                    <Link uri={`mailto:${d.publisher.email}`}>{d.publisher.email}</Link>
                  </dd>
                </>
              )}
              {d.publisher.phone && (
                <>
                  <dt>Phone</dt>
                  <dd>
                    <Link uri={`tel:${d.publisher.phone}`}>{d.publisher.phone}</Link>
                  </dd>
                </>
              )}
              {d.publisher.links.map((l) => (
                <Fragment key={l.uri}>
                  <dt>{l.label}</dt>
                  <dd>
                    <Link uri={l.uri}>{l.uri}</Link>
                  </dd>
                </Fragment>
              ))}
            </dl>
            {!d.publisher.supportUri && !d.publisher.email && !d.publisher.phone && (
              <p className="muted">No support contacts known.</p>
            )}
            {d.marketplaceNote && <p className="note">{d.marketplaceNote}</p>}
          </section>

          <section>
            <h3>Terms and privacy</h3>
            <ul className="legal">
              <li>{d.termsOfUseUri ? <Link uri={d.termsOfUseUri}>Terms of use</Link> : <span className="muted">Terms of use: not published</span>}</li>
              {d.cspTermsUri && (
                <li>
                  <Link uri={d.cspTermsUri}>CSP terms</Link>
                </li>
              )}
              <li>{d.privacyPolicyUri ? <Link uri={d.privacyPolicyUri}>Privacy policy</Link> : <span className="muted">Privacy policy: not published</span>}</li>
            </ul>
          </section>

          <section>
            <h3>Description</h3>
            <p className="description">{d.description || <span className="muted">No description.</span>}</p>
          </section>

          <section>
            <h3>Free trial</h3>
            <p id="detail-trial">
              {d.freeTrial ? `Yes${d.trialLength ? `, ${d.trialLength}` : " (length not stated)"}` : "No free trial"}
            </p>
          </section>

          <section>
            <h3>Plans ({d.plans.length})</h3>
            {d.plans.length === 0 && <p className="muted">No plans in Partner Center for this market.</p>}
            {d.plans.map((p) => (
              <div className="plan" key={p.id}>
                <div className="plan-head">
                  <strong>{p.title || p.id}</strong>
                  <span className="muted"> · {p.id}</span>
                  {p.trial && <span className="pill trial">Free trial</span>}
                </div>
                {p.description && <div className="plan-desc">{p.description}</div>}
                <div className="plan-meta">
                  Quantity {p.minQuantity}–{p.maxQuantity}
                  {p.billingCycles.length > 0 && <> · Billing: {p.billingCycles.join(", ")}</>}
                </div>
                {p.terms.length > 0 && (
                  <table className="terms">
                    <thead>
                      <tr>
                        <th>Term</th>
                        <th>Billing</th>
                        <th>Refund window</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.terms.map((t, i) => (
                        <tr key={i} title={t.description}>
                          <td>{t.durationLabel}</td>
                          <td>{t.billingLabel}</td>
                          <td>{t.refundWindow ?? "–"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            ))}
          </section>

          <section>
            <h3>Markets</h3>
            <div className="markets" id="detail-markets">
              {d.markets.map((m) => (
                <span key={m} className={m === d.market ? "pill on" : "pill"}>
                  {m}
                </span>
              ))}
            </div>
            <p className="muted small">Among the markets synced on this computer.</p>
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
    </aside>
  );
});
