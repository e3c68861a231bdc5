/**
 * Identity comparison per embedder and input condition, and score-to-LR calibrations (issue 19).
 *
 * Probes: eval/celeba probe photos (DESIGN §4 selection: one photo per identity besides the gallery photo), C1 by
 * the fixed CelebA box. Conditions of the probe: HR, bicubic-from-16x16 (C2), the score model's fast preset
 * candidate 0 and the pixel mean of candidates 0..3 (C5 streams (seed_i, k), seed_i = seed + i as in facet eval).
 * References: the HR gallery photo of every identity (a different photo from the probe). Genuine pair = probe and
 * the gallery photo of its identity; impostor pair = probe and the gallery photo of another identity.
 * Per embedder and condition: ROC AUC, TAR at FAR 1 % and 0.1 %, rank-1 against the gallery.
 * LR calibration: fitted on the probes of identities in one half (even numeric suffix) and reported (Cllr,
 * Cllr_min, Tippett plot) on the other half (odd), then the other way round; the shipped calibration is the fit on
 * all identities, shipped only if both held-out Cllr are below 1.
 *
 *   FACET_SHARED_DIR=/work/shared nice -n 10 npx tsx tools/face-eval/identity-lr.ts --probes 200 \
 *     --seed 2022 --threads 1 --embeddings /tmp/identity-lr.json
 *   npx tsx tools/face-eval/identity-lr.ts --embeddings /tmp/identity-lr.json --analyse-only [--write-calibrations]
 * Options: --model M (default: the app's default score model), --sr-probes N (SR on the first N probes),
 * --mean-probes N (mean of 4 on the first N), --embedders a,b, --face-models DIR (an alternative models/face, e.g.
 * another embedder framing: faceapi-framing.sh), --out DIR.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { faceSeed } from '../../src/core/eval/protocol';
import {
  cllrMin,
  cllrOf,
  fitLrCalibration,
  log10Lr,
  type LrCalibration,
  type LrCalibrationFile,
} from '../../src/core/face/likelihood-ratio';
import { EMBEDDER_NAMES, type EmbedderName } from '../../src/core/face/manifest';
import { fromChw, toChw } from '../../src/core/image/tensor';
import { quantise8 } from '../../src/core/image/lr';
import type { RgbImage } from '../../src/core/image/types';
import { cosineSimilarity } from '../../src/core/metrics/stats';
import { coreToolkit } from '../../src/main/eval/core-toolkit';
import { loadCelebaSet } from '../../src/main/eval/faces';
import { openOnnxScoreModel } from '../../src/main/eval/loaders';
import { FacePipeline } from '../../src/main/face/pipeline';
import { ModelRegistry } from '../../src/main/inference/registry';
import { decodeImageFile } from '../../src/main/imaging/decode';
import { encodePng } from '../../src/main/imaging/encode';
import { mcnemarExact, rocAuc, tarAtFar, thresholdAtFar } from './metrics';

const repo = resolve(import.meta.dirname, '../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

const CONDITIONS = ['hr', 'bicubic16', 'sr16-candidate0', 'sr16-mean4'] as const;
type Condition = (typeof CONDITIONS)[number];

interface Embeddings {
  readonly command: string;
  readonly model: { id: string; sha256: string };
  readonly seed: string;
  readonly gallery: { identity: string; file: string }[];
  readonly probes: { identity: string; file: string }[];
  /** embedder -> 'gallery' | condition -> one vector per face. */
  readonly vectors: Record<string, Record<string, number[][]>>;
  readonly seconds: { sr: number; embed: number };
}

/**
 * SR candidates of the first `count` probes, cached as PNG files in `dir` (one per face and condition) so that an
 * interrupted run resumes and the analysis can use whatever finished.
 */
