import { afterEach, describe, expect, it } from "vitest";

import type { FieldError, Message } from "./bindings";
import { count, money } from "./format";
import { localeOf, say, setLocale, systemLocale, t } from "./i18n";

afterEach(() => setLocale("en"));

describe("the language", () => {
  it("follows the OS's language tags, Korean for any ko tag first", () => {
    expect(systemLocale(["ko-KR", "en-US"])).toBe("ko");
    expect(systemLocale(["ko"])).toBe("ko");
    expect(systemLocale(["en-GB", "ko-KR"])).toBe("en");
    expect(systemLocale(["de-DE", "ko-KR"])).toBe("ko");
    expect(systemLocale(["fr-FR"])).toBe("en");
    expect(systemLocale([])).toBe("en");
    expect(localeOf("ko")).toBe("ko");
    expect(localeOf("en")).toBe("en");
  });

  it("switches at once, numbers and money included", () => {
    expect(t("sidebar.subscriptions")).toBe("Subscriptions");
    setLocale("ko");
    expect(t("sidebar.subscriptions")).toBe("구독");
    expect(t("subscriptions.count", { count: 1, n: count(1) })).toBe("구독 1개");
    expect(money(12000, "KRW")).toBe("₩12,000");
    setLocale("en");
    expect(t("subscriptions.count", { count: 1, n: count(1) })).toBe("1 subscription");
    expect(t("subscriptions.count", { count: 2, n: count(2) })).toBe("2 subscriptions");
  });

  it("counts a daily export's files as one file or several", () => {
    expect(t("scheduleTab.written", { count: 1, rows: count(6085), files: count(1) })).toBe("Daily export written: 6,085 rows in 1 file");
    expect(t("scheduleTab.written", { count: 2, rows: count(10), files: count(2) })).toBe("Daily export written: 10 rows in 2 files");
    setLocale("ko");
    expect(t("scheduleTab.written", { count: 1, rows: count(6085), files: count(1) })).toBe("매일 내보내기 완료: 1개 파일에 6,085행");
  });
});

