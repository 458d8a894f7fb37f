// A single-line text field that lives in its own same-origin frame.
//
// Why a frame: in WebKitGTK 2.50 with compositing off (no GPU), a text field in the top document
// that goes from empty to non-empty or back (the first key typed, the last Backspace, Esc) costs
// the web process 8–12 ms of main-thread work after the edit, and the query's answer waits behind
// it. The same field inside a child frame costs nothing extra. Measured in the app under Xvfb with
// X key events, key → answer → DOM change → next frame: top document p99 16–20 ms, child frame
// p99 7–8 ms. The frame holds only the field; the page keeps the state and the handlers.
import { forwardRef, useImperativeHandle, useLayoutEffect, useRef } from "react";

export interface FramedInputHandle {
  focus(): void;
  select(): void;
  /** The field itself (in the frame's document), for tests and focus checks. */
  element(): HTMLInputElement | null;
}

interface Props {
  id: string;
  className?: string;
  value: string;
  placeholder?: string;
  title?: string;
  label: string;
  onInput: (text: string) => void;
  /** Keys pressed in the field. Keys left unhandled that carry Ctrl, Alt or Meta are passed on
   * to the page's window, so window-wide shortcuts keep working while the field has the focus. */
  onKeyDown?: (e: KeyboardEvent) => void;
}

/** Room around the field inside the frame, so its focus ring (2 px + 1 px offset) is not cut;
 * `.framed-input` in styles.css takes it back with a negative margin. */
const RING = 3;

export const FramedInput = forwardRef<FramedInputHandle, Props>(function FramedInput(props, ref) {
  const frame = useRef<HTMLIFrameElement | null>(null);
  const field = useRef<HTMLInputElement | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useImperativeHandle(ref, () => ({
    // WebKit moves the focus into a child frame's element only once that frame's window has it.
    focus: () => {
      frame.current?.contentWindow?.focus();
      field.current?.focus();
    },
    select: () => field.current?.select(),
    element: () => field.current,
  }));

  useLayoutEffect(() => {
    const f = frame.current;
    const doc = f?.contentDocument;
    if (!f || !doc) return;
    const { id, placeholder, title, label } = latest.current;
    // The page's own style sheets, so the field looks like every other one, in both themes.
    doc.head.replaceChildren(
      ...Array.from(document.querySelectorAll('style, link[rel="stylesheet"]'), (s) => s.cloneNode(true)),
    );
    // The frame's own layout, through CSSOM: the content security policy allows no inline style
    // sheet, but style properties set from script are fine.
    for (const el of [doc.documentElement, doc.body]) {
      Object.assign(el.style, { height: "100%", margin: "0", overflow: "hidden", background: "transparent" });
    }
    doc.body.style.padding = `${RING}px`;
    doc.documentElement.lang = document.documentElement.lang;
    const input = doc.createElement("input");
    input.id = id;
    input.type = "search";
    input.autocomplete = "off";
    input.spellcheck = false;
    if (placeholder) input.placeholder = placeholder;
    if (title) input.title = title;
    input.setAttribute("aria-label", label);
    input.value = latest.current.value;
    Object.assign(input.style, { display: "block", width: "100%", height: "100%", margin: "0" });
    input.addEventListener("input", () => latest.current.onInput(input.value));
    input.addEventListener("keydown", (e) => {
      latest.current.onKeyDown?.(e);
      if (e.defaultPrevented || !(e.ctrlKey || e.altKey || e.metaKey)) return;
      const passed = new KeyboardEvent("keydown", {
        key: e.key,
        code: e.code,
        ctrlKey: e.ctrlKey,
        altKey: e.altKey,
        shiftKey: e.shiftKey,
        metaKey: e.metaKey,
        bubbles: true,
        cancelable: true,
      });
      if (!window.dispatchEvent(passed)) e.preventDefault();
    });
    doc.body.replaceChildren(input);
    field.current = input;
    return () => {
      field.current = null;
      doc.body.replaceChildren();
    };
  }, []);

  // The page's value wins when it differs (Esc cleared it, or filters were restored); typing
  // never writes back, so the caret and the undo history stay the field's own.
  useLayoutEffect(() => {
    const input = field.current;
    if (input && input.value !== props.value) input.value = props.value;
  }, [props.value]);

  return (
    <iframe
      ref={frame}
      className={props.className ? `framed-input ${props.className}` : "framed-input"}
      title={props.label}
      data-field={props.id}
    />
  );
});
