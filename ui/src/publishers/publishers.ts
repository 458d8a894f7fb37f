// The Publishers view's data logic: search ranking, contact links, what the view was opened
// with. Pure functions, so they are tested without a webview.
import type { PublisherContacts, PublisherRow } from "../bindings";
import { count } from "../format";
import { t } from "../i18n";
import type { RouteTo } from "../shell/nav";

const fold = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[™®©]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();

/** Publishers matching `text` (name or id, any case or accent): names starting with it first,
 *  then a word starting with it, then anywhere; alphabetical within each. */
export function searchPublishers(list: PublisherRow[], text: string): PublisherRow[] {
  const q = fold(text);
  if (q === "") return list;
  const ranked: Array<[number, PublisherRow]> = [];
  for (const p of list) {
    const name = fold(p.name);
    let rank = -1;
    if (name.startsWith(q)) rank = 0;
    else if (name.split(/[\s\-_.,&()]+/).some((w) => w.startsWith(q))) rank = 1;
    else if (name.includes(q) || (p.id !== null && fold(p.id).includes(q))) rank = 2;
    if (rank >= 0) ranked.push([rank, p]);
  }
  ranked.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
  return ranked.map((r) => r[1]);
}

export interface ContactLink {
  label: string;
  text: string;
  /** A link the system opens (https, mailto, tel); null when it is not one of those. */
  href: string | null;
}

/** An https address, or null (http and other schemes are shown as text, not opened). */
export function httpsLink(uri: string): string | null {
  const u = uri.trim();
  if (/^https:\/\//i.test(u)) return u;
  if (/^www\./i.test(u)) return `https://${u}`;
  return null;
}

export const mailtoLink = (email: string): string | null => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) ? `mailto:${email.trim()}` : null);

/** `tel:` with only the digits and a leading +. */
export function telLink(phone: string): string | null {
  const p = phone.trim();
  const digits = p.replace(/[^\d]/g, "");
  if (digits.length < 3) return null;
  return `tel:${p.startsWith("+") ? "+" : ""}${digits}`;
}

/** Support URL, email, phone, then the other links the publisher lists (website, docs…). */
export function contactLinks(c: PublisherContacts): ContactLink[] {
  const out: ContactLink[] = [];
  if (c.supportUri) out.push({ label: t("publishersLib.support"), text: c.supportUri, href: httpsLink(c.supportUri) });
  if (c.email) out.push({ label: t("publishersLib.email"), text: c.email, href: mailtoLink(c.email) });
  if (c.phone) out.push({ label: t("publishersLib.phone"), text: c.phone, href: telLink(c.phone) });
  for (const l of c.links) {
    if (l.uri === c.supportUri) continue;
    out.push({ label: l.label || t("publishersLib.link"), text: l.uri, href: httpsLink(l.uri) });
  }
  return out;
}

export type OpenWith =
  | { kind: "lookup"; customerId: string; subscriptionId: string }
  | { kind: "publisher"; name: string }
  | { kind: "browse" };

/** What the view was opened for: a subscription's publisher, one publisher, or the list. */
export function openWith(params: Omit<RouteTo<"publishers">, "view">): OpenWith {
  const customerId = params.customerId?.trim() ?? "";
  const subscriptionId = params.subscriptionId?.trim() ?? "";
  if (customerId && subscriptionId) return { kind: "lookup", customerId, subscriptionId };
  const name = params.publisher?.trim() ?? "";
  if (name) return { kind: "publisher", name };
  return { kind: "browse" };
}

/** "12 offers · 9 through CSP". */
export function offersText(p: Pick<PublisherRow, "offers" | "cspOffers">): string {
  const o = t("publishersLib.offers", { count: p.offers, n: count(p.offers) });
  return p.cspOffers === p.offers ? t("publishersLib.allThroughCsp", { offers: o }) : t("publishersLib.someThroughCsp", { offers: o, csp: count(p.cspOffers) });
}
