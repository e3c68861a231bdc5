import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelRegistry, scanModels } from '../../../src/main/inference/registry';
import { countPhysicalCores } from '../../../src/main/inference/threads';
import { tempDir } from '../../helpers/temp-dir';
import { MODELS_DIR, testModel } from './fixtures';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('model registry', () => {
  const shipped = join(tmp.path, 'models');
  const trained = {
    ...testModel('analytic-vp').manifest,
    id: 'sr-vp-small',
    params: 1000,
    training: { ...testModel('analytic-vp').manifest.training, steps: 5000 },
  };

  it('prefers a trained model over the test models and reports invalid manifests', () => {
    mkdirSync(shipped);
    copyFileSync(testModel('analytic-vp').onnxPath, join(shipped, 'sr-vp-small.onnx'));
    writeFileSync(join(shipped, 'sr-vp-small.json'), JSON.stringify(trained));
    copyFileSync(testModel('analytic-ve').onnxPath, join(shipped, 'broken.onnx'));
    writeFileSync(join(shipped, 'broken.json'), JSON.stringify({ id: 'broken', sde: 'heat' }));
    const { models, problems } = scanModels([
      { dir: shipped, test: false },
      { dir: MODELS_DIR, test: true },
    ]);
    expect(problems).toEqual([expect.stringMatching(/broken.json is invalid: sde/)]);
    const reg = new ModelRegistry(models);
    expect(reg.best().manifest.id).toBe('sr-vp-small');
    expect(reg.resolve('best').manifest.id).toBe('sr-vp-small');
    expect(reg.resolve('ve').manifest.id).toBe('analytic-ve');
    expect(reg.resolve('vp').manifest.id).toBe('sr-vp-small');
    expect(reg.resolve('analytic-subvp').isTestModel).toBe(true);
    expect(() => reg.resolve('nope')).toThrow(/No score model "nope". Available: sr-vp-small, /);
  });

  it('falls back to the analytic VE test model when models/ has none', () => {
    const reg = ModelRegistry.fromDisk();
    const best = reg.best();
    if (best.isTestModel) expect(best.manifest.id).toBe('analytic-ve');
    expect(reg.models.some((m) => m.manifest.id === 'fault' || m.manifest.id === 'tiny-conv')).toBe(false);
  });
});

describe('countPhysicalCores', () => {
  it('counts distinct cores, not hyper-threads', () => {
    const cpu = (p: number, c: number): string => `processor\t: x\nphysical id\t: ${p}\ncore id\t\t: ${c}\n`;
    expect(countPhysicalCores([cpu(0, 0), cpu(0, 0), cpu(0, 1), cpu(0, 1)].join('\n'))).toBe(2);
    expect(countPhysicalCores([cpu(0, 0), cpu(1, 0)].join('\n'))).toBe(2);
    expect(countPhysicalCores('processor : 0\n')).toBeNull();
  });
});
