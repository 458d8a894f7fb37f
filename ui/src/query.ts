// The data layer: one QueryClient holds every answer of the core, keyed by what was asked, with
// its loading, error and refresh state. Views call `useQuery` with an api.ts function; an answer
// to a question no longer asked is never shown (each key has its own entry), so no view keeps a
// sequence number or a "still live" flag. Errors are IpcError (api.ts rejects with nothing else).
import { QueryClient, notifyManager } from "@tanstack/react-query";

import type { IpcError } from "./api";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: IpcError;
  }
}

// Answers reach the views in the task that received them (a microtask, not a timer), so the
// rows for a keystroke make the very next frame.
notifyManager.setScheduler((run) => queueMicrotask(run));

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // A failed call shows its banner with Retry; nothing is repeated behind the user's back,
      // and a desktop window coming to the front is no reason to ask again.
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, refetchIntervalInBackground: true },
      mutations: { retry: false },
    },
  });
}

export const queryClient = newQueryClient();
