/**
 * Minimal headless charts as SVG text: line charts and scatter plots on linear axes, one or more panels side by
 * side. No DOM: the SVG is built as a string, so the same code runs in core, the CLI and tests.
 */

/** A point; points with a null or non-finite coordinate are skipped. */
export type Point = readonly [number | null, number | null];

/** One data series. `line: false` draws markers only (a scatter). */
export interface Series {
  readonly name: string;
  readonly points: readonly Point[];
  readonly line?: boolean;
}

/** One panel: a title, axis labels and its series. */
export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** A note drawn under the title (e.g. Pearson's r). */
  readonly note?: string;
  /** A logarithmic x axis (for NFE, which spans orders of magnitude); needs x > 0. */
  readonly xLog?: boolean;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const PANEL_W = 420;
const PANEL_H = 320;
const M = { left: 62, right: 16, top: 48, bottom: 48 };

/** Escapes text for SVG content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About `count` round tick values covering [lo, hi] (1-2-5 steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi <= lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag) as number;
  const out: number[] = [];
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  for (let k = first; k <= last && out.length <= 50; k++) out.push(Number((k * step).toFixed(12)));
  return out;
}

/** Ticks 1-2-5 per decade covering [lo, hi] (both > 0) for a log axis. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) out.push(Number((m * 10 ** e).toPrecision(6)));
  }
  const first = Math.max(0, out.findIndex((t) => t > lo) - 1);
  const lastAbove = out.findIndex((t) => t >= hi);
  return out.slice(first, lastAbove < 0 ? out.length : lastAbove + 1);
}

/** [lo, hi] widened by 5 % on each side, so points never sit on the frame. */
function padded(lo: number, hi: number): [number, number] {
  const d = (hi - lo) * 0.05 || Math.abs(lo) * 0.05 || 0.5;
  return [lo - d, hi + d];
}

function finitePoints(pts: readonly Point[]): (readonly [number, number])[] {
  return pts.filter((p): p is readonly [number, number] => Number.isFinite(p[0]) && Number.isFinite(p[1]));
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function panelSvg(p: Panel, ox: number): string {
  const pts = finitePoints(p.series.flatMap((s) => s.points)).filter(([x]) => !p.xLog || x > 0);
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => y);
  const fx = p.xLog ? Math.log10 : (v: number): number => v;
  const xt = p.xLog
    ? logTicks(Math.min(...xs) / 1.2, Math.max(...xs) * 1.2)
    : niceTicks(...padded(Math.min(...xs), Math.max(...xs)));
  const yt = niceTicks(...padded(Math.min(...ys), Math.max(...ys)));
  const x0 = fx(xt[0] ?? 1);
  const x1 = fx(xt[xt.length - 1] ?? 10);
  const y0 = yt[0] ?? 0;
  const y1 = yt[yt.length - 1] ?? 1;
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const sx = (x: number): number => ox + M.left + ((fx(x) - x0) / (x1 - x0 || 1)) * w;
  const sy = (y: number): number => M.top + h - ((y - y0) / (y1 - y0 || 1)) * h;
  const parts: string[] = [];
  parts.push(
    `<text x="${ox + PANEL_W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(p.title)}</text>`,
  );
  if (p.note)
    parts.push(
      `<text x="${ox + PANEL_W / 2}" y="34" text-anchor="middle" font-size="11">${escapeXml(p.note)}</text>`,
    );
  parts.push(`<rect x="${ox + M.left}" y="${M.top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`);
  for (const t of xt) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${M.top + h}" x2="${x}" y2="${M.top + h + 4}" stroke="#444"/>`);
    parts.push(`<text x="${x}" y="${M.top + h + 16}" text-anchor="middle" font-size="10">${fmt(t)}</text>`);
  }
  for (const t of yt) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${ox + M.left - 4}" y1="${y}" x2="${ox + M.left}" y2="${y}" stroke="#444"/>`);
    parts.push(`<line x1="${ox + M.left}" y1="${y}" x2="${ox + M.left + w}" y2="${y}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${ox + M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="10">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${ox + M.left + w / 2}" y="${PANEL_H - 8}" text-anchor="middle" font-size="12">${escapeXml(p.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(${ox + 16},${M.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(p.yLabel)}</text>`,
  );
  p.series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length]!;
    const sp = finitePoints(s.points).filter(([x]) => !p.xLog || x > 0);
    if (s.line !== false && sp.length > 1) {
      const d = sp.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${d}" fill="none" stroke="${c}" stroke-width="1.5"/>`);
    }
    for (const [x, y] of sp) {
      parts.push(
        `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="${s.line === false ? 2.5 : 3}" fill="${c}" fill-opacity="0.8"/>`,
      );
    }
    const ly = M.top + 12 + i * 14;
    parts.push(`<circle cx="${ox + M.left + 10}" cy="${ly}" r="3" fill="${c}"/>`);
    parts.push(
      `<text x="${ox + M.left + 18}" y="${ly}" dominant-baseline="middle" font-size="10">${escapeXml(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

/** An SVG document with `panels` side by side and an optional caption line at the bottom. */
export function chartSvg(panels: readonly Panel[], caption?: string): string {
  const width = PANEL_W * Math.max(1, panels.length);
  const height = PANEL_H + (caption ? 22 : 0);
  const body = panels.map((p, i) => panelSvg(p, i * PANEL_W)).join('\n');
  const cap = caption
    ? `<text x="${width / 2}" y="${PANEL_H + 14}" text-anchor="middle" font-size="11" fill="#a00">${escapeXml(caption)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="DejaVu Sans, Liberation Sans, sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${body}\n${cap}\n</svg>\n`
  );
}
