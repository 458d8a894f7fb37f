import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { OfferQuery, OfferRow, OfferWindow } from "../bindings";
import { mount } from "../testing";

const api = vi.hoisted(() => ({ queryOffers: vi.fn(), offerDetail: vi.fn(), publishers: vi.fn() }));
vi.mock("../api", () => api);
const { Marketplace } = await import("./Marketplace");
const { EMPTY_FILTER, keepFilter } = await import("./windowing");

const row = (i: number): OfferRow => ({
  key: `k${i}`,
  productId: null,
  title: `Offer ${i}`,
  publisherName: "Contoso",
  type: "saas",
  categories: [],
  freeTrial: false,
  plans: 1,
  purchasable: true,
  match: "exact",
});
const answer = (q: OfferQuery): OfferWindow => ({
  total: 3,
  offset: q.offset,
  rows: [row(0), row(1), row(2)],
  facets: { types: [], categories: [], microsoft: 0, partner: 3, trial: 0 },
});
/** The search text of every query_offers call so far. */
const searched = () => api.queryOffers.mock.calls.map(([, q]) => (q as OfferQuery).filter.search);

afterEach(() => {
  vi.clearAllMocks();
  keepFilter(EMPTY_FILTER);
});

async function view() {
  api.queryOffers.mockImplementation((_m: string, q: OfferQuery) => Promise.resolve(answer(q)));
  const el = await mount(<Marketplace market="US" ready catalog="2026-11-20T10:00:00Z" syncing={false} navigate={() => {}} />);
  const field = el.querySelector<HTMLInputElement>("#search")!;
  return { el, field };
}

/** What a browser sends while an input method composes `steps` (each the field's text so far). */
async function compose(field: HTMLInputElement, steps: string[], end = true) {
  await act(async () => {
    field.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true }));
    for (const text of steps) {
      field.value = text;
      field.dispatchEvent(new CompositionEvent("compositionupdate", { bubbles: true, data: text }));
      field.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true, data: text }));
    }
    if (end) field.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: steps.at(-1) }));
  });
}

const key = (target: Element, k: string, composing = false) =>
  act(async () => {
    target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, isComposing: composing, keyCode: composing ? 229 : 0 }));
  });

describe("the Marketplace search", () => {
  it("is a labelled search field in a named search landmark", async () => {
    const { el, field } = await view();
    expect(field.type).toBe("search");
    expect(el.querySelector("label[for='search']")?.textContent).toBe("Search offers");
    const landmark = field.closest("[role='search']");
    expect(landmark?.getAttribute("aria-label")).toBe("Offers");
  });

  it("asks the core on each key typed", async () => {
    const { field } = await view();
    for (const text of ["b", "ba"]) {
      await act(async () => {
        field.value = text;
        field.dispatchEvent(new InputEvent("input", { bubbles: true, data: text.at(-1) }));
      });
    }
    expect(searched()).toEqual(["", "b", "ba"]);
  });

  it("asks nothing while an input method composes, and the composed text when it ends", async () => {
    const { field } = await view();
    await compose(field, ["ㅎ", "하", "한"], false);
    expect(searched()).toEqual([""]);
    await act(async () => field.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "한" })));
    expect(searched()).toEqual(["", "한"]);
    // WebKit sends a last input event after compositionend: the same text is not asked twice.
    await act(async () => field.dispatchEvent(new InputEvent("input", { bubbles: true, data: "한" })));
    expect(searched()).toEqual(["", "한"]);
  });

  it("leaves Enter and Esc to the input method during a composition", async () => {
    const { el, field } = await view();
    field.focus();
    await compose(field, ["ㅎ", "하"], false);
    await key(field, "Enter", true);
    expect(document.activeElement).toBe(field);
    expect(el.querySelector("[aria-selected='true']")).toBeNull();
    await key(field, "Escape", true);
    expect(field.value).toBe("하");
    expect(searched()).toEqual([""]);
    // Once the composition is over, Enter goes to the first row and Esc clears the search.
    await act(async () => field.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "하" })));
    await key(field, "Enter");
    expect(document.activeElement?.id).toBe("offer-table");
  });

  it("clears the search with Esc", async () => {
    const { el, field } = await view();
    const clear = el.querySelector<HTMLButtonElement>("#clear-filters")!;
    await compose(field, ["한"]);
    expect(clear.disabled).toBe(false);
    await key(field, "Escape");
    expect(field.value).toBe("");
    expect(clear.disabled).toBe(true);
    // The rows for no search were asked for at the start, and are shown again from there.
    expect(searched()).toEqual(["", "한"]);
  });
});

describe("the CSP column", () => {
  it("says CSP does not sell a marketplace-only SaaS offer, and Portal only for what the portal deploys", async () => {
    const { CspCell } = await import("./OfferTable");
    const el = await mount(
      <>
        <CspCell purchasable saas />
        <CspCell purchasable={false} saas />
        <CspCell purchasable={false} saas={false} />
      </>,
    );
    const cells = [...el.children].map((c) => [c.textContent, c.getAttribute("title")]);
    expect(cells[0]?.[0]).toBe("CSP");
    expect(cells[1]?.[0]).toBe("Not in CSP");
    expect(cells[1]?.[1]).toContain("CSP does not sell this offer");
    expect(cells[2]?.[0]).toBe("Portal");
  });
});
