// Who is signed in, to which tenant, in the top bar (nothing while on the sandbox).
import { describeAccount, useWhoAmI } from "./account";
import "./settings.css";
import { t } from "../i18n";

export function AccountBadge({ onOpen }: { onOpen: () => void }) {
  const { who } = useWhoAmI();
  if (!who || !who.signInNeeded) return null;
  const tenant = who.tenantId ? t("accountBadge.tenant", { id: who.tenantId }) : t("accountBadge.tenantUnknown");
  if (who.signedIn) {
    return (
      <button
        type="button"
        className="ghost account-badge"
        id="account-badge"
        onClick={onOpen}
        title={t("accountBadge.signedInAsWhoTo", { who: describeAccount(who), tenant })}
      >
        <span className="account-user">{who.username ?? who.name ?? t("accountBadge.signedIn")}</span>
        <span className="account-tenant">{tenant}</span>
      </button>
    );
  }
  return (
    <button type="button" className="ghost account-badge off" id="account-badge" onClick={onOpen} title={t("accountBadge.openSettingsToSignIn")}>
      {who.expired ? t("accountBadge.signInExpired") : t("accountBadge.notSignedIn")}
    </button>
  );
}
