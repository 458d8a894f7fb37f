// An error in the view it belongs to: what happened, and what to do (by kind).
import type { IpcError } from "../api";
import type { ErrorKind } from "../bindings/ErrorKind";
import { t } from "../i18n";
import { Trans } from "react-i18next";

const NEXT_STEP: Record<ErrorKind, string> = {
  network: "Check the network connection, then try again.",
  throttled: "Partner Center is limiting requests; wait a moment, then try again.",
  auth: "Sign in again from Settings (or check CSPDESK_ACCESS_TOKEN, if you set one), and the account's roles in Partner Center.",
  api: "The service refused the request; the message above has its reason.",
  decode: "The service answered in an unexpected shape; try again, and report it if it persists.",
  store: "The local database could not be used; check free disk space and permissions of the data folder.",
  notFound: "Sync the catalog again; it may have changed.",
  invalid: "Check the input and try again.",
  refused: "",
  cancelled: "",
  keychain: "The system keychain could not be used; unlock it (or sign in to your desktop session), then try again.",
  internal: "CSP Desk failed, not your input; the log file in the app's log folder has the details.",
  unknown: "Try again; if it persists, the log file in the app's log folder has the details.",
};

interface Props {
  error: IpcError;
  what: string;
  /** What to do, when the view knows better than the error's kind. */
  hint?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function ErrorBanner({ error, what, hint, onRetry, onDismiss }: Props) {
  const next = hint ?? NEXT_STEP[error.kind];
  return (
    <div className="banner error-banner" role="alert" data-kind={error.kind}>
      <div>
        <strong>{what}.</strong> {error.message}
        {next && <div className="next-step">{next}</div>}
        {error.details && (
          <div className="error-details">
            <Trans i18nKey="errorBanner.detailsForMicrosoftSupportDetails" values={{ details: error.details }} components={{ span: <span className="muted" />, code: <code className="selectable" id="error-details" /> }} />{" "}
            <button
              type="button"
              className="link"
              onClick={() => void navigator.clipboard?.writeText(error.details ?? "")}
              aria-label={t("errorBanner.copyTheDetails")}
            >
              {t("errorBanner.copy")}
            </button>
          </div>
        )}
      </div>
      <div className="banner-actions">
        {onRetry && (
          <button type="button" onClick={onRetry}>
            {t("errorBanner.tryAgain")}
          </button>
        )}
        {onDismiss && (
          <button type="button" className="ghost" onClick={onDismiss} aria-label={t("errorBanner.dismiss")}>
            ✕
          </button>
        )}
      </div>
    </div>
  );
}
