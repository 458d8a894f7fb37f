// The filters above the table. Every value shows how many offers it would give.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type RefObject, useEffect, useRef, useState } from "react";

import * as api from "../api";
import type { Facets, OfferFilter, OfferType, PublisherOption } from "../bindings";
import { count, typeLabel } from "../format";
import { Contained } from "../shell/Contained";
import { SearchField, composing } from "../shell/SearchField";
import { pickKeys } from "../shell/shortcuts";
import { useKeyed } from "../shell/useKeyed";
import { EMPTY_FILTER } from "./windowing";
import { t } from "../i18n";
import { Trans } from "react-i18next";

interface Props {
  market: string;
  filter: OfferFilter;
  facets: Facets | null;
  total: number | null;
  onChange: (f: OfferFilter) => void;
  onSearch: (text: string) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  onSearchKey: (e: React.KeyboardEvent) => void;
}

export function Filters({ market, filter, facets, total, onChange, onSearch, searchRef, onSearchKey }: Props) {
  const active =
    filter.types.length > 0 || filter.categories.length > 0 || filter.publisher.kind !== "any" || filter.trialOnly || filter.search !== "";
  const toggleType = (item: OfferType) =>
    onChange({ ...filter, types: filter.types.includes(item) ? filter.types.filter((x) => x !== item) : [...filter.types, item] });
  return (
    <Contained className="filters" role="search" label={t("filters.offers")}>
      <div className="filter-row">
        <SearchField
          ref={searchRef}
          id="search"
          className="search"
          placeholder={t("filters.searchOffersCtrlF")}
          title={t("filters.wordsInTheTitlePublisher")}
          label={t("filters.searchOffers")}
          value={filter.search}
          onSearch={onSearch}
          onKeyDown={onSearchKey}
        />
        <CategoryPicker filter={filter} facets={facets} onChange={onChange} />
        <PublisherPicker market={market} filter={filter} facets={facets} onChange={onChange} />
      </div>
      <div className="filter-row">
        <div className="chips" role="group" aria-label={t("filters.productType")}>
          <button
            type="button"
            className={filter.types.length === 0 ? "chip on" : "chip"}
            aria-pressed={filter.types.length === 0}
            onClick={() => onChange({ ...filter, types: [] })}
          >
            {t("filters.allTypes")}
          </button>
          {facets?.types.map((item) => (
            <button
              type="button"
              key={item.value}
              data-type={item.value}
              className={filter.types.includes(item.value as OfferType) ? "chip on" : "chip"}
              aria-pressed={filter.types.includes(item.value as OfferType)}
              onClick={() => toggleType(item.value as OfferType)}
            >
              {typeLabel(item.value)} <span className="count">{count(item.count)}</span>
            </button>
          ))}
        </div>
        <label className="check" title={t("filters.onlyOffersWithAFree")}>
          <input
            type="checkbox"
            id="trial-only"
            checked={filter.trialOnly}
            onChange={(e) => onChange({ ...filter, trialOnly: e.target.checked })}
          />
          {t("filters.freeTrial")} <span className="count">{facets ? count(facets.trial) : ""}</span>
        </label>
        <div className="spacer" />
        <span className="result-count" id="result-count" aria-live="polite">
          {total === null ? "…" : t("filters.offers", { count: total, n: count(total) })}
        </span>
        {/* Always there, disabled when there is nothing to clear: a button that comes and goes
            with the first key typed costs WebKitGTK a relayout on that key. */}
        <button type="button" className="ghost" onClick={() => onChange(EMPTY_FILTER)} id="clear-filters" disabled={!active}>
          {t("filters.clearFilters")}
        </button>
      </div>
    </Contained>
  );
}

