import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { UpdateCheck } from "../bindings";
import { setLocale } from "../i18n";
import { mount } from "../testing";

const api = vi.hoisted(() => ({ checkForUpdates: vi.fn() }));
vi.mock("../api", () => api);
const { UpdateAtStart } = await import("./UpdateAtStart");

afterEach(() => {
  vi.clearAllMocks();
  setLocale("en");
});

const UNREACHABLE: UpdateCheck = { kind: "failed", message: "could not check for updates: the update server could not be reached", code: { code: "updateUnreachable" } };

describe("the update check at start", () => {
  it("says a failed check quietly, in the core's words", async () => {
    api.checkForUpdates.mockResolvedValue(UNREACHABLE);
    const el = await mount(<UpdateAtStart />);
    await act(async () => {});
    expect(api.checkForUpdates).toHaveBeenCalledWith(true);
    expect(el.querySelector("#update-quiet")?.textContent).toMatch(/^could not check for updates: the update server could not be reached /);
  });

  it("says it in Korean from its code", async () => {
    setLocale("ko");
    api.checkForUpdates.mockResolvedValue({ kind: "failed", message: "could not check for updates: the update feed has no package for this system (linux-x86_64)", code: { code: "updateNoPackage", params: { targets: "linux-x86_64" } } } satisfies UpdateCheck);
    const el = await mount(<UpdateAtStart />);
    await act(async () => {});
    expect(el.querySelector("#update-quiet")?.textContent).toContain("업데이트를 확인하지 못했습니다: 업데이트 피드에 이 시스템용 패키지가 없습니다(linux-x86_64)");
  });
});
