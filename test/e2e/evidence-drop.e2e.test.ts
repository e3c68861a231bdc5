/**
 * Drag-and-drop import onto the evidence gallery in Chromium against the real services. The harness stands in
 * for Electron's webUtils: files it drops carry their real path, files the page makes itself carry none.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import { buildRenderer, startHarness, type Harness } from './harness';

const SHARED = process.env.FACET_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
const STILL = join(SHARED, 'data/demo/lowquality/whole/01.jpg');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const DROP = '[data-testid="evidence-drop"]';

describe('evidence gallery drag-and-drop, end to end in Chromium against real services', () => {
  const dir = tempDir('facet-drop-');
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(join(dir.path, 'data'), await buildRenderer());
    const { page } = h;
    await page.getByLabel('New case').fill('Drop 2026-0502');
    await page.getByRole('button', { name: 'Create case' }).click();
    await page
      .getByRole('row', { name: /Drop 2026-0502/ })
      .getByRole('button', { name: 'Open' })
      .click();
    await page.getByTestId('evidence-drop').waitFor();
  });
  afterAll(async () => {
    await h?.close();
    dir.remove();
  });

  it('imports a dropped still: it shows in the gallery with its SHA-256', async () => {
    const { page } = h;
    await h.dropFiles(DROP, [STILL]);
    await page.getByTestId('drop-outcomes').getByText('01.jpg').waitFor();
    await expect(page.locator('[data-testid="drop-outcomes"] li').getAttribute('data-status')).resolves.toBe(
      'imported',
    );
    const hash = sha256(STILL);
    await page
      .getByTestId('evidence-sha')
      .getByText(`${hash.slice(0, 12)}…`)
      .waitFor();
    const caseId = h.app.cases.list()[0]!.id;
    expect(h.app.evidence.list(caseId).map((e) => [e.originalName, e.sha256, e.role])).toEqual([
      ['01.jpg', hash, 'probe'],
    ]);
    await h.screenshot('evidence-drop');
  });

  it('reports each file of a drop on its own: a duplicate and a non-image', async () => {
    const { page } = h;
    const notImage = join(dir.path, 'notes.txt');
    writeFileSync(notImage, 'not an image\n');
    await h.dropFiles(DROP, [STILL, notImage]);
    const items = page.locator('[data-testid="drop-outcomes"] li');
    await expect.poll(() => items.count()).toBe(2);
    await expect(items.nth(0).getAttribute('data-status')).resolves.toBe('duplicate');
    await expect(items.nth(1).getAttribute('data-status')).resolves.toBe('failed');
    // The message is the evidence service's own, naming the file's problem.
    const message = await items.nth(1).textContent();
    expect(message).toMatch(/^notes\.txt — .+/);
    expect(message).not.toMatch(/outside the files and folders/);
    const caseId = h.app.cases.list()[0]!.id;
    expect(h.app.evidence.list(caseId)).toHaveLength(1);
  });

  it('refuses files the page made itself (no path from the OS), and paths it merely names', async () => {
    const { page } = h;
    const res = await page.evaluate(() =>
      window.facet.importDropped([new File([new Uint8Array([0xff, 0xd8])], 'forged.jpg')]),
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(res)).toContain('forged.jpg was not dropped');
    const caseId = h.app.cases.list()[0]!.id;
    // A path never dropped nor picked stays unreadable for main.
    const other = join(SHARED, 'data/demo/lowquality/whole/03.jpg');
    const direct = await page.evaluate(
      ([c, p]) => window.facet.invoke('evidence.import', { caseId: c, path: p, role: 'probe' }),
      [caseId, other] as const,
    );
    expect(direct).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(h.app.evidence.list(caseId)).toHaveLength(1);
  });
});
