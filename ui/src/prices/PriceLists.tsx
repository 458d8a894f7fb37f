// The PriceLists view (placeholder until its issue lands).
import type { ViewProps } from "../shell/nav";
import { Placeholder } from "../shell/Placeholder";

export function PriceLists({ navigate }: ViewProps) {
  return <Placeholder view="price-lists" navigate={navigate} />;
}
