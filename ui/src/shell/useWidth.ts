// The width of an element, followed as the window or a panel resizes: tables use it to drop
// columns that would not fit.
import { useCallback, useRef, useState } from "react";

/** `[ref, width]`: put `ref` on the element to measure; `width` starts at `initial`. */
export function useWidth(initial: number): [(el: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(initial);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.current.observe(el);
  }, []);
  return [ref, width];
}
