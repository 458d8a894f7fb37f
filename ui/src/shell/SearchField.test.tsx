import { act, useState } from "react";
import { describe, expect, it } from "vitest";

import { mount } from "../testing";
import { SearchField } from "./SearchField";

describe("the search field", () => {
  it("keeps what is typed when its owner renders the earlier text late, and takes a value from outside", async () => {
    const sent: string[] = [];
    // The owner renders the value it is told to by the buttons, whenever the test clicks one.
    function Owner() {
      const [value, setValue] = useState("");
      return (
        <>
          <SearchField id="q" label="Search" value={value} onSearch={(t) => sent.push(t)} />
          {["", "i", "iro"].map((v) => (
            <button key={v} type="button" data-value={v} onClick={() => setValue(v)} />
          ))}
        </>
      );
    }
    const el = await mount(<Owner />);
    const field = el.querySelector("input")!;
    const show = (v: string) => el.querySelector<HTMLButtonElement>(`[data-value="${v}"]`)!.click();
    const type = (text: string) =>
      act(() => {
        field.value = text;
        field.dispatchEvent(new InputEvent("input", { bubbles: true }));
      });
    type("i");
    type("ir");
    type("iro");
    expect(sent).toEqual(["i", "ir", "iro"]);
    // The owner catches up one text at a time: the field stays as typed.
    act(() => show("i"));
    expect(field.value).toBe("iro");
    act(() => show("iro"));
    expect(field.value).toBe("iro");
    // Cleared from outside.
    act(() => show(""));
    expect(field.value).toBe("");
  });
});
