// The check at start (at most once a day, unless turned off in Settings): a newer version
// shows the prompt in a corner; a check that failed shows one quiet, dismissible line.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import * as api from "../api";
import { say, t } from "../i18n";
import { UpdatePrompt } from "./UpdatePrompt";
import "./desktop.css";

export function UpdateAtStart() {
  // Asked once per run; a check that could not be made says nothing.
  const asked = useQuery({ queryKey: ["update-check", "at start"], queryFn: () => api.checkForUpdates(true), staleTime: Infinity });
  const [closed, setClosed] = useState(false);
  const check = closed ? null : asked.data;
  if (check?.kind === "available") {
    return (
      <aside className="update-corner" aria-label={t("desktop.updatesHeading")}>
        <UpdatePrompt offer={check.offer} onClose={() => setClosed(true)} />
      </aside>
    );
  }
  if (check?.kind === "failed") {
    return (
      <p className="update-quiet muted" id="update-quiet" role="status">
        {say(check.code, check.message)}{" "}
        <button type="button" className="link" onClick={() => setClosed(true)}>
          {t("desktop.dismiss")}
        </button>
      </p>
    );
  }
  return null;
}
