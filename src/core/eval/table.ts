/**
 * Table I of the paper as Markdown: one row per method, mean ± std of PSNR, SSIM, consistency and CS, plus the
 * rank-1 identification rate that this project adds.
 */
import type { EvalMethod, EvalResults } from './schema';

/** `mean ± std` with `digits` decimals (PSNR 2, SSIM 3, consistency 3, CS 3 as in the paper); `∞` when null. */
export function formatMeanStd(mean: number | null, std: number | null, digits: number): string {
  if (mean === null || std === null) return '∞';
  return `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

/** The streak column (3 decimals; `–` in results without it, `∞`-free since HR's ratio is positive). */
export function formatStreak(streak: number | null | undefined): string {
  return streak === null || streak === undefined ? '–' : streak.toFixed(3);
}

/**
 * The Markdown rows of `methods` under the paper's header, plus rank-1, NFE and the streak check (issue 27: mean
 * horizontal/vertical gradient energy ratio in the top 27 rows relative to HR's; HR is 1, streaks push it up).
 */
export function markdownTable(methods: readonly EvalMethod[]): string {
  const lines = [
    '| Method | PSNR (dB) ↑ | SSIM ↑ | Consistency ↓ | CS ↑ | Rank-1 ↑ | NFE | Streak ≈1 |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const m of methods) {
    const s = m.summary;
    lines.push(
      `| ${m.label} | ${formatMeanStd(s.psnr.mean, s.psnr.std, 2)} | ${formatMeanStd(s.ssim.mean, s.ssim.std, 3)} | ` +
        `${formatMeanStd(s.consistency.mean, s.consistency.std, 3)} | ${formatMeanStd(s.cs.mean, s.cs.std, 3)} | ` +
        `${(100 * s.rank1).toFixed(1)} % | ${m.nfe} | ${formatStreak(s.streak)} |`,
    );
  }
  return lines.join('\n');
}

function hasTag(m: EvalMethod, experiment: string): boolean {
  return m.tags.some((t) => t.experiment === experiment);
}

/** The whole results report in Markdown: provenance, Table I, and the rows of each sweep. */
export function markdownReport(r: EvalResults): string {
  const p = r.protocol;
  const out: string[] = [`# Evaluation results`, ''];
  const untrained = p.models.filter((m) => !m.trainedOnFaces);
  if (untrained.length > 0 || !p.embedder.faceRecognition) {
    out.push('> **Not the method’s results.**');
    for (const m of untrained) out.push(`> Model \`${m.id}\` is not trained on faces: ${m.note}`);
    if (!p.embedder.faceRecognition) {
      out.push(
        `> Embedder \`${p.embedder.id}\` is not a face-recognition network, so CS and rank-1 say nothing about identity: ${p.embedder.note}`,
      );
    }
    out.push('');
  }
  out.push(
    `- Set: ${p.set.name} (manifest sha256 ${p.set.manifestSha256.slice(0, 12)}…), ${p.faces.length} probe faces, ` +
      `gallery of ${p.gallery.length} identities (a different photo of each).`,
    `- Frame: ${p.set.frame}`,
    `- Seeds: base ${p.baseSeed}; ${p.seedRule}.`,
    `- Models: ${p.models.length ? p.models.map((m) => `\`${m.id}\` (sha256 ${m.sha256.slice(0, 12)}…)`).join(', ') : 'none'}.`,
    `- Embedder: \`${p.embedder.id}\` (sha256 ${p.embedder.sha256.slice(0, 12)}…).`,
    ...(p.peers ?? []).map(
      (q) =>
        `- Peer: \`${q.id}\` from ${q.package}@${q.version} (weights sha256 ${q.sha256.slice(0, 12)}…): ${q.note}`,
    ),
    ...(r.methods.some((m) => m.summary.streak !== undefined)
      ? [
          '- Streak: mean ratio of horizontal to vertical gradient energy in the top 27 rows (grey), over the HR’s.',
        ]
      : []),
    `- Producer: ${r.producer.implementation} ${r.producer.version}, ${r.producer.runtime}, ${r.producer.device}.`,
    `- Command: \`${r.command}\``,
    '',
    '## Table I',
    '',
    markdownTable(r.methods.filter((m) => hasTag(m, 'table'))),
    '',
  );
  const sweep = r.methods.filter((m) => hasTag(m, 'r-sweep'));
  if (sweep.length) out.push('## SDE-VEcs against r (Fig. 4)', '', markdownTable(sweep), '');
  const nfe = r.methods.filter((m) => hasTag(m, 'nfe'));
  if (nfe.length) out.push('## Quality against NFE', '', markdownTable(nfe), '');
  out.push(
    '## CS against PSNR (Fig. 5)',
    '',
    '| Method | Pearson r (per-face CS vs PSNR) |',
    '|---|---|',
    ...r.methods
      .filter((m) => m.kind === 'model' || m.kind === 'bicubic' || m.kind === 'peer')
      .map(
        (m) =>
          `| ${m.label} | ${m.summary.pearsonCsPsnr === null ? 'undefined' : m.summary.pearsonCsPsnr.toFixed(3)} |`,
      ),
    '',
  );
  return out.join('\n');
}
