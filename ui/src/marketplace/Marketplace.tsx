// The Marketplace view: filters, the virtualized table (asking the core for the visible window
// only), and the detail panel. Keyboard: Ctrl+F search, Esc clear/close, arrows move, Enter opens.
import { type MutableRefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";

import * as api from "../api";
import type { IpcError } from "../api";
import type { Facets } from "../bindings/Facets";
import type { OfferFilter } from "../bindings/OfferFilter";
import { recordFirstRows, recordIpc, recordKeystroke } from "../perf";
import { ErrorBanner } from "../shell/ErrorBanner";
import type { FramedInputHandle } from "../shell/FramedInput";
import type { Navigate } from "../shell/nav";
import { DetailPanel } from "./DetailPanel";
import { Filters } from "./Filters";
import { OfferTable, ROW_HEIGHT } from "./OfferTable";
import { EMPTY_FILTER, type LoadedWindow, type SortState, buildQuery, covers, moveSelection, rowAt, sameOnScreen, windowFor } from "./windowing";

interface Props {
  market: string;
  ready: boolean;
  version: number;
  syncing: boolean;
  /** Where the filters live across views: read on mount, written on every change. */
  filterRef: MutableRefObject<OfferFilter>;
  navigate: Navigate;
}

interface Loaded {
  total: number;
  facets: Facets;
  win: LoadedWindow;
  /** The query this answers, less its window: a new one scrolls the table to the top. */
  query: string;
  /** performance.now() of the keystroke this answer is for */
  keystrokeAt: number | null;
  /** This answer shows exactly what the one before showed (see perf.ts) */
  alreadyShown: boolean;
  answeredAt: number;
}

// A focused frame is a focused FramedInput (the search field).
const isTextInput = (el: Element | null) =>
  el instanceof HTMLInputElement ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement ||
  el instanceof HTMLIFrameElement;

export function Marketplace({ market, ready, version, syncing, filterRef, navigate }: Props) {
  const [filter, setFilter] = useState<OfferFilter>(() => filterRef.current);
  filterRef.current = filter;
  const [sort, setSort] = useState<SortState>({ key: "title", descending: false });
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const searchRef = useRef<FramedInputHandle | null>(null);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const seq = useRef(0);
  const inflight = useRef<string | null>(null);
  const keystrokeAt = useRef<number | null>(null);
  const visible = useRef({ first: 0, last: 40 });

  // The last query asked for, so an effect does not repeat what a handler already sent.
  const requested = useRef<string | null>(null);

  const fetchFor = useCallback(
    async (f: OfferFilter, offset: number, limit: number) => {
      const key = JSON.stringify([market, f, sort, offset, limit, version]);
      if (inflight.current === key) return;
      inflight.current = key;
      requested.current = key;
      const mine = ++seq.current;
      // The typed text joins the filter state once its query is answered (see onSearch).
      const withSearch = (cur: OfferFilter) => (cur.search === f.search ? cur : { ...cur, search: f.search });
      const typedAt = keystrokeAt.current;
      keystrokeAt.current = null;
      try {
        const sent = performance.now();
        const w = await api.queryOffers(market, buildQuery(f, sort, offset, limit));
        const answeredAt = performance.now();
        recordIpc(answeredAt - sent);
        if (mine !== seq.current) return;
        // Commit in this task, so the rows make the very next frame instead of waiting for
        // React's scheduler to run after it.
        // The search text joins the state here, with its rows: a keystroke renders once.
        const next = { total: w.total, facets: w.facets, win: { offset: w.offset, rows: w.rows } };
        const alreadyShown = sameOnScreen(latest.current.data, next);
        flushSync(() => {
          setFilter(withSearch);
          setData({ ...next, query: JSON.stringify([market, f, sort, version]), keystrokeAt: typedAt, answeredAt, alreadyShown });
          setError(null);
        });
      } catch (e) {
        if (mine === seq.current) {
          setFilter(withSearch);
          setError(e as IpcError);
        }
      } finally {
        if (inflight.current === key) inflight.current = null;
      }
    },
    [market, sort, version],
  );
  const fetchWindow = useCallback(
    (offset: number, limit: number) => fetchFor(filter, offset, limit),
    [fetchFor, filter],
  );

  // A new query (filter, sort, market, or a fresh catalog) starts at the top.
  useEffect(() => {
    if (!ready) return;
    setSelected(null);
    const { first, last } = visible.current;
    const span = Math.max(30, last - first);
    const w = windowFor(0, span, Number.MAX_SAFE_INTEGER);
    if (requested.current === JSON.stringify([market, filter, sort, w.offset, w.limit, version])) return;
    void fetchWindow(w.offset, w.limit);
  }, [ready, fetchWindow, attempt]);

  // A market change closes the detail (the key belongs to the old market) and drops the old
  // market's rows rather than showing them while the new one loads.
  useEffect(() => {
    setOpenKey(null);
    setData(null);
  }, [market]);

  useLayoutEffect(() => {
    if (!data) return;
    if (data.win.rows.length > 0) recordFirstRows();
    if (data.keystrokeAt !== null) recordKeystroke(data.keystrokeAt, data.answeredAt, data.alreadyShown);
  }, [data]);

  // The table's callbacks read the latest state through a ref, so they keep their identity
  // and the memoized table does not re-render on each keystroke (only when rows arrive).
  const latest = useRef({ data, fetchWindow });
  latest.current = { data, fetchWindow };

  const onRange = useCallback((first: number, last: number) => {
    visible.current = { first, last };
    const { data: d, fetchWindow: fetch } = latest.current;
    if (!d || covers(d.win, first, last, d.total)) return;
    const w = windowFor(first, last, d.total);
    void fetch(w.offset, w.limit);
  }, []);

  const closeDetail = useCallback(() => setOpenKey(null), []);

  const open = useCallback((i: number) => {
    setSelected(i);
    const r = rowAt(latest.current.data?.win ?? null, i);
    if (r) setOpenKey(r.key);
  }, []);

  // Typing sends the query at once, from the handler: the re-render of the input then runs
  // while the core answers, instead of before the request leaves.
  // The text stays in the field (it is not written back), and joins the filter state when its
  // rows arrive, so the keystroke itself renders nothing: the edit and the rows take two frames,
  // not three.
  const onSearch = (text: string) => {
    keystrokeAt.current = performance.now();
    const next = { ...filter, search: text };
    if (!ready) {
      setFilter(next);
      return;
    }
    const { first, last } = visible.current;
    const w = windowFor(0, Math.max(30, last - first), Number.MAX_SAFE_INTEGER);
    void fetchFor(next, w.offset, w.limit);
  };

  // What the field holds now: it can be a key ahead of `filter.search` while its rows load.
  const typedSearch = () => searchRef.current?.element()?.value ?? filter.search;
  const clearSearch = () => {
    const field = searchRef.current?.element();
    if (field) field.value = "";
    onSearch("");
  };

  const total = data?.total ?? 0;
  const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);

  const move = useCallback(
    (delta: number) => {
      const next = moveSelection(selected, delta, total);
      setSelected(next);
      // An open detail follows the selection.
      if (next !== null && openKey !== null) {
        const r = rowAt(data?.win ?? null, next);
        if (r) setOpenKey(r.key);
      }
    },
    [selected, total, openKey, data],
  );

  const onTableKeyNow = (e: React.KeyboardEvent) => {
    const deltas: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -total, End: total };
    const d = deltas[e.key];
    if (d !== undefined) {
      e.preventDefault();
      move(d);
    } else if (e.key === "Enter" && selected !== null) {
      e.preventDefault();
      open(selected);
    }
  };

  const keyRef = useRef(onTableKeyNow);
  keyRef.current = onTableKeyNow;
  const onTableKey = useCallback((e: React.KeyboardEvent) => keyRef.current(e), []);

  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "Enter") {
      e.preventDefault();
      scrollRef.current?.focus();
      if (selected === null) setSelected(total > 0 ? 0 : null);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      if (typedSearch() !== "") clearSearch();
      else if (openKey) setOpenKey(null);
    }
  };

  // Window-wide keys: Ctrl+F focuses the search; Esc closes the panel or clears the search;
  // arrows and Enter work when no text field has the focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f") {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (e.defaultPrevented) return;
      const target = document.activeElement;
      if (e.key === "Escape") {
        if (openKey) setOpenKey(null);
        else if (typedSearch() !== "") clearSearch();
        return;
      }
      if (isTextInput(target) || target === scrollRef.current) return;
      if (target instanceof HTMLButtonElement && e.key === "Enter") return;
      if (["ArrowDown", "ArrowUp", "Enter", "PageDown", "PageUp"].includes(e.key)) {
        scrollRef.current?.focus();
        onTableKeyNow(e as unknown as React.KeyboardEvent);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <div className="view marketplace">
      <Filters
        market={market}
        filter={filter}
        facets={data?.facets ?? null}
        total={data ? data.total : null}
        onChange={setFilter}
        onSearch={onSearch}
        searchRef={searchRef}
        onSearchKey={onSearchKey}
      />
      {error && (
        <ErrorBanner
          error={error}
          what="The offers could not be listed"
          onRetry={() => {
            requested.current = null;
            setAttempt((a) => a + 1);
          }}
        />
      )}
      <div className={openKey ? "content with-detail" : "content"}>
        <div className="list">
          {!ready && !data ? (
            <div className="empty" id="empty-state">
              {syncing ? "Fetching the catalog for the first time…" : "No catalog for this market yet. Press Sync."}
            </div>
          ) : data && data.total === 0 ? (
            <div className="empty" id="empty-state">
              No offer matches these filters.{" "}
              <button type="button" className="link" onClick={() => setFilter(EMPTY_FILTER)}>
                Clear filters
              </button>
            </div>
          ) : null}
          <OfferTable
            total={total}
            win={data?.win ?? null}
            sort={sort}
            onSort={setSort}
            selected={selected}
            onSelect={open}
            onOpen={open}
            onRange={onRange}
            scrollRef={scrollRef}
            resetKey={data?.query ?? ""}
            onKeyDown={onTableKey}
          />
        </div>
        {openKey && (
          <DetailPanel
            market={market}
            offerKey={openKey}
            preview={data?.win.rows.find((r) => r.key === openKey)}
            onClose={closeDetail}
            navigate={navigate}
          />
        )}
      </div>
    </div>
  );
}
