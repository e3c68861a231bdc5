/** The shell's service wiring: the real inference worker as executor, app version and model provenance in reports. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appVersion } from '../../../src/main/inference/paths';
import { manifestProvenance } from '../../../src/main/inference/provenance';
import { composeShellServices } from '../../../src/main/shell/services';
import { callOrThrow } from '../../../src/main/api/router';
import type { App } from '../../../src/main/compose';
import type { Run } from '../../../src/shared/contract';
import { caseWithFace, until } from '../../helpers/case-fixture';
import { tempDir } from '../../helpers/temp-dir';

const repo = resolve(import.meta.dirname, '../../..');
const models = join(repo, 'models');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };

async function finished(app: App, runId: string): Promise<Run> {
  let run = app.runs.get(runId);
  await until(() => {
    run = app.runs.get(runId);
    return ['done', 'failed', 'cancelled'].includes(run.status);
  }, 40_000);
  return run;
}

const settings = {
  modelId: 'analytic-ve',
  preset: 'fast' as const,
  steps: 4,
  candidates: 2,
  seed: '11',
  threads: 1,
  provider: 'cpu' as const,
  dataConsistency: false,
};

describe('shell services', () => {
  it('runs a queued run in the inference worker; its report carries the app version and model provenance', async () => {
    const tmp = tempDir('facet-shell-services-');
    const app = composeShellServices({
      dataDir: join(tmp.path, 'data'),
      modelsDir: models,
      isPackaged: false,
    });
    try {
      const { caseId, face } = await caseWithFace(app, tmp.path);
      const queued = await callOrThrow(app.router, 'runs.enqueue', { caseId, faceId: face.id, settings });
      const run = await finished(app, queued.id);
      expect(run.error).toBeNull();
      expect(run.status).toBe('done');
      expect(run.outputs.filter((o) => o.kind === 'candidate')).toHaveLength(2);
      expect(run.record?.model.id).toBe('analytic-ve');

      const reports = await callOrThrow(app.router, 'reports.create', {
        caseId,
        runId: run.id,
        formats: ['manifest'],
      });
      const manifest = JSON.parse(app.store.read(caseId, reports[0]!.sha256).toString('utf8')) as {
        generator: { version: string };
        runs: Array<{ model: { provenance: Record<string, unknown> | null } }>;
      };
      expect(manifest.generator.version).toBe(pkg.version);
      expect(appVersion()).toBe(pkg.version);
      expect(manifest.runs[0]!.model.provenance).toMatchObject({
        id: 'analytic-ve',
        manifest: 'analytic-ve.json',
        sha256Matches: true,
        sde: 've',
        training: expect.objectContaining({ steps: 0 }),
      });
    } finally {
      app.close();
      tmp.remove();
    }
  }, 60_000);

  it('a packaged app uses only the shipped models: no test model is found', async () => {
    const tmp = tempDir('facet-shell-services-');
    const app = composeShellServices({
      dataDir: join(tmp.path, 'data'),
      modelsDir: models,
      isPackaged: true,
    });
    try {
      const { caseId, face } = await caseWithFace(app, tmp.path);
      const queued = await callOrThrow(app.router, 'runs.enqueue', { caseId, faceId: face.id, settings });
      const run = await finished(app, queued.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/No score model "analytic-ve"/);
    } finally {
      app.close();
      tmp.remove();
    }
  }, 60_000);

  it('provenance covers the face models and flags a hash that no longer matches', () => {
    const lookup = manifestProvenance([join(models, 'face')]);
    const faceres = JSON.parse(readFileSync(join(models, 'face/faceres.json'), 'utf8')) as { sha256: string };
    const p = lookup({ id: 'faceres', sha256: faceres.sha256 });
    expect(p).toMatchObject({ id: 'faceres', sha256Matches: true, task: 'embedder' });
    expect(p).not.toHaveProperty('calibration');
    expect(lookup({ id: 'faceres', sha256: '0'.repeat(64) })).toMatchObject({ sha256Matches: false });
    expect(lookup({ id: 'nope', sha256: '' })).toBeNull();
  });
});
