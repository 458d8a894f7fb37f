// Who is signed in, shared by the top bar, the "sign in again" banner and the Settings view.
// One cached answer in the data layer (keychain only, no network), asked again on demand, when
// the window regains focus, and every 15 s while someone watches (so a sign-in that expired
// during work shows).
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";

import * as api from "../api";
import type { WhoAmI } from "../bindings";
import { t } from "../i18n";

const WHO = ["whoami"];

export function useWhoAmI(): { who: WhoAmI | null; error: api.IpcError | null } {
  const client = useQueryClient();
  const q = useQuery({
    queryKey: WHO,
    queryFn: async () => {
      const who = await api.whoami(false);
      // A plain refresh must not wipe the audience checks of the same account.
      const prev = client.getQueryData<WhoAmI>(WHO);
      return prev && prev.username === who.username && who.signedIn ? { ...who, audiences: prev.audiences } : who;
    },
    refetchInterval: 15_000,
    refetchOnWindowFocus: true,
  });
  return { who: q.data ?? null, error: q.error };
}

/** The answer a sign-in, a sign-out or an audience check returned, without asking again. */
export const setWhoAmI = (client: QueryClient, who: WhoAmI): void => void client.setQueryData(WHO, who);

/** Ask again (after the settings changed). */
export const refreshWhoAmI = (client: QueryClient): Promise<void> => client.invalidateQueries({ queryKey: WHO });

/** "Ann Lee <ann@contoso.com>", or whatever part is known. */
export function describeAccount(who: WhoAmI): string {
  if (who.name && who.username) return `${who.name} <${who.username}>`;
  return who.username ?? who.name ?? t("account.unnamed");
}
