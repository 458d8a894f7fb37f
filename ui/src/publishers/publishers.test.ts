import { describe, expect, it } from "vitest";

import type { PublisherRow } from "../bindings";
import { contactLinks, httpsLink, mailtoLink, offersText, openWith, searchPublishers, telLink } from "./publishers";

const p = (name: string, id: string | null = null): PublisherRow => ({ key: name.toLowerCase(), name, id, microsoft: false, offers: 3, cspOffers: 1, notes: 0 });

describe("publisher search", () => {
  const list = [p("Contoso Security"), p("Adatum"), p("Northwind Contoso", "nw-1"), p("Fabrikam™ Labs", "fabrikam"), p("Écoute Systems")];

  it("ranks name prefixes, then word prefixes, then anywhere", () => {
    expect(searchPublishers(list, "contoso").map((x) => x.name)).toEqual(["Contoso Security", "Northwind Contoso"]);
    expect(searchPublishers(list, "ONTO").map((x) => x.name)).toEqual(["Contoso Security", "Northwind Contoso"]);
    expect(searchPublishers(list, "labs").map((x) => x.name)).toEqual(["Fabrikam™ Labs"]);
  });

  it("matches ids, accents and symbols, and returns all for blank", () => {
    expect(searchPublishers(list, "nw-1").map((x) => x.name)).toEqual(["Northwind Contoso"]);
    expect(searchPublishers(list, "ecoute").map((x) => x.name)).toEqual(["Écoute Systems"]);
    expect(searchPublishers(list, "fabrikam labs").map((x) => x.name)).toEqual(["Fabrikam™ Labs"]);
    expect(searchPublishers(list, "  ")).toHaveLength(5);
    expect(searchPublishers(list, "zzz")).toEqual([]);
  });
});

describe("contact links", () => {
  it("opens only https, mailto and tel", () => {
    expect(httpsLink("https://x.example/support")).toBe("https://x.example/support");
    expect(httpsLink("www.x.example")).toBe("https://www.x.example");
    expect(httpsLink("http://x.example")).toBeNull();
    expect(httpsLink("javascript:alert(1)")).toBeNull();
    expect(mailtoLink(" help@x.example ")).toBe("mailto:help@x.example");
    expect(mailtoLink("not an email")).toBeNull();
    expect(telLink("+1 (425) 555-0100")).toBe("tel:+14255550100");
    expect(telLink("n/a")).toBeNull();
  });

  it("lists support, email, phone, then other links without repeating the support URL", () => {
    const links = contactLinks({
      name: "Fabrikam", id: null, microsoft: false, supportUri: "https://fabrikam.example/support", email: "help@fabrikam.example", phone: "+44 20 7946 0000",
      links: [{ label: "Support", uri: "https://fabrikam.example/support" }, { label: "Website", uri: "https://fabrikam.example" }],
    });
    expect(links.map((l) => [l.label, l.href])).toEqual([
      ["Support", "https://fabrikam.example/support"],
      ["Email", "mailto:help@fabrikam.example"],
      ["Phone", "tel:+442079460000"],
      ["Website", "https://fabrikam.example"],
    ]);
  });
});

describe("what the view opens with", () => {
  it("prefers the subscription lookup, then a publisher, else the list", () => {
    expect(openWith({ customerId: "c", subscriptionId: "s" })).toEqual({ kind: "lookup", customerId: "c", subscriptionId: "s" });
    expect(openWith({ customerId: "c" })).toEqual({ kind: "browse" });
    expect(openWith({ publisher: " Fabrikam " })).toEqual({ kind: "publisher", name: "Fabrikam" });
    expect(openWith({})).toEqual({ kind: "browse" });
  });

  it("counts offers", () => {
    expect(offersText({ offers: 3, cspOffers: 1 })).toBe("3 offers · 1 through CSP");
    expect(offersText({ offers: 1, cspOffers: 1 })).toBe("1 offer, all through CSP");
  });
});
