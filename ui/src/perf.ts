// Timings the E2E test reads back (window.__cspdesk): keystroke → rows on screen, and first rows.
// Only in the E2E's build (`vite build --mode e2e`, scripts/e2e.sh): in any other build the log is
// a constant null, so the bundler drops it with the global, and the calls below do nothing.

interface PerfLog {
  /** ms from a search keystroke to the start of the frame that paints its rows (see recordKeystroke) */
  keystrokes: number[];
  /** ms from a search keystroke to the end of that frame: WebKit has laid out and painted it */
  painted: number[];
  /** ms of each query_offers round trip (invoke → answer), for telling IPC from painting */
  ipc: number[];
  /** per keystroke: [key → answer, answer → DOM commit, commit → frame start, frame start → frame done] in ms */
  breakdown: Array<[number, number, number, number]>;
  /** how many samples ended at the commit, their answer being what the screen showed already */
  alreadyShown: number;
  /** performance.now() when the first rows were painted */
  firstRows: number | null;
}

declare global {
  interface Window {
    __cspdesk?: PerfLog;
  }
}

const log: PerfLog | null =
  import.meta.env.MODE === "e2e"
    ? (window.__cspdesk = { keystrokes: [], painted: [], ipc: [], breakdown: [], alreadyShown: 0, firstRows: null })
    : null;

const keep = <T>(a: T[], v: T) => {
  a.push(v);
  if (a.length > 500) a.shift();
};

/** Call after the rows for a keystroke made at `startedAt` (answered at `answeredAt`) were
 * committed to the DOM. Two ends are taken: the start of the next animation frame, which paints
 * them, and the end of that frame (the first task after it, once WebKit has laid out and painted).
 * When the answer shows exactly what is on screen already (`alreadyShown`: typing on within the
 * same matches), both end at the commit: there is nothing new to paint, and a frame would only
 * time WebKit's wait for its next display refresh. The E2E prints how many samples ended so. */
export function recordKeystroke(startedAt: number, answeredAt: number, alreadyShown: boolean): void {
  const l = log;
  if (!l) return;
  const committed = performance.now();
  const push = (start: number, done: number) => {
    keep(l.keystrokes, start - startedAt);
    keep(l.painted, done - startedAt);
    keep(l.breakdown, [answeredAt - startedAt, committed - answeredAt, start - committed, done - start]);
    if (alreadyShown) l.alreadyShown += 1;
  };
  if (alreadyShown) {
    push(committed, committed);
    return;
  }
  requestAnimationFrame(() => {
    const start = performance.now();
    const after = new MessageChannel();
    after.port1.onmessage = () => push(start, performance.now());
    after.port2.postMessage(null);
  });
}

export function recordFirstRows(): void {
  const l = log;
  if (l && l.firstRows === null) requestAnimationFrame(() => (l.firstRows = performance.now()));
}

export function recordIpc(ms: number): void {
  if (log) keep(log.ipc, ms);
}
