// The options of a `<select>`: each value with the words shown for it; the markets as
// "US · United States" in the UI's language.
import type { Market } from "../bindings";
import { regionName } from "../format";

export function Options({ items }: { items: ReadonlyArray<readonly [value: string, label: string]> }) {
  return items.map(([value, label]) => (
    <option key={value} value={value}>
      {label}
    </option>
  ));
}

/** `markets`, or `current` alone while they are not known. */
export function MarketOptions({ markets, current }: { markets: readonly Market[]; current?: string }) {
  const shown = markets.length || !current ? markets : [{ code: current, name: "" }];
  return <Options items={shown.map((m) => [m.code, m.name ? `${m.code} · ${regionName(m.code, m.name)}` : m.code])} />;
}
