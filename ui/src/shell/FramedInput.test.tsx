import { act, createRef } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";

import { FramedInput, type FramedInputHandle } from "./FramedInput";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement | null = null;
afterEach(() => host?.remove());

function mount(value: string, onInput: (t: string) => void, onKeyDown?: (e: KeyboardEvent) => void) {
  host = document.createElement("div");
  document.body.append(host);
  const root = createRoot(host);
  const ref = createRef<FramedInputHandle>();
  const render = (v: string) =>
    act(() =>
      root.render(<FramedInput ref={ref} id="search" label="Search offers" placeholder="Search" value={v} onInput={onInput} onKeyDown={onKeyDown} />),
    );
  render(value);
  const frame = host.querySelector("iframe") as HTMLIFrameElement;
  const field = frame.contentDocument?.getElementById("search") as HTMLInputElement;
  return { frame, field, ref, render };
}

function type(field: HTMLInputElement, text: string) {
  field.value = text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("FramedInput", () => {
  it("puts a labelled field in its frame, with the page's value", () => {
    const { frame, field } = mount("iron", () => {});
    expect(frame.title).toBe("Search offers");
    expect(frame.dataset.field).toBe("search");
    expect(field.getAttribute("aria-label")).toBe("Search offers");
    expect(field.placeholder).toBe("Search");
    expect(field.value).toBe("iron");
  });

  it("reports what is typed and keeps it while the page catches up", () => {
    const onInput = vi.fn();
    const { field, render } = mount("", onInput);
    type(field, "ir");
    expect(onInput).toHaveBeenLastCalledWith("ir");
    // The page still holds the old value for a moment: the field is not rewound.
    render("");
    expect(field.value).toBe("ir");
    // The page clears it (Esc): the field follows.
    render("ir");
    render("");
    expect(field.value).toBe("");
  });

  it("focuses and selects through its handle", () => {
    const { field, ref } = mount("cloud", () => {});
    // From a control elsewhere on the page, as Ctrl+F from the table does.
    const other = document.body.appendChild(document.createElement("button"));
    other.focus();
    act(() => {
      ref.current?.focus();
      ref.current?.select();
    });
    expect(field.ownerDocument.activeElement).toBe(field);
    expect(document.activeElement?.tagName).toBe("IFRAME");
    expect(field.selectionStart).toBe(0);
    expect(field.selectionEnd).toBe(5);
    expect(ref.current?.element()).toBe(field);
    other.remove();
  });

  it("hands keys to the page, and passes unhandled shortcuts on to the window", () => {
    const keys: string[] = [];
    const { field } = mount("", () => {}, (e) => {
      keys.push(e.key);
      if (e.key === "Escape") e.preventDefault();
    });
    const seen: string[] = [];
    const onWindow = (e: KeyboardEvent) => seen.push(`${e.ctrlKey ? "Ctrl+" : ""}${e.key}`);
    window.addEventListener("keydown", onWindow);
    try {
      for (const init of [{ key: "Escape" }, { key: "a" }, { key: "k", ctrlKey: true }]) {
        field.dispatchEvent(new KeyboardEvent("keydown", { ...init, bubbles: true, cancelable: true }));
      }
    } finally {
      window.removeEventListener("keydown", onWindow);
    }
    expect(keys).toEqual(["Escape", "a", "k"]);
    // Escape was handled and plain letters stay in the field; Ctrl+K reaches the window.
    expect(seen).toEqual(["Ctrl+k"]);
  });
});
