/** The TTY progress bar of `facet enhance`, `facet run` and `facet runs rerun`. */
import type { RunProgress } from '../main/root';

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One line of the TTY progress bar. */
export function progressLine(p: RunProgress, width = 30): string {
  const filled = Math.round((p.step / p.total) * width);
  const eta = p.etaMs === null ? '--:--' : clock(p.etaMs);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] step ${p.step}/${p.total}  NFE ${p.nfe}  ${clock(p.elapsedMs)} elapsed  ETA ${eta}`;
}
