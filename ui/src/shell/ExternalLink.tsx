// A link CSP Desk opens with the system's handler (https, mailto, tel), saying in place when it
// could not.
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";

import * as api from "../api";
import { t } from "../i18n";

export function ExternalLink({ uri, id, className, children }: { uri: string; id?: string; className?: string; children: ReactNode }) {
  const open = useMutation({ mutationFn: api.openLink });
  return (
    <>
      <a
        href={uri}
        id={id}
        className={className}
        title={uri.startsWith("mailto:") ? t("externalLink.composeAnEmail") : uri}
        onClick={(e) => {
          e.preventDefault();
          open.mutate(uri);
        }}
      >
        {children}
      </a>
      {open.error && <span className="inline-error"> {t("externalLink.couldNotOpenMessage", { message: open.error.text })}</span>}
    </>
  );
}
