// The Publishers view (placeholder until its issue lands).
import type { ViewProps } from "../shell/nav";
import { Placeholder } from "../shell/Placeholder";

export function Publishers({ navigate }: ViewProps) {
  return <Placeholder view="publishers" navigate={navigate} />;
}
