// The update prompt: the version and its notes, then download with a progress bar, verify and
// install, then restart when the person says so. Used by the check at start and by Settings.
import { useState } from "react";

import * as api from "../api";
import type { UpdateOffer, UpdateProgress } from "../bindings";
import { t } from "../i18n";

type Stage = { kind: "offer" } | { kind: "downloading"; progress: UpdateProgress | null } | { kind: "installed"; version: string } | { kind: "failed"; message: string };

export function UpdatePrompt({ offer, onClose }: { offer: UpdateOffer; onClose?: () => void }) {
  const [stage, setStage] = useState<Stage>({ kind: "offer" });
  const install = () => {
    setStage({ kind: "downloading", progress: null });
    api
      .installUpdate((progress) => setStage({ kind: "downloading", progress }))
      .then((version) => setStage({ kind: "installed", version }))
      .catch((e: unknown) => setStage({ kind: "failed", message: api.toIpcError(e).text }));
  };
  const p = stage.kind === "downloading" ? stage.progress : null;
  const done = p?.total ? p.downloaded >= p.total : false;
  return (
    <div className="update-prompt" id="update-prompt" role="region" aria-labelledby="update-version">
      <p id="update-version" className="update-version">
        {t("desktop.available", { v: offer.version, current: offer.currentVersion })}
      </p>
      {offer.notes && (
        <div className="update-notes">
          <strong>{t("desktop.notes")}</strong>
          <p id="update-notes">{offer.notes}</p>
        </div>
      )}
      {stage.kind === "downloading" && (
        <div className="update-progress">
          <progress id="update-progress" aria-label={t("desktop.progressLabel")} max={p?.total ?? undefined} value={p ? p.downloaded : undefined} />
          <span className="muted">{done ? t("desktop.verifying") : t("desktop.downloading")}</span>
        </div>
      )}
      <p id="update-status" role="status" className={stage.kind === "failed" ? "update-error" : "muted"}>
        {stage.kind === "installed" ? t("desktop.installed", { v: stage.version }) : stage.kind === "failed" ? stage.message : ""}
      </p>
      <div className="update-actions">
        {(stage.kind === "offer" || stage.kind === "failed") && (
          <button type="button" className="primary" id="update-install" onClick={install}>
            {t("desktop.install")}
          </button>
        )}
        {stage.kind === "installed" && (
          <button type="button" className="primary" id="update-restart" onClick={() => void api.restartApp()}>
            {t("desktop.restart")}
          </button>
        )}
        {onClose && stage.kind !== "downloading" && (
          <button type="button" id="update-later" onClick={onClose}>
            {t("desktop.later")}
          </button>
        )}
      </div>
    </div>
  );
}
