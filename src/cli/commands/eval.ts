/**
 * `facet eval`: the evaluation harness on the command line (DESIGN.md section 4).
 *   facet eval run [options]          evaluate and write results.json, results.md and the figures
 *   facet eval report <results.json>  rewrite the Markdown and figures of a results file (e.g. from the Python run)
 *   facet eval schema                 print the results JSON Schema
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evalResultsJsonSchema } from '../../core/eval/json-schema';
import { planMethods } from '../../core/eval/protocol';
import { EvalResultsSchema } from '../../core/eval/schema';
import type { PresetName } from '../../shared/contract/run-params';
import { PresetName as PresetNameSchema, SeedString } from '../../shared/contract/run-params';
import { FacetError } from '../../shared/errors';
import { coreToolkit } from '../../main/eval/core-toolkit';
import { evaluate, type EvalPeerUpscaler, type EvalScoreModel } from '../../main/eval/evaluator';
import { loadCelebaSet, loadCropsSet, saveCrops } from '../../main/eval/faces';
import { openEmbedder, openScoreModel } from '../../main/eval/loaders';
import { PEER_NAMES, openPeer, peerAvailable, type PeerName } from '../../main/eval/peers';
import { writeResults } from '../../main/eval/write-results';

export const EVAL_USAGE = `usage: facet eval run [options] | facet eval report <results.json> [--out DIR] | facet eval schema

run options:
  --faces L              probe faces from eval/celeba (default 8; the gallery always holds all 200 identities)
  --crops DIR            use a crops folder (from --save-crops) instead of eval/celeba
  --save-crops DIR       also write the canonical HR crops and a crops manifest (for the Python evaluator)
  --model M              repeatable: analytic-ve | analytic-vp | analytic-subvp | path/to/model.json (C3 manifest) | model id
  --tau T                std of the analytic models' Gaussian around the conditioning (default 0.1)
  --embedder E           faceres | mobileface | faceapi | pixel (default faceres: the best at full resolution, kept
                         so CS and rank-1 stay comparable across runs; comparisons in the app use mobileface)
  --presets P,...        Table I presets (default fast,sde-ve,sde-vecs with a VE model, else fast)
  --pc-steps N           N for the PC presets of the table and the r sweep (default: the preset's, 2000)
  --r-sweep R,...        Fig. 4: SDE-VEcs values of r (e.g. 0.05,0.1,0.16,0.2,0.3,0.4,0.5,0.6)
  --sweep-steps N        N of the r sweep (default --pc-steps)
  --fast-steps S,...     quality vs NFE: steps (= NFE) of the fast preset (DPM-Solver++ 3M)
  --pc-steps-sweep N,... quality vs NFE: N of SDE-VE
  --candidate-mean K     also a Table I row per preset scoring the pixel mean of candidates 0..K-1
  --peer P               a peer upscaler's row on the same 16x16 LR: esrgan-thick (ESRGAN-thick x8, TensorFlow.js
                         CPU, from the devDependency @upscalerjs/esrgan-thick) or none; default esrgan-thick when
                         its packages are installed, else none (asking for it without them is an error)
  --seed S               base seed (default 0); face i uses seed + i
  --batch B              faces per sampler call (default 8)
  --threads T            onnxruntime threads (default 1)
  --out DIR              output folder (default eval-results)

Every row has a streak column: the mean ratio of horizontal to vertical gradient energy in the top 27 rows (grey),
over the HR faces' (HR: 1.000; well above 1: vertical streaks such as learned edge-replication padding).

FACET_SHARED_DIR points at the shared data (default <repo>/../shared).`;

function list<T>(s: string | undefined, parse: (x: string) => T): T[] {
  return s
    ? s
        .split(',')
        .filter((x) => x.trim() !== '')
        .map((x) => parse(x.trim()))
    : [];
}

function positiveNumber(what: string) {
  return (x: string): number => {
    const v = Number(x);
    if (!Number.isFinite(v) || v <= 0)
      throw new FacetError('invalid-input', `${what}: ${x} is not a positive number.`);
    return v;
  };
}

function positiveInt(what: string) {
  return (x: string): number => {
    const v = Number(x);
    if (!Number.isInteger(v) || v < 1)
      throw new FacetError('invalid-input', `${what}: ${x} is not a positive integer.`);
    return v;
  };
}

function sharedDataDir(): string {
  return process.env.FACET_SHARED_DIR ?? resolve(process.cwd(), '..', 'shared');
}

/** The app version from the package.json of the working folder (the repository root), or 'unknown'. */
function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(process.cwd(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      faces: { type: 'string', default: '8' },
      crops: { type: 'string' },
      'save-crops': { type: 'string' },
      model: { type: 'string', multiple: true, default: [] },
      tau: { type: 'string', default: '0.1' },
      embedder: { type: 'string', default: 'faceres' },
      presets: { type: 'string' },
      'pc-steps': { type: 'string' },
      'r-sweep': { type: 'string' },
      'sweep-steps': { type: 'string' },
      'fast-steps': { type: 'string' },
      'pc-steps-sweep': { type: 'string' },
      'candidate-mean': { type: 'string' },
      peer: { type: 'string' },
      seed: { type: 'string', default: '0' },
      batch: { type: 'string', default: '8' },
      threads: { type: 'string', default: '1' },
      out: { type: 'string', default: 'eval-results' },
    },
    strict: true,
  });
  const seed = SeedString.safeParse(values.seed);
  if (!seed.success) throw new FacetError('invalid-input', `--seed: ${seed.error.issues[0]?.message}`);
  const threads = positiveInt('--threads')(values.threads);
  const faces = positiveInt('--faces')(values.faces);
  const tau = positiveNumber('--tau')(values.tau);

  const models: EvalScoreModel[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (const m of values.model) {
    const opened = await openScoreModel(m.endsWith('.json') ? resolve(m) : m, tau, threads);
    models.push(opened.value);
    closers.push(opened.close);
  }
  const peerNames: PeerName[] = [];
  if (values.peer === undefined) {
    if (peerAvailable('esrgan-thick')) peerNames.push('esrgan-thick');
  } else if (values.peer !== 'none') {
    if (!(PEER_NAMES as readonly string[]).includes(values.peer))
      throw new FacetError(
        'invalid-input',
        `--peer: unknown peer ${values.peer} (${PEER_NAMES.join(', ')}, none).`,
      );
    peerNames.push(values.peer as PeerName);
  }
  const peers: EvalPeerUpscaler[] = [];
  for (const name of peerNames) {
    const opened = await openPeer(name);
    peers.push(opened.value);
    closers.push(opened.close);
  }
  const embedder = await openEmbedder(values.embedder, threads);
  closers.push(embedder.close);
  try {
    const set = values.crops
      ? await loadCropsSet(resolve(values.crops))
      : await loadCelebaSet(join(sharedDataDir(), 'data/eval/celeba'), faces);
    if (values['save-crops']) await saveCrops(set, resolve(values['save-crops']));
    const presetList = (s: string): PresetName => {
      const p = PresetNameSchema.safeParse(s);
      if (!p.success) throw new FacetError('invalid-input', `Unknown preset ${s}.`);
      return p.data;
    };
    const ve = models.some((m) => m.info.sde.kind === 've');
    const presets = values.presets
      ? list(values.presets, presetList)
      : ve
        ? (['fast', 'sde-ve', 'sde-vecs'] as const)
        : (['fast'] as const);
    const methods = planMethods({
      modelIds: models.map((m) => m.info.id),
      presets: [...presets],
      pcSteps: values['pc-steps'] ? positiveInt('--pc-steps')(values['pc-steps']) : undefined,
      sweepSteps: values['sweep-steps'] ? positiveInt('--sweep-steps')(values['sweep-steps']) : undefined,
      rSweep: list(values['r-sweep'], positiveNumber('--r-sweep')),
      fastSteps: list(values['fast-steps'], positiveInt('--fast-steps')),
      pcStepsSweep: list(values['pc-steps-sweep'], positiveInt('--pc-steps-sweep')),
      candidateMean: values['candidate-mean']
        ? positiveInt('--candidate-mean')(values['candidate-mean'])
        : undefined,
      peers: peers.map((p) => ({ id: p.info.id, label: p.label })),
    });
    const version = appVersion();
    const results = await evaluate({
      set,
      baseSeed: seed.data,
      models,
      peers,
      embedder: embedder.value,
      methods,
      toolkit: coreToolkit,
      batchSize: positiveInt('--batch')(values.batch),
      command: `facet eval run ${argv.join(' ')}`,
      producer: {
        implementation: 'typescript',
        version,
        runtime: `node ${process.version}, onnxruntime-node`,
        device: `cpu, ${threads} thread(s)`,
      },
      onMethod: (m) => {
        const s = m.summary;
        const f = (v: number | null, d: number): string => (v === null ? '∞' : v.toFixed(d));
        console.log(
          `${m.id.padEnd(36)} PSNR ${f(s.psnr.mean, 2)}  SSIM ${f(s.ssim.mean, 3)}  cons ${f(s.consistency.mean, 3)}  ` +
            `CS ${f(s.cs.mean, 3)}  rank-1 ${(100 * s.rank1).toFixed(1)} %  NFE ${m.nfe}  ` +
            `streak ${s.streak == null ? '–' : s.streak.toFixed(3)}  ${m.seconds.toFixed(1)} s`,
        );
      },
    });
    const files = await writeResults(resolve(values.out), results);
    console.log(`wrote ${files.map((f) => join(values.out, f)).join(', ')}`);
    return 0;
  } finally {
    for (const close of closers) await close();
  }
}

async function report(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) throw new FacetError('invalid-input', `facet eval report needs a results.json.\n${EVAL_USAGE}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FacetError('invalid-input', `Cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const parsed = EvalResultsSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new FacetError(
      'invalid-input',
      `${file} is not a results file: ${i?.path.join('.')}: ${i?.message}`,
    );
  }
  const files = await writeResults(values.out ?? dirname(file), parsed.data);
  console.log(`wrote ${files.join(', ')}`);
  return 0;
}

/** Runs `facet eval <sub> ...`; returns the exit code. */
export async function evalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'run') return run(rest);
  if (sub === 'report') return report(rest);
  if (sub === 'schema') {
    console.log(JSON.stringify(evalResultsJsonSchema(), null, 2));
    return 0;
  }
  console.log(EVAL_USAGE);
  return sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
}
