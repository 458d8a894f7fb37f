// Who is signed in, to which tenant, in the top bar (nothing while on the sandbox).
import { describeAccount, useWhoAmI } from "./account";
import "./settings.css";

export function AccountBadge({ onOpen }: { onOpen: () => void }) {
  const { who } = useWhoAmI();
  if (!who || !who.signInNeeded) return null;
  const tenant = who.tenantId ? `tenant ${who.tenantId}` : "tenant unknown";
  if (who.signedIn) {
    return (
      <button
        type="button"
        className="ghost account-badge"
        id="account-badge"
        onClick={onOpen}
        title={`Signed in as ${describeAccount(who)} to ${tenant} — open Settings`}
      >
        <span className="account-user">{who.username ?? who.name ?? "Signed in"}</span>
        <span className="account-tenant">{tenant}</span>
      </button>
    );
  }
  return (
    <button type="button" className="ghost account-badge off" id="account-badge" onClick={onOpen} title="Open Settings to sign in">
      {who.expired ? "Sign-in expired" : "Not signed in"}
    </button>
  );
}
