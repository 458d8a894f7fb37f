// App-wide: the sidebar's count badges (subscriptions closing within 24 h, waiting for
// activation). Placeholder until the Subscriptions view lands.
import type { ConnectionStatus } from "../bindings/ConnectionStatus";
import type { View } from "../shell/Sidebar";

export function useBadges(_status: ConnectionStatus | null): Partial<Record<View, number>> {
  return {};
}
