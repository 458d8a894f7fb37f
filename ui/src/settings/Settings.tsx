// The Settings view: the account (who is signed in, Sign in / Sign out), then every setting of
// the settings file with its explanation, validated as you type and again by the core on Save
// (its words shown next to the field). A file that could not be read is named with its line.
// Ctrl+S saves.
import { About } from "../desktop/About";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import * as api from "../api";
import type { ConnectionChoice, Language, SettingsValues, SettingsView } from "../bindings";
import { dateTime, plain, time } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import type { ViewProps } from "../shell/nav";
import { MarketOptions } from "../shell/Options";
import { useShortcuts } from "../shell/shortcuts";
import { describeAccount, refreshWhoAmI, setWhoAmI, useWhoAmI } from "./account";
import { ConnectionCheck } from "./ConnectionCheck";
import { ServiceList } from "./ServiceList";
import { ScheduleTab } from "../prices/ScheduleTab";
import { SETTINGS_OPENED } from "./SessionBanner";
import "./settings.css";
import { useSignIn } from "./useSignIn";
import { type FieldErrors, hasOverrides, parseMarkets } from "./values";
import { LANGUAGE_NAMES, localeOf, say, setLocale, systemLocale, t } from "../i18n";
import { Trans } from "react-i18next";

type EndpointKey = keyof SettingsValues["endpoints"];

const ENDPOINTS: { key: EndpointKey; label: string; help: string }[] = [
  { key: "partnerCenter", get label() { return t("settings.partnerCenterApi"); }, get help() { return t("settings.defaultHttpsApiPartnercenterMicrosoft"); } },
  { key: "partnerApi", get label() { return t("settings.partnerApiPriceSheets"); }, get help() { return t("settings.defaultHttpsApiPartnerMicrosoft"); } },
  { key: "arm", get label() { return t("settings.azureResourceManagerMarketplaceCatalog"); }, get help() { return t("settings.defaultHttpsManagementAzureCom"); } },
  { key: "authority", get label() { return t("settings.signInAuthorityMicrosoftEntra"); }, get help() { return t("settings.defaultHttpsLoginMicrosoftonlineCom"); } },
];

interface FieldProps {
  id: string;
  label: string;
  help: React.ReactNode;
  error?: string;
}

/** Lines the settings file's reader has to say, in a notice (nothing when none). */
const notice = (lines: string[]) =>
  lines.length > 0 && (
    <div className="notice" role="note">
      <div>
        {lines.map((line) => (
          <div key={line}>{line}</div>
        ))}
      </div>
    </div>
  );

/** A setting: its label, its control, and its help, or what is wrong with it. */
function Field({ id, label, help, error, children }: FieldProps & { children: React.ReactNode }) {
  return (
    <div className={error ? "field invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {plain(error)}
        </div>
      ) : (
        <div className="field-help">{help}</div>
      )}
    </div>
  );
}

/** A setting typed as text (`button` goes beside the field). */
function TextField({ value, placeholder, onChange, button, ...field }: FieldProps & { value: string; placeholder: string; onChange: (v: string) => void; button?: React.ReactNode }) {
  const input = <input id={field.id} value={value} placeholder={placeholder} spellCheck={false} onChange={(e) => onChange(e.target.value)} />;
  return (
    <Field {...field}>
      {button ? (
        <div className="input-row">
          {input}
          {button}
        </div>
      ) : (
        input
      )}
    </Field>
  );
}

