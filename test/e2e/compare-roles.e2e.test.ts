/**
 * Issue 28 in Chromium against the real services (real SQLite, store, face models; runs by the test executor, which
 * makes real pixels fast): a still's face is the default run input whatever the order of alignment, a reference
 * photo's face only behind a confirmation that names its role, the choice holds across tabs; a comparison of a run
 * with its own source is refused, or carried flagged SAME SOURCE in the table, the audit event, the PDF and the
 * HTML report; one declared LR per run and reference; the resolution warning for a 100 px face and not a 16 px one;
 * the chart has one group per reference and no React key warning.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELEBA_BOX } from '../../src/main/eval/faces';
import { testExecutor } from '../helpers/test-executor';
import { tempDir } from '../helpers/temp-dir';
import { buildRenderer, startHarness, type Harness } from './harness';

const SHARED = process.env.FACET_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
const CELEBA = join(SHARED, 'data/eval/celeba');

/** A CelebA photo cut to its C1 box (an aligned square crop), resized to `side`. */
async function alignedCrop(file: string, side: number, out: string): Promise<string> {
  const [l, t, r, b] = CELEBA_BOX.map(Math.round) as [number, number, number, number];
  await sharp(join(CELEBA, file))
    .extract({ left: l, top: t, width: r - l, height: b - t })
    .resize(side, side)
    .png()
    .toFile(out);
  return out;
}

