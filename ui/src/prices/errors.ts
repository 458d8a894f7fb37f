// What to do after a price-list error, by kind (the message already says what happened).
import type { IpcError } from "../api";

export function priceErrorHint(e: IpcError, markets: readonly string[]): string | undefined {
  const list = markets.join(", ") || "the market";
  switch (e.kind) {
    case "auth":
      return "The Partner API refused the token that reads price sheets: sign in again (Settings), and check the account has the Admin Agent or Sales Agent role in Partner Center.";
    case "notFound":
      return /snapshot/i.test(e.message)
        ? "Pick days that have a snapshot, or fetch today's snapshot."
        : `Partner Center has no marketplace price sheet for ${list}: check it is a market you sell in, or remove it from the export.`;
    case "invalid":
      return "Fix the choice named above, then export again.";
    case "store":
      return "Check that the folder exists, is writable and has free space (Save as… picks another), then export again.";
    default:
      return undefined;
  }
}
