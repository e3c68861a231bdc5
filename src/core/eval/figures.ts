/**
 * The paper's figures from a results file: Fig. 4 (PSNR and CS against r for SDE-VEcs), Fig. 5 (CS against PSNR,
 * with Pearson's r) and quality against NFE for the fast and PC samplers.
 */
import type { EvalMethod, EvalResults } from './schema';
import { chartSvg, type Panel, type Series } from './svg-plot';
import { pearsonOf as pearsonOfMeans } from './stats';

/** A figure: a file stem and its SVG text. */
export interface Figure {
  readonly name: string;
  readonly svg: string;
}

function caption(r: EvalResults): string | undefined {
  const untrained = r.protocol.models.filter((m) => !m.trainedOnFaces).map((m) => m.id);
  const notes: string[] = [];
  if (untrained.length) notes.push(`model ${untrained.join(', ')} is NOT trained on faces`);
  if (!r.protocol.embedder.faceRecognition)
    notes.push(`embedder ${r.protocol.embedder.id} is not a face recogniser`);
  return notes.length ? `Test run: ${notes.join('; ')} — not the method's results.` : undefined;
}

function tagValue(m: EvalMethod, experiment: 'r-sweep'): number | undefined {
  for (const t of m.tags) if (t.experiment === experiment) return t.r;
  return undefined;
}

function flat(name: string, y: number | null, xs: readonly number[]): Series {
  return {
    name,
    points: [
      [Math.min(...xs), y],
      [Math.max(...xs), y],
    ],
  };
}

/** Fig. 4: per model, PSNR and CS of SDE-VEcs against r, with bicubic as a reference line. */
export function rSweepFigure(r: EvalResults): Figure | null {
  const sweep = r.methods.filter((m) => tagValue(m, 'r-sweep') !== undefined);
  if (sweep.length === 0) return null;
  const models = [...new Set(sweep.map((m) => m.modelId ?? ''))];
  const bicubic = r.methods.find((m) => m.kind === 'bicubic');
  const series = (metric: 'psnr' | 'cs'): Series[] => {
    const out: Series[] = models.map((id) => ({
      name: models.length > 1 ? `SDE-VEcs · ${id}` : 'SDE-VEcs',
      points: sweep
        .filter((m) => (m.modelId ?? '') === id)
        .map((m) => [tagValue(m, 'r-sweep')!, m.summary[metric].mean] as const)
        .sort((a, b) => a[0] - b[0]),
    }));
    const xs = sweep.map((m) => tagValue(m, 'r-sweep')!);
    if (bicubic) out.push(flat('Bicubic', bicubic.summary[metric].mean, xs));
    return out;
  };
  const panels: Panel[] = [
    {
      title: 'PSNR against r',
      xLabel: 'signal-to-noise ratio r',
      yLabel: 'PSNR (dB)',
      series: series('psnr'),
    },
    { title: 'CS against r', xLabel: 'signal-to-noise ratio r', yLabel: 'CS (Eq. 13)', series: series('cs') },
  ];
  return { name: 'fig4-r-sweep', svg: chartSvg(panels, caption(r)) };
}

/**
 * Fig. 5: per-face CS against PSNR for bicubic and each Table I model or peer method (Pearson's r in the legend), and, when
 * an r sweep ran, the per-r means.
 */
export function csPsnrFigure(r: EvalResults): Figure {
  const methods = r.methods.filter(
    (m) =>
      m.kind === 'bicubic' ||
      ((m.kind === 'model' || m.kind === 'peer') && m.tags.some((t) => t.experiment === 'table')),
  );
  const fmtR = (v: number | null): string => (v === null ? 'undefined' : v.toFixed(3));
  const perFace: Panel = {
    title: 'CS against PSNR, per face',
    xLabel: 'PSNR (dB)',
    yLabel: 'CS',
    series: methods.map((m) => ({
      name: `${m.label} (r = ${fmtR(m.summary.pearsonCsPsnr)})`,
      points: m.perFace.flatMap((f) => (f.psnr === null ? [] : [[f.psnr, f.cs] as const])),
      line: false,
    })),
  };
  const panels: Panel[] = [perFace];
  const sweep = r.methods.filter((m) => tagValue(m, 'r-sweep') !== undefined);
  if (sweep.length >= 2) {
    const means = sweep.flatMap((m) => {
      const { psnr, cs } = m.summary;
      return psnr.mean !== null && cs.mean !== null ? [[psnr.mean, cs.mean] as const] : [];
    });
    const xs = means.map(([x]) => x);
    const ys = means.map(([, y]) => y);
    panels.push({
      title: 'CS against PSNR over r (SDE-VEcs means)',
      xLabel: 'mean PSNR (dB)',
      yLabel: 'mean CS',
      note: `Pearson r = ${fmtR(pearsonOfMeans(xs, ys))}`,
      series: [{ name: 'one point per r', points: means, line: false }],
    });
  }
  return { name: 'fig5-cs-psnr', svg: chartSvg(panels, caption(r)) };
}

/** Quality against cost: PSNR, consistency and CS against NFE for the fast and the PC sampler families. */
export function nfeFigure(r: EvalResults): Figure | null {
  const rows = r.methods.flatMap((m) =>
    m.tags.flatMap((t) => (t.experiment === 'nfe' ? [{ family: t.family, nfe: t.nfe, m }] : [])),
  );
  if (rows.length === 0) return null;
  const series = (metric: 'psnr' | 'consistency' | 'cs'): Series[] =>
    (['fast', 'pc'] as const)
      .map((family) => ({
        name: family === 'fast' ? 'Fast preset' : 'PC (SDE-VE)',
        points: rows
          .filter((x) => x.family === family)
          .map((x) => [x.nfe, x.m.summary[metric].mean] as const)
          .sort((a, b) => a[0] - b[0]),
      }))
      .filter((s) => s.points.length > 0);
  const panels: Panel[] = [
    {
      title: 'PSNR against NFE',
      xLog: true,
      xLabel: 'network evaluations (NFE)',
      yLabel: 'PSNR (dB)',
      series: series('psnr'),
    },
    {
      title: 'Consistency against NFE',
      xLog: true,
      xLabel: 'network evaluations (NFE)',
      yLabel: 'consistency (MSE, 0-255)',
      series: series('consistency'),
    },
    {
      title: 'CS against NFE',
      xLog: true,
      xLabel: 'network evaluations (NFE)',
      yLabel: 'CS',
      series: series('cs'),
    },
  ];
  return { name: 'quality-vs-nfe', svg: chartSvg(panels, caption(r)) };
}

/** Every figure the results support. */
export function allFigures(r: EvalResults): Figure[] {
  return [rSweepFigure(r), csPsnrFigure(r), nfeFigure(r)].filter((f): f is Figure => f !== null);
}
