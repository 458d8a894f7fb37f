import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import { IpcError, copyText, offerDetail, publishers, queryOffers, syncCatalog, toIpcError } from "./api";
import { EMPTY_FILTER, buildQuery } from "./marketplace/windowing";

afterEach(() => clearMocks());

describe("api", () => {
  it("sends the market and query as the command's arguments", async () => {
    const seen: Array<{ cmd: string; args: unknown }> = [];
    mockIPC((cmd, args) => {
      seen.push({ cmd, args });
      return { total: 1, offset: 0, rows: [], facets: { types: [], categories: [], microsoft: 0, partner: 1, trial: 0 } };
    });
    const q = buildQuery({ ...EMPTY_FILTER, types: ["saas"] }, { key: "title", descending: false }, 0, 60);
    const w = await queryOffers("US", q);
    expect(w.total).toBe(1);
    expect(seen).toEqual([{ cmd: "query_offers", args: { market: "US", query: q } }]);
  });

  it("turns a rejected command into an IpcError the UI can branch on", async () => {
    mockIPC(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- Tauri rejects with the IpcError DTO, a plain object
      throw { kind: "notFound", message: "offer X in market US not found. Sync again", retryable: false };
    });
    const err = await offerDetail("US", "X").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect(err).toMatchObject({ kind: "notFound", message: expect.stringContaining("Sync again") as unknown });
  });

  it("maps unknown error shapes to kind unknown", () => {
    expect(toIpcError("boom").kind).toBe("unknown");
    expect(toIpcError({ kind: "martian", message: "x" }).kind).toBe("unknown");
    expect(toIpcError({ kind: "network", message: "down", retryable: true }).retryable).toBe(true);
  });

  it("passes the filter to the publisher type-ahead", async () => {
    mockIPC((cmd, args) => {
      expect(cmd).toBe("publishers");
      expect(args).toMatchObject({ market: "GB", prefix: "con", filter: { trialOnly: true } });
      return [{ name: "Contoso Ltd", count: 3 }];
    });
    const list = await publishers("GB", "con", { ...EMPTY_FILTER, trialOnly: true });
    expect(list).toEqual([{ name: "Contoso Ltd", count: 3 }]);
  });

  it("hands the sync a progress channel", async () => {
    mockIPC((cmd, args) => {
      expect(cmd).toBe("sync_catalog");
      const a = args as { market: string; onProgress: unknown };
      expect(a.market).toBe("US");
      expect(a.onProgress).toBeDefined();
      return { market: "US", fetchedAt: "2026-11-21T06:00:00Z", offers: 10, marketplaceProducts: 9, marketplaceError: null };
    });
    const s = await syncCatalog("US", () => {});
    expect(s.offers).toBe(10);
  });
});

describe("copy", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("uses the clipboard when there is one", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal("navigator", { clipboard: { writeText } });
    expect(await copyText("abc")).toBe(true);
    expect(writeText).toHaveBeenCalledWith("abc");
  });

  it("falls back to a textarea and execCommand, and cleans up", async () => {
    vi.stubGlobal("navigator", { clipboard: { writeText: vi.fn().mockRejectedValue(new Error("denied")) } });
    let copied = "";
    document.execCommand = vi.fn(() => {
      copied = (document.activeElement as HTMLTextAreaElement | null)?.value ?? (document.querySelector("textarea") as HTMLTextAreaElement).value;
      return true;
    });
    expect(await copyText("the link")).toBe(true);
    expect(copied).toBe("the link");
    expect(document.querySelector("textarea")).toBeNull();
  });
});
