// Always visible while the data comes from the built-in sandbox.
import type { ConnectionStatus } from "../bindings/ConnectionStatus";

export function SandboxBanner({ status, onConnect }: { status: ConnectionStatus; onConnect?: () => void }) {
  return (
    <div className="banner sandbox-banner" role="note" id="sandbox-banner" title={`Sandbox state: ${status.dataDir}`}>
      <strong>Sandbox data</strong> from CSP Desk's built-in Partner Center simulator, not your tenant;
      orders here cost nothing. Connect a Partner Center account in Settings.
      {onConnect && (
        <button type="button" className="link connect-link" id="sandbox-connect" onClick={onConnect}>
          Open Settings
        </button>
      )}
    </div>
  );
}
