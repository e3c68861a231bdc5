/**
 * The investigator's main flow in Chromium against the real services (real SQLite, real object store):
 * create a case, import a still and a suspect photo through the file dialog, export a report, check the audit
 * chain. Screenshots of each main screen go to test-output/screenshots/.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import { buildRenderer, startHarness, type Harness } from './harness';

const SHARED = process.env.FACET_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
const STILL = join(SHARED, 'data/demo/lowquality/whole/00.jpg');
const SUSPECT = join(SHARED, 'data/eval/celeba/000002.jpg');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('main flow, end to end in Chromium against real services', () => {
  const dir = tempDir('facet-flow-');
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(dir.path, await buildRenderer());
  });
  afterAll(async () => {
    await h?.close();
    dir.remove();
  });

  it('creates a case and opens it', async () => {
    const { page } = h;
    await page.getByLabel('New case').fill('Flow 2026-0413 Riverside');
    await page.getByRole('button', { name: 'Create case' }).click();
    await page
      .getByRole('row', { name: /Flow 2026-0413 Riverside/ })
      .getByRole('button', { name: 'Open' })
      .click();
    await page.getByRole('heading', { name: 'Flow 2026-0413 Riverside' }).waitFor();
    await page.getByRole('tab', { name: 'Evidence' }).waitFor();
  });

  it('imports a still and a reference photo through the file dialog; hashes shown, originals read-only', async () => {
    const { page } = h;
    h.dialogs.images.push([STILL]);
    await page.getByRole('button', { name: 'Import still…' }).click();
    await page.getByText('Imported: 00.jpg').waitFor();
    h.dialogs.images.push([SUSPECT]);
    await page.getByRole('button', { name: 'Import reference photo…' }).click();
    await page.getByText('Imported: 000002.jpg').waitFor();

    const rows = page.getByTestId('evidence-table').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    const shas = await page.getByTestId('evidence-sha').allTextContents();
    expect(shas.sort()).toEqual([sha256(STILL), sha256(SUSPECT)].map((s) => `${s.slice(0, 12)}…`).sort());
    await expect(page.getByText('original · read-only').count()).resolves.toBe(2);
    // The thumbnails are the stored originals, served by content address.
    await expect
      .poll(() =>
        page
          .getByTestId('evidence-table')
          .locator('img')
          .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0)),
      )
      .toEqual([true, true]);
    await h.screenshot('flow-evidence');
  });

  it('creates a report and lists it with its hash', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Reports' }).click();
    await page.getByRole('button', { name: 'Create report' }).click();
    await page.getByText('Created PDF, HTML, JSON manifest.').waitFor();
    const rows = page.getByTestId('reports-table').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const stored = h.app.reports.list((await h.app.cases.list())[0]!.id);
    expect(stored.map((r) => r.format).sort()).toEqual(['html', 'manifest', 'pdf']);
    await h.screenshot('flow-reports');
  });

  it('shows the audit log with the chain OK', async () => {
    const { page } = h;
    await page.keyboard.press('Control+6');
    const status = page.getByTestId('chain-status');
    await status.getByText('Chain OK').waitFor();
    const events = await page.getByTestId('audit-table').locator('tbody tr').count();
    expect(events).toBeGreaterThanOrEqual(4); // case, 2 imports, report(s)
    await h.screenshot('flow-audit');
  });

  it('keyboard help and the dark theme', async () => {
    const { page } = h;
    await page.keyboard.press('Shift+?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await h.screenshot('flow-shortcuts');
    await page.keyboard.press('Escape');
    const before = await page.evaluate(() =>
      document.documentElement.getAttribute('data-mantine-color-scheme'),
    );
    await page.keyboard.press('Control+Shift+L');
    const after = await page.evaluate(() =>
      document.documentElement.getAttribute('data-mantine-color-scheme'),
    );
    expect(after).not.toBe(before);
    await page.keyboard.press('Control+1');
    await page.getByTestId('evidence-table').waitFor();
    await h.screenshot('flow-evidence-dark');
  });
});
