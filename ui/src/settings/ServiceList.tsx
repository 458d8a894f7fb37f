// One line a service with a ✓ or !, what it serves, and what it said: the Account section's
// audience check and the Connection check use the same list.
import type { ReactNode } from "react";

export interface ServiceItem {
  name: string;
  serves: string;
  ok: boolean;
  /** What it said: shown muted when it answered, as a problem when not. */
  detail?: string | null;
  more?: ReactNode;
}

export function ServiceList({ id, items, live }: { id?: string; items: ServiceItem[]; live?: boolean }) {
  return (
    <ul className="audiences" id={id} aria-live={live ? "polite" : undefined}>
      {items.map((s) => (
        <li key={s.name} className={s.ok ? "ok" : "no"}>
          <span className="mark" aria-hidden="true">
            {s.ok ? "✓" : "!"}
          </span>
          <span>
            <strong>{s.name}</strong> <span className="muted">— {s.serves}</span>
            {s.detail && <div className={s.ok ? "muted" : "audience-problem"}>{s.detail}</div>}
            {s.more}
          </span>
        </li>
      ))}
    </ul>
  );
}
