/** Formatting for people: durations, sizes, short hashes, and times as ISO 8601 with their offset. */

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

const pad = (n: number, w = 2): string => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/**
 * An instant as ISO 8601 with the UTC offset of a zone ("2026-12-02T05:08:13+01:00"); the examiner's zone unless
 * `offsetMinutes` (east of UTC) is given. A forensic timeline must not be ambiguous: never a bare local time.
 */
export function isoWithOffset(iso: string, offsetMinutes?: number): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const off = offsetMinutes ?? -t.getTimezoneOffset();
  const local = new Date(t.getTime() + off * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const zone = off === 0 ? '+00:00' : `${off > 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
  return `${date}T${time}${zone}`;
}

/** The same instant in UTC ("2026-12-02T04:08:13Z"), for the hover text and reports. */
export function isoUtc(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
