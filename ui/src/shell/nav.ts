// How views reach each other: `navigate(view, params)` switches the view and hands it `params`.
// Each view documents the keys it reads (e.g. publishers: `customerId` + `subscriptionId`, or
// `publisher`; customers: `customerId`; buy flow: `offerKey`).
import type { ConnectionStatus } from "../bindings/ConnectionStatus";
import type { Market } from "../bindings/Market";
import type { View } from "./Sidebar";

export type NavParams = Readonly<Record<string, string>>;
export type Navigate = (view: View, params?: NavParams) => void;

/** What every view gets from the window; each uses what it needs. */
export interface ViewProps {
  /** The market picked in the top bar. */
  market: string;
  markets: Market[];
  status: ConnectionStatus | null;
  /** Parameters from the last `navigate` to this view (empty otherwise). */
  params: NavParams;
  navigate: Navigate;
  /** Short success message at the bottom of the window. */
  toast: (message: string) => void;
  /** Reopen the connection after settings or sign-in changed it. */
  reconnect: () => void;
}
