// The Publishers view: every publisher of the market's catalog (search with Ctrl+F, arrows,
// Enter), and the selected one in full: who handles what, support contacts as links, offers
// (with "Request this offer" for those CSP partners are not offered), and the staff's own notes.
// Params: `{ customerId, subscriptionId }` shows that subscription's publisher with the
// subscription's details and "Contact publisher"; `{ publisher }` opens one publisher.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";

import * as api from "../api";
import type { PublisherContacts, PublisherDetail, PublisherNote, PublisherRow, SubscriptionInfo } from "../bindings";
import { count, typeLabel } from "../format";
import { CspCell } from "../marketplace/OfferTable";
import { CloseButton, Fact } from "../shell/Detail";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Empty, Grid, type GridColumn } from "../shell/Grid";
import { useExport } from "../shell/Export";
import { ExternalLink as Link } from "../shell/ExternalLink";
import type { ViewProps } from "../shell/nav";
import { SearchField, composing } from "../shell/SearchField";
import { focusSearch, inField, useShortcuts } from "../shell/shortcuts";
import "./publishers.css";
import { type OpenWith, contactLinks, mailtoLink, offersText, openWith, searchPublishers, telLink } from "./publishers";
import { t } from "../i18n";
import { Trans } from "react-i18next";

const ROW_HEIGHT = 44;

// The list's one column: the name (with its pills) over its offers.
const columns: Array<GridColumn<PublisherRow>> = [
  {
    id: "publisher",
    get header() { return t("publishers.publisher"); },
    width: "minmax(0, 1fr)",
    render: (p) => (
      <>
        <div className="pub-row-name">
          <span className="pub-name">{p.name}</span>
          {p.microsoft && <span className="pill">{t("publishers.microsoft")}</span>}
          {p.notes > 0 && (
            <span className="pill notes-pill" title={t("publishers.notesOfYourNotes", { notes: p.notes })}>
              ✎ {p.notes}
            </span>
          )}
        </div>
        <div className="pub-row-meta muted">{offersText(p)}</div>
      </>
    ),
  },
];

interface Lookup {
  subscription: SubscriptionInfo;
  mailto: string;
}

/** One publisher, or the publisher of a customer's subscription (with that subscription). */
async function readShown(market: string, what: Exclude<OpenWith, { kind: "browse" }>): Promise<{ detail: PublisherDetail; lookup: Lookup | null }> {
  if (what.kind === "publisher") return { detail: await api.publisherDetail(market, what.name), lookup: null };
  const r = await api.publisherForSubscription(what.customerId, what.subscriptionId);
  return { detail: r.publisher, lookup: { subscription: r.subscription, mailto: r.contactMailto } };
}

