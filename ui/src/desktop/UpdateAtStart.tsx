// The check at start (at most once a day, unless turned off in Settings): a newer version
// shows the prompt in a corner; a check that failed shows one quiet, dismissible line.
import { useQuery, useQueryClient } from "@tanstack/react-query";

import * as api from "../api";
import type { UpdateCheck } from "../bindings";
import { say, t } from "../i18n";
import { UpdatePrompt } from "./UpdatePrompt";
import "./desktop.css";

const AT_START = ["update-check", "at start"];

export function UpdateAtStart() {
  const client = useQueryClient();
  // Asked once per run (a language switch renders the app anew, not the question); a check that
  // could not be made says nothing; closed, it is gone for the run.
  const { data: check } = useQuery<UpdateCheck | null>({ queryKey: AT_START, queryFn: () => api.checkForUpdates(true), staleTime: Infinity });
  const close = () => client.setQueryData(AT_START, null);
  if (check?.kind === "available") {
    return (
      <aside className="update-corner" aria-label={t("desktop.updatesHeading")}>
        <UpdatePrompt offer={check.offer} onClose={close} />
      </aside>
    );
  }
  if (check?.kind === "failed") {
    return (
      <p className="update-quiet muted" id="update-quiet" role="status">
        {say(check.code, check.message)}{" "}
        <button type="button" className="link" onClick={close}>
          {t("desktop.dismiss")}
        </button>
      </p>
    );
  }
  return null;
}
