// The Publishers view: every publisher of the market's catalog (search with Ctrl+F, arrows,
// Enter), and the selected one in full: who handles what, support contacts as links, offers
// (with "Request this offer" for those CSP partners are not offered), and the staff's own notes.
// Params: `{ customerId, subscriptionId }` shows that subscription's publisher with the
// subscription's details and "Contact publisher"; `{ publisher }` opens one publisher.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";

import * as api from "../api";
import type { PublisherDetail } from "../bindings/PublisherDetail";
import type { PublisherNote } from "../bindings/PublisherNote";
import type { PublisherRow } from "../bindings/PublisherRow";
import type { SubscriptionInfo } from "../bindings/SubscriptionInfo";
import { TYPE_LABELS } from "../format";
import { CspCell } from "../marketplace/OfferTable";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Grid, type GridColumn } from "../shell/Grid";
import { useExport } from "../shell/Export";
import { ExternalLink } from "../shell/ExternalLink";
import type { ViewProps } from "../shell/nav";
import { SearchField, composing } from "../shell/SearchField";
import { focusSearch, inField, useShortcuts } from "../shell/shortcuts";
import "./publishers.css";
import { type ContactLink, type OpenWith, contactLinks, mailtoLink, offersText, openWith, searchPublishers, telLink } from "./publishers";

const ROW_HEIGHT = 44;

const Link = ({ href, children, id, className }: { href: string; children: React.ReactNode; id?: string; className?: string }) => (
  <ExternalLink uri={href} id={id} className={className}>
    {children}
  </ExternalLink>
);