function CategoryPicker({ filter, facets, onChange }: Pick<Props, "filter" | "facets" | "onChange">) {
  const [open, setOpen] = useState(false);
  const [find, setFind] = useState("");
  const box = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  const chosen = filter.categories;
  const labelOf = (id: string) => facets?.categories.find((c) => c.value === id)?.label ?? id;
  const summary =
    chosen.length === 0 ? t("filters.any") : chosen.length === 1 ? labelOf(chosen[0] ?? "") : t("filters.andMore", { first: labelOf(chosen[0] ?? ""), more: chosen.length - 1 });
  const toggle = (id: string) =>
    onChange({ ...filter, categories: chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id] });
  const list = (facets?.categories ?? []).filter((c) => c.label.toLowerCase().includes(find.toLowerCase()));
  return (
    <div className="popover-anchor" ref={box}>
      <button
        type="button"
        id="category-button"
        className={chosen.length ? "select-button on" : "select-button"}
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t("filters.categorySummary", { summary })}
      </button>
      {open && (
        <div
          className="popover"
          role="listbox"
          aria-multiselectable="true"
          aria-label={t("filters.categories")}
          onKeyDown={(e) => {
            if (e.key === "Escape" && !composing(e)) {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <input
            className="popover-find"
            placeholder={t("filters.findACategory")}
            value={find}
            onChange={(e) => setFind(e.target.value)}
            autoFocus
            aria-label={t("filters.findACategory")}
          />
          <div className="popover-list">
            {list.map((c) => (
              <label key={c.value} className={c.count === 0 ? "option empty" : "option"} data-category={c.value}>
                <input type="checkbox" checked={chosen.includes(c.value)} onChange={() => toggle(c.value)} />
                <span className="option-label">{c.label}</span>
                <span className="count">{count(c.count)}</span>
              </label>
            ))}
            {list.length === 0 && <div className="muted option">{t("filters.noCategoryMatches")}</div>}
          </div>
          <div className="popover-foot">
            <button type="button" className="ghost" disabled={!chosen.length} onClick={() => onChange({ ...filter, categories: [] })}>
              {t("filters.clear")}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t("filters.done")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function PublisherPicker({ market, filter, facets, onChange }: Pick<Props, "market" | "filter" | "facets" | "onChange">) {
  const [text, setText] = useState("");
  // The first suggestion is highlighted again for each new text.
  const [highlight, setHighlight] = useKeyed(text, 0);
  const [open, setOpen] = useState(false);
  const p = filter.publisher;
  const prefix = text.trim();
  // A failed look-up offers nothing; the type-ahead is a shortcut, the filters still work.
  const found = useQuery({ queryKey: ["publishers", market, prefix, filter], queryFn: () => api.publishers(market, prefix, filter), enabled: open && prefix !== "", placeholderData: keepPreviousData });
  const options: PublisherOption[] = open && prefix !== "" ? (found.data ?? []) : [];

  const pick = (name: string) => {
    onChange({ ...filter, publisher: { kind: "named", name } });
    setText("");
    setOpen(false);
  };
  const seg = (kind: "any" | "microsoft" | "partner", label: string, n: number | null) => (
    <button
      type="button"
      className={p.kind === kind ? "seg on" : "seg"}
      aria-pressed={p.kind === kind}
      data-publisher={kind}
      title={kind === "partner" ? t("filters.isvOffersEverythingNotPublished") : undefined}
      onClick={() => onChange({ ...filter, publisher: { kind } })}
    >
      {label} {n !== null && <span className="count">{count(n)}</span>}
    </button>
  );
  const all = facets ? facets.microsoft + facets.partner : null;
  return (
    <div className="publisher-filter" role="group" aria-label={t("filters.publisher")}>
      <Trans i18nKey="filters.publisher2" components={{ span: <span className="filter-label" /> }} />
      <div className="segmented">
        {seg("any", t("filters.all"), all)}
        {seg("microsoft", t("filters.microsoft"), facets?.microsoft ?? null)}
        {seg("partner", t("filters.partner"), facets?.partner ?? null)}
      </div>
      {p.kind === "named" ? (
        <span className="chip on named-publisher" id="named-publisher">
          {p.name}
          <button
            type="button"
            className="chip-x"
            aria-label={t("filters.removePublisherName", { name: p.name })}
            onClick={() => onChange({ ...filter, publisher: { kind: "any" } })}
          >
            ✕
          </button>
        </span>
      ) : (
        <div className="popover-anchor">
          <input
            id="publisher-input"
            className="publisher-input"
            placeholder={t("filters.onePublisher")}
            role="combobox"
            aria-expanded={open && options.length > 0}
            aria-controls="publisher-options"
            aria-autocomplete="list"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={(e) => {
              if (pickKeys(e, options.length, highlight, setHighlight, (i) => options[i] && pick(options[i].name))) return;
              if (e.key === "Escape" && !composing(e)) {
                e.stopPropagation();
                setText("");
                setOpen(false);
              }
            }}
            autoComplete="off"
          />
          {open && options.length > 0 && (
            <ul className="popover suggestions" id="publisher-options" role="listbox">
              {options.map((o, i) => (
                <li
                  key={o.name}
                  role="option"
                  aria-selected={i === highlight}
                  className={i === highlight ? "option hl" : "option"}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pick(o.name);
                  }}
                >
                  <span className="option-label">{o.name}</span>
                  <span className="count">{count(o.count)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
