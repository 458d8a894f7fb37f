// The browser sign-in as the UI runs it: "waiting for the browser…" with Cancel, then who is
// signed in, or the error in the core's plain words (consent, MFA, wrong tenant…).
import { useCallback, useState } from "react";

import * as api from "../api";
import type { IpcError } from "../api";
import type { AccountChange } from "../bindings/AccountChange";
import { describeAccount, setWhoAmI } from "./account";

export interface SignIn {
  waiting: boolean;
  error: IpcError | null;
  start: () => Promise<AccountChange | null>;
  cancel: () => void;
  clearError: () => void;
}

export function useSignIn(toast: (m: string) => void, onDone?: (c: AccountChange) => void): SignIn {
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const start = useCallback(async () => {
    setError(null);
    setWaiting(true);
    try {
      const change = await api.signIn();
      setWhoAmI(change.who);
      toast(`Signed in as ${describeAccount(change.who)}`);
      onDone?.(change);
      return change;
    } catch (e) {
      const err = e as IpcError;
      if (err.kind === "cancelled") toast("Sign-in cancelled");
      else setError(err);
      return null;
    } finally {
      setWaiting(false);
    }
  }, [toast, onDone]);

  const cancel = useCallback(() => void api.cancelSignIn(), []);
  const clearError = useCallback(() => setError(null), []);
  return { waiting, error, start, cancel, clearError };
}
