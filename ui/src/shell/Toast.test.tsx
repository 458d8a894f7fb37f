import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { mount } from "../testing";
import { Toast, useToast } from "./Toast";

function Host() {
  const t = useToast();
  return (
    <>
      <button type="button" onClick={() => t.show("Settings saved")}>
        Save
      </button>
      <Toast toast={t.toast} />
    </>
  );
}

afterEach(() => vi.useRealTimers());

describe("the toast", () => {
  it("says its message, then leaves nothing at the bottom of the window", async () => {
    vi.useFakeTimers();
    const el = await mount(<Host />);
    expect(el.querySelector(".toast")).toBeNull();
    act(() => el.querySelector("button")!.click());
    expect(el.querySelector(".toast")?.textContent).toBe("Settings saved");
    act(() => {
      vi.advanceTimersByTime(3600);
    });
    expect(el.querySelector(".toast")).toBeNull();
  });
});
