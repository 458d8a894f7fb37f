// Settings → About and updates: version, commit, licence, the logs and data folders,
// "Copy diagnostics", the automatic-check switch and "Check for updates".
import { useEffect, useState } from "react";

import * as api from "../api";
import type { AboutInfo } from "../bindings/AboutInfo";
import type { UpdateCheck } from "../bindings/UpdateCheck";
import type { UpdatePrefs } from "../bindings/UpdatePrefs";
import { say } from "../i18n";
import { text } from "./text";
import { UpdatePrompt } from "./UpdatePrompt";
import "./desktop.css";

export function About() {
  const [about, setAbout] = useState<AboutInfo | null>(null);
  const [prefs, setPrefs] = useState<UpdatePrefs | null>(null);
  const [check, setCheck] = useState<UpdateCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [diag, setDiag] = useState<{ note: string; fallback: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.aboutInfo().then(setAbout, (e: unknown) => setError(api.toIpcError(e).message));
    api.updatePrefs().then(setPrefs, (e: unknown) => setError(api.toIpcError(e).message));
  }, []);
  const copy = async () => {
    setDiag({ note: text.copying, fallback: null });
    try {
      const t = await api.diagnosticsText();
      const ok = await api.copyText(t);
      setDiag(ok ? { note: text.copied, fallback: null } : { note: text.copyFailed, fallback: t });
    } catch (e) {
      setDiag({ note: api.toIpcError(e).message, fallback: null });
    }
  };
  const checkNow = () => {
    setChecking(true);
    setCheck(null);
    api
      .checkForUpdates(false)
      .then(setCheck, (e: unknown) => setCheck({ kind: "failed", message: api.toIpcError(e).message, code: null }))
      .finally(() => setChecking(false));
  };
  const open = (which: "logs" | "data") => api.openFolder(which).catch((e: unknown) => setError(api.toIpcError(e).message));
  return (
    <section className="settings-section about" id="about" aria-labelledby="about-h">
      <h2 id="about-h">{text.aboutHeading}</h2>
      {about && (
        <dl className="about-facts">
          <dt>{text.version}</dt>
          <dd id="about-version">{about.version}</dd>
          <dt>{text.commit}</dt>
          <dd id="about-commit">
            <code>{about.commit}</code>
          </dd>
          <dt>{text.licence}</dt>
          <dd id="about-licence">{about.licence}</dd>
          <dt>{text.settingsFile}</dt>
          <dd>
            <code>{about.settingsFile}</code>
          </dd>
        </dl>
      )}
      <div className="about-actions">
        <button type="button" id="open-logs" onClick={() => void open("logs")} title={about?.logDir}>
          {text.openLogs}
        </button>
        <button type="button" id="open-data" onClick={() => void open("data")} title={about?.dataDir}>
          {text.openData}
        </button>
        <button type="button" id="copy-diagnostics" onClick={() => void copy()}>
          {text.copyDiagnostics}
        </button>
      </div>
      <p id="diagnostics-status" role="status" className="muted">
        {diag?.note}
      </p>
      {diag?.fallback && <textarea className="about-fallback" readOnly value={diag.fallback} aria-label={text.copyDiagnostics} />}
      {error && <p className="update-error">{error}</p>}
      <h3>{text.updatesHeading}</h3>
      {prefs && (
        <>
          <label className="about-check">
            <input
              type="checkbox"
              id="auto-updates"
              checked={prefs.checkAutomatically}
              onChange={(e) => void api.setAutomaticUpdateChecks(e.target.checked).then(setPrefs, (err: unknown) => setError(api.toIpcError(err).message))}
            />{" "}
            {text.autoCheck}
          </label>
          <p className="muted">
            {text.feed}: <code id="update-feed">{prefs.feed ?? text.noFeed}</code> {prefs.feedFromSettings && text.feedFromSettings}
          </p>
        </>
      )}
      <div className="about-actions">
        <button type="button" id="check-updates" onClick={checkNow} disabled={checking}>
          {checking ? text.checking : text.checkNow}
        </button>
        <span id="check-status" role="status" className="muted">
          {check?.kind === "upToDate" ? text.upToDate(check.currentVersion) : check?.kind === "failed" ? say(check.code, check.message) : check?.kind === "skipped" ? say(check.code, check.reason) : ""}
        </span>
      </div>
      {check?.kind === "available" && <UpdatePrompt offer={check.offer} />}
    </section>
  );
}
