// The Invoices view (placeholder until its issue lands).
import type { ViewProps } from "../shell/nav";
import { Placeholder } from "../shell/Placeholder";

export function Invoices({ navigate }: ViewProps) {
  return <Placeholder view="invoices" navigate={navigate} />;
}
