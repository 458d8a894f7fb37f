// The running (or last) export, kept outside React: leaving the view does not lose it, and
// coming back shows its progress or its result.
import { useSyncExternalStore } from "react";

import * as api from "../api";
import type { IpcError } from "../api";
import type { ExportProgress, PriceExportDone, PriceExportRequest } from "../bindings";
import { t } from "../i18n";

export type ExportRun =
  | { state: "idle" }
  | { state: "running"; request: PriceExportRequest; progress: ExportProgress | null; cancelling: boolean }
  | { state: "done"; result: PriceExportDone }
  | { state: "failed"; request: PriceExportRequest; error: IpcError };

let run: ExportRun = { state: "idle" };
const listeners = new Set<() => void>();

function set(next: ExportRun) {
  run = next;
  for (const l of listeners) l();
}

export function useExportRun(): ExportRun {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => run,
  );
}

/** Start an export unless one runs. `toast` says when it was cancelled. */
export async function startExport(request: PriceExportRequest, toast: (m: string) => void): Promise<void> {
  if (run.state === "running") return;
  set({ state: "running", request, progress: null, cancelling: false });
  try {
    const result = await api.exportPrices(request, (progress) => {
      if (run.state === "running" && run.request.exportId === request.exportId) set({ ...run, progress });
    });
    // The result card says where it went and how many rows (no toast over it).
    set({ state: "done", result });
  } catch (e) {
    const error = api.toIpcError(e);
    if (error.kind === "cancelled") {
      set({ state: "idle" });
      toast(t("exportRun.cancelled"));
    } else {
      set({ state: "failed", request, error });
    }
  }
}

export function cancelExport(): void {
  if (run.state !== "running" || run.cancelling) return;
  set({ ...run, cancelling: true });
  void api.cancelPriceExport(run.request.exportId);
}

/** Back to the form (dismiss a result or an error). */
export function resetExport(): void {
  if (run.state !== "running") set({ state: "idle" });
}
