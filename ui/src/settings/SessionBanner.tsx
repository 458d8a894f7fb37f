// "Sign in again" when the sign-in expired or was revoked during work. It sits above the view,
// which stays as it is (filters, selection, a half-filled form); the sign-in happens in place.
import "./settings.css";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect } from "react";

import * as api from "../api";
import type { SettingsView } from "../bindings";
import { plain } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { describeAccount, useWhoAmI } from "./account";
import { useSignIn } from "./useSignIn";
import { t } from "../i18n";
import { Trans } from "react-i18next";

/** Dispatched on `window` by the Settings view when it opens. */
export const SETTINGS_OPENED = "cspdesk:settings-opened";

interface Props {
  toast: (m: string) => void;
  /** Open the Settings view. */
  onSettings: () => void;
}

export function SessionBanner({ toast, onSettings }: Props) {
  return (
    <>
      <SettingsProblemBanner onSettings={onSettings} />
      <SignInAgain toast={toast} />
    </>
  );
}

const AT_START = ["settings", "at start"];

/** At startup: the settings file could not be used (its line), so the defaults are in use. */
function SettingsProblemBanner({ onSettings }: Pick<Props, "onSettings">) {
  // As the app started (a failed read shows no banner: the Settings view says why). Dismissed,
  // the problem is dropped from that answer, so a language switch (which renders the app anew)
  // does not bring the banner back.
  const client = useQueryClient();
  const { data } = useQuery({ queryKey: AT_START, queryFn: api.readSettings, staleTime: Infinity });
  const dismiss = useCallback(() => client.setQueryData<SettingsView>(AT_START, (d) => d && { ...d, problem: null }), [client]);
  useEffect(() => {
    // The Settings view shows the same notice in full: this one goes once it has been opened.
    window.addEventListener(SETTINGS_OPENED, dismiss);
    return () => window.removeEventListener(SETTINGS_OPENED, dismiss);
  }, [dismiss]);
  const problem = data?.problem ?? null;
  if (!problem) return null;
  return (
    <div className="banner session-banner" role="alert" id="settings-problem-banner">
      <div>
        <strong>
          {t("sessionBanner.theSettingsFileCouldNot")}{problem.line !== null && t("sessionBanner.lineLine", { line: problem.line })}:
        </strong>{" "}
        {t("sessionBanner.valueCspDeskStartedWith", { value: plain(problem.message) })}
        {problem.movedTo ? t("sessionBanner.theFileWasKeptAside") : "."}
      </div>
      <div className="banner-actions">
        <button
          type="button"
          onClick={() => {
            dismiss();
            onSettings();
          }}
        >
          {t("sessionBanner.openSettings")}
        </button>
        <button type="button" className="ghost" aria-label={t("sessionBanner.dismiss")} onClick={dismiss}>
          ✕
        </button>
      </div>
    </div>
  );
}

function SignInAgain({ toast }: Omit<Props, "onSettings">) {
  const { who } = useWhoAmI();
  const signIn = useSignIn(toast);
  if (!who || !who.signInNeeded || !who.expired) return null;
  return (
    <>
      <div className="banner session-banner" role="alert" id="session-banner">
        <div>
          <Trans i18nKey="sessionBanner.yourSignInHasExpired" values={{ who: describeAccount(who) }} components={{ strong: <strong /> }} />
        </div>
        <div className="banner-actions">
          {signIn.waiting ? (
            <>
              <Trans i18nKey="sessionBanner.waitingForTheBrowser" components={{ span: <span className="muted" /> }} />
              <button type="button" onClick={signIn.cancel}>
                {t("sessionBanner.cancel")}
              </button>
            </>
          ) : (
            <button type="button" className="primary" onClick={signIn.start}>
              {t("sessionBanner.signInAgain")}
            </button>
          )}
        </div>
      </div>
      {signIn.error && (
        <ErrorBanner error={signIn.error} what={t("sessionBanner.theSignInDidNot")} hint="" onDismiss={signIn.clearError} />
      )}
    </>
  );
}
