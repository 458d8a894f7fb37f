// The one keyboard layer of the window. Views and dialogs name the keys they answer
// (`useShortcuts`); one window listener gives each key to the innermost layer that answers it:
// the dialog opened last (and nothing below a dialog), then the view.
// - A key typed during an input method's composition (Korean, Japanese, Chinese…) is never a
//   shortcut, nor is one a component handled itself (preventDefault).
// - In a text field, the field keeps its keys: a view gets only Esc and Ctrl/⌘ combinations from
//   it (a dialog gets all it names). A focused button or link keeps Enter.
// Key names: "Escape", "Enter", "ArrowDown", "PageUp", "Home"… and "Mod+f" (Ctrl, or ⌘ on a Mac).
// A handler returning false did not use the key: it goes on to the layer below.
import { type KeyboardEvent as ReactKeyboardEvent, type RefObject, useEffect, useLayoutEffect, useRef } from "react";

import { composing } from "./SearchField";

export type Shortcuts = Partial<Record<string, (e: KeyboardEvent) => boolean | void>>;

interface Layer {
  keys: { current: Shortcuts };
  modal: boolean;
}

const layers: Layer[] = [];

/** Whether `el` takes typing (a text field, a list box, a multi-line editor). */
export const inField = (el: Element | null): boolean =>
  (el instanceof HTMLInputElement && !["checkbox", "button", "submit", "reset"].includes(el.type)) ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement ||
  (el instanceof HTMLElement && el.isContentEditable);

const nameOf = (e: KeyboardEvent): string => (e.ctrlKey || e.metaKey ? `Mod+${e.key.toLowerCase()}` : e.key);

function dispatch(e: KeyboardEvent): void {
  if (e.defaultPrevented || composing(e)) return;
  const key = nameOf(e);
  const focus = document.activeElement;
  const field = inField(focus);
  const fromField = field && key !== "Escape" && !key.startsWith("Mod+");
  if (key === "Enter" && (focus instanceof HTMLButtonElement || focus instanceof HTMLAnchorElement)) return;
  // Dialogs first (the last opened on top), then the views.
  const order = [...layers.filter((l) => l.modal).reverse(), ...layers.filter((l) => !l.modal).reverse()];
  for (const l of order) {
    if (!(fromField && !l.modal)) {
      const handler = l.keys.current[key];
      if (handler && handler(e) !== false) {
        e.preventDefault();
        return;
      }
    }
    if (l.modal) return;
  }
}

/** Answer `keys` while mounted (and `enabled`); a `modal` layer (a dialog) hides those below it. */
export function useShortcuts(keys: Shortcuts, { modal = false, enabled = true }: { modal?: boolean; enabled?: boolean } = {}): void {
  const latest = useRef(keys);
  useLayoutEffect(() => {
    latest.current = keys;
  });
  useEffect(() => {
    if (!enabled) return;
    if (layers.length === 0) window.addEventListener("keydown", dispatch);
    const layer = { keys: latest, modal };
    layers.push(layer);
    return () => {
      layers.splice(layers.indexOf(layer), 1);
      if (layers.length === 0) window.removeEventListener("keydown", dispatch);
    };
  }, [modal, enabled]);
}

/** The keys of a list picked from a field (suggestions, a pick list), which the field keeps: the
 * arrows move the highlight `at` among `count` items, Enter picks it. Whether the key was one. */
export function pickKeys(e: ReactKeyboardEvent, count: number, at: number, move: (i: number) => void, pick: (i: number) => void): boolean {
  if (composing(e)) return false;
  const next = e.key === "ArrowDown" ? Math.min(count - 1, at + 1) : e.key === "ArrowUp" ? Math.max(0, at - 1) : null;
  if (next === null && e.key !== "Enter") return false;
  e.preventDefault();
  e.stopPropagation();
  if (next !== null) move(next);
  else if (at < count) pick(at);
  return true;
}

/** Ctrl+F: into the view's search field, its text selected. */
export function focusSearch(field: HTMLInputElement | null): void {
  field?.focus();
  field?.select();
}

/** A list view's keys: Ctrl+F into its search field (the ref returned), and Esc `clear`s the
 * search when given (nothing open, something to clear); the grid takes the arrows and Enter. */
export function useSearchKeys(clear?: (() => void) | false): RefObject<HTMLInputElement | null> {
  const field = useRef<HTMLInputElement | null>(null);
  useShortcuts({ "Mod+f": () => focusSearch(field.current), Escape: () => (clear ? clear() : false) });
  return field;
}
