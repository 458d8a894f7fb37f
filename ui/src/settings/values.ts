// The Settings form's values as typed: the "other markets" text as a list, and whether the
// advanced section has anything in it. Whether a value is allowed is the core's to say
// (api.checkSettings, the settings file's own rules), never repeated here.
import type { SettingsValues } from "../bindings";

/** A field's problem, in the UI's language, by the core's field names (`clientId`, `endpoints.arm`, …). */
export type FieldErrors = Partial<Record<string, string>>;

/** "gb, us ;de" → ["GB", "US", "DE"] (empty entries dropped, duplicates kept once). */
export function parseMarkets(text: string): string[] {
  const out: string[] = [];
  for (const m of text.split(/[\s,;]+/)) {
    const code = m.trim().toUpperCase();
    if (code && !out.includes(code)) out.push(code);
  }
  return out;
}

/** Whether any override is set (the advanced section then opens by itself). */
export function hasOverrides(v: SettingsValues): boolean {
  const e = v.endpoints;
  return [e.partnerCenter, e.partnerApi, e.arm, e.authority].some((u) => u.trim() !== "");
}
