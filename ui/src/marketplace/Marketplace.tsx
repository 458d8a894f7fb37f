// The Marketplace view: filters, the virtualized table (asking the core for the visible window
// only), and the detail panel. Keyboard: Ctrl+F search, Esc clear/close, arrows move, Enter opens.
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { startTransition, useEffect, useLayoutEffect, useRef, useState } from "react";

import * as api from "../api";
import type { OfferFilter } from "../bindings";
import { recordFirstRows, recordIpc, recordKeystroke } from "../perf";
import { ErrorBanner } from "../shell/ErrorBanner";
import { Empty } from "../shell/Grid";
import type { Navigate } from "../shell/nav";
import { focusSearch, useShortcuts } from "../shell/shortcuts";
import { useEvent } from "../shell/useEvent";
import { useKeyed } from "../shell/useKeyed";
import { DetailPanel } from "./DetailPanel";
import { t } from "../i18n";
import { Filters } from "./Filters";
import { OfferTable } from "./OfferTable";
import { EMPTY_FILTER, type LoadedWindow, keepFilter, keptFilter, type SortState, buildQuery, covers, rowAt, sameOnScreen, windowFor } from "./windowing";

interface Props {
  market: string;
  ready: boolean;
  /** When the market's catalog was synced: a new sync asks again. */
  catalog: string;
  syncing: boolean;
  navigate: Navigate;
}

/** One window of the list under a filter and sort: only the visible rows cross IPC. The
 * catalog changes only with a sync, which changes `catalog`, so an answer never goes stale. */
const offersQuery = (market: string, catalog: string, filter: OfferFilter, sort: SortState, offset: number, limit: number) =>
  queryOptions({
    queryKey: ["offers", market, catalog, filter, sort, offset, limit] as const,
    queryFn: async () => {
      const sent = performance.now();
      const w = await api.queryOffers(market, buildQuery(filter, sort, offset, limit));
      const answeredAt = performance.now();
      recordIpc(answeredAt - sent);
      const question = JSON.stringify([market, catalog, filter, sort]);
      return { w, win: { offset: w.offset, rows: w.rows } satisfies LoadedWindow, question, answeredAt };
    },
    staleTime: Infinity,
    gcTime: 60_000,
  });

/** The first window of a new question, for `span` visible rows. */
const top = (span: number) => windowFor(0, span, Number.MAX_SAFE_INTEGER);

