// The core's "now", ticking locally: Date.now() plus the skew measured from the last answer.
import { useEffect, useState } from "react";

export function useNow(skew: number, everyMs: number): number {
  const [local, setLocal] = useState(Date.now);
  useEffect(() => {
    // Tick on the boundary, so "in 3 h 12 min" turns over when the minute does.
    let timer = 0;
    const tick = () => {
      setLocal(Date.now());
      timer = window.setTimeout(tick, everyMs - ((Date.now() + skew) % everyMs) + 5);
    };
    timer = window.setTimeout(tick, everyMs - ((Date.now() + skew) % everyMs) + 5);
    return () => window.clearTimeout(timer);
  }, [skew, everyMs]);
  return local + skew;
}
