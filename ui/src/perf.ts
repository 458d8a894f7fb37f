// Timings the E2E test reads back (window.__cspdesk): keystroke → rows painted, and first rows.

interface PerfLog {
  /** ms from a search keystroke to the next animation frame after its rows were committed */
  keystrokes: number[];
  /** performance.now() when the first rows were painted */
  firstRows: number | null;
}

declare global {
  interface Window {
    __cspdesk?: PerfLog;
  }
}

function log(): PerfLog {
  if (!window.__cspdesk) window.__cspdesk = { keystrokes: [], firstRows: null };
  return window.__cspdesk;
}

/** Call after the rows for a keystroke made at `startedAt` were committed to the DOM. */
export function recordKeystroke(startedAt: number): void {
  requestAnimationFrame(() => {
    const l = log();
    l.keystrokes.push(performance.now() - startedAt);
    if (l.keystrokes.length > 500) l.keystrokes.shift();
  });
}

export function recordFirstRows(): void {
  const l = log();
  if (l.firstRows === null) requestAnimationFrame(() => (l.firstRows = performance.now()));
}
