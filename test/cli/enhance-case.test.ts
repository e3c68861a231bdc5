/**
 * `facet enhance` on a still (or an aligned crop, or a 16x16 LR) runs in a case through the runs service, like
 * `facet run`: with --keep-case the case stays (runs list / show / audit verify find it) and the outputs in --out are
 * bit-identical to `facet run`'s for the same still, face and seed; without it the scratch case's data folder is
 * removed. Real face models, real
 * onnxruntime with the analytic test model (2 steps), real SQLite.
 */
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enhanceCommand, parseEnhanceArgs, type EnhanceDeps } from '../../src/cli/commands/enhance';
import { runCli } from '../../src/cli/main';
import { composeApp } from '../../src/main/compose';
import { InferenceEngine } from '../../src/main/inference/engine';
import { createInferenceExecutor, type InferenceExecutor } from '../../src/main/inference/executor';
import type { Run } from '../../src/shared/contract';
import { writePhoto } from '../helpers/case-fixture';
import { writeStillWithFace } from '../helpers/still-with-face';
import { tempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '../..');
/** A 128x128 aligned face crop. */
const SAMPLE = join(ROOT, 'samples/faces/celebahq-00.png');
const SEED = '987654321';
const SETTINGS = [
  '--model',
  'analytic-ve',
  '--steps',
  '2',
  '--candidates',
  '2',
  '--seed',
  SEED,
  '--threads',
  '1',
];
const tmp = tempDir();
let photo: string;
let scratch: string;
let executor: InferenceExecutor;
let deps: EnhanceDeps & { engine: InferenceEngine };

interface RunJson {
  record: Run['record'];
  outputs: Record<string, string>;
  face: { method: string; index: number; detected: number };
  case: { name: string; caseId: string; runId: string; faceId: string } | null;
}
const readRunJson = (dir: string): RunJson => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

