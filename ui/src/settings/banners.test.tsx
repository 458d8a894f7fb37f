import { act, useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { WhoAmI } from "../bindings";
import { mount } from "../testing";


const who = (over: Partial<WhoAmI>): WhoAmI => ({
  connection: "partner-center",
  signInNeeded: true,
  note: null,
  noteMessage: null,
  signedIn: false,
  expired: false,
  username: null,
  name: null,
  tenantId: null,
  signedInAt: null,
  authority: "https://login.microsoftonline.com/",
  clientId: "c5d3e4f1-0a2b-4c6d-8e9f-1a2b3c4d5e6f",
  audiences: [],
  ...over,
});

const expired = who({ expired: true, username: "ann@contoso.com", tenantId: "t-1" });
const signedIn = who({ signedIn: true, username: "ann@contoso.com", name: "Ann", tenantId: "t-1" });

const api = vi.hoisted(() => ({
  whoami: vi.fn(),
  readSettings: vi.fn(),
  signIn: vi.fn(),
  cancelSignIn: vi.fn(),
}));
vi.mock("../api", () => api);

const { SessionBanner } = await import("./SessionBanner");
const { AccountBadge } = await import("./AccountBadge");

beforeEach(() => vi.clearAllMocks());

async function render(node: React.ReactNode): Promise<HTMLDivElement> {
  const host = await mount(node);
  await act(async () => {});
  return host;
}

const noProblem = { problem: null };

describe("sign in again", () => {
  it("appears when the sign-in expired, and signs in again in place", async () => {
    api.whoami.mockResolvedValue(expired);
    api.readSettings.mockResolvedValue(noProblem);
    api.signIn.mockResolvedValue({ who: signedIn });
    const toast = vi.fn();
    const el = await render(<SessionBanner toast={toast} onSettings={() => {}} />);
    expect(el.querySelector("#session-banner")?.textContent).toContain("expired or was revoked");
    expect(el.textContent).toContain("stays as it is");
    const button = Array.from(el.querySelectorAll("button")).find((b) => b.textContent === "Sign in again");
    api.whoami.mockResolvedValue(signedIn);
    await act(async () => button?.click());
    await act(async () => {});
    expect(api.signIn).toHaveBeenCalledTimes(1);
    expect(el.querySelector("#session-banner")).toBeNull();
    expect(toast).toHaveBeenCalledWith("Signed in as Ann <ann@contoso.com>");
  });

  it("names the line of a settings file that could not be used", async () => {
    api.whoami.mockResolvedValue(signedIn);
    api.readSettings.mockResolvedValue({
      problem: { line: 3, column: 13, message: "`nope` is not a GUID", movedTo: "/x/settings.toml.broken-1", text: "" },
    });
    const open = vi.fn();
    const el = await render(<SessionBanner toast={() => {}} onSettings={open} />);
    const banner = el.querySelector("#settings-problem-banner")?.textContent ?? "";
    expect(banner).toContain("(line 3)");
    expect(banner).toContain("“nope” is not a GUID");
    expect(banner).toContain("default settings");
    expect(el.querySelector("#session-banner")).toBeNull();
    const button = Array.from(el.querySelectorAll("button")).find((b) => b.textContent === "Open Settings");
    await act(async () => button?.click());
    expect(open).toHaveBeenCalled();
    expect(el.querySelector("#settings-problem-banner")).toBeNull();
  });
});

describe("the settings problem banner, dismissed", () => {
  it("stays gone when the app renders anew (a language switch)", async () => {
    api.whoami.mockResolvedValue(signedIn);
    api.readSettings.mockResolvedValue({
      problem: { line: 3, column: 13, message: "`nope` is not a GUID", movedTo: null, text: "" },
    });
    function Remount() {
      const [k, setK] = useState(0);
      return (
        <>
          <button type="button" id="remount" onClick={() => setK(k + 1)} />
          <SessionBanner key={k} toast={() => {}} onSettings={() => {}} />
        </>
      );
    }
    const el = await render(<Remount />);
    expect(el.querySelector("#settings-problem-banner")).not.toBeNull();
    await act(async () => el.querySelector<HTMLButtonElement>("#settings-problem-banner button.ghost")?.click());
    expect(el.querySelector("#settings-problem-banner")).toBeNull();
    await act(async () => el.querySelector<HTMLButtonElement>("#remount")?.click());
    await act(async () => {});
    expect(el.querySelector("#settings-problem-banner")).toBeNull();
  });
});

describe("account badge", () => {
  it("shows who is signed in to which tenant, and nothing on the sandbox", async () => {
    api.whoami.mockResolvedValue(signedIn);
    const el = await render(<AccountBadge onOpen={() => {}} />);
    expect(el.textContent).toContain("ann@contoso.com");
    expect(el.textContent).toContain("tenant t-1");

    const sandbox = who({ connection: "sandbox", signInNeeded: false, note: "sandbox" });
    api.whoami.mockResolvedValue(sandbox);
    const none = await render(<AccountBadge onOpen={() => {}} />);
    expect(none.querySelector("#account-badge")).toBeNull();
  });
});
