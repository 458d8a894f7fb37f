// The filters above the table. Every value shows how many offers it would give.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type RefObject, useEffect, useRef, useState } from "react";

import * as api from "../api";
import type { Facets } from "../bindings/Facets";
import type { OfferFilter } from "../bindings/OfferFilter";
import type { OfferType } from "../bindings/OfferType";
import type { PublisherOption } from "../bindings/PublisherOption";
import { count } from "../format";
import { Contained } from "../shell/Contained";
import { SearchField, composing } from "../shell/SearchField";
import { EMPTY_FILTER } from "./windowing";

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
  const toggleType = (t: OfferType) =>
    onChange({ ...filter, types: filter.types.includes(t) ? filter.types.filter((x) => x !== t) : [...filter.types, t] });
  return (
    <Contained className="filters" role="search" label="Offers">
      <div className="filter-row">
        <SearchField
          ref={searchRef}
          id="search"
          className="search"
          placeholder="Search offers  (Ctrl+F)"
          title="Words in the title, publisher or description"
          label="Search offers"
          value={filter.search}
          onSearch={onSearch}
          onKeyDown={onSearchKey}
        />
        <CategoryPicker filter={filter} facets={facets} onChange={onChange} />
        <PublisherPicker market={market} filter={filter} facets={facets} onChange={onChange} />
      </div>
      <div className="filter-row">
        <div className="chips" role="group" aria-label="Product type">
          <button
            type="button"
            className={filter.types.length === 0 ? "chip on" : "chip"}
            aria-pressed={filter.types.length === 0}
            onClick={() => onChange({ ...filter, types: [] })}
          >
            All types
          </button>
          {facets?.types.map((t) => (
            <button
              type="button"
              key={t.value}
              data-type={t.value}
              className={filter.types.includes(t.value as OfferType) ? "chip on" : "chip"}
              aria-pressed={filter.types.includes(t.value as OfferType)}
              onClick={() => toggleType(t.value as OfferType)}
            >
              {t.label} <span className="count">{count(t.count)}</span>
            </button>
          ))}
        </div>
        <label className="check" title="Only offers with a free trial">
          <input
            type="checkbox"
            id="trial-only"
            checked={filter.trialOnly}
            onChange={(e) => onChange({ ...filter, trialOnly: e.target.checked })}
          />
          Free trial <span className="count">{facets ? count(facets.trial) : ""}</span>
        </label>
        <div className="spacer" />
        <span className="result-count" id="result-count" aria-live="polite">
          {total === null ? "…" : `${count(total)} ${total === 1 ? "offer" : "offers"}`}
        </span>
        {/* Always there, disabled when there is nothing to clear: a button that comes and goes
            with the first key typed costs WebKitGTK a relayout on that key. */}
        <button type="button" className="ghost" onClick={() => onChange(EMPTY_FILTER)} id="clear-filters" disabled={!active}>
          Clear filters
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
    chosen.length === 0 ? "Any" : chosen.length === 1 ? labelOf(chosen[0] ?? "") : `${labelOf(chosen[0] ?? "")} +${chosen.length - 1}`;
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
        Category: {summary} ▾
      </button>
      {open && (
        <div
          className="popover"
          role="listbox"
          aria-multiselectable="true"
          aria-label="Categories"
          onKeyDown={(e) => {
            if (e.key === "Escape" && !composing(e)) {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <input
            className="popover-find"
            placeholder="Find a category"
            value={find}
            onChange={(e) => setFind(e.target.value)}
            autoFocus
            aria-label="Find a category"
          />
          <div className="popover-list">
            {list.map((c) => (
              <label key={c.value} className={c.count === 0 ? "option empty" : "option"} data-category={c.value}>
                <input type="checkbox" checked={chosen.includes(c.value)} onChange={() => toggle(c.value)} />
                <span className="option-label">{c.label}</span>
                <span className="count">{count(c.count)}</span>
              </label>
            ))}
            {list.length === 0 && <div className="muted option">No category matches</div>}
          </div>
          <div className="popover-foot">
            <button type="button" className="ghost" disabled={!chosen.length} onClick={() => onChange({ ...filter, categories: [] })}>
              Clear
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Done
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function PublisherPicker({ market, filter, facets, onChange }: Pick<Props, "market" | "filter" | "facets" | "onChange">) {
  const [text, setText] = useState("");
  const [highlighted, setHighlight] = useState({ text: "", index: 0 });
  const [open, setOpen] = useState(false);
  const p = filter.publisher;
  const prefix = text.trim();
  // A failed look-up offers nothing; the type-ahead is a shortcut, the filters still work.
  const found = useQuery({ queryKey: ["publishers", market, prefix, filter], queryFn: () => api.publishers(market, prefix, filter), enabled: open && prefix !== "", placeholderData: keepPreviousData });
  const options: PublisherOption[] = open && prefix !== "" ? (found.data ?? []) : [];
  // The first suggestion is highlighted again for each new text.
  const highlight = highlighted.text === text ? highlighted.index : 0;

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
      title={kind === "partner" ? "ISV offers: everything not published by Microsoft" : undefined}
      onClick={() => onChange({ ...filter, publisher: { kind } })}
    >
      {label} {n !== null && <span className="count">{count(n)}</span>}
    </button>
  );
  const all = facets ? facets.microsoft + facets.partner : null;
  return (
    <div className="publisher-filter" role="group" aria-label="Publisher">
      <span className="filter-label">Publisher</span>
      <div className="segmented">
        {seg("any", "All", all)}
        {seg("microsoft", "Microsoft", facets?.microsoft ?? null)}
        {seg("partner", "Partner", facets?.partner ?? null)}
      </div>
      {p.kind === "named" ? (
        <span className="chip on named-publisher" id="named-publisher">
          {p.name}
          <button
            type="button"
            className="chip-x"
            aria-label={`Remove publisher ${p.name}`}
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
            placeholder="One publisher…"
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
              if (composing(e)) return;
              if (e.key === "ArrowDown") {
                e.preventDefault();
                e.stopPropagation();
                setHighlight({ text, index: Math.min(options.length - 1, highlight + 1) });
              } else if (e.key === "ArrowUp") {
                e.preventDefault();
                e.stopPropagation();
                setHighlight({ text, index: Math.max(0, highlight - 1) });
              } else if (e.key === "Enter") {
                e.stopPropagation();
                const o = options[highlight];
                if (o) pick(o.name);
              } else if (e.key === "Escape") {
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
