// A search box: a plain, labelled `<input type="search">` that tells its owner the text to search
// for, once per change, and never while an input method (Korean, Japanese, Chinese…) is still
// composing: the composed text is searched for when the composition ends. Keys pressed during a
// composition belong to the input method (Enter accepts a candidate, Esc drops it), so they never
// reach `onKeyDown`.
//
// The field is uncontrolled: typing renders nothing by itself. When `value` changes from outside
// (Esc cleared it, filters were reset) the field is set to it; the owner's late renders of what
// was typed never set it back.
import { type InputHTMLAttributes, type KeyboardEvent, type Ref, useCallback, useLayoutEffect, useRef } from "react";

/** Whether a key belongs to an input method's composition (WebKit's keyCode 229 included). */
export const composing = (e: KeyboardEvent | globalThis.KeyboardEvent): boolean => {
  const n = "nativeEvent" in e ? e.nativeEvent : e;
  return n.isComposing || n.keyCode === 229;
};

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "defaultValue" | "onChange" | "onInput" | "type"> {
  id: string;
  /** The field's label, in the page (visually hidden: the placeholder says the same). */
  label: string;
  value: string;
  onSearch: (text: string) => void;
  ref?: Ref<HTMLInputElement>;
}

export function SearchField({ id, label, value, onSearch, onKeyDown, ref, ...rest }: Props) {
  const field = useRef<HTMLInputElement | null>(null);
  const inComposition = useRef(false);
  // The last text handed on, and those whose `value` has not come back yet: the owner may render
  // them late (in a transition), behind what is typed by then, and must not undo the typing.
  const sent = useRef(value);
  const echoes = useRef(new Set<string>());

  useLayoutEffect(() => {
    if (echoes.current.has(value)) {
      if (value === sent.current) echoes.current.clear();
      return;
    }
    // A value from outside (Esc cleared it, filters were reset).
    echoes.current.clear();
    sent.current = value;
    if (field.current && field.current.value !== value) field.current.value = value;
  }, [value]);

  const send = (text: string) => {
    if (text === sent.current) return;
    sent.current = text;
    echoes.current.add(text);
    onSearch(text);
  };
  const setRef = useCallback(
    (el: HTMLInputElement | null) => {
      field.current = el;
      if (typeof ref === "function") ref(el);
      else if (ref) ref.current = el;
    },
    [ref],
  );

  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        {...rest}
        ref={setRef}
        id={id}
        type="search"
        autoComplete="off"
        spellCheck={false}
        defaultValue={value}
        onCompositionStart={() => (inComposition.current = true)}
        onCompositionEnd={(e) => {
          inComposition.current = false;
          send(e.currentTarget.value);
        }}
        onInput={(e) => {
          if (!inComposition.current && !e.nativeEvent.isComposing) send(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          if (!inComposition.current && !composing(e)) onKeyDown?.(e);
        }}
      />
    </>
  );
}
