// How views reach each other: `navigate(route)` switches to the route's view and opens it with
// what the route carries (the view is opened anew for each route).
import type { ConnectionStatus, Market } from "../bindings";
import type { Segment } from "../subscriptions/time";

/** Every view, with what it can be opened with. */
export type Route =
  | { view: "marketplace" }
  | { view: "price-lists"; tab?: "export" | "changes" | "impact" | "pricing" | "schedule" }
  /** That customer's detail open. */
  | { view: "customers"; customerId?: string }
  /** One customer's subscriptions (that one open), or a set. */
  | { view: "subscriptions"; customerId?: string; subscriptionId?: string; segment?: Segment }
  /** One customer's orders. */
  | { view: "orders"; customerId?: string }
  | { view: "invoices" }
  /** A subscription's publisher, with the subscription's details; or one publisher. */
  | { view: "publishers"; customerId?: string; subscriptionId?: string; publisher?: string }
  | { view: "settings" };

export type View = Route["view"];
export type RouteTo<V extends View> = Extract<Route, { view: V }>;
export type Navigate = (to: Route) => void;

/** What every view gets from the window; each uses what it needs. */
export interface ViewProps<V extends View = View> {
  /** The market picked in the top bar. */
  market: string;
  markets: Market[];
  status: ConnectionStatus | null;
  /** The route this view was opened with. */
  params: RouteTo<V>;
  navigate: Navigate;
  /** Short success message at the bottom of the window. */
  toast: (message: string) => void;
  /** Reopen the connection after settings or sign-in changed it. */
  reconnect: () => void;
}
