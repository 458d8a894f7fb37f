// Settings → Check connection: one read-only call per service (Partner Center, the Partner API,
// ARM, Microsoft Graph), each shown as answered or refused with why in plain words and the
// call's request id to quote to Microsoft support. The words come from the core (`doctor`),
// the same ones `cspdesk doctor` prints.
import { useMutation } from "@tanstack/react-query";

import * as api from "../api";
import { ErrorBanner } from "../shell/ErrorBanner";
import { ServiceList } from "./ServiceList";
import { t } from "../i18n";
import { Trans } from "react-i18next";

export function ConnectionCheck() {
  const check = useMutation({ mutationFn: api.checkConnection });
  const report = check.data;
  const checking = check.isPending;

  return (
    <section className="settings-section" aria-labelledby="check-h">
      <h2 id="check-h">{t("connectionCheck.connectionCheck")}</h2>
      <div className="account-row">
        <Trans i18nKey="connectionCheck.oneReadOnlyCallTo" components={{ span: <span className="muted" /> }} />
        <span className="spacer" />
        <button type="button" id="check-connection" onClick={() => check.mutate()} disabled={checking}>
          {checking ? t("connectionCheck.checking") : t("connectionCheck.checkConnection")}
        </button>
      </div>
      {report && (
        <ServiceList
          id="connection-report"
          live
          items={report.checks.map((c) => ({
            name: c.service,
            serves: c.serves,
            ok: c.ok,
            detail: c.message,
            more: c.requestId && (
              <div className="muted small">
                <Trans i18nKey="connectionCheck.requestIdRequestid" values={{ requestId: c.requestId }} components={{ code: <code /> }} />
                {c.status !== null && <> {t("connectionCheck.httpStatus", { status: c.status })}</>}
              </div>
            ),
          }))}
        />
      )}
      {check.error && <ErrorBanner error={check.error} what={t("connectionCheck.theConnectionCheckDidNot")} onDismiss={check.reset} />}
    </section>
  );
}
