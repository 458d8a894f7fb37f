// "Sign in again" when the sign-in expired or was revoked during work. It sits above the view,
// which stays as it is (filters, selection, a half-filled form); the sign-in happens in place.
import "./settings.css";
import { ErrorBanner } from "../shell/ErrorBanner";
import { describeAccount, useWhoAmI } from "./account";
import { useSignIn } from "./useSignIn";

export function SessionBanner({ toast, onRestart }: { toast: (m: string) => void; onRestart: () => void }) {
  const { who } = useWhoAmI();
  const signIn = useSignIn(toast);
  if (signIn.restartNeeded) {
    return (
      <div className="banner session-banner" role="status">
        <div>Signed in. CSP Desk needs a restart to use the sign-in for this connection.</div>
        <div className="banner-actions">
          <button type="button" className="primary" onClick={onRestart}>
            Restart now
          </button>
        </div>
      </div>
    );
  }
  if (!who || !who.signInNeeded || !who.expired) return null;
  return (
    <>
      <div className="banner session-banner" role="alert" id="session-banner">
        <div>
          <strong>Your sign-in has expired or was revoked</strong> ({describeAccount(who)}). Sign in again to carry
          on; what you have open here stays as it is, so you can retry afterwards.
        </div>
        <div className="banner-actions">
          {signIn.waiting ? (
            <>
              <span className="muted">Waiting for the browser…</span>
              <button type="button" onClick={signIn.cancel}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="primary" onClick={() => void signIn.start()}>
              Sign in again
            </button>
          )}
        </div>
      </div>
      {signIn.error && (
        <ErrorBanner error={signIn.error} what="The sign-in did not finish" hint="" onDismiss={signIn.clearError} />
      )}
    </>
  );
}
