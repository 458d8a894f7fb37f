// Settings → About and updates: version, commit, licence, the logs and data folders,
// "Copy diagnostics", the automatic-check switch and "Check for updates".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import * as api from "../api";
import { say, t } from "../i18n";
import { Fact } from "../shell/Detail";
import { UpdatePrompt } from "./UpdatePrompt";
import "./desktop.css";

const PREFS = ["update-prefs"];

export function About() {
  const client = useQueryClient();
  const info = useQuery({ queryKey: ["about"], queryFn: api.aboutInfo });
  const about = info.data;
  const prefs = useQuery({ queryKey: PREFS, queryFn: api.updatePrefs });
  const autoCheck = useMutation({ mutationFn: api.setAutomaticUpdateChecks, onSuccess: (p) => client.setQueryData(PREFS, p) });
  const open = useMutation({ mutationFn: api.openFolder });
  // The text stays on screen to copy by hand when the clipboard is not available.
  const diag = useMutation({
    mutationFn: async () => {
      const text = await api.diagnosticsText();
      return (await api.copyText(text)) ? { note: t("desktop.copied"), fallback: null } : { note: t("desktop.copyFailed"), fallback: text };
    },
  });
  const diagNote = diag.isPending ? t("desktop.copying") : (diag.error?.text ?? diag.data?.note);
  const check = useMutation({ mutationFn: () => api.checkForUpdates(false) });
  const checked = check.error ? ({ kind: "failed", message: check.error.text, code: null } as const) : check.data;
  const error = info.error ?? prefs.error ?? autoCheck.error ?? open.error;
  return (
    <section className="settings-section about" id="about" aria-labelledby="about-h">
      <h2 id="about-h">{t("desktop.aboutHeading")}</h2>
      {about && (
        <dl className="about-facts">
          <Fact label={t("desktop.version")} id="about-version">{about.version}</Fact>
          <Fact label={t("desktop.commit")} id="about-commit">
            <code>{about.commit}</code>
          </Fact>
          <Fact label={t("desktop.licence")} id="about-licence">{about.licence}</Fact>
          <Fact label={t("desktop.settingsFile")}>
            <code>{about.settingsFile}</code>
          </Fact>
        </dl>
      )}
      <div className="about-actions">
        <button type="button" id="open-logs" onClick={() => open.mutate("logs")} title={about?.logDir}>
          {t("desktop.openLogs")}
        </button>
        <button type="button" id="open-data" onClick={() => open.mutate("data")} title={about?.dataDir}>
          {t("desktop.openData")}
        </button>
        <button type="button" id="copy-diagnostics" onClick={() => diag.mutate()}>
          {t("desktop.copyDiagnostics")}
        </button>
      </div>
      <p id="diagnostics-status" role="status" className="muted">
        {diagNote}
      </p>
      {diag.data?.fallback && <textarea className="about-fallback" readOnly value={diag.data.fallback} aria-label={t("desktop.copyDiagnostics")} />}
      {error && <p className="update-error">{error.text}</p>}
      <h3>{t("desktop.updatesHeading")}</h3>
      {prefs.data && (
        <>
          <label className="about-check">
            <input type="checkbox" id="auto-updates" checked={prefs.data.checkAutomatically} onChange={(e) => autoCheck.mutate(e.target.checked)} />{" "}
            {t("desktop.autoCheck")}
          </label>
          <p className="muted">
            {t("desktop.feed")}: <code id="update-feed">{prefs.data.feed ?? t("desktop.noFeed")}</code> {prefs.data.feedFromSettings && t("desktop.feedFromSettings")}
          </p>
        </>
      )}
      <div className="about-actions">
        <button type="button" id="check-updates" onClick={() => check.mutate()} disabled={check.isPending}>
          {check.isPending ? t("desktop.checking") : t("desktop.checkNow")}
        </button>
        <span id="check-status" role="status" className="muted">
          {checked?.kind === "upToDate" ? t("desktop.upToDate", { v: checked.currentVersion }) : checked?.kind === "failed" ? say(checked.code, checked.message) : checked?.kind === "skipped" ? say(checked.code, checked.reason) : ""}
        </span>
      </div>
      {checked?.kind === "available" && <UpdatePrompt offer={checked.offer} />}
    </section>
  );
}
