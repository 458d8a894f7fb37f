import { describe, expect, it } from "vitest";

import type { OfferRow } from "../bindings";
import { EMPTY_FILTER, buildQuery, covers, rowAt, sameOnScreen, windowFor } from "./windowing";

const row = (i: number): OfferRow => ({
  key: `K${i}`,
  productId: `P${i}`,
  title: `Offer ${i}`,
  publisherName: "Contoso",
  type: "saas",
  categories: [],
  freeTrial: false,
  plans: 1,
  purchasable: true,
  match: "exact",
});

describe("windowFor", () => {
  it("asks for the visible rows plus overscan, aligned and bounded", () => {
    const w = windowFor(0, 24, 100_000);
    expect(w.offset).toBe(0);
    expect(w.limit).toBeGreaterThanOrEqual(25);
    expect(w.limit).toBeLessThanOrEqual(500);
    const deep = windowFor(50_010, 50_034, 100_000);
    expect(deep.offset % 20).toBe(0);
    expect(deep.offset).toBeLessThanOrEqual(50_010);
    expect(deep.offset + deep.limit).toBeGreaterThan(50_034);
    expect(deep.limit).toBeLessThanOrEqual(500);
  });

  it("never asks for a huge window even for a huge viewport", () => {
    expect(windowFor(0, 5_000, 100_000).limit).toBe(500);
  });
});

describe("covers / rowAt", () => {
  const win = { offset: 100, rows: Array.from({ length: 50 }, (_, i) => row(100 + i)) };
  it("knows when the visible rows are loaded", () => {
    expect(covers(win, 100, 149, 1000)).toBe(true);
    expect(covers(win, 99, 120, 1000)).toBe(false);
    expect(covers(win, 120, 150, 1000)).toBe(false);
    expect(covers(null, 0, 10, 1000)).toBe(false);
    // the end of the list is clamped to the total
    expect(covers({ offset: 0, rows: [row(0), row(1)] }, 0, 30, 2)).toBe(true);
  });
  it("maps absolute indexes into the window", () => {
    expect(rowAt(win, 100)?.title).toBe("Offer 100");
    expect(rowAt(win, 149)?.title).toBe("Offer 149");
    expect(rowAt(win, 150)).toBeUndefined();
    expect(rowAt(win, 99)).toBeUndefined();
  });
});

describe("queries", () => {
  it("builds the core's query shape", () => {
    const q = buildQuery({ ...EMPTY_FILTER, search: "backup" }, { key: "publisher", descending: true }, 40, 80);
    expect(q).toEqual({
      filter: { types: [], categories: [], publisher: { kind: "any" }, trialOnly: false, search: "backup" },
      sort: "publisher",
      descending: true,
      offset: 40,
      limit: 80,
    });
  });
});

describe("sameOnScreen", () => {
  const shown = (keys: number[], total = 8, facets: unknown = { trial: 1 }) => ({
    total,
    facets,
    win: { offset: 0, rows: keys.map(row) },
  });
  it("holds when the count, the facet counts and the rows are all the same", () => {
    expect(sameOnScreen(shown([1, 2, 3]), shown([1, 2, 3]))).toBe(true);
  });
  it("fails on anything a user would see change", () => {
    expect(sameOnScreen(null, shown([1]))).toBe(false);
    expect(sameOnScreen(shown([1, 2, 3]), shown([1, 3, 2]))).toBe(false);
    expect(sameOnScreen(shown([1, 2, 3]), shown([1, 2]))).toBe(false);
    expect(sameOnScreen(shown([1, 2, 3]), shown([1, 2, 3], 9))).toBe(false);
    expect(sameOnScreen(shown([1, 2, 3]), shown([1, 2, 3], 8, { trial: 2 }))).toBe(false);
    expect(sameOnScreen(shown([1]), { ...shown([1]), win: { offset: 40, rows: [row(1)] } })).toBe(false);
  });
});
