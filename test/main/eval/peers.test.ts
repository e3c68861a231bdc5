/**
 * The ESRGAN-thick x8 peer row of `facet eval` (issue 27): loaded from the devDependency's files on disk (no
 * network), run on the 16x16 C2 LR of two shipped sample faces (samples/faces, 128x128 CelebA-HQ crops).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formLr, quantise8 } from '../../../src/core/image/lr';
import type { RgbImage } from '../../../src/core/image/types';
import { gradientRatio, psnr } from '../../../src/core/metrics';
import type { EvalPeerUpscaler } from '../../../src/main/eval/evaluator';
import { openPeer, packageRoot, peerAvailable } from '../../../src/main/eval/peers';
import { decodeToRgb } from '../../../src/main/imaging/decode';
import { enlargeNearest } from '../../../src/main/imaging/encode';

const root = join(import.meta.dirname, '../../..');
const samples = ['celebahq-00.png', 'celebahq-01.png'].map((f) => join(root, 'samples/faces', f));

describe('peer packages', () => {
  it('are devDependencies installed by npm ci, and an unknown peer is named', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of ['@upscalerjs/esrgan-thick', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']) {
      expect(pkg.devDependencies[name]).toBeDefined();
      expect(pkg.dependencies[name]).toBeUndefined();
    }
    expect(packageRoot('@upscalerjs/esrgan-thick')).not.toBeNull();
    expect(peerAvailable('esrgan-thick')).toBe(true);
    await expect(openPeer('real-esrgan')).rejects.toThrow(/Unknown peer real-esrgan/);
  });
});

describe.skipIf(!peerAvailable('esrgan-thick'))('ESRGAN-thick x8 peer', () => {
  let peer: EvalPeerUpscaler;
  let close: () => Promise<void>;
  let hr: RgbImage[];
  let lr: RgbImage[];
  beforeAll(async () => {
    const opened = await openPeer('esrgan-thick');
    peer = opened.value;
    close = opened.close;
    hr = await Promise.all(samples.map(async (f) => decodeToRgb(readFileSync(f))));
    lr = hr.map(formLr);
  }, 120_000);
  afterAll(async () => close?.());

  it('records where its weights come from', () => {
    expect(peer.info).toMatchObject({
      id: 'esrgan-thick-x8',
      package: '@upscalerjs/esrgan-thick',
      version: '1.0.0',
    });
    expect(peer.info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(peer.label).toBe('ESRGAN-thick x8 (general upscaler)');
  });

  it('upsamples 16x16 to 128x128 in range, beats nearest neighbour on real faces, and is deterministic', async () => {
    const out = await peer.upscale(lr);
    expect(out).toHaveLength(2);
    for (const o of out) {
      expect([o.width, o.height, o.data.length]).toEqual([128, 128, 128 * 128 * 3]);
      expect(o.data.every((v) => Number.isFinite(v) && v > -0.25 && v < 1.25)).toBe(true);
      const q = quantise8(o);
      expect(q.data.every((v) => v >= 0 && v <= 1)).toBe(true);
      // Not a blank or saturated image: the mean is that of a face.
      const mean = q.data.reduce((s, v) => s + v, 0) / q.data.length;
      expect(mean).toBeGreaterThan(0.15);
      expect(mean).toBeLessThan(0.85);
    }
    out.forEach((o, i) => {
      const nearest = enlargeNearest(lr[i]!, 8);
      const p = psnr(quantise8(o), hr[i]!);
      expect(p).toBeGreaterThan(psnr(nearest, hr[i]!) + 0.5);
      expect(Number.isFinite(gradientRatio(quantise8(o)))).toBe(true);
    });
    // Alone or in a batch, run again: the same bits.
    const again = await peer.upscale([lr[1]!]);
    expect(Buffer.from(again[0]!.data.buffer)).toEqual(Buffer.from(out[1]!.data.buffer));
  }, 120_000);
});
