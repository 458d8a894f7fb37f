// While an invoice's lines come from a Microsoft Graph export (minutes, for a recent invoice):
// which stage it is at (requested, being prepared, downloading file k of n) and the lines read
// so far. The words come from `exportStage` (lines.ts); the events are the core's, the same
// ones the CLI prints on stderr.
import type { GraphExportProgress } from "../bindings";
import { exportStage } from "./lines";

export function ExportStatus({ progress }: { progress: GraphExportProgress }) {
  const s = exportStage(progress);
  return (
    <div className="export-status" id="export-status" role="status" aria-live="polite">
      <span className="stage">{s.stage}</span>
      {/* Without a value, the bar says it is busy without saying how far. */}
      <progress max={s.fraction === null ? undefined : 1} value={s.fraction ?? undefined} aria-label={s.stage} />
      <span className="detail">{s.detail}</span>
    </div>
  );
}