async function facet(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { executor, out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
  return { code, out, err };
}

/** The files of a 2-candidate run that `facet enhance` wrote, with their hashes (run.json's `outputs`). */
function runOutputsIn(k: { outputs: Record<string, string> }): Record<string, string> {
  const names = ['candidate-1.png', 'candidate-2.png', 'bicubic.png', 'uncertainty.png', 'mean.png'];
  return Object.fromEntries(names.map((n) => [n, k.outputs[n]!]));
}

/** The run's stored outputs under the names `facet enhance` writes them. */
function byFileName(run: Run): Record<string, string> {
  const names: Record<string, string> = {};
  for (const o of run.outputs)
    names[o.kind === 'candidate' ? `candidate-${o.index + 1}.png` : `${o.kind}.png`] = o.sha256;
  return names;
}

beforeAll(async () => {
  executor = createInferenceExecutor();
  deps = {
    engine: new InferenceEngine(),
  };
  scratch = join(tmp.path, 'scratch');
  mkdirSync(scratch);
  deps = { ...deps, scratchRoot: scratch };
  photo = await writeStillWithFace(join(tmp.path, 'still.png'));
});
afterAll(async () => {
  await executor.close();
  await deps.engine.close();
  tmp.remove();
});

describe('facet enhance through the runs service', () => {
  it('--keep-case X: runs list X shows the run; outputs are bit-identical to facet run; scratch cases are removed', async () => {
    const data = join(tmp.path, 'data');
    const kept = join(tmp.path, 'kept');
    expect(
      await enhanceCommand(
        [photo, '--out', kept, '--keep-case', 'Scratch X', '--data-dir', data, ...SETTINGS],
        deps,
      ),
    ).toBe(0);
    const k = readRunJson(kept);
    expect(k.case).toMatchObject({ name: 'Scratch X' });
    expect(k.face).toMatchObject({ method: 'auto', face: 1, detected: 1 });
    const runId = k.case!.runId;

    const listed = await facet(['--data-dir', data, 'runs', 'list', 'Scratch X']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(new RegExp(`^run 1 {4}${runId}  done `, 'm'));
    const shown = await facet(['--data-dir', data, 'runs', 'show', 'Scratch X', runId.slice(0, 8)]);
    expect(shown.code).toBe(0);
    expect((await facet(['--data-dir', data, 'audit', 'verify', 'Scratch X'])).out).toMatch(/^OK: /);

    // What the case stores is what --out holds, and the C7 record is the run's.
    const app = composeApp({ dataDir: data, actor: 'ann' });
    let keptRun: Run;
    let actions: string[];
    try {
      keptRun = app.runs.get(runId);
      actions = app.audit.list(keptRun.caseId, 0, 500).map((e) => e.action);
    } finally {
      app.close();
    }
    expect(byFileName(keptRun)).toEqual(runOutputsIn(k));
    expect(k.outputs['mean.png']).toMatch(/^[0-9a-f]{64}$/);
    expect(k.record).toEqual(keptRun.record);
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.created',
        'evidence.imported',
        'face.aligned',
        'run.queued',
        'run.started',
        'run.done',
      ]),
    );

    // facet run on the same still, face and seed in another data folder: the same output files, bit for bit.
    const dd = ['--data-dir', join(tmp.path, 'cli')];
    expect((await facet([...dd, 'cases', 'create', 'Y'])).code).toBe(0);
    expect((await facet([...dd, 'evidence', 'import', 'Y', photo])).code).toBe(0);
    const r = await facet([...dd, 'run', 'Y', 'still.png', ...SETTINGS]);
    expect(r.code).toBe(0);
    const cliRunId = /^run ([0-9a-f-]{36}) {2}done/m.exec(r.out)![1]!;
    const cliApp = composeApp({ dataDir: join(tmp.path, 'cli'), actor: 'ann' });
    let cliRun: Run;
    try {
      cliRun = cliApp.runs.get(cliRunId);
    } finally {
      cliApp.close();
    }
    expect(byFileName(cliRun)).toEqual(byFileName(keptRun));
    expect(cliRun.outputs.map((o) => o.pixelsSha256)).toEqual(keptRun.outputs.map((o) => o.pixelsSha256));
    const { appVersion: _a, ...cliRecord } = cliRun.record!;
    const { appVersion: _b, ...keptRecord } = keptRun.record!;
    expect(keptRecord).toEqual(cliRecord);

    // Without --keep-case: a scratch case, the same outputs, and nothing left behind.
    const plain = join(tmp.path, 'plain');
    expect(await enhanceCommand([photo, '--out', plain, ...SETTINGS], deps)).toBe(0);
    const p = readRunJson(plain);
    expect(p.case).toBeNull();
    expect(p.outputs).toEqual(k.outputs);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('an aligned crop (--aligned, or any 128x128 image) runs in a case too: a face of method aligned, audited', async () => {
    const data = join(tmp.path, 'crop-data');
    const kept = join(tmp.path, 'crop-kept');
    const args = [SAMPLE, '--out', kept, '--aligned', '--keep-case', 'Crop', '--data-dir', data];
    expect(await enhanceCommand([...args, ...SETTINGS], deps)).toBe(0);
    const k = readRunJson(kept);
    expect(k.face).toMatchObject({ method: 'aligned', transform: [1, 0, 0, 0, 1, 0], residualPx: 0 });
    const app = composeApp({ dataDir: data, actor: 'ann' });
    let run: Run;
    try {
      run = app.runs.get(k.case!.runId);
      const face = app.faces.get(run.faceId);
      expect(face).toMatchObject({ method: 'aligned', points: [], cropSha256: k.outputs['crop.png'] });
      expect(face.lrSha256).toBe(k.outputs['lr.png']);
      const aligned = app.audit.list(run.caseId, 0, 500).filter((e) => e.action === 'face.aligned');
      expect(aligned.map((e) => [e.subject, (e.payload as { method: string }).method])).toEqual([
        [face.id, 'aligned'],
      ]);
      expect(byFileName(run)).toEqual(runOutputsIn(k));
      expect(k.record).toEqual(run.record);
    } finally {
      app.close();
    }
    expect((await facet(['--data-dir', data, 'audit', 'verify', 'Crop'])).out).toMatch(/^OK: /);

    // The same 128x128 file without --aligned (taken as a crop) in a scratch case: the same files; nothing left.
    const plain = join(tmp.path, 'crop-plain');
    expect(await enhanceCommand([SAMPLE, '--out', plain, ...SETTINGS], deps)).toBe(0);
    expect(readRunJson(plain).outputs).toEqual(k.outputs);
    expect(readRunJson(plain).case).toBeNull();
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('a 16x16 LR (--lr16) runs in a case too: a face of method lr16 with no crop, a record with no input crop hash', async () => {
    const lr = await writePhoto(tmp.path, 'lr16.png', 16, 16, 0.4);
    const data = join(tmp.path, 'lr-data');
    const kept = join(tmp.path, 'lr-kept');
    expect(
      await enhanceCommand(
        [lr, '--out', kept, '--lr16', '--keep-case', 'LR', '--data-dir', data, ...SETTINGS],
        deps,
      ),
    ).toBe(0);
    const k = readRunJson(kept);
    expect(k.face).toMatchObject({ method: 'lr16', transform: [8, 0, 0, 0, 8, 0] });
    expect(k.outputs['crop.png']).toBeUndefined();
    expect(readdirSync(kept)).not.toContain('crop.png');
    expect(k.record!.inputCropSha256).toBeNull();
    const app = composeApp({ dataDir: data, actor: 'ann' });
    let run: Run;
    try {
      run = app.runs.get(k.case!.runId);
      const face = app.faces.get(run.faceId);
      expect(face).toMatchObject({ method: 'lr16', points: [], lrSha256: k.outputs['lr.png'] });
      expect(face.cropSha256).toBe(face.lrSha256);
      expect(run.record!.inputCropSha256).toBeNull();
      expect(k.record).toEqual(run.record);
      expect(byFileName(run)).toEqual(runOutputsIn(k));
      const aligned = app.audit.list(run.caseId, 0, 500).filter((e) => e.action === 'face.aligned');
      expect(aligned.map((e) => [e.subject, (e.payload as { method: string }).method])).toEqual([
        [face.id, 'lr16'],
      ]);
    } finally {
      app.close();
    }
    expect((await facet(['--data-dir', data, 'audit', 'verify', 'LR'])).out).toMatch(/^OK: /);

    // facet run --lr16 on the same still in the kept case: the same lr16 face (reused, not aligned again), the same
    // outputs bit for bit.
    const again = await facet(['--data-dir', data, 'run', 'LR', 'lr16.png', '--lr16', ...SETTINGS]);
    expect(again.code).toBe(0);
    const againId = /^run ([0-9a-f-]{36}) {2}done/m.exec(again.out)![1]!;
    const app2 = composeApp({ dataDir: data, actor: 'ann' });
    try {
      const r2 = app2.runs.get(againId);
      expect(r2.faceId).toBe(run.faceId);
      expect(app2.faces.get(r2.faceId).method).toBe('lr16');
      expect(byFileName(r2)).toEqual(byFileName(run));
    } finally {
      app2.close();
    }
    const both = await facet([
      '--data-dir',
      data,
      'run',
      'LR',
      'lr16.png',
      '--lr16',
      '--face',
      '0',
      ...SETTINGS,
    ]);
    expect([both.code, both.err.trim()]).toEqual([1, 'facet: --lr16 and --face cannot be used together.']);

    // Without --keep-case: a scratch case, the same files, nothing left; a still that is not 16x16 is refused.
    const plain = join(tmp.path, 'lr-plain');
    expect(await enhanceCommand([lr, '--out', plain, '--lr16', ...SETTINGS], deps)).toBe(0);
    expect(readRunJson(plain).outputs).toEqual(k.outputs);
    expect(readRunJson(plain).case).toBeNull();
    await expect(
      enhanceCommand([SAMPLE, '--out', join(tmp.path, 'lr-bad'), '--lr16', ...SETTINGS], deps),
    ).rejects.toThrow(/^--lr16 expects a 16x16 image; this one is 128x128\.$/);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('refuses a --keep-case name that is taken, and --data-dir without --keep-case', async () => {
    const data = join(tmp.path, 'taken');
    expect((await facet(['--data-dir', data, 'cases', 'create', 'Busy'])).code).toBe(0);
    await expect(
      enhanceCommand(
        [photo, '--out', join(tmp.path, 'busy'), '--keep-case', 'Busy', '--data-dir', data, ...SETTINGS],
        deps,
      ),
    ).rejects.toThrow(/^--keep-case: a case named "Busy" exists already in .*; choose another name\.$/);
    expect(parseEnhanceArgs(['f.png', '--out', 'o', '--lr16', '--keep-case', 'A'])).toMatchObject({
      lr16: true,
      keepCase: 'A',
    });
    expect(() => parseEnhanceArgs(['f.png', '--out', 'o', '--data-dir', 'd'])).toThrow(
      '--data-dir is the data folder of --keep-case; give --keep-case NAME.',
    );
    expect(readdirSync(scratch)).toEqual([]);
  });
});