export function Publishers({ market, params, toast }: ViewProps<"publishers">) {
  const client = useQueryClient();
  const listKey = ["publisher-list", market];
  const listed = useQuery({ queryKey: listKey, queryFn: () => api.listPublishers(market, null) });
  const list = listed.data ?? null;
  const [search, setSearch] = useState("");
  // What the view was opened with (a navigate() with other params opens it anew), then what is picked.
  const [how, setHow] = useState<OpenWith>(() => openWith(params));
  const shownKey = ["publisher", market, how];
  const shownQ = useQuery({
    queryKey: shownKey,
    queryFn: () => readShown(market, how as Exclude<OpenWith, { kind: "browse" }>),
    enabled: how.kind !== "browse",
    // The publisher shown stays while the next one loads; a subscription's details do not.
    placeholderData: (prev) => prev && { detail: prev.detail, lookup: null },
  });
  const shownData = how.kind === "browse" ? null : (shownQ.data ?? null);
  const detail = shownData?.detail ?? null;
  const lookup = shownData?.lookup ?? null;
  const detailError = how.kind === "browse" ? null : shownQ.error;
  const loadingWhat =
    how.kind !== "browse" && shownQ.isFetching && (shownQ.isPlaceholderData || shownQ.data === undefined)
      ? how.kind === "lookup"
        ? t("publishers.finding", { id: how.subscriptionId })
        : t("publishers.reading", { name: how.name })
      : null;
  const close = () => setHow({ kind: "browse" });
  const searchRef = useRef<HTMLInputElement | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);

  const shown = useMemo(() => searchPublishers(list ?? [], search), [list, search]);

  // The list's selection: the publisher shown, until the arrows (or a new search) move it.
  const [cursor, setCursor] = useState<{ detail: string | null; index: number | null }>({ detail: null, index: null });
  const detailIndex = detail ? shown.findIndex((p) => p.key === detail.key) : -1;
  const selected = cursor.detail === (detail?.key ?? null) ? cursor.index : detailIndex >= 0 ? detailIndex : cursor.index;
  const setSelected = (index: number | null) => setCursor({ detail: detail?.key ?? null, index });
  const openPublisher = (name: string) => setHow({ kind: "publisher", name });

  const openAt = (i: number) => {
    setSelected(i);
    const p = shown[i];
    if (p) openPublisher(p.name);
  };

  const onSearchKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      gridRef.current?.focus();
      setSelected(shown.length > 0 ? 0 : null);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (shown.length > 0) openAt(selected !== null && selected < shown.length ? selected : 0);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      if (search !== "") setSearch("");
      else close();
    }
  };

  // Ctrl+F searches; Esc closes the publisher or clears the search (a field keeps its Esc, so
  // a note being written is not lost); the grid takes the arrows and Enter.
  useShortcuts({
    "Mod+f": () => focusSearch(searchRef.current),
    Escape: () => {
      if (inField(document.activeElement)) return false;
      if (detail) close();
      else if (search !== "") setSearch("");
      else return false;
    },
  });

  // Notes added or deleted: into the publisher shown and its row's count.
  const onNotesChanged = (notes: PublisherNote[]) => {
    if (!detail) return;
    client.setQueryData<{ detail: PublisherDetail; lookup: Lookup | null }>(shownKey, (d) => d && { ...d, detail: { ...d.detail, notes } });
    client.setQueryData<PublisherRow[]>(listKey, (l) => l?.map((p) => (p.key === detail.key ? { ...p, notes: notes.length } : p)));
  };

  const exporter = useExport({
    write: (path) => api.exportPublisherNotes(path, path ? null : "xlsx"),
    summary: (r) => t("publishers.notes", { count: r.rows, n: count(r.rows) }),
    what: t("publishers.notesNotExported"),
    hint: () => t("export.chooseAnotherFolder"),
    id: "notes-saved",
  });

  const totalNotes = list?.reduce((n, p) => n + p.notes, 0) ?? 0;

  return (
    <div className="view publishers">
      {listed.error && <ErrorBanner error={listed.error} what={t("publishers.thePublishersOfTheMarket", { market })} onRetry={() => void listed.refetch()} />}
      {exporter.status}
      <div className="publishers-body">
        <div className="pub-list">
          <div className="pub-list-head">
            <SearchField
              ref={searchRef}
              id="publisher-search"
              className="pub-search"
              placeholder={t("publishers.searchPublishersCtrlF")}
              value={search}
              onSearch={(text) => {
                setSearch(text);
                setSelected(null);
              }}
              onKeyDown={onSearchKey}
              label={t("publishers.searchPublishersByNameOr")}
            />
            <div className="pub-list-meta muted" id="publisher-count">
              {list ? (search.trim() ? t("publishers.shownOfAll", { shown: count(shown.length), all: count(list.length), market }) : t("publishers.all", { all: count(list.length), market })) : t("publishers.loadingPublishers")}
            </div>
          </div>
          {list && shown.length === 0 && (
            <Empty label={t("publishers.clearTheSearch")} onClick={() => setSearch("")}>
              {t("publishers.noPublisherMatchesSearch", { search })}
            </Empty>
          )}
          <Grid
            id="publisher-list"
            className="pub-rows"
            label={t("publishers.publishers")}
            columns={columns}
            count={shown.length}
            rowAt={(i) => shown[i]}
            rowHeight={ROW_HEIGHT}
            selected={selected}
            onSelect={(i) => setSelected(i)}
            onOpen={openAt}
            clickOpens
            gridRef={gridRef}
            rowProps={(p) => ({ "data-key": p?.key, className: `pub-row${p && detail?.key === p.key ? " open" : ""}` })}
          />
          <div className="pub-list-foot">
            <span className="muted" title={t("publishers.yourNotesAndContactsAll")}>
              <Trans i18nKey="publishers.notesTotalnotes" values={{ totalNotes }} components={{ strong: <strong /> }} />
            </span>
            <span className="spacer" />
            <button type="button" className="small" id="export-notes" disabled={exporter.busy || totalNotes === 0} onClick={() => exporter.start()} title={totalNotes === 0 ? t("publishers.noNotesYet") : t("publishers.exportEveryPublisherSNotes")}>
              {exporter.busy ? t("publishers.exporting") : t("publishers.export")}
            </button>
            <button type="button" className="small" disabled={exporter.busy || totalNotes === 0} onClick={() => exporter.start(`publisher-notes-${new Date().toISOString().slice(0, 10)}.xlsx`)} title={t("publishers.chooseWhereToSaveAs")}>
              {t("publishers.saveAs")}
            </button>
          </div>
        </div>

        <section className="pub-detail" id="publisher-detail" aria-label={t("publishers.publisher")}>
          {detailError && (
            <ErrorBanner
              error={detailError}
              what={how.kind === "lookup" && !detail ? t("publishers.theSubscriptionSPublisherCould") : t("publishers.thePublisherCouldNotBe")}
              hint={
                detailError.kind === "notFound" && how.kind === "lookup"
                  ? t("publishers.checkThatTheSubscriptionStill")
                  : undefined
              }
              onRetry={() => void shownQ.refetch()}
            />
          )}
          {loadingWhat && (
            <div className="pub-loading" role="status">
              <progress /> {loadingWhat}
            </div>
          )}
          {!detail && !loadingWhat && !detailError && (
            <div className="pub-intro">
              <h1>{t("publishers.whoSupportsThis")}</h1>
              <WhoHandlesWhat />
              <p className="muted">{t("publishers.pickAPublisherOnThe")}</p>
            </div>
          )}
          {detail && (
            <div className="pub-detail-body">
              {lookup && <SubscriptionCard lookup={lookup} publisher={detail} />}
              <header className="pub-head">
                <h1 id="publisher-title">{detail.name}</h1>
                {detail.microsoft && <span className="pill">{t("publishers.microsoft")}</span>}
                <span className="muted">
                  {offersText({ offers: detail.offers.length, cspOffers: detail.offers.filter((o) => o.purchasable).length })}
                  {detail.market && detail.market !== market ? t("publishers.inTheMarketCatalog", { market: detail.market }) : ""}
                </span>
                <span className="spacer" />
                <CloseButton onClick={close} />
              </header>
              <WhoHandlesWhat lines={detail.responsibilities} publisher={detail.name} />
              <div className="pub-columns">
                <div>
                  <Contacts detail={detail} />
                  <Offers detail={detail} />
                </div>
                <Notes key={detail.key} detail={detail} onChanged={onNotesChanged} toast={toast} />
              </div>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

function WhoHandlesWhat({ lines, publisher }: { lines?: string[]; publisher?: string }) {
  return (
    <div className="who" id="who-handles-what">
      <Trans i18nKey="publishers.whoHandlesWhat" components={{ strong: <strong /> }} />
      <ul>
        <li>
          <Trans i18nKey="publishers.youThePartner" components={{ span: <span className="who-tag you" /> }} />
          {lines?.[0] ?? t("publishers.billingAndSubscriptionQuestionsInvoices")}
        </li>
        <li>
          <Trans i18nKey="publishers.thePublisher" components={{ span: <span className="who-tag them" title={publisher} /> }} />
          {lines?.[1] ?? t("publishers.technicalIssuesWithTheProduct")}
        </li>
      </ul>
    </div>
  );
}

function SubscriptionCard({ lookup, publisher }: { lookup: Lookup; publisher: PublisherDetail }) {
  const s = lookup.subscription;
  const noEmail = !publisher.contacts.email;
  return (
    <section className="sub-card" id="subscription-context" aria-label={t("publishers.subscription")}>
      <div className="sub-card-head">
        <h2>{t("publishers.supportRequestForASubscription")}</h2>
        <Link uri={lookup.mailto} id="contact-publisher" className="button primary">
          {t("publishers.contactPublisher")}
        </Link>
      </div>
      <dl className="sub-fields">
        <Fact label={t("publishers.customer")} id="ctx-customer">
          {s.customerName} <code className="muted">{s.customerId}</code>
        </Fact>
        <Fact label={t("publishers.product")} id="ctx-product">{s.product}</Fact>
        <Fact label={t("publishers.subscription")}>
          <code id="ctx-subscription-id">{s.subscriptionId}</code>
        </Fact>
        <Fact label={t("publishers.order")}>
          <code id="ctx-order-id">{s.orderId || "–"}</code>
        </Fact>
      </dl>
      <p className="muted small">
        {t("publishers.contactPublisherOpensYourEmail", { name: publisher.name })}
        {noEmail ? t("publishers.noSupportEmailIsKnown") : ""} {t("publishers.thatCarriesTheseDetails")}
      </p>
    </section>
  );
}

/** A publisher's contacts as links (https, email, phone; anything else as text), support first;
 * `children` are the rows before them. */
export function ContactList({ contacts, id, children }: { contacts: PublisherContacts; id?: string; children?: React.ReactNode }) {
  return (
    <dl className="contacts" id={id}>
      {children}
      {contactLinks(contacts).map((l) => (
        <Fact key={`${l.label}-${l.text}`} label={l.label}>
          {l.href ? <Link uri={l.href}>{l.text}</Link> : <span title={t("publishers.notOpenedOnlyHttpsEmail")}>{l.text}</span>}
        </Fact>
      ))}
    </dl>
  );
}

function Contacts({ detail }: { detail: PublisherDetail }) {
  return (
    <section className="pub-section">
      <h3>{t("publishers.supportContacts")}</h3>
      {contactLinks(detail.contacts).length > 0 ? (
        <ContactList contacts={detail.contacts} id="publisher-contacts" />
      ) : (
        <p className="muted" id="publisher-contacts">
          {t("publishers.noSupportContactsKnownAdd")}
        </p>
      )}
      {detail.contactsNote && <p className="note">{detail.contactsNote}</p>}
    </section>
  );
}

function Offers({ detail }: { detail: PublisherDetail }) {
  const [all, setAll] = useState(false);
  const LIMIT = 12;
  const offers = all ? detail.offers : detail.offers.slice(0, LIMIT);
  return (
    <section className="pub-section">
      <h3>{t("publishers.offersLength", { length: detail.offers.length })}</h3>
      <ul className="pub-offers" id="publisher-offers">
        {offers.map((o) => (
          <li key={o.key}>
            <span className="offer-title" title={o.title}>
              {o.title}
            </span>
            <span className="muted small">{typeLabel(o.typeLabel)}</span>
            <CspCell purchasable={o.purchasable} saas={o.requestMailto !== null || o.typeLabel === "SaaS"} />
            {o.requestMailto && (
              <Link uri={o.requestMailto} className="request-offer">
                {t("publishers.requestThisOffer")}
              </Link>
            )}
          </li>
        ))}
      </ul>
      {detail.offers.length > LIMIT && (
        <button type="button" className="link small" onClick={() => setAll(!all)}>
          {all ? t("publishers.showFewer") : t("publishers.showAllLengthOffers", { length: detail.offers.length })}
        </button>
      )}
    </section>
  );
}

const EMPTY_NOTE = { text: "", name: "", email: "", phone: "" };

function Notes({ detail, onChanged, toast }: { detail: PublisherDetail; onChanged: (n: PublisherNote[]) => void; toast: (m: string) => void }) {
  const [kind, setKind] = useState<"note" | "contact">("note");
  const [form, setForm] = useState(EMPTY_NOTE);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setForm({ ...form, [k]: e.target.value });
  const { text, name, email, phone } = form;
  const [confirming, setConfirming] = useState<number | null>(null);
  const canAdd = text.trim() !== "" || email.trim() !== "" || phone.trim() !== "";
  const adding = useMutation({
    mutationFn: () => api.addPublisherNote(detail.name, kind === "contact" ? { kind, ...form } : { kind, text, name: null, email: null, phone: null }),
    onSuccess: (n) => {
      onChanged([...detail.notes, n]);
      setForm(EMPTY_NOTE);
      toast(kind === "contact" ? t("publishers.contactAdded") : t("publishers.noteAdded"));
    },
  });
  const removing = useMutation({
    mutationFn: api.deletePublisherNote,
    onMutate: () => adding.reset(),
    onSuccess: (_, id) => {
      onChanged(detail.notes.filter((n) => n.id !== id));
      toast(t("publishers.noteDeleted"));
    },
    // A note already gone is gone from the list too.
    onError: (e, id) => e.kind === "notFound" && onChanged(detail.notes.filter((n) => n.id !== id)),
    onSettled: () => setConfirming(null),
  });
  const saving = adding.isPending;
  const error = adding.error ?? removing.error;
  const add = (e: React.FormEvent) => {
    e.preventDefault();
    if (!canAdd || saving) return;
    removing.reset();
    adding.mutate();
  };

  return (
    <section className="pub-section pub-notes">
      <h3>{t("publishers.yourNotesLength", { length: detail.notes.length })}</h3>
      <p className="muted small">{t("publishers.keptOnThisComputerA")}</p>
      {error && (
        <ErrorBanner
          error={error}
          what={t("publishers.theNoteCouldNotBe")}
          onDismiss={() => {
            adding.reset();
            removing.reset();
          }}
        />
      )}
      <ul className="notes-list" id="notes-list">
        {detail.notes.map((n) => {
          const mail = n.email ? mailtoLink(n.email) : null;
          const tel = n.phone ? telLink(n.phone) : null;
          return (
            <li key={n.id} className="note-item" data-id={n.id}>
              <div className="note-main">
                {n.kind === "contact" && <span className="pill">{t("publishers.contact")}</span>}
                {n.name && <strong>{n.name}</strong>}
                {n.text && <span className="note-text">{n.text}</span>}
                {n.email && <span>{mail ? <Link uri={mail}>{n.email}</Link> : n.email}</span>}
                {n.phone && <span>{tel ? <Link uri={tel}>{n.phone}</Link> : n.phone}</span>}
                <span className="muted small">{new Date(n.createdAt).toLocaleDateString()}</span>
              </div>
              {confirming === n.id ? (
                <span className="confirm">
                  {t("publishers.delete")}{" "}
                  <button type="button" className="danger small" onClick={() => removing.mutate(n.id)}>
                    {t("publishers.delete2")}
                  </button>{" "}
                  <button type="button" className="small" onClick={() => setConfirming(null)}>
                    {t("publishers.keep")}
                  </button>
                </span>
              ) : (
                <button type="button" className="ghost small delete-note" aria-label={t("publishers.deleteThisNote")} title={t("publishers.deleteThisNote")} onClick={() => setConfirming(n.id)}>
                  ✕
                </button>
              )}
            </li>
          );
        })}
        {detail.notes.length === 0 && <li className="muted">{t("publishers.noNotesYetAddEscalation")}</li>}
      </ul>
      <form className="note-form" onSubmit={add}>
        <div className="segmented" role="radiogroup" aria-label={t("publishers.kind")}>
          <button type="button" className={kind === "note" ? "seg on" : "seg"} aria-checked={kind === "note"} role="radio" onClick={() => setKind("note")}>
            {t("publishers.note")}
          </button>
          <button type="button" className={kind === "contact" ? "seg on" : "seg"} aria-checked={kind === "contact"} role="radio" id="note-kind-contact" onClick={() => setKind("contact")}>
            {t("publishers.contact")}
          </button>
        </div>
        {kind === "contact" && (
          <div className="contact-fields">
            <input id="note-name" placeholder={t("publishers.name")} value={name} onChange={set("name")} aria-label={t("publishers.contactName")} />
            <input id="note-email" type="email" placeholder={t("publishers.email")} value={email} onChange={set("email")} aria-label={t("publishers.contactEmail")} />
            <input id="note-phone" type="tel" placeholder={t("publishers.phone")} value={phone} onChange={set("phone")} aria-label={t("publishers.contactPhone")} />
          </div>
        )}
        <textarea
          id="note-text"
          rows={2}
          placeholder={kind === "contact" ? t("publishers.roleHoursWhenToCall") : t("publishers.eGEscalationsGoThrough")}
          value={text}
          onChange={set("text")}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !composing(e)) add(e);
          }}
          aria-label={t("publishers.note")}
        />
        <button type="submit" className="primary" id="add-note" disabled={!canAdd || saving}>
          {saving ? t("publishers.saving") : kind === "contact" ? t("publishers.addContact") : t("publishers.addNote")}
        </button>
      </form>
    </section>
  );
}
