import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { PlanChange, PlanChoices } from "../bindings";
import { say, setLocale } from "../i18n";
import { mount } from "../testing";
import { sub } from "./fixture";

const api = vi.hoisted(() => ({ planOptions: vi.fn(), changePlan: vi.fn(), openLink: vi.fn() }));
vi.mock("../api", () => api);
const { PlanDialog } = await import("./PlanDialog");

afterEach(() => {
  vi.clearAllMocks();
  setLocale("en");
});

const CURRENT = { offerId: "P:S:A", productId: "P", skuId: "S", title: "Pro", offerName: "Fabrikam CRM", quantity: 5, minimumQuantity: null, maximumQuantity: null, status: "active", billingCycle: "monthly", termDuration: "P1M" };
// What the core sends when Partner Center refuses the eligibility check: the English words and their codes.
const REFUSED: PlanChoices = {
  customerId: "c1",
  subscriptionId: "s1",
  current: CURRENT,
  eligible: [],
  unavailable: [
    {
      offerId: "",
      productId: "P",
      skuId: "E",
      title: "Enterprise",
      description: "",
      isEligible: false,
      listed: false,
      upgradeType: "",
      reason: "Enterprise cannot be chosen here: change the plan in the Partner Center portal",
      reasonMessage: { code: "planPortalOnly", params: { plan: "Enterprise" } },
      errorCodes: [],
      minimumQuantity: null,
      maximumQuantity: null,
    },
  ],
  notes: ["A customer can change plan at any time in the billing cycle.", "The change takes effect once the publisher approves it.", "Upfront monthly and annual charges are prorated."],
  noteMessages: [{ code: "planNoteAnyTime" }, { code: "planNoteApproval" }, { code: "planNoteProrated" }],
  notOffered: "Partner Center does not offer plan changes for this marketplace subscription through its API (the eligibility check was refused: 403 Forbidden)",
  notOfferedMessage: { code: "planCheckRefused", params: { why: "403 Forbidden" } },
  portalLink: "https://partner.microsoft.com/dashboard/commerce2/customers/c1/subscriptions/s1",
};

async function dialog() {
  api.planOptions.mockResolvedValue(REFUSED);
  const el = await mount(<PlanDialog sub={sub()} onClose={() => {}} onDone={() => {}} />);
  await act(async () => {});
  return el;
}

describe("the plan dialog", () => {
  it("says the core's reasons and notes in English", async () => {
    const el = await dialog();
    expect(el.querySelector("#plan-none")?.textContent).toContain("(the eligibility check was refused: 403 Forbidden).");
    expect(el.querySelector("#plan-unavailable li")?.textContent).toBe("Enterprise: Enterprise cannot be chosen here: change the plan in the Partner Center portal");
    expect([...el.querySelectorAll(".plan-notes li")].map((li) => li.textContent)).toEqual(REFUSED.notes);
  });

  it("says them in Korean from their codes", async () => {
    setLocale("ko");
    const el = await dialog();
    expect(el.querySelector("#plan-none")?.textContent).toContain("플랜 변경을 제공하지 않습니다(변경 가능 여부 확인이 거부됨: 403 Forbidden)");
    expect(el.querySelector("#plan-unavailable li")?.textContent).toBe("Enterprise: Enterprise 플랜은 여기서 선택할 수 없습니다. 파트너 센터 포털에서 플랜을 변경하세요");
    expect([...el.querySelectorAll(".plan-notes li")].map((li) => li.textContent)).toEqual([
      "고객은 청구 주기 중 언제든지 플랜을 변경할 수 있습니다.",
      "변경은 게시자가 승인한 후에 적용됩니다.",
      "선결제 월간 및 연간 요금은 일할 계산됩니다.",
    ]);
    expect(el.textContent).not.toMatch(/publisher|billing cycle/);
  });

  it("says a done change in the UI's language, with the seats counted", () => {
    const done: Pick<PlanChange, "message" | "messageCode"> = {
      message: "s1 moved from Pro to Enterprise with 1 seat.",
      messageCode: { code: "planMoved", params: { subscription: "s1", from: "Pro", to: "Enterprise", seats: 1 } },
    };
    expect(say(done.messageCode, done.message)).toBe("s1 moved from Pro to Enterprise with 1 seat.");
    expect(say({ code: "planSeats", params: { subscription: "s1", seats: 3 } }, "")).toBe("s1 now has 3 seats.");
    setLocale("ko");
    expect(say(done.messageCode, done.message)).toBe("s1 구독이 Pro 플랜에서 Enterprise 플랜으로 변경되었습니다(라이선스 1개).");
    expect(say({ code: "planPending", params: { subscription: "s1", from: "Pro", to: "Enterprise" } }, "")).toBe("s1 구독의 Pro 플랜에서 Enterprise 플랜으로의 변경이 접수되었으며, 게시자가 승인하면 적용됩니다.");
  });
});
