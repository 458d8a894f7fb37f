import { act, useState } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { mount } from "../testing";
import { Grid, type GridColumn, type GridSort, moveTo, sortable } from "./Grid";

interface Row {
  name: string;
  size: number;
}
const ROWS: Row[] = Array.from({ length: 100 }, (_, i) => ({ name: `row ${i}`, size: i * 10 }));
const COLUMNS: Array<GridColumn<Row>> = [
  { id: "name", header: "Name", width: "1fr", sortable: true, render: (r) => r.name },
  { id: "size", header: "Size", width: "80px", sortable: true, descFirst: true, className: "num", render: (r) => r.size },
  { id: "note", header: "Note", width: "120px", minWidth: 700, render: () => "note" },
];

// jsdom lays nothing out: the grid's scrolling element is 300 px high (10 rows of 28 under the header).
const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
beforeAll(() => Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 300 }));
afterAll(() => height && Object.defineProperty(HTMLElement.prototype, "clientHeight", height));

const press = (key: string, target: EventTarget = document.activeElement ?? document.body) => {
  const e = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
  act(() => {
    target.dispatchEvent(e);
  });
  return e;
};

function Harness(props: { onOpen?: (i: number) => void; onClose?: () => void; onSort?: (s: GridSort) => void; width?: number; sort?: GridSort }) {
  const [selected, setSelected] = useState<number | null>(null);
  return (
    <>
      <input id="field" aria-label="A field" />
      <output id="selected">{selected}</output>
      <Grid
        id="g"
        label="Things"
        columns={COLUMNS}
        count={ROWS.length}
        rowAt={(i) => ROWS[i]}
        selected={selected}
        onSelect={setSelected}
        onOpen={props.onOpen}
        onClose={props.onClose}
        sort={props.sort ?? { key: "name", descending: false }}
        onSort={props.onSort}
        initialWidth={props.width ?? 900}
      />
    </>
  );
}

const grid = (host: HTMLElement) => host.querySelector<HTMLElement>("#g") as HTMLElement;
const selectedRow = (host: HTMLElement) => host.querySelector('[role="row"][aria-selected="true"]');