describe("the core's coded sentences", () => {
  const period: Message = { code: "billingPeriod", params: { start: "2026-10-01", invoiceAvailable: "2026-11-08" } };
  it("are rendered in the UI's language from their code and parameters", () => {
    expect(say(period, "x")).toBe("October 2026 charges · invoice available November 8, 2026");
    expect(say({ code: "windowHours", params: { hours: 1 } }, "x")).toBe("1 hour after purchase");
    expect(say({ code: "windowDays", params: { days: 14 } }, "x")).toBe("14 days after purchase");
    expect(say({ code: "deadlinePolicy", params: { source: "Partner Center rule" } }, "x")).toBe("policy: Partner Center rule");
    setLocale("ko");
    expect(say(period, "x")).toBe("2026년 10월 요금 · 청구서 발행 2026년 11월 8일");
    expect(say({ code: "windowDays", params: { days: 14 } }, "x")).toBe("구매 후 14일");
    expect(say({ code: "windowTrial" }, "x")).toBe("평가판 기간 중 언제든지");
    expect(say({ code: "purchaseNotCsp", params: { offerType: "vm" } }, "x")).toBe("가상 머신 오퍼는 CSP로 구매할 수 없습니다. Azure Portal에서 관리되고 청구됩니다.");
  });

  it("say a service by what it serves, in either language", () => {
    const noToken: Message = { code: "audienceNoToken", params: { served: "partnerApi", why: "invalid_grant" } };
    expect(say(noToken, "x")).toBe("price lists unavailable: invalid_grant");
    expect(say({ code: "servesGraph" }, "x")).toBe("invoice line items (billing reconciliation)");
    setLocale("ko");
    expect(say(noToken, "x")).toBe("가격표 기능을 사용할 수 없습니다: invalid_grant");
    expect(say({ code: "audienceArmUnchecked", params: { why: "timeout" } }, "x")).toBe("마켓플레이스 범주와 게시자 연락처를 확인하지 못했습니다: timeout");
    expect(say({ code: "refundFull" }, "x")).toBe("전액 환불");
    expect(say({ code: "scheduleMissed", params: { at: "2026-11-21 06:30" } }, "x")).toBe("2026-11-21 06:30에 예약된 가격표 내보내기가 실행되지 않았습니다(컴퓨터가 꺼져 있었나요?)");
    expect(say({ code: "notSoldIn", params: { product: "Contoso CRM", country: "KR", customer: "Fabrikam" } }, "x")).toBe("Contoso CRM은(는) Fabrikam의 청구 국가인 KR에서 판매되지 않습니다");
  });

  it("say a refusal whose parts are sentences of their own, in either language", () => {
    const already: Message = { code: "planAlreadyOn", params: { subscription: "sub-1", plan: "Basic", choices: { code: "planChoices", params: { plans: "Premium (P1)" } } } };
    expect(say(already, "x")).toBe("subscription sub-1 is already on Basic. Plans it can move to: Premium (P1)");
    const ineligible: Message = { code: "planIneligible", params: { subscription: "sub-1", from: "Basic", to: "Premium", why: { code: "verbatim", params: { text: "does not allow downgrades" } }, choices: { code: "planChoicesNone" } } };
    setLocale("ko");
    expect(say(already, "x")).toBe("sub-1 구독은 이미 Basic 플랜입니다. 변경할 수 있는 플랜: Premium (P1)");
    expect(say(ineligible, "x")).toBe("sub-1 구독은 Basic 플랜에서 Premium 플랜으로 변경할 수 없습니다: does not allow downgrades. 파트너 센터에 지금 이 구독이 변경할 수 있는 플랜이 없습니다");
    expect(say({ code: "cancelWindowClosed", params: { name: "Contoso CRM", at: "2026-11-21 06:30" } }, "x")).toBe("Contoso CRM의 취소 가능 기간이 2026-11-21 06:30(UTC)에 끝났습니다. 더 이상 취소할 수 없습니다. 기간이 끝날 때 종료되도록 자동 갱신을 끄세요");
    expect(say({ code: "snapshotNoEarlier", params: { market: "GB", to: "2026-11-21" } }, "x")).toBe("2026년 11월 21일보다 이전의 GB 가격 스냅샷을 찾을 수 없습니다. 변경 내용을 보려면 서로 다른 두 날짜의 스냅샷이 필요합니다. 다른 날에 다시 가져오거나 시작일(--from)을 지정하세요");
    expect(say({ code: "rulesFileCell", params: { file: "r.csv", line: 3, column: 2, why: { code: "notAnAmount", params: { value: "abc" } } } }, "x")).toBe("r.csv, 3번째 줄 2번째 열: `abc`은(는) 금액이 아닙니다");
    // A part the UI cannot say: the whole sentence stays in the core's English.
    const unknown = { code: "planAlreadyOn", params: { subscription: "s", plan: "p", choices: { code: "martian" } } } as unknown as Message;
    expect(say(unknown, "the English")).toBe("the English");
  });

  it("say a setting the form must correct, as the core checked it", () => {
    const e: FieldError = { field: "clientId", message: "`nope` is not a GUID (expected the form 00000000-0000-0000-0000-000000000000)", messageCode: { code: "settingNotGuid", params: { value: "nope" } } };
    expect(say(e.messageCode, e.message)).toBe(e.message);
    setLocale("ko");
    expect(say(e.messageCode, e.message)).toBe("`nope`은(는) GUID가 아닙니다(00000000-0000-0000-0000-000000000000 형식이어야 합니다)");
    expect(say({ code: "settingNoMarket" }, "x")).toBe("시장을 하나 이상 고르세요. 첫 번째가 기본 시장입니다");
    // A check with no code (an endpoint address) keeps the core's words.
    expect(say(null, "endpoint http://x uses `http`")).toBe("endpoint http://x uses `http`");
  });

  it("fall back to the core's English words for a code this build does not know", () => {
    setLocale("ko");
    expect(say({ code: "somethingNew" } as unknown as Message, "the core's words")).toBe("the core's words");
    expect(say(null, "the core's words")).toBe("the core's words");
  });
});
