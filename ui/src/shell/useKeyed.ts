// State that belongs to one question (a search, a filter, a sort, a list of rows): read under
// another `key` it is `initial` again, so a new question starts at the top with nothing selected,
// without an effect or a render more. The views' selections and windows are kept this way.
import { useCallback, useState } from "react";

export function useKeyed<T>(key: unknown, initial: T): [T, (value: T) => void] {
  const [held, setHeld] = useState({ key, value: initial });
  const set = useCallback((value: T) => setHeld({ key, value }), [key]);
  return [Object.is(held.key, key) ? held.value : initial, set];
}
