/** The face calls from the page (Chromium) against the real services: dialogs double, pre-allowed demo folder. */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import { buildRenderer, fixedDialogs, startHarness, type Harness } from './harness';

const repo = resolve(import.meta.dirname, '../..');
const shared = process.env.FACET_SHARED_DIR ?? resolve(repo, '../shared');
const whole = join(shared, 'data/demo/lowquality/whole');

type R = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

describe('faces, from the page against real services', () => {
  const dir = tempDir('facet-e2e-faces-');
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(dir.path, await buildRenderer(), {
      allowFolders: [whole],
      dialogs: fixedDialogs({ images: [join(whole, '04.jpg')] }),
    });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    dir.remove();
  });

  it('imports a picked still, detects and aligns its face, and shows the stored crop from a data URL', async () => {
    const { page } = harness;
    const out = await page.evaluate(async () => {
      const call = async (c: string, i: unknown) => {
        const r = (await window.facet.invoke(c, i)) as R;
        if (!r.ok) throw new Error(`${c}: ${r.error?.message}`);
        return r.value as Record<string, unknown>;
      };
      const c = await call('cases.create', { name: 'E2E faces' });
      const picked = (await call('dialogs.openImages', { multiple: false })).paths as string[];
      const ev = (await call('evidence.import', { caseId: c.id, path: picked[0] })).evidence as {
        id: string;
      };
      const det = await call('faces.detect', { caseId: c.id, evidenceId: ev.id });
      const aligned = await call('faces.align', {
        caseId: c.id,
        evidenceId: ev.id,
        method: 'auto',
        detection: 0,
      });
      const face = aligned.face as { cropSha256: string };
      const url = (await call('objects.dataUrl', { caseId: c.id, sha256: face.cropSha256 }))
        .dataUrl as string;
      const img = document.createElement('img');
      img.src = url;
      document.body.append(img);
      await img.decode();
      const outside = (await window.facet.invoke('evidence.import', {
        caseId: c.id,
        path: '/etc/hostname',
      })) as R;
      return {
        picked,
        faces: (det.faces as unknown[]).length,
        size: [img.naturalWidth, img.naturalHeight],
        outside: outside.error?.code,
      };
    });
    expect(out.picked).toEqual([join(whole, '04.jpg')]);
    expect(out.faces).toBe(1);
    expect(out.size).toEqual([128, 128]);
    expect(out.outside).toBe('invalid-input');
  }, 180_000); // the first face call starts the inference worker (under tsx in tests) and loads the face models there
});