describe('comparisons an examiner cannot misuse by accident', () => {
  const dir = tempDir('facet-e2e-compare-');
  let h: Harness;
  const consoleProblems: string[] = [];
  let caseId = '';
  const ids = { still100: '', still16: '', refA: '', refB: '' };

  beforeAll(async () => {
    h = await startHarness(dir.path, await buildRenderer(), {
      executor: testExecutor(),
      allowFolders: [dir.path],
    });
    h.page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(m.text());
    });
    const files = {
      still100: await alignedCrop('000002.jpg', 100, join(dir.path, 'still-100.png')),
      still16: await alignedCrop('000058.jpg', 16, join(dir.path, 'still-16.png')),
      refA: await alignedCrop('000086.jpg', 119, join(dir.path, 'suspect-a.png')),
      refB: await alignedCrop('000132.jpg', 119, join(dir.path, 'suspect-b.png')),
    };
    caseId = h.app.cases.create({ name: 'Issue 28' }).id;
    const imp = async (path: string, role: 'probe' | 'reference') =>
      (await h.app.evidence.import({ caseId, path, role })).evidence.id;
    const align = async (evidenceId: string, method: 'aligned' | 'lr16') => {
      const r = await h.app.router('faces.align', { caseId, evidenceId, method });
      if (!r.ok) throw new Error(r.error.message);
    };
    const [still100, still16, refA, refB] = [
      await imp(files.still100, 'probe'),
      await imp(files.still16, 'probe'),
      await imp(files.refA, 'reference'),
      await imp(files.refB, 'reference'),
    ];
    // Aligned in mixed order: a reference photo's face is the most recently aligned.
    await align(refA, 'aligned');
    await align(still100, 'aligned');
    await align(still16, 'lr16');
    await align(refB, 'aligned');
    const faces = h.app.faces.list(caseId);
    const faceOf = (ev: string) => faces.find((f) => f.evidenceId === ev)!.id;
    Object.assign(ids, {
      still100: faceOf(still100),
      still16: faceOf(still16),
      refA: faceOf(refA),
      refB: faceOf(refB),
    });
    await h.page.reload();
    await h.page
      .getByRole('row', { name: /Issue 28/ })
      .getByRole('button', { name: 'Open' })
      .click();
    await h.page.getByRole('heading', { name: 'Issue 28' }).waitFor();
  }, 240_000);
  afterAll(async () => {
    await h?.close();
    dir.remove();
  });

  it("defaults the run input to the still's face, offers a reference only behind a confirmation, and keeps the choice across tabs", async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Runs' }).click();
    const input = page.getByRole('combobox', { name: 'Input face (a face of a still)' });
    // The most recently aligned still face, not the reference aligned after it.
    await expect(input.inputValue()).resolves.toBe('Face 1 of still-16.png · still (16×16 input)');
    await input.click();
    const options = await page.getByRole('option').allTextContents();
    expect(options.sort()).toEqual([
      'Face 1 of still-100.png · still (aligned crop)',
      'Face 1 of still-16.png · still (16×16 input)',
    ]);
    await page.getByRole('option', { name: /still-100\.png/ }).click();
    // The dialog names its input and warns: a 100 px face is shrunk to 16x16.
    await page.getByRole('button', { name: 'New run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New super-resolution run' });
    await expect(dialog.getByTestId('run-dialog-input').textContent()).resolves.toBe(
      'Input: Face 1 of still-100.png · still',
    );
    await dialog
      .getByTestId('resolution-warning')
      .getByText(/31 px between the eyes in the still/)
      .waitFor();
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('run-viewer').waitFor({ timeout: 60_000 });
    // The viewer shows the still's own aligned crop beside the candidates, the warning, a truthful 16x16 caption.
    await page.getByTestId('viewer-resolution-warning').waitFor();
    await page.getByTestId('viewer-still').waitFor();
    await expect(page.getByTestId('viewer-lr').getByTestId('caption-strip').textContent()).resolves.toBe(
      '16×16, resampled from the still by C2: what the model sees — no AI',
    );
    await expect(page.getByTestId('run-input').first().textContent()).resolves.toBe(
      'Face 1 of still-100.png · still',
    );

    // Another tab and back: the choice holds. Then the 16 px face: no resolution warning.
    await page.getByRole('tab', { name: 'Evidence' }).click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect(input.inputValue()).resolves.toBe('Face 1 of still-100.png · still (aligned crop)');
    await input.click();
    await page.getByRole('option', { name: /still-16\.png/ }).click();
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect(input.inputValue()).resolves.toBe('Face 1 of still-16.png · still (16×16 input)');
    await page.getByRole('button', { name: 'New run…' }).click();
    await dialog.getByTestId('run-dialog-input').waitFor();
    await expect(dialog.getByTestId('resolution-warning').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => h.app.runs.list(caseId).filter((r) => r.status === 'done').length, { timeout: 60_000 })
      .toBe(2);
    await page.getByTestId('run-viewer').getByTestId('viewer-lr').waitFor();
    await expect(page.getByTestId('viewer-resolution-warning').count()).resolves.toBe(0);

    // A reference photo's face: only after a confirmation that names its role; the run's audit event records it.
    await page.getByRole('button', { name: 'Enhance a reference photo…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Enhance a reference photo?' });
    await confirm.getByRole('combobox', { name: 'Reference face' }).click();
    await page.getByRole('option', { name: /suspect-a\.png/ }).click();
    await expect(confirm.getByTestId('reference-confirm-text').textContent()).resolves.toMatch(
      /^Face 1 of suspect-a\.png · reference photo has the role reference photo/,
    );
    await confirm.getByRole('button', { name: 'Enhance this reference photo' }).click();
    await expect(input.inputValue()).resolves.toBe(
      'Face 1 of suspect-a.png · reference photo (aligned crop)',
    );
    await page.getByTestId('reference-input-flag').waitFor();
    await page.getByRole('button', { name: 'New run…' }).click();
    await dialog.getByTestId('run-dialog-reference').waitFor();
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => h.app.runs.list(caseId).filter((r) => r.status === 'done').length, { timeout: 60_000 })
      .toBe(3);
    const refRun = h.app.runs.list(caseId).find((r) => r.faceId === ids.refA)!;
    const queued = h.app.audit.list(caseId, 0, 10_000).find((e) => e.subject === refRun.id)!;
    expect(queued.payload).toMatchObject({
      input: { role: 'reference' },
      enhanceReference: expect.stringMatching(/confirmed/),
    });
  }, 240_000);

  it('refuses a run of a reference compared with that same photo, or flags it SAME SOURCE everywhere when insisted', async () => {
    const { page } = h;
    const runs = h.app.runs.list(caseId);
    const refRun = runs.find((r) => r.faceId === ids.refA)!;
    const stillRun = runs.find((r) => r.faceId === ids.still100)!;
    await page.getByRole('tab', { name: 'Compare' }).click();
    const pick = async (label: string, name: RegExp) => {
      await page.getByRole('combobox', { name: label }).click();
      await page.getByRole('option', { name }).click();
    };
    await pick('Reference face', /suspect-a\.png/);
    await pick('Run', /^Run 3 .*suspect-a\.png/);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const refusal = page.getByTestId('same-source-refusal');
    await refusal
      .getByText(/^Refused, same source: the run's input face was aligned from suspect-a\.png/)
      .waitFor({
        timeout: 60_000,
      });
    expect(h.app.faces.listComparisons(caseId)).toHaveLength(0);
    await refusal.getByRole('button', { name: 'Compare anyway, flagged SAME SOURCE' }).click();
    await page.getByTestId('same-source-flag').waitFor({ timeout: 60_000 });
    // The still's run against both references, in either order: one group per reference, one row per run.
    await pick('Run', /^Run 1 /);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => page.getByTestId('comparison-row').count(), { timeout: 60_000 }).toBe(2);
    await pick('Reference face', /suspect-b\.png/);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => page.getByTestId('comparison-row').count(), { timeout: 60_000 }).toBe(3);
    // Comparing again adds comparisons but not rows, and keeps the reported LR.
    const lrBefore = await page.getByTestId('comparison-lr').allTextContents();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => h.app.faces.listComparisons(caseId).length, { timeout: 60_000 }).toBe(20);
    await expect.poll(() => page.getByTestId('similarity-bar').count()).toBe(15);
    await expect(page.getByTestId('comparison-row').count()).resolves.toBe(3);
    await expect(page.getByTestId('comparison-lr').allTextContents()).resolves.toEqual(lrBefore);
    const groups = page.getByTestId('comparison-group');
    await expect(groups.count()).resolves.toBe(2);
    await expect(
      groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-reference'))),
    ).resolves.toEqual(['suspect-a.png', 'suspect-b.png']);
    // Bars are keyed by comparison id: no two share one, and one chart per reference.
    const barIds = await page
      .getByTestId('similarity-bar')
      .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-comparison-id')));
    expect(new Set(barIds).size).toBe(barIds.length);
    await expect(page.locator('svg.chart').count()).resolves.toBe(2);
    await expect(page.getByTestId('same-source-flag').count()).resolves.toBe(1);
    await h.screenshot('compare-per-reference');

    // The audit events of the flagged comparisons carry the flag.
    const flagged = h.app.faces
      .listComparisons(caseId)
      .filter((c) => refRun.outputs.some((o) => o.id === c.outputId));
    expect(flagged).toHaveLength(5);
    const events = h.app.audit.list(caseId, 0, 10_000);
    for (const c of flagged) {
      const e = events.find((x) => x.subject === c.id)!;
      expect((e.payload as { sameSource?: string }).sameSource).toMatch(/^SAME SOURCE: /);
    }
    expect(
      h.app.faces
        .listComparisons(caseId)
        .filter((c) => stillRun.outputs.some((o) => o.id === c.outputId))
        .every((c) => c.calibration.sameSource === undefined),
    ).toBe(true);

    // The PDF and the HTML report carry the flag and the resolution warning.
    const reports = await h.app.reports.create({ caseId, formats: ['pdf', 'html'] });
    const pdfPath = join(dir.path, 'report.pdf');
    writeFileSync(pdfPath, h.app.reports.bytes(reports.find((r) => r.format === 'pdf')!.id).bytes);
    const pdf = execFileSync('pdftotext', [pdfPath, '-']).toString().replace(/\s+/g, ' ');
    const html = h.app.reports.bytes(reports.find((r) => r.format === 'html')!.id).bytes.toString('utf8');
    for (const text of [pdf, html]) {
      expect(text).toMatch(/SAME SOURCE: the run(’|&#39;|')s input face was aligned from suspect-a\.png/);
      expect(text).toContain('RESOLUTION: This face is 31 px between the eyes');
      expect(text).toContain('Reference photo: suspect-b.png');
      expect(text).toContain('CelebA, 200 identities');
    }
    // The 100 px still's run and the 119 px reference's run are warned about; the 16 px still's run is not.
    expect(pdf.match(/RESOLUTION:/g)).toHaveLength(2);
    const sections = html.split('<section>').filter((x) => x.includes('data-role="run-input"'));
    const warned = (name: string) =>
      sections
        .find((x) => x.includes(`Input: Face 1 of ${name}`))!
        .includes('data-role="resolution-warning"');
    expect([warned('still-100.png'), warned('still-16.png'), warned('suspect-a.png')]).toEqual([
      true,
      false,
      true,
    ]);
    expect(consoleProblems.filter((m) => /key/i.test(m))).toEqual([]);
  }, 300_000);
});
