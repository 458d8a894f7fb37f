// A callback that keeps its identity and always runs the latest `fn`: for handlers handed to
// memoized children (the tables), which must not re-render because the handler was re-created.
// Call it from events, never during render.
import { useCallback, useLayoutEffect, useRef } from "react";

export function useEvent<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
