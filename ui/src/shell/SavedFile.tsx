// After an export: where the file went, with "Open file" and "Show in folder" (the core opens
// only files CSP Desk wrote). Failures to open show here, in place.
import { useState } from "react";

import * as api from "../api";
import type { IpcError } from "../api";
import { ErrorBanner } from "./ErrorBanner";

export function SavedFile({ path, id, onDismiss }: { path: string; id?: string; onDismiss?: () => void }) {
  const [error, setError] = useState<IpcError | null>(null);
  const act = async (f: () => Promise<void>) => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(api.toIpcError(e));
    }
  };
  return (
    <>
      <div className="saved-file" id={id} role="status">
        <span className="saved-file-path">
          Saved to <code>{path}</code>
        </span>
        <button type="button" className="small" onClick={() => void act(() => api.openExportedFile(path))}>
          Open file
        </button>
        <button type="button" className="small" onClick={() => void act(() => api.revealExportedFile(path))}>
          Show in folder
        </button>
        {onDismiss && (
          <button type="button" className="small link" aria-label="Dismiss" onClick={onDismiss}>
            ×
          </button>
        )}
      </div>
      {error && <ErrorBanner error={error} what="The file could not be opened" hint="Open it from your file manager; it may have been moved or deleted." onDismiss={() => setError(null)} />}
    </>
  );
}
