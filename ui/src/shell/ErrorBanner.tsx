// An error in the view it belongs to: what happened, and what to do (by kind).
import type { IpcError } from "../api";

const NEXT_STEP: Record<string, string> = {
  network: "Check the network connection, then try again.",
  throttled: "Partner Center is limiting requests; wait a moment, then try again.",
  auth: "Check the access token (CSPDESK_ACCESS_TOKEN) and the account's roles, then restart CSP Desk.",
  api: "The service refused the request; the message above has its reason.",
  decode: "The service answered in an unexpected shape; try again, and report it if it persists.",
  store: "The local database could not be used; check free disk space and permissions of the data folder.",
  notFound: "Sync the catalog again; it may have changed.",
  invalid: "Check the input and try again.",
  refused: "",
  cancelled: "",
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
  const next = hint ?? NEXT_STEP[error.kind] ?? NEXT_STEP.unknown;
  return (
    <div className="banner error-banner" role="alert" data-kind={error.kind}>
      <div>
        <strong>{what}.</strong> {error.message}
        {next && <div className="next-step">{next}</div>}
      </div>
      <div className="banner-actions">
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        )}
        {onDismiss && (
          <button type="button" className="ghost" onClick={onDismiss} aria-label="Dismiss">
            ✕
          </button>
        )}
      </div>
    </div>
  );
}
