// Always visible while the data comes from the built-in sandbox.
import type { ConnectionStatus } from "../bindings";
import { t } from "../i18n";
import { Trans } from "react-i18next";

export function SandboxBanner({ status, onConnect }: { status: ConnectionStatus; onConnect?: () => void }) {
  const connect = t("sandboxBanner.connect");
  return (
    <div className="banner sandbox-banner" role="note" id="sandbox-banner" title={t("sandboxBanner.sandboxStateDatadir", { dataDir: status.dataDir })}>
      <Trans i18nKey="sandboxBanner.sandboxDataFromCspDesk" components={{ strong: <strong /> }} />{" "}
      {onConnect ? (
        <button type="button" className="link" id="sandbox-connect" onClick={onConnect}>
          {connect}
        </button>
      ) : (
        t("sandboxBanner.connectSentence", { connect })
      )}
    </div>
  );
}
