import { act, useRef, useState } from "react";
import { describe, expect, it, vi } from "vitest";

import { mount } from "../testing";
import { useDialog } from "./useDialog";

function Dialog({ onEscape }: { onEscape: () => void }) {
  const box = useRef<HTMLDivElement | null>(null);
  useDialog(box, { Escape: onEscape });
  return (
    <div role="dialog" aria-label="A dialog" ref={box}>
      <button type="button" id="first">
        First
      </button>
      <button type="button" id="last">
        Last
      </button>
    </div>
  );
}

function Page({ onEscape }: { onEscape: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" id="opener" onClick={() => setOpen(!open)}>
        Open
      </button>
      {open && <Dialog onEscape={() => (onEscape(), setOpen(false))} />}
    </>
  );
}

const tab = (shiftKey = false) => {
  const e = new KeyboardEvent("keydown", { key: "Tab", shiftKey, bubbles: true, cancelable: true });
  act(() => void document.activeElement?.dispatchEvent(e));
  return e;
};
const focused = () => document.activeElement?.id;

describe("a dialog", () => {
  it("keeps Tab inside, closes on Esc and gives the focus back to its opener", async () => {
    const onEscape = vi.fn();
    const host = await mount(<Page onEscape={onEscape} />);
    const opener = host.querySelector<HTMLButtonElement>("#opener") as HTMLButtonElement;
    opener.focus();
    act(() => opener.click());
    // From outside, Tab goes in; from the last control back to the first, and Shift+Tab round.
    expect(tab().defaultPrevented).toBe(true);
    expect(focused()).toBe("first");
    expect(tab(true).defaultPrevented).toBe(true);
    expect(focused()).toBe("last");
    expect(tab().defaultPrevented).toBe(true);
    expect(focused()).toBe("first");
    // Between the two the browser moves the focus itself.
    expect(tab().defaultPrevented).toBe(false);
    const esc = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    act(() => void document.activeElement?.dispatchEvent(esc));
    expect(onEscape).toHaveBeenCalledTimes(1);
    expect(host.querySelector('[role="dialog"]')).toBeNull();
    expect(focused()).toBe("opener");
  });
});
