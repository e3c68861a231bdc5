/**
 * runs.plan through the one router: settings in (validated by the contract), the plan the runs service will run out
 * (model resolved by the registry, preset with overrides, N, M, r, candidates, NFE); bad settings and settings that
 * do not fit the model are one-line invalid-input errors; without an engine it says so.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PAPER_SNR, PAPER_STEPS } from '../../../src/core/sampling';
import { composeApp, type App } from '../../../src/main/compose';
import { createInferenceExecutor } from '../../../src/main/inference/executor';
import { ModelRegistry } from '../../../src/main/inference/registry';
import { tempDir } from '../../helpers/temp-dir';

const tmp = tempDir();
const executor = createInferenceExecutor();
const apps: App[] = [];
function app(withExecutor = true): App {
  const a = composeApp({
    dataDir: tmp.path + `/d${apps.length}`,
    executor: withExecutor ? executor : undefined,
  });
  apps.push(a);
  return a;
}
afterAll(async () => {
  for (const a of apps) a.close();
  await executor.close();
  tmp.remove();
});

// `ve` and `vp` name the best model of that SDE: a trained one in models/ when there is one, else the analytic fixture.
const registry = ModelRegistry.fromDisk();

describe('runs.plan', () => {
  it('resolves the model and the preset with overrides; NFE of the batch; the seed only when given', async () => {
    const r = app().router;
    const vecs = await r('runs.plan', {
      settings: { modelId: 've', preset: 'sde-vecs', steps: 100, correctorSteps: 2, candidates: 3 },
    });
    expect(vecs).toEqual({
      ok: true,
      value: {
        model: {
          id: registry.resolve('ve').manifest.id,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          sde: 've',
        },
        preset: 'sde-vecs',
        sampler: { kind: 'pc', steps: 100, correctorSteps: 2, snr: PAPER_SNR },
        candidates: 3,
        nfe: 300,
        seed: null,
      },
    });
    const vp = await r('runs.plan', { settings: { modelId: 'vp', preset: 'sde-vp', seed: '16' } });
    expect(vp).toMatchObject({
      ok: true,
      value: {
        model: { id: registry.resolve('vp').manifest.id, sde: 'vp' },
        sampler: { kind: 'pc', steps: PAPER_STEPS, correctorSteps: 0, snr: null },
        candidates: 4,
        nfe: PAPER_STEPS,
        seed: '16',
      },
    });
    const fast = await r('runs.plan', { settings: { modelId: 'analytic-vp', preset: 'fast', steps: 12 } });
    expect(fast).toMatchObject({ ok: true, value: { sampler: { kind: 'dpm-solver', steps: 12 }, nfe: 12 } });
  });

  it.each([
    [{ settings: { modelId: 've', preset: 'turbo' } }, /preset/],
    [{ settings: { modelId: 've', preset: 'fast', extra: 1 } }, /extra/],
    [{ settings: { modelId: 've', preset: 'fast', steps: 0 } }, /steps/],
    [
      { settings: { modelId: 'analytic-ve', preset: 'sde-vp' } },
      /^Preset sde-vp is for the VP SDE, but the model is ve\.$/,
    ],
    [{ settings: { modelId: 'no-such-model', preset: 'fast' } }, /no-such-model/],
  ])('refuses %j with one line', async (input, message) => {
    const res = await app().router('runs.plan', input);
    expect(res).toMatchObject({
      ok: false,
      error: { code: expect.stringMatching(/invalid-input|not-found/) },
    });
    if (!res.ok) {
      expect(res.error.message).toMatch(message);
      expect(res.error.message).not.toContain('\n');
    }
  });

  it('says so when the process has no sampling engine', async () => {
    const res = await app(false).router('runs.plan', { settings: { modelId: 've', preset: 'fast' } });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', message: /No sampling engine/ } });
  });
});
