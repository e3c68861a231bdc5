/**
 * `facet run` inside a case goes through the same contract calls, runs service and executor as the app: the same
 * still, face and seed give bit-identical outputs from the GUI's path (router calls as the renderer makes them) and
 * from the CLI, with the same audit events; then `facet report` and `facet verify` reproduce the hashes. Real face
 * models, real onnxruntime with the analytic test model (2 steps), real SQLite.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pick } from '../../src/cli/resolve';
import { runCli } from '../../src/cli/main';
import { callOrThrow } from '../../src/main/api/router';
import { composeApp } from '../../src/main/compose';
import { createInferenceExecutor, type InferenceExecutor } from '../../src/main/inference/executor';
import type { Run } from '../../src/shared/contract';
import { writeStillWithFace } from '../helpers/still-with-face';
import { tempDir } from '../helpers/temp-dir';

const SEED = '12345678901234567890';
const tmp = tempDir();
let executor: InferenceExecutor;
let photo: string;

async function facet(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { executor, out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
  return { code, out, err };
}

beforeAll(async () => {
  executor = createInferenceExecutor();
  photo = await writeStillWithFace(join(tmp.path, 'still.png'));
});
afterAll(async () => {
  await executor.close();
  tmp.remove();
});

const outputsOf = (r: Run) =>
  r.outputs.map((o) => ({ kind: o.kind, index: o.index, sha256: o.sha256, pixels: o.pixelsSha256 }));

describe('facet run', () => {
  let guiRun: Run;
  let guiActions: string[];

  beforeAll(async () => {
    // The GUI's path: the calls the renderer makes over IPC, through the same router.
    const app = composeApp({ dataDir: join(tmp.path, 'gui'), executor, actor: 'ann' });
    try {
      app.paths.allowFile(photo);
      const c = await callOrThrow(app.router, 'cases.create', { name: 'Bank robbery' });
      const ev = await callOrThrow(app.router, 'evidence.import', {
        caseId: c.id,
        path: photo,
        role: 'probe',
      });
      const det = await callOrThrow(app.router, 'faces.detect', { caseId: c.id, evidenceId: ev.evidence.id });
      expect(det.faces).toHaveLength(1);
      const al = await callOrThrow(app.router, 'faces.align', {
        caseId: c.id,
        evidenceId: ev.evidence.id,
        method: 'auto',
        detection: 0,
      });
      const queued = await callOrThrow(app.router, 'runs.enqueue', {
        caseId: c.id,
        faceId: al.face.id,
        settings: {
          modelId: 'analytic-ve',
          preset: 'fast',
          steps: 2,
          candidates: 2,
          seed: SEED,
          provider: 'cpu',
          threads: 1,
          dataConsistency: false,
        },
      });
      await app.runs.whenIdle();
      guiRun = app.runs.get(queued.id);
      guiActions = (
        await callOrThrow(app.router, 'audit.list', { caseId: c.id, afterSeq: 0, limit: 500 })
      ).map((e) => e.action);
    } finally {
      app.close();
    }
    expect(guiRun.status).toBe('done');
  });

  it('gives the GUI path outputs bit for bit, with the same audit events; report and verify reproduce them', async () => {
    const dd = ['--data-dir', join(tmp.path, 'cli')];
    expect((await facet([...dd, 'cases', 'create', 'Bank robbery'])).code).toBe(0);
    // Cases and evidence by name; the seed in hex.
    expect((await facet([...dd, 'evidence', 'import', 'bank robbery', photo])).code).toBe(0);
    const hex = `0x${BigInt(SEED).toString(16)}`;
    const r = await facet([
      ...dd,
      'run',
      'Bank robbery',
      'still.png',
      '--model',
      'analytic-ve',
      '--steps',
      '2',
      '--candidates',
      '2',
      '--seed',
      hex,
      '--threads',
      '1',
    ]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.err).toMatch(/face 1 of 1 in still.png \(the largest\)/);
    const runId = /^run ([0-9a-f-]{36}) {2}done/m.exec(r.out)![1]!;

    const app = composeApp({ dataDir: join(tmp.path, 'cli'), actor: 'ann' });
    let cliRun: Run;
    let cliActions: string[];
    try {
      cliRun = app.runs.get(runId);
      cliActions = (
        await callOrThrow(app.router, 'audit.list', { caseId: cliRun.caseId, afterSeq: 0, limit: 500 })
      ).map((e) => e.action);
    } finally {
      app.close();
    }
    expect(cliRun.seed).toBe(SEED);
    expect(outputsOf(cliRun)).toEqual(outputsOf(guiRun));
    expect(outputsOf(cliRun)).toHaveLength(5); // 2 candidates, bicubic, uncertainty, their mean
    const { appVersion: _a, ...cliRecord } = cliRun.record!;
    const { appVersion: _b, ...guiRecord } = guiRun.record!;
    expect(cliRecord).toEqual(guiRecord);
    expect(cliActions).toEqual(guiActions);
    expect(cliActions).toEqual(
      expect.arrayContaining([
        'case.created',
        'evidence.imported',
        'face.aligned',
        'run.queued',
        'run.started',
        'run.done',
      ]),
    );

    // runs list / show by id prefix
    expect((await facet([...dd, 'runs', 'list', 'Bank robbery'])).out).toMatch(
      new RegExp(`^run 1 {4}${runId}  done `, 'm'),
    );
    const shown = await facet([...dd, 'runs', 'show', 'Bank robbery', runId.slice(0, 8)]);
    for (const o of cliRun.outputs) expect(shown.out).toContain(`file ${o.sha256}  pixels ${o.pixelsSha256}`);

    // report -> verify: the manifest re-runs to identical hashes
    const reports = join(tmp.path, 'reports');
    expect(
      (await facet([...dd, 'report', 'Bank robbery', '--run', runId.slice(0, 8), '--out', reports])).code,
    ).toBe(0);
    // Named by case name and date, and the run's number.
    const day = new Date().toISOString().slice(0, 10);
    const v = await facet([...dd, 'verify', join(reports, `report-Bank-robbery-${day}-run-1.manifest.json`)]);
    expect(v).toMatchObject({ code: 0 });
    expect(v.out).toMatch(/identical: all 5 output hashes match/);

    // rerun: a new run with the same seed and the same outputs
    const again = await facet([...dd, 'runs', 'rerun', 'Bank robbery', runId.slice(0, 8)]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(new RegExp(`re-run of ${runId}`));
    expect(again.out).toContain(`Re-run of run 1 (${runId}): identical: 5 of 5 outputs match`);
    for (const o of cliRun.outputs) expect(again.out).toContain(`file ${o.sha256}`);
    expect((await facet([...dd, 'audit', 'verify', 'Bank robbery'])).out).toMatch(/^OK: /);
  });

  it('says in one line when a case or evidence is unknown or ambiguous, or the face does not exist', async () => {
    const dd = ['--data-dir', join(tmp.path, 'cli2')];
    await facet([...dd, 'cases', 'create', 'Twin']);
    await facet([...dd, 'cases', 'create', 'Twin']);
    const amb = await facet([...dd, 'run', 'Twin', 'x.png']);
    expect(amb.code).toBe(1);
    expect(amb.err.trim()).toMatch(
      /^facet: "Twin" names 2 cases: [0-9a-f]{8} \(Twin\), [0-9a-f]{8} \(Twin\); give more of the id\.$/,
    );
    expect((await facet([...dd, 'run', 'Nobody', 'x.png'])).err.trim()).toBe('facet: No case "Nobody".');
    await facet([...dd, 'cases', 'create', 'Solo']);
    await facet([...dd, 'evidence', 'import', 'Solo', photo]);
    expect((await facet([...dd, 'run', 'Solo', 'other.png'])).err.trim()).toBe(
      'facet: No evidence "other.png".',
    );
    expect((await facet([...dd, 'run', 'Solo', 'still.png', '--face', '3'])).err.trim()).toBe(
      'facet: --face 3: 1 face(s) were found in still.png, numbered 1 to 1.',
    );
    expect((await facet([...dd, 'run', 'Solo', 'still.png', '--seed', 'x'])).err.trim()).toMatch(
      /^facet: --seed: "x" is not a seed: give a whole number/,
    );
    // A reference photo is enhanced only when asked by name.
    await facet([...dd, 'cases', 'create', 'Refs']);
    await facet([...dd, 'evidence', 'import', 'Refs', photo, '--reference']);
    const ref = await facet([...dd, 'run', 'Refs', 'still.png']);
    expect(ref.code).toBe(1);
    expect(ref.err.trim()).toMatch(
      /^facet: The face is on still\.png, a reference photo: .*--enhance-reference/m,
    );
  });
});

describe('pick', () => {
  const items = [
    { id: 'abc12345-0000', name: 'Alpha' },
    { id: 'abd99999-0000', name: 'alpha' },
    { id: 'ffff0000-0000', name: 'Beta' },
  ];
  const name = (t: { name: string }) => t.name;
  it('takes an exact id, a unique id prefix, an exact name, then a name in any case', () => {
    expect(pick(items, 'ffff0000-0000', 'case', name).name).toBe('Beta');
    expect(pick(items, 'abc', 'case', name).name).toBe('Alpha');
    expect(pick(items, 'FFFF', 'case', name).name).toBe('Beta');
    expect(pick(items, 'alpha', 'case', name).id).toBe('abd99999-0000');
    expect(pick(items, 'beta', 'case', name).id).toBe('ffff0000-0000');
    expect(() => pick(items, 'ab', 'case', name)).toThrow(/"ab" names 2 cases/);
    expect(() => pick(items, 'zeta', 'case', name)).toThrow('No case "zeta".');
  });
});
