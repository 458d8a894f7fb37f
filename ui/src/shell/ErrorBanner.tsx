// An error in the view it belongs to: what happened, and what to do (by kind, in the UI's
// language). The core's sentence is said in the UI's language when it came as a code; otherwise
// the core's own words, like Partner Center's code and the request id, are data: shown as they
// came (marked as English for screen readers), never translated.
import { type IpcError, copyText } from "../api";
import type { ErrorKind } from "../bindings";
import { t } from "../i18n";
import { Trans } from "react-i18next";

/** What to do after an error of each kind (empty when the message says it all). */
const NEXT_STEPS: Record<ErrorKind, () => string> = {
  network: () => t("errors.network"),
  throttled: () => t("errors.throttled"),
  auth: () => t("errors.auth"),
  api: () => t("errors.api"),
  decode: () => t("errors.decode"),
  store: () => t("errors.store"),
  notFound: () => t("errors.notFound"),
  invalid: () => t("errors.invalid"),
  keychain: () => t("errors.keychain"),
  internal: () => t("errors.internal"),
  unknown: () => t("errors.unknown"),
  refused: () => "",
  cancelled: () => "",
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
  const next = hint ?? NEXT_STEPS[error.kind]();
  return (
    <div className="banner error-banner" role="alert" data-kind={error.kind}>
      <div>
        <strong>{what}.</strong> <span lang={error.textLang}>{error.text}</span>
        {next && <div className="next-step">{next}</div>}
        {error.details && (
          <div className="error-details">
            <Trans i18nKey="errorBanner.detailsForMicrosoftSupportDetails" values={{ details: error.details }} components={{ span: <span className="muted" />, code: <code className="selectable" id="error-details" /> }} />{" "}
            <button
              type="button"
              className="link"
              onClick={() => void copyText(error.details ?? "")}
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
