// Who is signed in, shared by the top bar, the "sign in again" banner and the Settings view.
// One cached answer (keychain only, no network), refreshed on demand, when the window regains
// focus, and every 15 s while someone watches (so a sign-in that expired during work shows).
import { useEffect, useSyncExternalStore } from "react";

import * as api from "../api";
import type { IpcError } from "../api";
import type { WhoAmI } from "../bindings/WhoAmI";

interface State {
  who: WhoAmI | null;
  error: IpcError | null;
}

let state: State = { who: null, error: null };
const listeners = new Set<() => void>();
let inFlight: Promise<void> | null = null;

function set(next: State) {
  state = next;
  for (const l of listeners) l();
}

/** Asks again; `check` also tries each audience (Settings shows the result). */
export function refreshWhoAmI(check = false): Promise<void> {
  if (inFlight && !check) return inFlight;
  const p = api
    .whoami(check)
    .then((who) => {
      // A plain refresh must not wipe the audience checks of the same account.
      const keep = !check && state.who && state.who.username === who.username && who.signedIn;
      set({ who: keep && state.who ? { ...who, audiences: state.who.audiences } : who, error: null });
    })
    .catch((e: unknown) => set({ who: state.who, error: e as IpcError }))
    .finally(() => {
      if (inFlight === p) inFlight = null;
    });
  inFlight = p;
  return p;
}

/** The answer a sign-in or sign-out returned, without asking again. */
export function setWhoAmI(who: WhoAmI) {
  set({ who, error: null });
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

// One timer and one focus listener however many components watch.
let watchers = 0;
let timer: number | undefined;
const onFocus = () => void refreshWhoAmI();

function watch(): () => void {
  if (watchers++ === 0) {
    window.addEventListener("focus", onFocus);
    timer = window.setInterval(() => void refreshWhoAmI(), 15_000);
  }
  if (!state.who) void refreshWhoAmI();
  return () => {
    if (--watchers === 0) {
      window.removeEventListener("focus", onFocus);
      window.clearInterval(timer);
    }
  };
}

export function useWhoAmI(): State {
  const s = useSyncExternalStore(subscribe, () => state);
  useEffect(watch, []);
  return s;
}

/** "Ann Lee <ann@contoso.com>", or whatever part is known. */
export function describeAccount(who: WhoAmI): string {
  if (who.name && who.username) return `${who.name} <${who.username}>`;
  return who.username ?? who.name ?? "an unnamed account";
}
