// A view not built yet: says what is coming and leads back to the Marketplace.
import type { ViewProps } from "./nav";
import { VIEWS, type View } from "./Sidebar";

export function Placeholder({ view, navigate }: { view: View } & Pick<ViewProps, "navigate">) {
  const v = VIEWS.find((x) => x.id === view);
  return (
    <section className="placeholder" aria-label={v?.label}>
      <h1>{v?.label}</h1>
      <p>{v?.coming}</p>
      <button type="button" onClick={() => navigate("marketplace")}>
        Back to the Marketplace
      </button>
    </section>
  );
}
