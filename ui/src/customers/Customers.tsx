// The Customers view (placeholder until its issue lands).
import type { ViewProps } from "../shell/nav";
import { Placeholder } from "../shell/Placeholder";

export function Customers({ navigate }: ViewProps) {
  return <Placeholder view="customers" navigate={navigate} />;
}
