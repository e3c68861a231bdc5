/**
 * Core sampler overhead (DESIGN.md section 6): CPU microseconds of sampler work per step for a 3x128x128 batch of
 * 1 and 4, excluding the score function (a stub returning a fixed buffer; its own time is subtracted), then the
 * wall-clock overhead per step when the score takes 100 ms (noise is drawn while the network runs), and the C5
 * noise generator's throughput. Target: under 5 % of a 100 ms network evaluation (5000 us).
 */
import { resolvePreset, sample } from '../src/core/sampling';
import type { SamplerConfig, ScoreFn, SdeConfig, Tensor } from '../src/core/sampling/api';
import { createNoiseStream } from '../src/core/sampling/noise';
import { defaultSde } from '../src/core/sde';

const SHAPE = [3, 128, 128] as const;
const PER = 3 * 128 * 128;

interface Case {
  readonly name: string;
  readonly sde: SdeConfig;
  readonly sampler: SamplerConfig;
}

const ve = defaultSde('ve');
const vp = defaultSde('vp');
const subvp = defaultSde('subvp');
const cases: Case[] = [
  { name: 'sde-ve (reverse diffusion)', sde: ve, sampler: resolvePreset('sde-ve', ve, { steps: 30 }) },
  { name: 'sde-vecs (RD + Langevin)', sde: ve, sampler: resolvePreset('sde-vecs', ve, { steps: 30 }) },
  { name: 'sde-vp (Euler-Maruyama)', sde: vp, sampler: resolvePreset('sde-vp', vp, { steps: 30 }) },
  {
    name: 'sde-subvp (Euler-Maruyama)',
    sde: subvp,
    sampler: resolvePreset('sde-subvp', subvp, { steps: 30 }),
  },
  { name: 'heun (ve)', sde: ve, sampler: { kind: 'heun', steps: 15, rho: 7, eps: 1e-5, churn: 0 } },
  { name: 'fast: dpm-solver++ 3M (vp)', sde: vp, sampler: resolvePreset('fast', vp, { steps: 30 }) },
];

/** CPU milliseconds used by this process so far. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function measure(c: Case, batch: number, scoreMs: number) {
  const out = new Float32Array(batch * PER).fill(0.01);
  let inScore = 0;
  let inScoreWall = 0;
  let nfe = 0;
  const score: ScoreFn = async (x: Tensor) => {
    const t0 = cpuMs();
    const w0 = performance.now();
    if (x.data.length !== out.length) throw new Error('bad size');
    nfe++;
    inScore += cpuMs() - t0;
    if (scoreMs > 0) await new Promise((r) => setTimeout(r, scoreMs));
    inScoreWall += performance.now() - w0;
    return out;
  };
  const y: Tensor = { data: new Float32Array(batch * PER), shape: [batch, ...SHAPE] };
  const once = async (): Promise<{ cpu: number; wall: number; outside: number }> => {
    const noise = Array.from({ length: batch }, (_, k) => createNoiseStream(1n, k));
    inScore = 0;
    inScoreWall = 0;
    nfe = 0;
    const c0 = cpuMs();
    const w0 = performance.now();
    await sample({ sde: c.sde, sampler: c.sampler, score, noise, sampleShape: SHAPE, y });
    return {
      cpu: cpuMs() - c0 - inScore,
      wall: performance.now() - w0,
      outside: performance.now() - w0 - inScoreWall,
    };
  };
  if (scoreMs === 0) await once(); // JIT warm-up
  const runs = scoreMs === 0 ? [await once(), await once()] : [await once()];
  const best = runs.reduce((a, b) => (a.cpu < b.cpu ? a : b));
  return { cpu: best.cpu, wall: best.wall, outside: best.outside, nfe, steps: c.sampler.steps };
}

/** Print the overhead tables and the noise throughput. */
export async function run(): Promise<void> {
  console.log('CPU time of sampler work, score excluded (process.cpuUsage; min of 2 runs after a warm-up)\n');
  console.log('| sampler | batch | steps | NFE | us / step | us / NFE | % of a 100 ms NFE |');
  console.log('|---|---|---|---|---|---|---|');
  for (const c of cases) {
    for (const batch of [1, 4]) {
      const r = await measure(c, batch, 0);
      const perStep = (r.cpu * 1000) / r.steps;
      const perNfe = (r.cpu * 1000) / r.nfe;
      console.log(
        `| ${c.name} | ${batch} | ${r.steps} | ${r.nfe} | ${perStep.toFixed(0)} | ${perNfe.toFixed(0)} | ${(perNfe / 1000).toFixed(2)} % |`,
      );
    }
  }
  console.log(
    '\nWall time outside the score per NFE when the score takes 100 ms (an idle setTimeout: the noise draw overlaps it)\n',
  );
  console.log('| sampler | batch | wall ms / NFE | outside the score, us / NFE |');
  console.log('|---|---|---|---|');
  for (const c of [cases[1]!, cases[2]!]) {
    for (const batch of [1, 4]) {
      const r = await measure({ ...c, sampler: { ...c.sampler, steps: 10 } }, batch, 100);
      const perNfe = r.wall / r.nfe;
      console.log(
        `| ${c.name} | ${batch} | ${perNfe.toFixed(1)} | ${((r.outside / r.nfe) * 1000).toFixed(0)} |`,
      );
    }
  }
  const stream = createNoiseStream(42n, 0);
  const buf = new Float32Array(PER * 4);
  stream.nextInto(buf, 0, buf.length);
  const reps = 10;
  const c0 = cpuMs();
  for (let i = 0; i < reps; i++) stream.nextInto(buf, 0, buf.length);
  const s = (cpuMs() - c0) / 1000;
  console.log(
    `\nC5 noise (Philox4x32-10 + Box-Muller, float64): ${((reps * buf.length) / s / 1e6).toFixed(1)} M normals/s (CPU time)`,
  );
}
