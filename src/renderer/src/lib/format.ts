/** Formatting numbers for people: durations, sizes, short hashes. */

/** "0:42", "3:05", "1:02:09" for a duration in milliseconds. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "about 40 s", "about 3 min", "about 1.5 h" for an estimate. */
export function formatEstimate(ms: number): string {
  if (ms < 60_000) return `about ${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `about ${Math.round(ms / 60_000)} min`;
  return `about ${(ms / 3_600_000).toFixed(1)} h`;
}

/** "3.2 MB" for a byte count. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The first 12 hex digits of a hash, for tables; the full hash goes in a tooltip. */
export function shortHash(hex: string): string {
  return hex.slice(0, 12);
}