function Account({
  toast,
  saved,
  reconnect,
}: {
  toast: (m: string) => void;
  saved: SettingsValues | null;
  reconnect: () => void;
}) {
  const client = useQueryClient();
  const { who, error } = useWhoAmI();
  // Which audiences work (one token request each); a failed check leaves the answer as it was.
  const audiences = useMutation({ mutationFn: () => api.whoami(true), onSuccess: (w) => setWhoAmI(client, w) });
  const check = audiences.mutate;
  const checking = audiences.isPending;
  // The core opens a new connection on the sign-in: the window reconnects and the audiences
  // are checked.
  const signIn = useSignIn(toast, () => {
    reconnect();
    check();
  });
  // Asked once when the view opens on a signed-in account.
  const signedIn = who?.signedIn ?? false;
  useEffect(() => {
    if (signedIn) check();
  }, [signedIn, check]);

  const out = useMutation({
    mutationFn: api.signOut,
    onSuccess: (c) => {
      setWhoAmI(client, c.who);
      reconnect();
      toast(t("settings.signedOut"));
    },
  });

  let body: React.ReactNode;
  if (!who) {
    body = error ? <p className="muted">{error.text}</p> : <p className="muted">{t("settings.checking")}</p>;
  } else if (!who.signInNeeded) {
    body = <p id="account-status">{say(who.noteMessage, who.note ?? "")}</p>;
  } else if (signIn.waiting) {
    body = (
      <div className="account-row" id="account-status">
        <span className="spinner" aria-hidden="true" />
        <span>
          <Trans i18nKey="settings.waitingForTheBrowserFinish" components={{ strong: <strong /> }} />
        </span>
        <button type="button" onClick={signIn.cancel} id="cancel-sign-in">
          {t("settings.cancel")}
        </button>
      </div>
    );
  } else if (who.signedIn) {
    body = (
      <>
        <div className="account-row" id="account-status">
          <span className="dot ok" aria-hidden="true" />
          <span>
            <Trans i18nKey="settings.signedInAsWhoTo" values={{ who: describeAccount(who) }} components={{ strong: <strong /> }} /> <code>{who.tenantId ?? t("settings.unknown")}</code>
            {who.signedInAt && <span className="muted"> {t("settings.sinceSignedinat", { signedInAt: dateTime(who.signedInAt) })}</span>}
          </span>
          <span className="spacer" />
          <button type="button" onClick={() => check()} disabled={checking}>
            {checking ? t("settings.checking") : t("settings.checkAccess")}
          </button>
          <button type="button" onClick={() => out.mutate()} disabled={out.isPending} id="sign-out">
            {t("settings.signOut")}
          </button>
        </div>
        {who.audiences.length > 0 && (
          <ServiceList
            items={who.audiences.map((a) => ({ name: a.audience, serves: say(a.servesMessage, a.serves), ok: a.ok, detail: say(a.problemMessage, a.problem ?? "") }))}
          />
        )}
      </>
    );
  } else {
    const pending = saved?.connection === "partner-center" ? null : t("settings.saveWithPartnerCenterFirst");
    body = (
      <div className="account-row" id="account-status">
        <span className={who.expired ? "dot warn" : "dot"} aria-hidden="true" />
        <span>
          {who.expired ? <Trans i18nKey="settings.theSignInOfWho" values={{ who: describeAccount(who) }} components={{ strong: <strong /> }} /> : t("settings.notSignedInSignIn")}
          {pending && <div className="muted">{pending}</div>}
        </span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={signIn.start} id="sign-in">
          {who.expired ? t("settings.signInAgain") : t("settings.signIn")}
        </button>
      </div>
    );
  }

  return (
    <section className="settings-section" aria-labelledby="account-h">
      <h2 id="account-h">{t("settings.account")}</h2>
      {body}
      {who && who.signInNeeded && (
        <p className="field-help">
          <Trans i18nKey="settings.signingInAtAuthority" values={{ authority: who.authority }} components={{ code: <code /> }} />
          {who.clientId && (
            <>
              {" "}
              <Trans i18nKey="settings.asAppClientid" values={{ clientId: who.clientId }} components={{ code: <code /> }} />
            </>
          )}
          {t("settings.theSignInIsKept")}
        </p>
      )}
      {signIn.error && (
        <ErrorBanner error={signIn.error} what={t("settings.theSignInDidNot")} hint="" onDismiss={signIn.clearError} />
      )}
      {out.error && <ErrorBanner error={out.error} what={t("settings.signingOutFailed")} onDismiss={out.reset} />}
    </section>
  );
}

export function Settings(props: ViewProps) {
  // Read anew each time the view opens (nothing kept once it closes).
  const loaded = useQuery({ queryKey: ["settings"], queryFn: api.readSettings, gcTime: 0 });
  useEffect(() => {
    window.dispatchEvent(new Event(SETTINGS_OPENED));
  }, []);
  if (loaded.data && !loaded.error) return <SettingsForm {...props} loaded={loaded.data} />;
  return (
    <section className="view settings">
      {loaded.error ? <ErrorBanner error={loaded.error} what={t("settings.theSettingsCouldNotBe")} onRetry={() => void loaded.refetch()} /> : <p className="muted settings-loading">{t("settings.readingTheSettings")}</p>}
    </section>
  );
}

