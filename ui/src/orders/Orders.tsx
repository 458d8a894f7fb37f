// The Orders view (placeholder until its issue lands).
import type { ViewProps } from "../shell/nav";
import { Placeholder } from "../shell/Placeholder";

export function Orders({ navigate }: ViewProps) {
  return <Placeholder view="orders" navigate={navigate} />;
}
