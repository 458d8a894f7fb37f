// Timings the E2E test reads back (window.__cspdesk): keystroke → rows painted, and first rows.

interface PerfLog {
  /** ms from a search keystroke to the next animation frame after its rows were committed */
  keystrokes: number[];
  /** ms of each query_offers round trip (invoke → answer), for telling IPC from painting */
  ipc: number[];
  /** per keystroke: [key → answer, answer → DOM commit, commit → next frame] in ms */
  breakdown: Array<[number, number, number]>;
  /** performance.now() when the first rows were painted */
  firstRows: number | null;
}

declare global {
  interface Window {
    __cspdesk?: PerfLog;
  }
}

function log(): PerfLog {
  if (!window.__cspdesk) window.__cspdesk = { keystrokes: [], ipc: [], breakdown: [], firstRows: null };
  return window.__cspdesk;
}

/** Call after the rows for a keystroke made at `startedAt` (answered at `answeredAt`) were
 * committed to the DOM: the sample ends at the next animation frame. */
export function recordKeystroke(startedAt: number, answeredAt: number): void {
  const committed = performance.now();
  requestAnimationFrame(() => {
    const l = log();
    const now = performance.now();
    l.keystrokes.push(now - startedAt);
    l.breakdown.push([answeredAt - startedAt, committed - answeredAt, now - committed]);
    if (l.keystrokes.length > 500) l.keystrokes.shift();
    if (l.breakdown.length > 500) l.breakdown.shift();
  });
}

export function recordFirstRows(): void {
  const l = log();
  if (l.firstRows === null) requestAnimationFrame(() => (l.firstRows = performance.now()));
}

export function recordIpc(ms: number): void {
  const l = log();
  l.ipc.push(ms);
  if (l.ipc.length > 500) l.ipc.shift();
}
