// The check at start (at most once a day, unless turned off in Settings): a newer version
// shows the prompt in a corner; a check that failed shows one quiet, dismissible line.
import { useEffect, useState } from "react";

import * as api from "../api";
import type { UpdateCheck } from "../bindings/UpdateCheck";
import { say } from "../i18n";
import { text } from "./text";
import { UpdatePrompt } from "./UpdatePrompt";
import "./desktop.css";

export function UpdateAtStart() {
  const [check, setCheck] = useState<UpdateCheck | null>(null);
  useEffect(() => {
    let live = true;
    api
      .checkForUpdates(true)
      .then((c) => live && setCheck(c))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (check?.kind === "available") {
    return (
      <aside className="update-corner" aria-label={text.updatesHeading}>
        <UpdatePrompt offer={check.offer} onClose={() => setCheck(null)} />
      </aside>
    );
  }
  if (check?.kind === "failed") {
    return (
      <p className="update-quiet muted" id="update-quiet" role="status">
        {say(check.code, check.message)}{" "}
        <button type="button" className="link" onClick={() => setCheck(null)}>
          {text.dismiss}
        </button>
      </p>
    );
  }
  return null;
}