async function srImages(
  probes: readonly RgbImage[],
  count: number,
  dir: string,
  seed: string,
  modelPath: string,
  threads: number,
  deadline: number,
  meanCount: number,
): Promise<{ candidate0: RgbImage[]; mean4: RgbImage[]; model: { id: string; sha256: string } }> {
  mkdirSync(dir, { recursive: true });
  const model = await openOnnxScoreModel(modelPath, threads);
  const info = model.value.info;
  const sampler = coreToolkit.resolveSampler('fast', {}, info);
  const range: [number, number] = info.dataRange === '0,1' ? [0, 1] : [-1, 1];
  const file = (i: number, c: string) => join(dir, `${info.sha256.slice(0, 12)}-${seed}-${i}-${c}.png`);
  const candidate0: RgbImage[] = [];
  const mean4: RgbImage[] = [];
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    // Faces below `meanCount` get candidates 0..3 (candidate 0 and the mean of 4), the others candidate 0 only.
    const k = i < meanCount ? 4 : 1;
    if (!existsSync(file(i, 'candidate0')) || (k === 4 && !existsSync(file(i, 'mean4')))) {
      const y = coreToolkit.conditioning(coreToolkit.formLr(probes[i]!));
      // One batch: C5 gives candidate k the stream (seed_i, k) whatever the batch holds.
      const out = await coreToolkit.sample({
        sde: info.sde,
        sampler,
        sampleShape: [3, 128, 128],
        y: toChw(Array<RgbImage>(k).fill(y), [0, 1]),
        score: model.value.score,
        noise: Array.from({ length: k }, (_, c) => coreToolkit.noise(faceSeed(seed, i), c)),
      });
      const imgs = Array.from({ length: k }, (_, b) => fromChw(out, b, range));
      writeFileSync(file(i, 'candidate0'), await encodePng(quantise8(imgs[0]!)));
      if (k === 4) {
        const mean = {
          ...imgs[0]!,
          data: imgs[0]!.data.map((_, j) => imgs.reduce((t, im) => t + im.data[j]!, 0) / 4),
        };
        writeFileSync(file(i, 'mean4'), await encodePng(quantise8(mean)));
      }
      process.stdout.write(`SR ${i + 1}/${count}\n`);
    }
    candidate0.push((await decodeImageFile(file(i, 'candidate0'))).image);
    if (i < meanCount) mean4.push((await decodeImageFile(file(i, 'mean4'))).image);
  }
  await model.close();
  return { candidate0, mean4, model: { id: info.id, sha256: info.sha256 } };
}

async function measure(): Promise<Embeddings> {
  const probes = Number(arg('probes', '200'));
  const srCount = Number(arg('sr-probes', '48'));
  const threads = Number(arg('threads', '1'));
  const seed = arg('seed', '2022');
  const minutes = Number(arg('sr-minutes', '1000'));
  // Default: the app's default model (the best shipped one), so the SR calibrations match what runs use.
  const modelPath = resolve(repo, arg('model', ModelRegistry.fromDisk(repo).best().manifestPath));
  const set = await loadCelebaSet(join(shared, 'data/eval/celeba'), probes);
  const t0 = Date.now();
  const hr = set.probes.map((p) => p.hr);
  const sr = await srImages(
    hr,
    Math.min(srCount, probes),
    arg('sr-dir', '/tmp/identity-lr-sr'),
    seed,
    modelPath,
    threads,
    t0 + minutes * 60_000,
    Number(arg('mean-probes', '16')),
  );
  const images: Record<Condition, RgbImage[]> = {
    hr,
    bicubic16: hr.map((h) => quantise8(coreToolkit.conditioning(coreToolkit.formLr(h)))),
    'sr16-candidate0': sr.candidate0,
    'sr16-mean4': sr.mean4,
  };
  const srSeconds = (Date.now() - t0) / 1000;
  console.log(`SR: ${sr.candidate0.length} probes (${srSeconds.toFixed(0)} s)`);
  const t1 = Date.now();
  const pipe = await FacePipeline.load(resolve(repo, arg('face-models', 'models/face')), { threads });
  const vectors: Embeddings['vectors'] = {};
  const embedders = arg('embedders', EMBEDDER_NAMES.join(',')).split(',') as EmbedderName[];
  for (const name of embedders) {
    if (!EMBEDDER_NAMES.includes(name)) throw new Error(`--embedders: unknown embedder ${name}`);
    const v: Record<string, number[][]> = {};
    const embed = async (list: readonly RgbImage[]) => {
      const out: number[][] = [];
      for (const im of list) out.push(Array.from(await pipe.embed(im, name)));
      return out;
    };
    v.gallery = await embed(set.gallery.map((g) => g.hr));
    for (const c of CONDITIONS) v[c] = await embed(images[c]);
    vectors[name] = v;
    console.log(`embedded with ${name}`);
  }
  await pipe.close();
  return {
    command: `npx tsx tools/face-eval/identity-lr.ts ${process.argv.slice(2).join(' ')}`,
    model: sr.model,
    seed,
    gallery: set.gallery.map((g) => ({ identity: g.identity, file: g.file })),
    probes: set.probes.map((p) => ({ identity: p.identity, file: p.file })),
    vectors,
    seconds: { sr: Math.round(srSeconds), embed: Math.round((Date.now() - t1) / 1000) },
  };
}