/** The form, from the settings as read when the view opened. */
function SettingsForm({ markets, toast, reconnect, loaded }: ViewProps & { loaded: SettingsView }) {
  const client = useQueryClient();
  const [view, setView] = useState(loaded);
  const [values, setValues] = useState(loaded.values);
  const [otherMarkets, setOtherMarkets] = useState(() => loaded.values.markets.slice(1).join(", "));
  const [touched, setTouched] = useState(false);
  const [savedNote, setSavedNote] = useState<{ at: Date } | null>(null);
  const [showAdvanced, setShowAdvanced] = useState(() => hasOverrides(loaded.values));

  // The core checks the form as the person types (the settings file's own rules, one home).
  const checked = useQuery({ queryKey: ["check-settings", values], queryFn: () => api.checkSettings(values), enabled: touched, placeholderData: keepPreviousData });
  const errors: FieldErrors = touched ? Object.fromEntries((checked.data ?? []).map((e) => [e.field, say(e.messageCode, e.message)])) : {};
  const dirty = JSON.stringify(values) !== JSON.stringify(view.values);

  const edit = (patch: Partial<SettingsValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setTouched(true);
    setSavedNote(null);
  };
  // Back to `v` as saved: nothing typed, nothing to say about it.
  const showSaved = (v: SettingsValues) => {
    setValues(v);
    setOtherMarkets(v.markets.slice(1).join(", "));
    setTouched(false);
  };
  const setMarkets = (first: string, others: string) => {
    setOtherMarkets(others);
    edit({ markets: [first, ...parseMarkets(others).filter((m) => m !== first)] });
  };

  const saving = useMutation({
    mutationFn: async (v: SettingsValues) => {
      const out = await api.saveSettings(v);
      return { out, fresh: out.saved ? await api.readSettings() : null };
    },
    onSuccess: ({ out, fresh }, v) => {
      if (!fresh) {
        client.setQueryData(["check-settings", v], out.errors);
        setTouched(true);
        requestAnimationFrame(() => document.querySelector<HTMLElement>(".field.invalid input, .field.invalid select")?.focus());
        return;
      }
      setView(fresh);
      showSaved(fresh.values);
      setSavedNote({ at: new Date() });
      // The language applies at once, everywhere (no restart).
      setLocale(localeOf(fresh.values.language));
      toast(t("settings.saved"));
      void refreshWhoAmI(client);
      reconnect();
    },
  });
  const save = () => saving.mutate(values);

  useShortcuts({ "Mod+s": save });

  const folder = useMutation({
    mutationFn: () => api.chooseFolder(t("settings.folderForExports"), values.exportDir || view.defaultExportDir),
    onSuccess: (dir) => dir && edit({ exportDir: dir }),
  });
  const saveError = saving.error ?? folder.error;

  const partner = values.connection === "partner-center";
  const connectionCard = (connection: ConnectionChoice, words: React.ReactNode) => (
    <label className={values.connection === connection ? "choice-card on" : "choice-card"}>
      <input type="radio" name="connection" id={`connection-${connection}`} checked={values.connection === connection} onChange={() => edit({ connection })} />
      <span>{words}</span>
    </label>
  );

  return (
    <section className="view settings" aria-label={t("settings.settings")}>
      <div className="settings-scroll">
        <div className="settings-body">
          <header className="settings-head">
            <h1>{t("settings.settings")}</h1>
            <p className="muted" id="settings-file">
              {view.found ? t("settings.savedIn") : t("settings.notSavedYetTheseAre")}
              <Trans i18nKey="settings.pathWhichTheCspdeskCommand" values={{ path: view.path }} components={{ code: <code /> }} />
            </p>
          </header>

          {view.problem && (
            <div className="notice warn" role="alert" id="settings-problem">
              <div>
                <strong>
                  {t("settings.theSettingsFileCouldNot")}
                  {view.problem.line !== null && t("settings.lineLineValue", { line: view.problem.line, value: view.problem.column !== null ? t("settings.column", { column: view.problem.column }) : "" })}
                  :
                </strong>{" "}
                {plain(view.problem.message)}.
                <div>
                  {t("settings.cspDeskStartedWithThe")}
                  {view.problem.movedTo && (
                    <>
                      {" "}
                      <Trans i18nKey="settings.theFileWasKeptAs" values={{ movedTo: view.problem.movedTo }} components={{ code: <code /> }} />
                    </>
                  )}
                </div>
              </div>
            </div>
          )}
          {notice(view.warnings.map((w) => t("settings.settingsFileW", { w: plain(w) })))}
          {notice(view.overriddenBy.map((w) => `${w}.`))}

          <Account toast={toast} saved={view.values} reconnect={reconnect} />
          <ConnectionCheck />

          <form
            className="settings-form"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
            noValidate
          >
            <section className="settings-section" aria-labelledby="connection-h">
              <h2 id="connection-h">{t("settings.connection")}</h2>
              <div className="choice" role="radiogroup" aria-label={t("settings.whereCspDeskConnects")}>
                {connectionCard("sandbox", <Trans i18nKey="settings.sandboxTheBuiltInPartner" components={{ strong: <strong />, span: <span className="field-help" /> }} />)}
                {connectionCard("partner-center", <Trans i18nKey="settings.partnerCenterYourRealTenant" components={{ strong: <strong />, span: <span className="field-help" /> }} />)}
              </div>

              <div className={partner ? "grid2" : "grid2 dim"}>
                <TextField id="tenant-id" label={t("settings.directoryTenantId")} error={errors.tenantId} help={t("settings.yourPartnerOrganizationInMicrosoft")} placeholder={t("settings.organizations")} value={values.tenantId} onChange={(v) => edit({ tenantId: v })} />
                <TextField
                  id="client-id"
                  label={t("settings.applicationClientId")}
                  error={errors.clientId}
                  help={partner ? t("settings.theAppRegistrationCspDesk") : t("settings.theAppRegistrationCspDesk2")}
                  placeholder="00000000-0000-0000-0000-000000000000"
                  value={values.clientId}
                  onChange={(v) => edit({ clientId: v })}
                />
              </div>
              <TextField id="arm-subscription" label={t("settings.azureSubscriptionId")} error={errors.armSubscription} help={t("settings.theAzureSubscriptionTheMarketplace")} placeholder="00000000-0000-0000-0000-000000000000" value={values.armSubscription} onChange={(v) => edit({ armSubscription: v })} />

              <details
                className="advanced"
                open={showAdvanced}
                onToggle={(e) => setShowAdvanced((e.target as HTMLDetailsElement).open)}
              >
                <summary>{t("settings.endpointOverridesAdvanced")}</summary>
                <p className="field-help">
                  <Trans i18nKey="settings.otherServiceAddressesEG" components={{ code: <code /> }} />
                </p>
                <div className="grid2">
                  {ENDPOINTS.map((ep) => (
                    <TextField key={ep.key} id={`endpoint-${ep.key}`} label={ep.label} error={errors[`endpoints.${ep.key}`]} help={ep.help} placeholder={t("settings.https")} value={values.endpoints[ep.key]} onChange={(v) => edit({ endpoints: { ...values.endpoints, [ep.key]: v } })} />
                  ))}
                </div>
              </details>
            </section>

            <section className="settings-section" aria-labelledby="defaults-h">
              <h2 id="defaults-h">{t("settings.defaults")}</h2>
              <div className="grid2">
                <Field id="default-market" label={t("settings.defaultMarket")} error={errors.markets} help={t("settings.theMarketCspDeskOpens")}>
                  <select id="default-market" value={values.markets[0] ?? ""} onChange={(e) => setMarkets(e.target.value, otherMarkets)}>
                    <MarketOptions markets={markets} current={values.markets[0] ?? "US"} />
                  </select>
                </Field>
                <TextField id="other-markets" label={t("settings.otherMarkets")} help={t("settings.moreMarketsForPriceLists")} placeholder={t("settings.none")} value={otherMarkets} onChange={(v) => setMarkets(values.markets[0] ?? "US", v)} />
              </div>
              <TextField
                id="export-dir"
                label={t("settings.exportFolder")}
                error={errors.exportDir}
                help={t("settings.wherePriceListsAndOther", { defaultExportDir: view.defaultExportDir })}
                placeholder={view.defaultExportDir}
                value={values.exportDir}
                onChange={(v) => edit({ exportDir: v })}
                button={
                  <button type="button" onClick={() => folder.mutate()}>
                    {t("settings.choose")}
                  </button>
                }
              />
              <Field id="language" label={t("settings.language")} help={t("settings.languageHelp")}>
                <select id="language" value={values.language} onChange={(e) => edit({ language: e.target.value as Language })}>
                  <option value="system">{t("settings.languageSystem", { language: systemLocale() === "ko" ? LANGUAGE_NAMES.ko : LANGUAGE_NAMES.en })}</option>
                  <option value="en" lang="en">
                    {LANGUAGE_NAMES.en}
                  </option>
                  <option value="ko" lang="ko">
                    {LANGUAGE_NAMES.ko}
                  </option>
                </select>
              </Field>
            </section>

            {saveError && (
              <ErrorBanner error={saveError} what={t("settings.theSettingsCouldNotBe2")} onDismiss={() => {
                  saving.reset();
                  folder.reset();
                }}
              />
            )}
            <footer className="settings-foot">
              <button type="submit" className="primary" id="save-settings" disabled={saving.isPending || !dirty}>
                {saving.isPending ? t("settings.saving") : t("settings.save")}
              </button>
              <button type="button" disabled={saving.isPending || !dirty} onClick={() => showSaved(view.values)}>
                {t("settings.discardChanges")}
              </button>
              <span className="save-status" id="save-status" role="status">
                {savedNote ? (
                  <>
                    <span className="dot ok" aria-hidden="true" /> {t("settings.savedAt", { time: time(savedNote.at) })}
                  </>
                ) : dirty ? (
                  <span className="muted">{t("settings.unsavedChanges")}</span>
                ) : null}
              </span>
            </footer>
          </form>
          <section className="settings-section" aria-labelledby="schedule-h">
            <h2 id="schedule-h">{t("settings.dailyExport")}</h2>
            <ScheduleTab market={values.markets[0] ?? "US"} toast={toast} />
          </section>
          <About />
        </div>
      </div>
    </section>
  );
}