export function Marketplace({ market, ready, catalog, syncing, navigate }: Props) {
  const client = useQueryClient();
  const [filter, setFilter] = useState<OfferFilter>(keptFilter);
  const [sort, setSort] = useState<SortState>({ key: "title", descending: false });
  // The question, less its window: a new one starts at the top, with nothing selected.
  const question = JSON.stringify([market, catalog, filter, sort]);
  // How many rows the table shows at once (changes with the window's height, not on scroll).
  const [span, setSpan] = useState(30);
  const [win, setWin] = useKeyed(question, top(span));
  const [selected, setSelected] = useKeyed<number | null>(question, null);
  const [opened, setOpened] = useState<{ market: string; key: string } | null>(null);
  const openKey = opened?.market === market ? opened.key : null;
  const searchRef = useRef<HTMLInputElement | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);

  useEffect(() => keepFilter(filter), [filter]);

  const offers = useQuery({
    ...offersQuery(market, catalog, filter, sort, win.offset, win.limit),
    enabled: ready,
    // The rows shown stay while the next answer is on its way; another market's never do.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[1] === market ? prev : undefined),
  });
  const data = offers.data;
  const total = data?.w.total ?? 0;

  // Perf (test builds): the keystroke whose rows are awaited, and what the screen showed before.
  const typed = useRef<{ search: string; at: number } | null>(null);
  const shown = useRef<typeof data>(undefined);
  useLayoutEffect(() => {
    if (!data || offers.isPlaceholderData || data === shown.current) return;
    const before = shown.current;
    shown.current = data;
    if (data.win.rows.length > 0) recordFirstRows();
    const item = typed.current;
    if (item && item.search === filter.search) {
      typed.current = null;
      const prev = before && { total: before.w.total, facets: before.w.facets, win: before.win };
      const alreadyShown = sameOnScreen(prev ?? null, { total: data.w.total, facets: data.w.facets, win: data.win });
      recordKeystroke(item.at, Math.max(item.at, data.answeredAt), alreadyShown);
    }
  }, [data, offers.isPlaceholderData, filter.search]);

  const onRange = useEvent((first: number, last: number) => {
    const s = Math.max(30, last - first);
    if (s !== span) setSpan(s);
    if (!data || covers(data.win, first, last, total)) return;
    setWin(windowFor(first, last, total));
  });

  const open = useEvent((i: number) => {
    setSelected(i);
    const r = rowAt(data?.win ?? null, i);
    if (r) setOpened({ market, key: r.key });
  });
  const closeDetail = useEvent(() => setOpened(null));

  // When the data layer holds the rows for the new text already (typed before, or deleted back
  // to), they are rendered in the key's own event: one window of rows, a few ms, on screen in
  // the next frame. Otherwise the handler asks the core at once, and the text joins the filter
  // in a transition, which never holds up the next key; the rows follow with the answer.
  const onSearch = (text: string) => {
    typed.current = { search: text, at: performance.now() };
    const next = offersQuery(market, catalog, { ...filter, search: text }, sort, 0, top(span).limit);
    const apply = () => setFilter((f) => ({ ...f, search: text }));
    if (client.getQueryData(next.queryKey) !== undefined) return apply();
    if (ready) void client.prefetchQuery(next);
    startTransition(apply);
  };
  const clearSearch = () => {
    if (searchRef.current) searchRef.current.value = "";
    onSearch("");
  };
  // What the field holds now: it can be a key ahead of `filter.search` while its rows load.
  const typedSearch = () => searchRef.current?.value ?? filter.search;

  const select = useEvent((i: number) => {
    setSelected(i);
    // An open detail follows the selection.
    if (openKey !== null) {
      const r = rowAt(data?.win ?? null, i);
      if (r) setOpened({ market, key: r.key });
    }
  });

  const onSearchKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "Enter") {
      e.preventDefault();
      gridRef.current?.focus();
      if (selected === null && total > 0) setSelected(0);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      if (typedSearch() !== "") clearSearch();
      else if (openKey) setOpened(null);
    }
  };

  // Ctrl+F focuses the search; Esc closes the panel (the grid's) or clears the search; the grid
  // takes the arrows and Enter.
  useShortcuts({
    "Mod+f": () => focusSearch(searchRef.current),
    Escape: () => {
      if (openKey || typedSearch() === "") return false;
      clearSearch();
    },
  });

  return (
    <div className="view marketplace">
      <Filters
        market={market}
        filter={filter}
        facets={data?.w.facets ?? null}
        total={data ? total : null}
        onChange={setFilter}
        onSearch={onSearch}
        searchRef={searchRef}
        onSearchKey={onSearchKey}
      />
      {offers.error && <ErrorBanner error={offers.error} what={t("marketplace.theOffersCouldNotBe")} onRetry={() => void offers.refetch()} />}
      <div className={openKey ? "content with-detail" : "content"}>
        <div className="list">
          {!ready && !data ? (
            <Empty id="empty-state">{syncing ? t("marketplace.fetchingTheCatalogForThe") : t("marketplace.noCatalogForThisMarket")}</Empty>
          ) : data && total === 0 ? (
            <Empty id="empty-state" label={t("marketplace.clearFilters")} onClick={() => setFilter(EMPTY_FILTER)}>
              {t("marketplace.noOfferMatchesTheseFilters")}
            </Empty>
          ) : null}
          <OfferTable
            total={total}
            win={data?.win ?? null}
            sort={sort}
            onSort={setSort}
            selected={selected}
            onSelect={select}
            onOpen={open}
            onClose={openKey ? closeDetail : undefined}
            onRange={onRange}
            gridRef={gridRef}
            resetKey={data?.question ?? ""}
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