interface PairScores {
  genuine: number[];
  impostor: number[];
  /** Probe index of each genuine / impostor score (for identity splits). */
  genuineProbe: number[];
  impostorProbe: number[];
  rank1: number;
}

function scores(e: Embeddings, name: string, c: Condition): PairScores {
  const gal = e.vectors[name]!.gallery!.map((v) => Float32Array.from(v));
  const probes = e.vectors[name]![c]!.map((v) => Float32Array.from(v));
  const out: PairScores = { genuine: [], impostor: [], genuineProbe: [], impostorProbe: [], rank1: 0 };
  let hits = 0;
  probes.forEach((p, i) => {
    let best = -Infinity;
    let bestId = '';
    gal.forEach((g, j) => {
      const s = cosineSimilarity(p, g);
      const same = e.gallery[j]!.identity === e.probes[i]!.identity;
      if (same) {
        out.genuine.push(s);
        out.genuineProbe.push(i);
      } else {
        out.impostor.push(s);
        out.impostorProbe.push(i);
      }
      if (s > best) {
        best = s;
        bestId = e.gallery[j]!.identity;
      }
    });
    if (bestId === e.probes[i]!.identity) hits++;
  });
  out.rank1 = hits / probes.length;
  return out;
}

/** Probes whose identity's numeric suffix is even (fold 0) or odd (fold 1). */
function fold(identity: string): 0 | 1 {
  return (Number(identity.replace(/\D+/g, '')) % 2) as 0 | 1;
}

function subset(ps: PairScores, keep: (probe: number) => boolean) {
  return {
    genuine: ps.genuine.filter((_, k) => keep(ps.genuineProbe[k]!)),
    impostor: ps.impostor.filter((_, k) => keep(ps.impostorProbe[k]!)),
  };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Tippett plot as SVG: share of genuine (solid) and impostor (dashed) pairs with log10 LR >= x. */
function tippettSvg(
  title: string,
  curves: { label: string; genuine: number[]; impostor: number[] }[],
): string {
  const W = 640;
  const H = 400;
  const L = 60;
  const R = 20;
  const T = 40;
  const B = 50;
  const all = curves.flatMap((c) => [...c.genuine, ...c.impostor]);
  const xmin = Math.floor(Math.min(...all, -1));
  const xmax = Math.ceil(Math.max(...all, 1));
  const px = (x: number) => L + ((x - xmin) / (xmax - xmin)) * (W - L - R);
  const py = (y: number) => T + (1 - y) * (H - T - B);
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const path = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const pts: string[] = [`M${px(xmin).toFixed(1)},${py(1).toFixed(1)}`];
    s.forEach((x, i) => {
      pts.push(`L${px(x).toFixed(1)},${py(1 - i / s.length).toFixed(1)}`);
      pts.push(`L${px(x).toFixed(1)},${py(1 - (i + 1) / s.length).toFixed(1)}`);
    });
    pts.push(`L${px(xmax).toFixed(1)},${py(0).toFixed(1)}`);
    return pts.join('');
  };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${L}" y1="${py(0)}" x2="${W - R}" y2="${py(0)}" stroke="black"/>`,
    `<line x1="${L}" y1="${py(0)}" x2="${L}" y2="${py(1)}" stroke="black"/>`,
    `<line x1="${px(0)}" y1="${py(0)}" x2="${px(0)}" y2="${py(1)}" stroke="#999" stroke-dasharray="2,2"/>`,
  ];
  for (let x = xmin; x <= xmax; x++)
    parts.push(`<text x="${px(x)}" y="${py(0) + 16}" text-anchor="middle">${x}</text>`);
  for (const y of [0, 0.25, 0.5, 0.75, 1])
    parts.push(`<text x="${L - 6}" y="${py(y) + 4}" text-anchor="end">${y}</text>`);
  parts.push(
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">log10 LR (x); curves: share of pairs with log10 LR &gt;= x</text>`,
  );
  curves.forEach((c, i) => {
    const col = colours[i % colours.length]!;
    parts.push(`<path d="${path(c.genuine)}" fill="none" stroke="${col}" stroke-width="1.5"/>`);
    parts.push(
      `<path d="${path(c.impostor)}" fill="none" stroke="${col}" stroke-width="1.5" stroke-dasharray="5,3"/>`,
    );
    parts.push(
      `<text x="${W - R - 4}" y="${T + 14 + 14 * i}" text-anchor="end" fill="${col}">${c.label}</text>`,
    );
  });
  parts.push(
    `<text x="${L + 6}" y="${T + 14}" fill="#333">solid: same person; dashed: different persons</text></svg>`,
  );
  return parts.join('\n') + '\n';
}

