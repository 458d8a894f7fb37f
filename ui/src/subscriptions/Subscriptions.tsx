// The Subscriptions view (placeholder until its issue lands).
import type { ViewProps } from "../shell/nav";
import { Placeholder } from "../shell/Placeholder";

export function Subscriptions({ navigate }: ViewProps) {
  return <Placeholder view="subscriptions" navigate={navigate} />;
}