// The list's one column: the name (with its pills) over its offers.
const columns: Array<GridColumn<PublisherRow>> = [
  {
    id: "publisher",
    header: "Publisher",
    width: "minmax(0, 1fr)",
    render: (p) => (
      <>
        <div className="pub-row-name">
          <span className="pub-name">{p.name}</span>
          {p.microsoft && <span className="pill">Microsoft</span>}
          {p.notes > 0 && (
            <span className="pill notes-pill" title={`${p.notes} of your notes`}>
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
        ? `Finding the publisher of subscription ${how.subscriptionId}…`
        : `Reading ${how.name}'s contacts and offers…`
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
    summary: (r) => `${r.rows} ${r.rows === 1 ? "note" : "notes"}`,
    what: "The notes could not be exported",
    hint: () => "Choose another folder with Save as…, or check that the file is not open in another program.",
    id: "notes-saved",
  });
  const exporting = exporter.busy;

  const totalNotes = list?.reduce((n, p) => n + p.notes, 0) ?? 0;

  return (
    <div className="view publishers">
      {listed.error && <ErrorBanner error={listed.error} what={`The publishers of the ${market} catalog could not be listed`} onRetry={() => void listed.refetch()} />}
      {exporter.status}
      <div className="publishers-body">
        <div className="pub-list">
          <div className="pub-list-head">
            <SearchField
              ref={searchRef}
              id="publisher-search"
              className="pub-search"
              placeholder="Search publishers  Ctrl+F"
              value={search}
              onSearch={(text) => {
                setSearch(text);
                setSelected(null);
              }}
              onKeyDown={onSearchKey}
              label="Search publishers by name or id"
            />
            <div className="pub-list-meta muted" id="publisher-count">
              {list ? (search.trim() ? `${shown.length.toLocaleString()} of ${list.length.toLocaleString()} publishers · ${market}` : `${list.length.toLocaleString()} publishers · ${market}`) : "Loading publishers…"}
            </div>
          </div>
          {list && shown.length === 0 && (
            <div className="empty">
              No publisher matches “{search}”.{" "}
              <button type="button" className="link" onClick={() => setSearch("")}>
                Clear the search
              </button>
            </div>
          )}
          <Grid
            id="publisher-list"
            className="pub-rows"
            label="Publishers"
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
            <span className="muted" title="Your notes and contacts, all publishers">
              Notes: <strong>{totalNotes}</strong>
            </span>
            <span className="spacer" />
            <button type="button" className="small" id="export-notes" disabled={exporting || totalNotes === 0} onClick={() => exporter.start()} title={totalNotes === 0 ? "No notes yet" : "Export every publisher's notes to an Excel workbook in the export folder"}>
              {exporting ? "Exporting…" : "Export"}
            </button>
            <button type="button" className="small" disabled={exporting || totalNotes === 0} onClick={() => exporter.start(`publisher-notes-${new Date().toISOString().slice(0, 10)}.xlsx`)} title="Choose where to save, as .xlsx or .csv">
              Save as…
            </button>
          </div>
        </div>

        <section className="pub-detail" id="publisher-detail" aria-label="Publisher">
          {detailError && (
            <ErrorBanner
              error={detailError}
              what={how.kind === "lookup" && !detail ? "The subscription's publisher could not be found" : "The publisher could not be shown"}
              hint={
                detailError.kind === "notFound" && how.kind === "lookup"
                  ? "Check that the subscription still exists under Subscriptions, or search for the publisher by name on the left."
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
              <h1>Who supports this?</h1>
              <WhoHandlesWhat />
              <p className="muted">Pick a publisher on the left to see its support contacts, its offers and your notes. From an invoice line (or a subscription), “Publisher contacts” opens its publisher here with the subscription's details.</p>
            </div>
          )}
          {detail && (
            <div className="pub-detail-body">
              {lookup && <SubscriptionCard lookup={lookup} publisher={detail} />}
              <header className="pub-head">
                <h1 id="publisher-title">{detail.name}</h1>
                {detail.microsoft && <span className="pill">Microsoft</span>}
                <span className="muted">
                  {offersText({ offers: detail.offers.length, cspOffers: detail.offers.filter((o) => o.purchasable).length })}
                  {detail.market && detail.market !== market ? ` in the ${detail.market} catalog` : ""}
                </span>
                <span className="spacer" />
                <button type="button" className="ghost close" onClick={close} aria-label="Close (Esc)" title="Close (Esc)">
                  ✕
                </button>
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
      <strong>Who handles what</strong>
      <ul>
        <li>
          <span className="who-tag you">You, the partner</span>
          {lines?.[0] ?? "Billing and subscription questions (invoices, cancellations, renewals, seats) come to you, the partner."}
        </li>
        <li>
          <span className="who-tag them" title={publisher}>
            The publisher
          </span>
          {lines?.[1] ?? "Technical issues with the product go to the publisher's support."}
        </li>
      </ul>
    </div>
  );
}

function SubscriptionCard({ lookup, publisher }: { lookup: Lookup; publisher: PublisherDetail }) {
  const s = lookup.subscription;
  const noEmail = !publisher.contacts.email;
  return (
    <section className="sub-card" id="subscription-context" aria-label="Subscription">
      <div className="sub-card-head">
        <h2>Support request for a subscription</h2>
        <Link href={lookup.mailto} id="contact-publisher" className="button primary">
          Contact publisher
        </Link>
      </div>
      <dl className="sub-fields">
        <dt>Customer</dt>
        <dd id="ctx-customer">
          {s.customerName} <code className="muted">{s.customerId}</code>
        </dd>
        <dt>Product</dt>
        <dd id="ctx-product">{s.product}</dd>
        <dt>Subscription</dt>
        <dd>
          <code id="ctx-subscription-id">{s.subscriptionId}</code>
        </dd>
        <dt>Order</dt>
        <dd>
          <code id="ctx-order-id">{s.orderId || "–"}</code>
        </dd>
      </dl>
      <p className="muted small">
        “Contact publisher” opens your email program with a message to {publisher.name}
        {noEmail ? " (no support email is known: add the recipient)" : ""} that carries these details.
      </p>
    </section>
  );
}

function ContactItem({ l }: { l: ContactLink }) {
  return (
    <>
      <dt>{l.label}</dt>
      <dd>{l.href ? <Link href={l.href}>{l.text}</Link> : <span title="Not opened: only https, email and phone links are">{l.text}</span>}</dd>
    </>
  );
}

function Contacts({ detail }: { detail: PublisherDetail }) {
  const links = contactLinks(detail.contacts);
  return (
    <section className="pub-section">
      <h3>Support contacts</h3>
      {links.length > 0 ? (
        <dl className="contacts" id="publisher-contacts">
          {links.map((l) => (
            <ContactItem key={`${l.label}-${l.text}`} l={l} />
          ))}
        </dl>
      ) : (
        <p className="muted" id="publisher-contacts">
          No support contacts known. Add the ones you learn as a contact in your notes.
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
      <h3>Offers ({detail.offers.length})</h3>
      <ul className="pub-offers" id="publisher-offers">
        {offers.map((o) => (
          <li key={o.key}>
            <span className="offer-title" title={o.title}>
              {o.title}
            </span>
            <span className="muted small">{o.typeLabel}</span>
            <CspCell purchasable={o.purchasable} saas={o.requestMailto !== null || o.typeLabel === TYPE_LABELS.saas} />
            {o.requestMailto && (
              <Link href={o.requestMailto} className="request-offer">
                Request this offer
              </Link>
            )}
          </li>
        ))}
      </ul>
      {detail.offers.length > LIMIT && (
        <button type="button" className="link small" onClick={() => setAll(!all)}>
          {all ? "Show fewer" : `Show all ${detail.offers.length} offers`}
        </button>
      )}
    </section>
  );
}

function Notes({ detail, onChanged, toast }: { detail: PublisherDetail; onChanged: (n: PublisherNote[]) => void; toast: (m: string) => void }) {
  const [kind, setKind] = useState<"note" | "contact">("note");
  const [text, setText] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [confirming, setConfirming] = useState<number | null>(null);
  const canAdd = text.trim() !== "" || email.trim() !== "" || phone.trim() !== "";
  const adding = useMutation({
    mutationFn: () => api.addPublisherNote(detail.name, { kind, text, name: kind === "contact" ? name : null, email: kind === "contact" ? email : null, phone: kind === "contact" ? phone : null }),
    onSuccess: (n) => {
      onChanged([...detail.notes, n]);
      setText("");
      setName("");
      setEmail("");
      setPhone("");
      toast(kind === "contact" ? "Contact added" : "Note added");
    },
  });
  const removing = useMutation({
    mutationFn: api.deletePublisherNote,
    onMutate: () => adding.reset(),
    onSuccess: (_, id) => {
      onChanged(detail.notes.filter((n) => n.id !== id));
      toast("Note deleted");
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
  const remove = (id: number) => removing.mutate(id);

  return (
    <section className="pub-section pub-notes">
      <h3>Your notes ({detail.notes.length})</h3>
      <p className="muted small">Kept on this computer; a catalog sync never changes them.</p>
      {error && (
        <ErrorBanner
          error={error}
          what="The note could not be saved"
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
                {n.kind === "contact" && <span className="pill">Contact</span>}
                {n.name && <strong>{n.name}</strong>}
                {n.text && <span className="note-text">{n.text}</span>}
                {n.email && <span>{mail ? <Link href={mail}>{n.email}</Link> : n.email}</span>}
                {n.phone && <span>{tel ? <Link href={tel}>{n.phone}</Link> : n.phone}</span>}
                <span className="muted small">{new Date(n.createdAt).toLocaleDateString()}</span>
              </div>
              {confirming === n.id ? (
                <span className="confirm">
                  Delete?{" "}
                  <button type="button" className="danger small" onClick={() => remove(n.id)}>
                    Delete
                  </button>{" "}
                  <button type="button" className="small" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="ghost small delete-note" aria-label="Delete this note" title="Delete this note" onClick={() => setConfirming(n.id)}>
                  ✕
                </button>
              )}
            </li>
          );
        })}
        {detail.notes.length === 0 && <li className="muted">No notes yet: add escalation paths, partner managers, what worked last time.</li>}
      </ul>
      <form className="note-form" onSubmit={add}>
        <div className="segmented" role="radiogroup" aria-label="Kind">
          <button type="button" className={kind === "note" ? "seg on" : "seg"} aria-checked={kind === "note"} role="radio" onClick={() => setKind("note")}>
            Note
          </button>
          <button type="button" className={kind === "contact" ? "seg on" : "seg"} aria-checked={kind === "contact"} role="radio" id="note-kind-contact" onClick={() => setKind("contact")}>
            Contact
          </button>
        </div>
        {kind === "contact" && (
          <div className="contact-fields">
            <input id="note-name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} aria-label="Contact name" />
            <input id="note-email" type="email" placeholder="Email" value={email} onChange={(e) => setEmail(e.target.value)} aria-label="Contact email" />
            <input id="note-phone" type="tel" placeholder="Phone" value={phone} onChange={(e) => setPhone(e.target.value)} aria-label="Contact phone" />
          </div>
        )}
        <textarea
          id="note-text"
          rows={2}
          placeholder={kind === "contact" ? "Role, hours, when to call…" : "e.g. Escalations go through their partner desk"}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !composing(e)) add(e);
          }}
          aria-label="Note"
        />
        <button type="submit" className="primary" id="add-note" disabled={!canAdd || saving}>
          {saving ? "Saving…" : kind === "contact" ? "Add contact" : "Add note"}
        </button>
      </form>
    </section>
  );
}
