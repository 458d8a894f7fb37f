// The Settings form's checks, run as the person types and before saving. They mirror the
// settings file's own validators (src/settings.rs); the core checks again on save and its
// words win (shown next to the same field). Field names are the ones the core's FieldError uses.
import type { SettingsValues } from "../bindings/SettingsValues";
import { t } from "../i18n";

export type FieldErrors = Partial<Record<string, string>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isGuid(s: string): boolean {
  return GUID.test(s.trim());
}

/** "gb, us ;de" → ["GB", "US", "DE"] (empty entries dropped, duplicates kept once). */
export function parseMarkets(text: string): string[] {
  const out: string[] = [];
  for (const m of text.split(/[\s,;]+/)) {
    const code = m.trim().toUpperCase();
    if (code && !out.includes(code)) out.push(code);
  }
  return out;
}

export function checkGuid(value: string, what: string): string | undefined {
  const v = value.trim();
  if (!v || isGuid(v)) return undefined;
  return t("validate.notGuid", { v, what });
}

export function checkTenant(value: string): string | undefined {
  const v = value.trim();
  if (!v || /^[A-Za-z0-9.-]+$/.test(v)) return undefined;
  return t("validate.notTenant", { v });
}

/** An endpoint override: empty (Microsoft's), https://, or http:// on this machine only. */
export function checkEndpoint(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return t("validate.notUrl", { v });
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") {
    if (LOOPBACK.has(url.hostname)) return undefined;
    return t("validate.plainHttp", { v });
  }
  return t("validate.notHttps", { v });
}

export function checkMarkets(markets: string[], known?: readonly string[]): string | undefined {
  if (markets.length === 0) return t("validate.noMarket");
  const bad = markets.find((m) => !/^[A-Z]{2}$/.test(m));
  if (bad) return t("validate.badMarket", { v: bad });
  const unknown = known?.length ? markets.find((m) => !known.includes(m)) : undefined;
  if (unknown) return t("validate.unknownMarket", { v: unknown });
  return undefined;
}

function isLoopbackUrl(value: string): boolean {
  try {
    return LOOPBACK.has(new URL(value.trim()).hostname);
  } catch {
    return false;
  }
}

/** Every field's problem, by the core's field names; empty when the form can be saved. */
export function validate(v: SettingsValues, knownMarkets?: readonly string[]): FieldErrors {
  const e: FieldErrors = {
    tenantId: checkTenant(v.tenantId),
    clientId: checkGuid(v.clientId, t("validate.clientId")),
    armSubscription: checkGuid(v.armSubscription, t("validate.armSubscription")),
    markets: checkMarkets(v.markets, knownMarkets),
    "endpoints.partnerCenter": checkEndpoint(v.endpoints.partnerCenter),
    "endpoints.partnerApi": checkEndpoint(v.endpoints.partnerApi),
    "endpoints.arm": checkEndpoint(v.endpoints.arm),
    "endpoints.authority": checkEndpoint(v.endpoints.authority),
  };
  if (v.connection === "partner-center" && !v.clientId.trim() && !e.clientId && !isLoopbackUrl(v.endpoints.authority)) {
    e.clientId = t("validate.clientIdNeeded");
  }
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  return e;
}

/** Whether any override is set (the advanced section then opens by itself). */
export function hasOverrides(v: SettingsValues): boolean {
  const e = v.endpoints;
  return [e.partnerCenter, e.partnerApi, e.arm, e.authority].some((u) => u.trim() !== "");
}
