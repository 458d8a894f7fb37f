// Always visible while the data comes from the built-in sandbox.
import type { ConnectionStatus } from "../bindings/ConnectionStatus";

export function SandboxBanner({ status }: { status: ConnectionStatus }) {
  return (
    <div className="banner sandbox-banner" role="note" id="sandbox-banner">
      <strong>Sandbox data.</strong> Everything here comes from CSP Desk's built-in Partner Center
      simulator, not from your tenant; orders placed here cost nothing. To connect a Partner Center
      account, start CSP Desk with <code>CSPDESK_ACCESS_TOKEN</code> set to a Partner Center access
      token (and <code>CSPDESK_ENDPOINT</code> for a non-default endpoint). Sign-in from Settings is
      coming. <span className="muted">Sandbox state: {status.dataDir}</span>
    </div>
  );
}
