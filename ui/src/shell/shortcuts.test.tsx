import { act } from "react";
import { describe, expect, it, vi } from "vitest";

import { mount } from "../testing";
import { type Shortcuts, useShortcuts } from "./shortcuts";

function Layer({ keys, modal = false }: { keys: Shortcuts; modal?: boolean }) {
  useShortcuts(keys, { modal });
  return null;
}

const press = (target: EventTarget, key: string, more: KeyboardEventInit = {}) => {
  const e = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...more });
  act(() => {
    target.dispatchEvent(e);
  });
  return e;
};

describe("the shortcut layer", () => {
  it("gives a key to the dialog on top, and nothing below it", async () => {
    const view = { Escape: vi.fn(), "Mod+f": vi.fn() };
    const dialog = { Escape: vi.fn() };
    await mount(
      <>
        <Layer keys={view} />
        <Layer keys={dialog} modal />
      </>,
    );
    expect(press(document.body, "Escape").defaultPrevented).toBe(true);
    expect(dialog.Escape).toHaveBeenCalledTimes(1);
    expect(view.Escape).not.toHaveBeenCalled();
    press(document.body, "f", { ctrlKey: true });
    expect(view["Mod+f"]).not.toHaveBeenCalled();
  });

  it("passes a key on when the handler did not use it", async () => {
    const view = { Escape: vi.fn() };
    await mount(
      <>
        <Layer keys={view} />
        <Layer keys={{ Escape: () => false }} />
      </>,
    );
    press(document.body, "Escape");
    expect(view.Escape).toHaveBeenCalledTimes(1);
  });

  it("never takes a key typed during an input method's composition", async () => {
    const view = { Enter: vi.fn(), Escape: vi.fn() };
    await mount(<Layer keys={view} />);
    expect(press(document.body, "Enter", { isComposing: true }).defaultPrevented).toBe(false);
    press(document.body, "Escape", { keyCode: 229 });
    expect(view.Enter).not.toHaveBeenCalled();
    expect(view.Escape).not.toHaveBeenCalled();
  });

  it("leaves a text field its keys, except Esc and Ctrl combinations", async () => {
    const view = { ArrowDown: vi.fn(), Escape: vi.fn(), "Mod+f": vi.fn() };
    const el = await mount(
      <>
        <input aria-label="Name" />
        <Layer keys={view} />
      </>,
    );
    const field = el.querySelector("input")!;
    field.focus();
    expect(press(field, "ArrowDown").defaultPrevented).toBe(false);
    press(field, "Escape");
    press(field, "f", { metaKey: true });
    expect(view.ArrowDown).not.toHaveBeenCalled();
    expect(view.Escape).toHaveBeenCalledTimes(1);
    expect(view["Mod+f"]).toHaveBeenCalledTimes(1);
    // A key the field handled itself goes no further.
    field.addEventListener("keydown", (e) => e.preventDefault());
    press(field, "Escape");
    expect(view.Escape).toHaveBeenCalledTimes(1);
  });
});
