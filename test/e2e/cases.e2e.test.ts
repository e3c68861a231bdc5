import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import { buildRenderer, startHarness, type Harness } from './harness';

describe('cases, end to end in Chromium against real services', () => {
  const dir = tempDir('facet-e2e-');
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(dir.path, await buildRenderer());
  });
  afterAll(async () => {
    await harness?.close();
    dir.remove();
  });

  it('creates a case through the UI and stores it in the SQLite file', async () => {
    const { page } = harness;
    await page.getByText('No cases yet').waitFor();
    await page.getByLabel('New case').fill('  E2E burglary 2026-0413  ');
    await page.getByRole('button', { name: 'Create case' }).click();
    await page.getByRole('cell', { name: 'E2E burglary 2026-0413' }).waitFor();

    // Read the database file with a separate connection: the row must be on disk, not only in the page.
    const file = join(dir.path, 'facet.sqlite');
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT name, status FROM cases').all();
    db.close();
    expect(rows).toEqual([{ name: 'E2E burglary 2026-0413', status: 'open' }]);

    const shot = await harness.screenshot('cases-list');
    expect(existsSync(shot) && statSync(shot).size > 1000).toBe(true);
  });

  it('shows the validation error from main and stores nothing', async () => {
    const { page } = harness;
    const res = await page.evaluate(() => window.facet.invoke('cases.create', { name: '\u0007bell' }));
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(harness.app.cases.list()).toHaveLength(1);
  });
});
