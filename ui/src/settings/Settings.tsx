// The Settings view (placeholder until its issue lands).
import type { ViewProps } from "../shell/nav";
import { Placeholder } from "../shell/Placeholder";

export function Settings({ navigate }: ViewProps) {
  return <Placeholder view="settings" navigate={navigate} />;
}
