/**
 * What the app tells an examiner (issue 30): a re-run names the run it repeats and whether its pixels came out
 * identical, the r sweep dialog gives an estimate before it starts, the uncertainty map has a legend in 8-bit
 * levels, and the examiner's name is a setting. Real services and SQLite; the deterministic test executor.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp } from '../../src/main/compose';
import { caseWithFace } from '../helpers/case-fixture';
import { testExecutor } from '../helpers/test-executor';
import { tempDir } from '../helpers/temp-dir';
import { buildRenderer, startHarness, type Harness } from './harness';

describe('examiner-facing app', () => {
  const dir = tempDir('facet-e2e-examiner-');
  let h: Harness;
  let caseId: string;

  beforeAll(async () => {
    const dataDir = join(dir.path, 'data');
    const setup = composeApp({ dataDir });
    try {
      caseId = (await caseWithFace(setup, dir.path)).caseId;
    } finally {
      setup.close();
    }
    h = await startHarness(dataDir, await buildRenderer(), { executor: testExecutor({ steps: 3 }) });
  }, 300_000);
  afterAll(async () => {
    await h?.close();
    dir.remove();
  });

  it('sets the examiner name, shows the re-run verdict, the uncertainty legend and the sweep estimate', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Examiner settings' }).click();
    await page.getByLabel('Examiner name').fill('Dr Ann Example');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('button', { name: 'Examiner settings' })
      .getByText('Examiner: Dr Ann Example')
      .waitFor();

    await page
      .getByRole('row', { name: /Robbery 2026-0413/ })
      .getByRole('button', { name: 'Open' })
      .click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'New run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New super-resolution run' });
    await dialog.getByLabel('Candidates').fill('2');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const viewer = page.getByTestId('run-viewer');
    await viewer.waitFor({ timeout: 60_000 });
    // The uncertainty map's legend, in the unit run.json and the report use.
    await viewer.getByTestId('uncertainty-legend').getByText('std across candidates, 8-bit levels').waitFor();
    await viewer.getByTestId('uncertainty-legend').getByText('≥ 63.75').waitFor();

    await page.getByRole('button', { name: 'Re-run exactly' }).first().click();
    const verdict = page.getByTestId('rerun-verdict');
    await verdict
      .getByText(/^Re-run of run 1: identical: \d+ of \d+ outputs match$/)
      .waitFor({ timeout: 60_000 });
    const runs = h.app.runs.list(caseId);
    expect(runs).toHaveLength(2);
    expect(runs[0]!.rerunOf).toBe(runs[1]!.id);

    await page.getByRole('button', { name: 'r sweep…' }).click();
    const sweep = page.getByRole('dialog', { name: 'New r sweep (SDE-VEcs)' });
    await sweep
      .getByTestId('sweep-estimate')
      .getByText(/^Estimate: (about \d+:\d\d|3 runs x \d+ network)/)
      .waitFor();
    await h.screenshot('examiner-sweep-estimate');

    // Every event since the name was set records it beside the OS account.
    const events = h.app.audit.list(caseId, 0, 500);
    expect(events.at(-1)!.examiner).toBe('Dr Ann Example');
  }, 240_000);
});
