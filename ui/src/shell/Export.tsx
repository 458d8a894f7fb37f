// The one export flow of every view that exports: Save as… (or the export folder), the export,
// then "Saved to" with Open file and Show in folder (the core opens only files CSP Desk wrote),
// or what went wrong, in place. The price list's export shows its progress in its own view
// (prices/exportRun.ts) and ends in the same "Saved to".
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";

import * as api from "../api";
import type { ExportResult } from "../bindings";
import { ErrorBanner } from "./ErrorBanner";
import { t } from "../i18n";

/** Open file and Show in folder for a file CSP Desk wrote (the core opens no other), saying in
 * place when that failed. With `id`, the buttons are `${id}-open-file` and `${id}-show-in-folder`. */
export function FileButtons({ path, id, className = "small" }: { path: string; id?: string; className?: string }) {
  const open = useMutation({ mutationFn: (reveal: boolean) => (reveal ? api.revealExportedFile(path) : api.openExportedFile(path)) });
  return (
    <>
      <button type="button" className={className} id={id && `${id}-open-file`} onClick={() => open.mutate(false)}>
        {t("export.openFile")}
      </button>
      <button type="button" className={className} id={id && `${id}-show-in-folder`} onClick={() => open.mutate(true)}>
        {t("export.showInFolder")}
      </button>
      {open.error && <ErrorBanner error={open.error} what={t("export.theFileCouldNotBe")} hint={t("export.openItFromYourFile")} onDismiss={open.reset} />}
    </>
  );
}

function SavedFile({ path, id, summary, onDismiss }: { path: string; id: string; summary: string; onDismiss: () => void }) {
  return (
    <div className="saved-file" id={id} role="status">
      <span className="saved-file-path">
        {t("export.summarySavedTo", { summary })}
        <code>{path}</code>
      </span>
      <FileButtons path={path} />
      <button type="button" className="small link" aria-label={t("export.dismiss")} onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

interface Options {
  /** Writes the file: to `path` as picked in Save as…, or to the export folder when null. */
  write: (path: string | null) => Promise<ExportResult>;
  /** What was written, e.g. "12 notes" (said on the "Saved to" line, not in a toast). */
  summary: (r: ExportResult) => string;
  /** What failed, e.g. "The export failed". */
  what: string;
  /** What to do when it failed, if the view knows better than the error's kind. */
  hint?: (e: api.IpcError) => string | undefined;
  /** The id of the "Saved to" line. */
  id: string;
}

export interface Export {
  /** Export: with `saveAs` (a suggested file name, or a promise of one) through Save as… first,
   * else to the export folder. Closing Save as… exports nothing. */
  start: (saveAs?: string | Promise<string>) => void;
  busy: boolean;
  /** "Saved to …" or the error, to show where the view shows its banners. */
  status: ReactNode;
  reset: () => void;
}

export function useExport({ write, summary, what, hint, id }: Options): Export {
  const m = useMutation({
    mutationFn: async (saveAs: string | Promise<string> | undefined) => {
      const path = saveAs === undefined ? null : await api.saveSpreadsheetAs(await saveAs, ["xlsx", "csv"]);
      return saveAs !== undefined && path === null ? null : write(path);
    },
  });
  const status = m.error ? (
    <ErrorBanner error={m.error} what={what} hint={hint?.(m.error)} onDismiss={m.reset} />
  ) : (
    m.data && <SavedFile path={m.data.path} id={id} summary={summary(m.data)} onDismiss={m.reset} />
  );
  return { start: m.mutate, busy: m.isPending, status, reset: m.reset };
}
