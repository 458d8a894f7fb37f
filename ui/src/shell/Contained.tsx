// A box whose height follows its content but never asks its parent to lay out again when
// something inside changes. Without it, WebKitGTK (compositing off, no GPU) relays out the whole
// view and repaints it on each search keystroke or count change in the filter bar: about 7 ms of
// the web process's main thread, in the way of the query's answer. The height is measured by a
// ResizeObserver on the content, so wrapping at a narrow window still gets the room it needs.
import { type ReactNode, useLayoutEffect, useRef } from "react";

interface Props {
  /** Class of the inner element, which holds the content and its padding. */
  className: string;
  role?: string;
  /** The accessible name of the inner element (a landmark's name). */
  label?: string;
  children: ReactNode;
}

export function Contained({ className, role, label, children }: Props) {
  const outer = useRef<HTMLDivElement | null>(null);
  const inner = useRef<HTMLDivElement | null>(null);
  useLayoutEffect(() => {
    const o = outer.current;
    const i = inner.current;
    if (!o || !i) return;
    const fit = () => {
      const h = `${i.offsetHeight}px`;
      if (o.style.height !== h) o.style.height = h;
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(i);
    return () => ro.disconnect();
  }, []);
  return (
    <div ref={outer} className="contained">
      <div ref={inner} className={className} role={role} aria-label={label}>
        {children}
      </div>
    </div>
  );
}
