// The one i18n layer: i18next with the English and Korean catalogs (locales/*.json), the
// language the app speaks, and the core's coded sentences rendered in it.
//
// The language is the OS's (the webview's navigator.languages) unless Settings names one
// (`language` in the settings file: system | en | ko). Changing it re-renders the app at once.
import i18n from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";

import type { Language, Message } from "./bindings";
import { typeLabel } from "./format";
import en from "./locales/en.json";
import ko from "./locales/ko.json";

export type Locale = "en" | "ko";
/** Each language by its own name (the way a language picker shows them). */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", ko: "한국어" };
export const LOCALES: readonly Locale[] = ["en", "ko"];

declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
    returnNull: false;
  }
}

// The OS's language as the core reads it from the locale variables (SettingsView.osLanguage):
// WebKitGTK's navigator.language says en-US when the named locale is not generated.
let osLanguage: string | null = null;
export const setOsLanguage = (tag: string | null): void => {
  osLanguage = tag;
};

const webviewLanguages = (): readonly string[] => (typeof navigator === "undefined" ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]);

/** The OS's language as one the app speaks: Korean for any `ko…` tag first in the list (the
 * core's reading of the OS first, then the webview's), else English. */
export function systemLocale(tags: readonly string[] = [...(osLanguage ? [osLanguage] : []), ...webviewLanguages()]): Locale {
  for (const tag of tags) {
    const base = tag.toLowerCase().split(/[-_.]/)[0];
    if (base === "ko") return "ko";
    if (base === "en") return "en";
  }
  return "en";
}

/** The locale a settings value asks for (`system` follows the OS). */
export const localeOf = (language: Language | null | undefined): Locale => (language === "en" || language === "ko" ? language : systemLocale());

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ko: { translation: ko } },
  lng: systemLocale(),
  fallbackLng: "en",
  supportedLngs: LOCALES,
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export const t = i18n.t;

/** The active locale (for Intl). */
export const locale = (): Locale => (i18n.language === "ko" ? "ko" : "en");

/** Switch the whole app to `l` at once (no restart). */
export function setLocale(l: Locale): void {
  if (i18n.language === l) return;
  void i18n.changeLanguage(l);
  document.documentElement.lang = l;
}

/** The active locale, re-rendering the caller when it changes. */
export function useLocale(): Locale {
  const { i18n: inst } = useTranslation();
  return inst.language === "ko" ? "ko" : "en";
}

/** A sentence the core sent as a code (`Message` binding), in the UI's language; the core's
 * English words when this build does not know the code. */
export function say(m: Message | null | undefined, english: string): string {
  if (!m) return english;
  const key = `core.${m.code}`;
  if (!i18n.exists(key) && !i18n.exists(`${key}_other`)) return english;
  const params: Record<string, unknown> = { ...("params" in m ? m.params : {}) };
  // a part of the sentence that is a sentence of its own (a code too) is said first; the whole
  // falls back to English when a part cannot be said
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== "object" || v === null || typeof (v as { code?: unknown }).code !== "string") continue;
    const part = say(v as Message, "");
    if (part === "") return english;
    params[k] = part;
  }
  // calendar days ("2026-11-08") become dates, for the catalog's datetime formats
  for (const [k, v] of Object.entries(params)) if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) params[k] = new Date(`${v}T00:00:00Z`);
  // an offer type is a code: said as partners call it
  if (typeof params.offerType === "string") params.offerType = typeLabel(params.offerType);
  // a service is said by what it serves (the `serves…` codes)
  if (typeof params.served === "string") params.served = say({ code: `serves${params.served.charAt(0).toUpperCase()}${params.served.slice(1)}` } as Message, params.served);
  // a number in the sentence picks its plural form
  const n = Object.values(params).find((v) => typeof v === "number");
  if (n !== undefined) params.count = n;
  return (i18n.t as (k: string, o: object) => string)(key, params);
}

export default i18n;
