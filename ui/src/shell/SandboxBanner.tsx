// Always visible while the data comes from the built-in sandbox.
import type { ConnectionStatus } from "../bindings/ConnectionStatus";

export function SandboxBanner({ status, onConnect }: { status: ConnectionStatus; onConnect?: () => void }) {
  const connect = "Connect a Partner Center account in Settings";
  return (
    <div className="banner sandbox-banner" role="note" id="sandbox-banner" title={`Sandbox state: ${status.dataDir}`}>
      <strong>Sandbox data</strong> from CSP Desk's built-in Partner Center simulator, not your tenant;
      orders here cost nothing.{" "}
      {onConnect ? (
        <button type="button" className="link" id="sandbox-connect" onClick={onConnect}>
          {connect}
        </button>
      ) : (
        `${connect}.`
      )}
    </div>
  );
}
