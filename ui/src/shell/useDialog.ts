// What every dialog does: Esc and its other keys on a modal layer of the one shortcut layer,
// Tab and Shift+Tab kept inside it, and the focus given back on close to where it was.
import { type RefObject, useLayoutEffect } from "react";

import { type Shortcuts, useShortcuts } from "./shortcuts";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
function trap(box: HTMLElement | null, e: KeyboardEvent): boolean | void {
  if (!box) return false;
  const all = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const at = document.activeElement;
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last) return box.focus();
  if (!box.contains(at)) return (e.shiftKey ? last : first).focus();
  if (e.shiftKey && at === first) return last.focus();
  if (!e.shiftKey && at === last) return first.focus();
  return false;
}

/** `box` is a dialog: while mounted it answers `keys` (and nothing below it does), keeps Tab
 * inside, and on close puts the focus back where it was when it opened. */
export function useDialog(box: RefObject<HTMLElement | null>, keys: Shortcuts): void {
  useLayoutEffect(() => {
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      if (back?.isConnected) back.focus();
    };
  }, []);
  useShortcuts({ ...keys, Tab: (e) => trap(box.current, e) }, { modal: true });
}
