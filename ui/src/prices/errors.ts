// What to do after a price-list error, by kind (the message already says what happened).
import type { IpcError } from "../api";
import { t } from "../i18n";

export function priceErrorHint(e: IpcError, markets: readonly string[]): string | undefined {
  const list = markets.join(", ") || t("priceErrors.theMarket");
  switch (e.kind) {
    case "auth":
      return t("priceErrors.auth");
    case "notFound":
      return /snapshot/i.test(e.message)
        ? t("priceErrors.noSnapshot")
        : t("priceErrors.noSheet", { list });
    case "invalid":
      return t("priceErrors.invalid");
    case "store":
      return t("priceErrors.store");
    default:
      return undefined;
  }
}
