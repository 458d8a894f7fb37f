// Always visible while the data comes from the built-in sandbox.
import type { ConnectionStatus } from "../bindings/ConnectionStatus";

export function SandboxBanner({ status }: { status: ConnectionStatus }) {
  return (
    <div className="banner sandbox-banner" role="note" id="sandbox-banner" title={`Sandbox state: ${status.dataDir}`}>
      <strong>Sandbox data</strong> from CSP Desk's built-in Partner Center simulator, not your tenant;
      orders here cost nothing. To connect a Partner Center account, start CSP Desk with{" "}
      <code>CSPDESK_ACCESS_TOKEN</code> set (and <code>CSPDESK_ENDPOINT</code> if needed); sign-in
      from Settings is coming.
    </div>
  );
}