async function analyse(e: Embeddings, outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const table: Record<string, Record<string, unknown>> = {};
  const calibrations: Record<string, Record<string, unknown>> = {};
  const tippett: { label: string; genuine: number[]; impostor: number[] }[] = [];
  // Pair scores per embedder and condition, computed once: the tables, the fits and the paired tests share them.
  const pairScores = new Map<string, PairScores>();
  const scoresOf = (name: string, c: Condition): PairScores => {
    const key = `${name}/${c}`;
    if (!pairScores.has(key)) pairScores.set(key, scores(e, name, c));
    return pairScores.get(key)!;
  };
  for (const name of Object.keys(e.vectors)) {
    table[name] = {};
    calibrations[name] = {};
    for (const c of CONDITIONS) {
      if (!e.vectors[name]![c]?.length) continue; // e.g. no SR probes in a framing sweep
      const ps = scoresOf(name, c);
      table[name][c] = {
        auc: r4(rocAuc(ps.genuine, ps.impostor)),
        tarAtFar1: r4(tarAtFar(ps.genuine, ps.impostor, 0.01)),
        tarAtFar01: r4(tarAtFar(ps.genuine, ps.impostor, 0.001)),
        rank1: r4(ps.rank1),
        genuinePairs: ps.genuine.length,
        impostorPairs: ps.impostor.length,
      };
      // Two-fold by identity: fit on one half, report on the other (needs a few genuine pairs in each half).
      const tooFew = ([0, 1] as const).some(
        (f) => subset(ps, (i) => fold(e.probes[i]!.identity) === f).genuine.length < 5,
      );
      if (tooFew) {
        calibrations[name][c] = { ship: false, reason: 'fewer than 5 genuine pairs in a fold' };
        continue;
      }
      const folds = ([0, 1] as const).map((f) => {
        const fit = subset(ps, (i) => fold(e.probes[i]!.identity) !== f);
        const test = subset(ps, (i) => fold(e.probes[i]!.identity) === f);
        const cal = fitLrCalibration(fit.genuine, fit.impostor);
        return {
          heldOutFold: f,
          cllr: r4(cllrOf(test.genuine, test.impostor, cal)),
          cllrMin: r4(cllrMin(test.genuine, test.impostor)),
          // Rates of misleading evidence: same-person pairs with LR < 1, different-person pairs with LR > 1.
          rmep: r4(test.genuine.filter((s) => log10Lr(s, cal) < 0).length / test.genuine.length),
          rmed: r4(test.impostor.filter((s) => log10Lr(s, cal) > 0).length / test.impostor.length),
          genuinePairs: test.genuine.length,
          impostorPairs: test.impostor.length,
          cal,
          test,
        };
      });
      const full: LrCalibration = fitLrCalibration(ps.genuine, ps.impostor);
      const ship = folds.every((f) => f.cllr < 1);
      calibrations[name][c] = {
        ship,
        calibration: {
          slope: r4(full.slope) || full.slope,
          intercept: r4(full.intercept) || full.intercept,
          minLog10: r4(full.minLog10),
          maxLog10: r4(full.maxLog10),
        },
        fitPairs: { genuine: ps.genuine.length, impostor: ps.impostor.length },
        heldOut: folds.map((f) => ({
          fittedOn: f.heldOutFold === 0 ? 'odd identities' : 'even identities',
          reportedOn: f.heldOutFold === 0 ? 'even identities' : 'odd identities',
          cllr: f.cllr,
          cllrMin: f.cllrMin,
          rmep: f.rmep,
          rmed: f.rmed,
          genuinePairs: f.genuinePairs,
          impostorPairs: f.impostorPairs,
        })),
      };
      if (c === 'hr' || c === 'sr16-candidate0') {
        const f = folds[0]!;
        tippett.push({
          label: `${name} ${c} (Cllr ${f.cllr.toFixed(3)})`,
          genuine: f.test.genuine.map((s) => log10Lr(s, f.cal)),
          impostor: f.test.impostor.map((s) => log10Lr(s, f.cal)),
        });
      }
    }
  }
  const sr = (n: string) =>
    (table[n]!['sr16-candidate0'] as { tarAtFar1: number } | undefined)?.tarAtFar1 ?? NaN;
  const best = Object.keys(table).reduce((a, b) => (sr(b) > sr(a) ? b : a));
  const pairedTests = pairedTarTests(e, best, scoresOf);
  const report = {
    command: e.command,
    model: e.model,
    seed: e.seed,
    probes: e.probes.length,
    gallery: e.gallery.length,
    protocol:
      'eval/celeba, C1 by the fixed CelebA box; probe = one photo per identity (HR, bicubic-from-16x16 by C2, or the ' +
      "score model's fast-preset candidate 0 / pixel mean of candidates 0..3 from its 16x16 LR); references = the HR " +
      'gallery photo of every identity (a different photo); genuine = probe vs its own identity, impostor = probe vs ' +
      'every other identity; cosine similarity; rank-1 = best-scoring gallery photo is the right identity. LR: ' +
      'class-balanced linear logistic regression, log10 LR bounded by log10 of the smaller pair count; Cllr reported on ' +
      'held-out identities (two folds: even / odd identity numbers), never on the identities it was fitted on.',
    seconds: e.seconds,
    table,
    defaultBySr16Candidate0TarAtFar1: best,
    pairedTarAtFar1Tests: pairedTests,
    calibrations,
  };
  writeFileSync(join(outDir, 'identity-lr.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(outDir, 'tables.md'), markdownTables(report));
  if (process.argv.includes('--write-calibrations')) writeCalibrations(e, calibrations, report.protocol);
  const svg = tippettSvg('Tippett plot, held-out identities (even numbers; fitted on the odd)', tippett);
  writeFileSync(join(outDir, 'tippett.svg'), svg);
  await sharp(Buffer.from(svg)).png().toFile(join(outDir, 'tippett.png'));
  console.log(JSON.stringify({ table, best }, null, 1));
  for (const [n, cs] of Object.entries(calibrations))
    for (const [c, v] of Object.entries(cs))
      console.log(n, c, JSON.stringify((v as { heldOut: unknown }).heldOut), (v as { ship: boolean }).ship);
}

/**
 * Per condition, the chosen embedder against each other one on the same genuine pairs: accepted at its own FAR 1 %
 * threshold or not, exact McNemar test (is the TAR difference more than the luck of these pairs?).
 */
function pairedTarTests(e: Embeddings, best: string, scoresOf: (name: string, c: Condition) => PairScores) {
  const out: Record<string, Record<string, { onlyBest: number; onlyOther: number; p: number }>> = {};
  for (const c of CONDITIONS) {
    if (!e.vectors[best]![c]?.length) continue;
    const accepts = (name: string) => {
      const ps = scoresOf(name, c);
      const t = thresholdAtFar(ps.impostor, 0.01);
      return ps.genuine.map((s) => s > t);
    };
    const mine = accepts(best);
    out[c] = {};
    for (const other of Object.keys(e.vectors)) {
      if (other === best || !e.vectors[other]![c]?.length) continue;
      const r = mcnemarExact(mine, accepts(other));
      out[c][other] = { onlyBest: r.onlyA, onlyOther: r.onlyB, p: r4(r.p) };
    }
  }
  return out;
}

/** The report's tables as markdown (docs/results/identity-lr/tables.md, quoted by its README). */
function markdownTables(report: {
  table: Record<string, Record<string, unknown>>;
  calibrations: Record<string, Record<string, unknown>>;
  defaultBySr16Candidate0TarAtFar1: string;
  pairedTarAtFar1Tests: ReturnType<typeof pairedTarTests>;
}): string {
  const lines = [
    '| embedder | condition | AUC | TAR@FAR1% | TAR@FAR0.1% | rank-1 | genuine / impostor pairs |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [n, byC] of Object.entries(report.table))
    for (const [c, v] of Object.entries(byC)) {
      const m = v as Record<string, number>;
      lines.push(
        `| ${n} | ${c} | ${m.auc!.toFixed(3)} | ${m.tarAtFar1!.toFixed(3)} | ${m.tarAtFar01!.toFixed(3)} | ` +
          `${(100 * m.rank1!).toFixed(1)} % | ${m.genuinePairs} / ${m.impostorPairs} |`,
      );
    }
  lines.push(
    '',
    `Default by TAR at FAR 1 % on sr16-candidate0: **${report.defaultBySr16Candidate0TarAtFar1}**.`,
    '',
  );
  lines.push(
    '| condition | chosen vs | only chosen accepts | only other accepts | McNemar p |',
    '|---|---|---|---|---|',
  );
  for (const [c, byOther] of Object.entries(report.pairedTarAtFar1Tests))
    for (const [o, r] of Object.entries(byOther))
      lines.push(`| ${c} | ${o} | ${r.onlyBest} | ${r.onlyOther} | ${r.p.toFixed(3)} |`);
  lines.push(
    '',
    '| embedder | condition | Cllr (held-out even / odd) | Cllr_min (even / odd) | RMEP (even / odd) | RMED (even / odd) | shipped |',
    '|---|---|---|---|---|---|---|',
  );
  for (const [n, byC] of Object.entries(report.calibrations))
    for (const [c, v] of Object.entries(byC)) {
      const cal = v as {
        ship: boolean;
        reason?: string;
        heldOut?: { cllr: number; cllrMin: number; rmep: number; rmed: number }[];
      };
      const pct = (xs: number[]) => xs.map((x) => `${(x * 100).toFixed(1)} %`).join(' / ');
      const h = cal.heldOut;
      lines.push(
        h
          ? `| ${n} | ${c} | ${h.map((x) => x.cllr.toFixed(3)).join(' / ')} | ` +
              `${h.map((x) => x.cllrMin.toFixed(3)).join(' / ')} | ${pct(h.map((x) => x.rmep))} | ` +
              `${pct(h.map((x) => x.rmed))} | ${cal.ship ? 'yes' : 'no'} |`
          : `| ${n} | ${c} | - | - | - | - | no (${cal.reason}) |`,
      );
    }
  return lines.join('\n') + '\n';
}

/** models/face/<embedder>.lr.json with the conditions whose held-out Cllr is below 1 in both folds. */
function writeCalibrations(
  e: Embeddings,
  calibrations: Record<string, Record<string, unknown>>,
  protocol: string,
): void {
  for (const [name, byCondition] of Object.entries(calibrations)) {
    const manifest = JSON.parse(readFileSync(join(repo, 'models/face', `${name}.json`), 'utf8')) as {
      sha256: string;
    };
    const conditions: LrCalibrationFile['conditions'] = Object.fromEntries(
      Object.entries(byCondition)
        .map(
          ([c, v]) =>
            [
              c,
              v as {
                ship: boolean;
                calibration: LrCalibration;
                heldOut: { cllr: number; cllrMin: number }[];
              },
            ] as const,
        )
        .filter(([, v]) => v.ship)
        .map(([c, v]) => [
          c,
          {
            calibration: v.calibration,
            heldOut: v.heldOut.map((h) => ({ cllr: h.cllr, cllrMin: h.cllrMin })),
            ...(c.startsWith('sr16')
              ? { scoreModel: `${e.model.id}, fast preset`, scoreModelSha256: e.model.sha256, preset: 'fast' }
              : {}),
          },
        ]),
    );
    const file: LrCalibrationFile = {
      embedder: name,
      embedderSha256: manifest.sha256,
      protocol,
      command: e.command,
      conditions,
    };
    writeFileSync(join(repo, 'models/face', `${name}.lr.json`), JSON.stringify(file, null, 2) + '\n');
    console.log(
      `wrote models/face/${name}.lr.json: ${Object.keys(conditions).join(', ') || 'no condition shipped'}`,
    );
  }
}

async function main(): Promise<void> {
  const cache = arg('embeddings', '/tmp/identity-lr.json');
  const outDir = resolve(repo, arg('out', 'docs/results/identity-lr'));
  let e: Embeddings;
  if (process.argv.includes('--analyse-only') && existsSync(cache)) {
    e = JSON.parse(readFileSync(cache, 'utf8')) as Embeddings;
  } else {
    e = await measure();
    writeFileSync(cache, JSON.stringify(e));
  }
  await analyse(e, outDir);
}

await main();
