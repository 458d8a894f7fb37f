// A subscription row for the tests: active, monthly, its cancellation window closing in hours.
import type { SubscriptionItem } from "../bindings";

export function sub(over: Partial<SubscriptionItem> = {}): SubscriptionItem {
  return {
    id: "s1",
    customerId: "c1",
    customerName: "Contoso",
    offerId: "P:S:A",
    productId: "P",
    skuId: "S",
    productName: "Fabrikam CRM",
    planName: "Pro",
    friendlyName: "",
    publisherName: "Fabrikam",
    quantity: 5,
    unitType: "Licenses",
    termDuration: "P1M",
    billingCycle: "monthly",
    status: "active",
    isTrial: false,
    autoRenewEnabled: true,
    creationDate: "2026-11-20T12:00:00Z",
    effectiveStartDate: null,
    commitmentEndDate: null,
    deadline: { at: "2026-11-21T11:12:00Z", kind: "subscriptionField", source: "cancellationAllowedUntilDate on the subscription", message: { code: "deadlineSubscriptionField" } },
    canCancel: true,
    cancellableUntil: "2026-11-21T11:12:00Z",
    cancelBlocked: null,
    closingSoon: true,
    closingSoonFrom: "2026-11-20T11:12:00Z",
    urgent: false,
    urgentFrom: "2026-11-21T09:12:00Z",
    refund: "Full refund",
    refundMessage: { code: "refundFull" },
    orderId: "o1",
    ...over,
  };
}