describe("the grid", () => {
  it("says a sortable column's header in the language of the moment it is shown", () => {
    let word = "Customer";
    const [c, d] = sortable<string>([
      { id: "c", get header() { return word; }, width: "1fr", render: (r) => r },
      { id: "d", header: "Fixed", width: "1fr", sortable: false, render: (r) => r },
    ]);
    word = "고객";
    expect(c?.header).toBe("고객");
    expect(c?.sortable).toBe(true);
    expect(d?.sortable).toBe(false);
  });

  it("moves within bounds", () => {
    expect(moveTo("ArrowDown", null, 10, 5)).toBe(0);
    expect(moveTo("ArrowUp", null, 10, 5)).toBe(9);
    expect(moveTo("ArrowDown", 9, 10, 5)).toBe(9);
    expect(moveTo("ArrowUp", 0, 10, 5)).toBe(0);
    expect(moveTo("PageDown", 3, 10, 5)).toBe(8);
    expect(moveTo("PageDown", 8, 10, 5)).toBe(9);
    expect(moveTo("PageUp", 3, 10, 5)).toBe(0);
    expect(moveTo("Home", 7, 10, 5)).toBe(0);
    expect(moveTo("End", 2, 10, 5)).toBe(9);
    expect(moveTo("ArrowDown", 3, 0, 5)).toBeNull();
    expect(moveTo("x", 3, 10, 5)).toBeNull();
  });

  it("is an ARIA grid: a named grid, a header row, rows counted from 2, the selection", async () => {
    const host = await mount(<Harness />);
    const g = grid(host);
    expect(g.getAttribute("role")).toBe("grid");
    expect(g.getAttribute("aria-label")).toBe("Things");
    expect(g.getAttribute("aria-rowcount")).toBe("101");
    expect(g.tabIndex).toBe(0);
    const headers = [...g.querySelectorAll('[role="columnheader"]')].map((h) => h.textContent);
    expect(headers).toEqual(["Name ▲", "Size", "Note"]);
    const rows = [...g.querySelectorAll('[role="row"]')];
    expect(rows[0]?.getAttribute("aria-rowindex")).toBe("1");
    expect(rows[1]?.getAttribute("aria-rowindex")).toBe("2");
    expect(rows[1]?.querySelectorAll('[role="gridcell"]')).toHaveLength(3);
    // Virtualized: the rows on screen (and a few more), not all 100.
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
  });

  it("answers the keyboard: arrows, PageDown, End, Home, Enter opens, Esc closes", async () => {
    const onOpen = vi.fn();
    const onClose = vi.fn();
    const host = await mount(<Harness onOpen={onOpen} onClose={onClose} />);
    // An arrow from outside the grid (nothing focused) brings the focus in and selects the first row.
    expect(press("ArrowDown", document.body).defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(grid(host));
    expect(selectedRow(host)?.textContent).toContain("row 0");
    press("ArrowDown");
    press("ArrowDown");
    expect(selectedRow(host)?.textContent).toContain("row 2");
    expect(grid(host).getAttribute("aria-activedescendant")).toBe(selectedRow(host)?.id);
    press("ArrowUp");
    expect(selectedRow(host)?.getAttribute("aria-rowindex")).toBe("3");
    // A page is the rows on screen less one: (300 - 30) / 28 → 9, less one.
    press("PageDown");
    expect(selectedRow(host)?.textContent).toContain("row 9");
    // (jsdom does not scroll: the far rows are not rendered, so read the selection itself.)
    const at = () => host.querySelector("#selected")?.textContent;
    press("End");
    expect(at()).toBe("99");
    press("PageUp");
    expect(at()).toBe("91");
    press("Home");
    expect(selectedRow(host)?.textContent).toContain("row 0");
    press("Enter");
    expect(onOpen).toHaveBeenCalledWith(0);
    press("Escape");
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("leaves a text field its keys", async () => {
    const onOpen = vi.fn();
    const host = await mount(<Harness onOpen={onOpen} />);
    const field = host.querySelector<HTMLInputElement>("#field") as HTMLInputElement;
    field.focus();
    expect(press("ArrowDown", field).defaultPrevented).toBe(false);
    expect(press("End", field).defaultPrevented).toBe(false);
    expect(selectedRow(host)).toBeNull();
    expect(document.activeElement).toBe(field);
  });

  it("Home and End belong to the grid only while it has the focus", async () => {
    const host = await mount(<Harness />);
    expect(press("End", document.body).defaultPrevented).toBe(false);
    expect(selectedRow(host)).toBeNull();
  });

  it("sorts through the view: a click asks, the first direction per column, the sorted column says so", async () => {
    const onSort = vi.fn();
    const host = await mount(<Harness onSort={onSort} sort={{ key: "name", descending: false }} />);
    const header = (id: string) => host.querySelector(`[role="columnheader"][data-col="${id}"]`) as HTMLElement;
    expect(header("name").getAttribute("aria-sort")).toBe("ascending");
    expect(header("size").getAttribute("aria-sort")).toBe("none");
    expect(header("note").hasAttribute("aria-sort")).toBe(false);
    act(() => header("name").click());
    expect(onSort).toHaveBeenLastCalledWith({ key: "name", descending: true });
    // A column whose first sort is largest first (amounts).
    act(() => header("size").click());
    expect(onSort).toHaveBeenLastCalledWith({ key: "size", descending: true });
    // Not sortable: a click asks nothing.
    onSort.mockClear();
    act(() => header("note").click());
    expect(onSort).not.toHaveBeenCalled();
  });

  it("shows a sort that is descending", async () => {
    const host = await mount(<Harness sort={{ key: "size", descending: true }} />);
    const h = host.querySelector('[data-col="size"]') as HTMLElement;
    expect(h.getAttribute("aria-sort")).toBe("descending");
    expect(h.textContent).toBe("Size ▼");
  });

  it("drops a low-priority column when narrow", async () => {
    const wide = await mount(<Harness width={900} />);
    expect(wide.querySelector('[data-col="note"]')).not.toBeNull();
    expect(wide.querySelector(".td.c-note")).not.toBeNull();
    const narrow = await mount(<Harness width={600} />);
    expect(narrow.querySelector('[data-col="note"]')).toBeNull();
    expect(narrow.querySelector(".td.c-note")).toBeNull();
    expect(narrow.querySelectorAll('[role="columnheader"]')).toHaveLength(2);
  });

  it("shows each answer's rows: new values under a kept key, other rows, and a column whose cells changed", async () => {
    type Item = { key: string; name: string };
    const plain: Array<GridColumn<Item>> = [{ id: "name", header: "Name", width: "1fr", render: (r) => r.name }];
    const loud: Array<GridColumn<Item>> = [{ id: "name", header: "Name", width: "1fr", render: (r) => r.name.toUpperCase() }];
    // Each answer holds new objects, as the core's do; the same key is the same offer.
    const ANSWERS: Item[][] = [
      [{ key: "a", name: "Alpha" }, { key: "b", name: "Beta" }],
      [{ key: "a", name: "Alpha" }, { key: "c", name: "Gamma" }],
      [{ key: "c", name: "Gamma" }, { key: "a", name: "Alpha" }],
    ];
    function Answers() {
      const [n, setN] = useState(0);
      const [columns, setColumns] = useState(plain);
      const rows = ANSWERS[n] ?? [];
      return (
        <>
          <button type="button" id="next" onClick={() => setN(n + 1)} />
          <button type="button" id="loud" onClick={() => setColumns(loud)} />
          <Grid id="g" label="Things" columns={columns} count={rows.length} rowAt={(i) => rows[i]} rowKey={(r) => r.key} selected={null} onSelect={() => {}} />
        </>
      );
    }
    const host = await mount(<Answers />);
    const cells = () => Array.from(host.querySelectorAll(".td")).map((c) => c.textContent);
    const click = (id: string) => act(() => host.querySelector<HTMLButtonElement>(`#${id}`)?.click());
    expect(cells()).toEqual(["Alpha", "Beta"]);
    click("next"); // the first row kept (same key), the second another offer
    expect(cells()).toEqual(["Alpha", "Gamma"]);
    click("next"); // the same rows in another order
    expect(cells()).toEqual(["Gamma", "Alpha"]);
    click("loud"); // the view's columns change: every row shows it
    expect(cells()).toEqual(["GAMMA", "ALPHA"]);
  });
});
