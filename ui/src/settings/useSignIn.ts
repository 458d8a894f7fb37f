// The browser sign-in as the UI runs it: "waiting for the browser…" with Cancel, then who is
// signed in, or the error in the core's plain words (consent, MFA, wrong tenant…).
import { useMutation, useQueryClient } from "@tanstack/react-query";

import * as api from "../api";
import type { AccountChange } from "../bindings";
import { t } from "../i18n";
import { describeAccount, setWhoAmI } from "./account";

export interface SignIn {
  waiting: boolean;
  error: api.IpcError | null;
  start: () => void;
  cancel: () => void;
  clearError: () => void;
}

export function useSignIn(toast: (m: string) => void, onDone?: (c: AccountChange) => void): SignIn {
  const client = useQueryClient();
  const m = useMutation({
    mutationFn: api.signIn,
    onSuccess: (change) => {
      setWhoAmI(client, change.who);
      toast(t("signIn.signedInAs", { who: describeAccount(change.who) }));
      onDone?.(change);
    },
    onError: (e) => e.kind === "cancelled" && toast(t("signIn.cancelled")),
  });
  return {
    waiting: m.isPending,
    error: m.error?.kind === "cancelled" ? null : m.error,
    start: () => m.mutate(),
    cancel: () => void api.cancelSignIn(),
    clearError: m.reset,
  };
}
