/**
 * The investigator's main flow in Chromium against the real services (real SQLite, real object store):
 * create a case, import a still and a suspect photo through the file dialog, export a report, check the audit
 * chain. Screenshots of each main screen go to test-output/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferenceExecutor, type InferenceExecutor } from '../../src/main/inference/executor';
import { readComparisonLr, readLrWithheld } from '../../src/shared/contract';
import { tempDir } from '../helpers/temp-dir';
import type { Page } from 'playwright-core';
import { buildRenderer, startHarness, TEST_OUTPUT, type Harness } from './harness';
import { detectionLetter } from '../../src/renderer/src/features/cases/names';
import type { FileDialogs } from '../../src/main/shell/dialogs';

const SHARED = process.env.FACET_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
const STILL = join(SHARED, 'data/demo/lowquality/whole/00.jpg');
const SUSPECT = join(SHARED, 'data/eval/celeba/000002.jpg');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** ISO 8601 with an offset, as every time on screen is written ("2026-12-02T05:08:13+01:00"). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

/** Every time on the page parses as ISO 8601 with offset, and its UTC hover names the same instant. */
async function expectIsoTimes(page: Page, atLeast: number): Promise<void> {
  const times = await page
    .getByTestId('time')
    .evaluateAll((els) =>
      els.map((e) => ({ text: e.textContent ?? '', utc: e.getAttribute('datetime') ?? '' })),
    );
  expect(times.length).toBeGreaterThanOrEqual(atLeast);
  for (const t of times) {
    expect(t.text).toMatch(ISO_WITH_OFFSET);
    expect(Date.parse(t.text)).toBe(Date.parse(t.utc));
  }
}

/** No caption strip overlaps the pixels of any image frame in the viewer. */
async function expectCaptionsBelowImages(page: Page): Promise<void> {
  const figs = await page.locator('figure.image-box').evaluateAll((els) =>
    els.map((f) => {
      const frame = f.querySelector('.image-frame')!.getBoundingClientRect();
      const cap = f.querySelector('.caption-strip')!.getBoundingClientRect();
      return { frameBottom: frame.bottom, capTop: cap.top, capHeight: cap.height };
    }),
  );
  expect(figs.length).toBeGreaterThanOrEqual(6); // LR, bicubic, 2 candidates, mean, uncertainty (+ reference)
  for (const f of figs) {
    expect(f.capHeight).toBeGreaterThan(0);
    expect(f.capTop).toBeGreaterThanOrEqual(f.frameBottom);
  }
}

describe('main flow, end to end in Chromium against real services', () => {
  /** The run's model is a test model or was never trained on faces (as the app decides; models/ varies). */
  const isTestModel = (r: {
    record: { model: { id: string } } | null;
    settings: { modelId: string };
  }): boolean => {
    const info = h.app.models.list().models.find((m) => m.id === (r.record?.model.id ?? r.settings.modelId));
    return !!info && (info.testOnly || !info.trainedOnFaces);
  };
  const dir = tempDir('facet-flow-');
  let h: Harness;
  // The real inference engine (worker thread + onnxruntime); with no shipped face model yet, 'best' resolves to
  // the committed test models (test/fixtures/models).
  let executor: InferenceExecutor;
  // File dialogs whose answers the test queues: each call takes the next answer (as if the user picked it).
  const picks = { images: [] as string[][], save: [] as string[][] };
  const dialogs: FileDialogs = {
    openImages: async () => picks.images.shift() ?? [],
    openFile: async () => [],
    saveFile: async () => picks.save.shift() ?? [],
  };

  beforeAll(async () => {
    executor = createInferenceExecutor();
    h = await startHarness(dir.path, await buildRenderer(), { executor, dialogs });
  });
  afterAll(async () => {
    await h?.close();
    await executor?.close();
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
    picks.images.push([STILL]);
    await page.getByRole('button', { name: 'Import still…' }).click();
    await page.getByText('Imported: 00.jpg').waitFor();
    picks.images.push([SUSPECT]);
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

  it('starts a fast run with 2 candidates from the run dialog, follows it, and cancels a run; the app keeps working', async () => {
    const { page } = h;
    const caseId = h.app.cases.list()[0]!.id;
    const probe = h.app.evidence.list(caseId).find((e) => e.role === 'probe')!;
    await page.getByRole('tab', { name: 'Faces' }).click();
    await page.getByRole('button', { name: 'Find faces' }).click();
    // The first face call starts the inference worker (under tsx in tests) and loads the face models there.
    await page.getByText(/faces? found\. Click a box/).waitFor({ timeout: 120_000 });
    // The still has four people; align the second from the left (its box holds the point 195, 95).
    const found = await h.app.router('faces.detect', { caseId, evidenceId: probe.id });
    if (!found.ok) throw new Error(found.error.message);
    const boxes = (
      found.value as { faces: { box: { x: number; y: number; width: number; height: number } }[] }
    ).faces;
    const i = boxes.findIndex(
      ({ box: b }) => b.x <= 195 && 195 <= b.x + b.width && b.y <= 95 && 95 <= b.y + b.height,
    );
    expect(i).toBeGreaterThanOrEqual(0);
    await h.screenshot('flow-face-detections');
    // A detection not aligned yet is lettered; once aligned it carries its face's number, as every tab names it.
    await page
      .getByRole('button', { name: new RegExp(`^Detection ${detectionLetter(i)}, confidence`) })
      .click();
    await page.getByTestId('face-item').waitFor();
    const [face] = h.app.faces.list(caseId);
    expect(face).toMatchObject({ method: 'auto', evidenceId: probe.id });
    await page.getByRole('button', { name: /^Face 1, confidence/ }).waitFor();
    await expect(page.getByTestId('face-name').allTextContents()).resolves.toEqual([
      `Face 1 of ${probe.originalName} · still`,
    ]);
    await h.screenshot('flow-faces');

    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'New run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New super-resolution run' });
    await dialog.getByLabel('Candidates').fill('2');
    // Nothing has been timed yet: no number, only the offer to time it.
    await dialog.getByText(/^Estimated time: not known until/).waitFor();
    await dialog.getByRole('button', { name: 'Time it' }).waitFor();
    await h.screenshot('flow-run-dialog');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [run] = h.app.runs.list(caseId);
    expect(run).toMatchObject({ settings: { preset: 'fast', candidates: 2, modelId: 'best' } });
    // Progress from 'job.progress' events, then the run finishes and the viewer shows its stored images.
    const viewer = page.getByTestId('run-viewer');
    await viewer.waitFor({ timeout: 150_000 }); // a fast run took 61 s on the loaded 2-core machine
    await expect(page.getByTestId('run-status').first().textContent()).resolves.toBe('Done');
    await expect(viewer.getByTestId('viewer-candidate').count()).resolves.toBe(2);
    await expect(page.getByTestId('run-title').textContent()).resolves.toMatch(
      /^Run 1 · Fast · 2 candidates · seed \d+$/,
    );
    // Provenance captions under each image: the candidates and their mean are AI-generated; the bicubic
    // baseline, the input and the uncertainty map are not labelled as candidates.
    const caption = (kind: string) =>
      viewer.getByTestId(`viewer-${kind}`).getByTestId('caption-strip').allTextContents();
    await expect(caption('candidate')).resolves.toEqual([
      'AI-generated candidate 1 of 2 — not evidence of identity',
      'AI-generated candidate 2 of 2 — not evidence of identity',
    ]);
    await expect(caption('mean')).resolves.toEqual([
      'Mean of the 2 AI-generated candidates — not evidence of identity',
    ]);
    await expect(caption('bicubic')).resolves.toEqual(['Bicubic interpolation — no AI']);
    await expect(caption('uncertainty')).resolves.toEqual([
      'Uncertainty: per-pixel spread of the candidates (black 0, white 63.75 or more 8-bit levels of std)',
    ]);
    for (const kind of ['lr', 'bicubic', 'uncertainty'])
      await expect(
        viewer
          .getByTestId(`viewer-${kind}`)
          .getByText(/AI-generated/)
          .count(),
      ).resolves.toBe(0);
    // The candidate mean is a stored output with its own hashes and consistency.
    const mean = h.app.runs.list(caseId)[0]!.outputs.find((o) => o.kind === 'mean')!;
    expect(mean.metrics.consistency).toBeGreaterThanOrEqual(0);
    await viewer
      .getByTestId('viewer-mean')
      .getByText(/MSE — lower is closer to the input; bicubic \d/)
      .waitFor();
    // A test model (or one not trained on faces) is flagged beside the run's title.
    const info = h.app.models.list().models.find((m) => m.id === h.app.runs.get(run!.id).record?.model.id);
    await expect(page.getByTestId('test-model-flag').count()).resolves.toBe(
      info && (info.testOnly || !info.trainedOnFaces) ? 1 : 0,
    );
    await expect
      .poll(() =>
        viewer
          .locator('img')
          .evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)),
      )
      .toBe(true);
    // Side by side with the suspect photo.
    await viewer.getByLabel('Show beside').click();
    await page.getByRole('option', { name: '000002.jpg' }).click();
    await viewer.getByTestId('viewer-reference').waitFor();
    await expectCaptionsBelowImages(page);
    await h.screenshot('flow-run-viewer');

    // A long paper-faithful run (SDE-VE, N = 2000): cancel it while it runs; the app keeps working.
    await page.getByRole('button', { name: 'New run…' }).click();
    // The finished run is now the measured cost of the fast preset at 2 candidates on this machine.
    await dialog.getByLabel('Candidates').fill('2');
    await dialog.getByText(/^Estimated time: about \d+ (s|min)$/).waitFor({ timeout: 10_000 });
    await dialog.getByText(/median of 1 past run$/).waitFor();
    await dialog.getByText('SDE-VE', { exact: true }).click();
    await dialog.getByLabel('Candidates').fill('2');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const job = page.getByTestId('job-progress');
    await job.getByText(/^Step [1-9]\d* of 2000/).waitFor({ timeout: 30_000 });
    await job.getByTestId('job-eta').getByText(/left/).waitFor();
    await h.screenshot('flow-run-progress');
    await job.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('run-status').getByText('Cancelled').waitFor({ timeout: 30_000 });
    await expect(job.count()).resolves.toBe(0);
    expect(
      h.app.runs
        .list(caseId)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['cancelled', 'done']);
    await h.screenshot('flow-run-cancelled');
    await expectIsoTimes(page, 2);
  }, 300_000); // two real runs and a cancel: slow on a loaded 2-core machine

  it('compares the finished run with the suspect photo: one declared LR, the spread and the caveat', async () => {
    const { page } = h;
    // Align the face on the suspect photo (the reference), then compare.
    await page.getByRole('tab', { name: 'Faces' }).click();
    await page.getByRole('combobox', { name: 'Image' }).click();
    await page.getByRole('option', { name: '000002.jpg' }).click();
    await page.getByRole('button', { name: 'Find faces' }).click();
    await page.getByRole('button', { name: /^Detection A, confidence/ }).click();
    await expect.poll(() => page.getByTestId('face-item').count(), { timeout: 30_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('button', { name: 'Compare' }).click();
    const rows = page.getByTestId('comparison-table').locator('tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    // One row per run and reference photo: its declared LR and the candidates as a spread.
    await expect(rows.count()).resolves.toBe(1);
    await expect(page.getByTestId('comparison-group').count()).resolves.toBe(1);
    const spread = (await rows.getByTestId('comparison-spread').textContent()) ?? '';
    const [min, median, max] = spread.split(' (')[0]!.split(' / ').map(Number);
    expect(-1 <= min! && min! <= median! && median! <= max! && max! <= 1).toBe(true);
    await page.getByText('not evidence of identity', { exact: false }).first().waitFor();
    const caseId = h.app.cases.list()[0]!.id;
    const stored = h.app.faces.listComparisons(caseId);
    expect(stored).toHaveLength(3); // both candidates and their mean, each recorded and audited
    // Candidates carry a similarity only; the run has 2 candidates, so the declared statistic (the calibrated mean
    // of 4) is withheld, and the row says why.
    for (const c of stored.slice(0, 2)) expect(readComparisonLr(c.calibration)).toBeNull();
    expect(readLrWithheld(stored[2]!.calibration)).toBe(
      'no calibration for a mean of 2 candidates (only for a mean of 4)',
    );
    await expect(rows.getByTestId('comparison-lr').textContent()).resolves.toBe(
      'no LR: no calibration for a mean of 2 candidates (only for a mean of 4)',
    );
    await page.getByText(/^Hd: .*CelebA, 200 identities/).waitFor();
    // Bars keyed by comparison: one per compared image.
    await expect(page.getByTestId('similarity-bar').count()).resolves.toBe(3);
    // The compared run's test model (if it is one) is flagged on its row and beside the chosen run.
    const compared = h.app.runs
      .list(caseId)
      .find((r) => r.outputs.some((o) => o.id === stored[0]!.outputId))!;
    await expect(page.getByTestId('compare-test-model-flag').count()).resolves.toBe(
      isTestModel(compared) ? 2 : 0,
    );
    await h.screenshot('flow-compare');
  });

  it('runs an r sweep (SDE-VEcs at two r values): consistency and CS to a reference against r, images in a strip', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'r sweep…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New r sweep (SDE-VEcs)' });
    await dialog.getByLabel('r values').fill('0.1, 0.3');
    // A short N keeps the test fast; the paper uses 2000.
    await dialog.getByLabel('Steps N').fill('3');
    await dialog.getByLabel('Candidates per r').fill('2');
    await dialog.getByRole('button', { name: 'Start sweep' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const panel = page.getByTestId('sweep-panel');
    await panel.getByTestId('sweep-point').nth(1).waitFor({ timeout: 60_000 });
    await expect(panel.getByTestId('sweep-point').count()).resolves.toBe(2);
    const strip = panel.getByTestId('sweep-strip');
    await expect(strip.locator('img').count()).resolves.toBe(2);
    await expect(strip.getByTestId('caption-strip').allTextContents()).resolves.toEqual([
      'Mean of the 2 AI-generated candidates — not evidence of identity',
      'Mean of the 2 AI-generated candidates — not evidence of identity',
    ]);
    const caseId = h.app.cases.list()[0]!.id;
    const sweep = h.app.runs.list(caseId).filter((r) => r.settings.sweepId);
    expect(sweep.map((r) => [r.status, r.settings.snr, r.record?.sampler.kind]).sort()).toEqual([
      ['done', 0.1, 'pc'],
      ['done', 0.3, 'pc'],
    ]);
    // CS against r needs a reference photo: none chosen, the panel says so; choose the aligned suspect photo.
    await panel.getByTestId('sweep-cs-needs-reference').waitFor();
    const before = h.app.faces.listComparisons(caseId).length;
    await panel.getByLabel('CS to reference photo').click();
    await page.getByRole('option', { name: /000002\.jpg · reference photo/ }).click();
    const cs = panel.getByTestId('sweep-cs-chart');
    await cs.getByTestId('sweep-point').nth(1).waitFor({ timeout: 60_000 });
    await expect(cs.getByTestId('sweep-point').count()).resolves.toBe(2);
    await expect(panel.getByTestId('sweep-cs-value').count()).resolves.toBe(2);
    await panel
      .getByTestId('sweep-cs-caveat')
      .getByText('it is not an identification', { exact: false })
      .waitFor();
    // One recorded (audited) comparison per r and candidate, from main, each with a finite score.
    const added = h.app.faces.listComparisons(caseId).slice(before);
    expect(added).toHaveLength(4);
    expect(added.every((c) => Number.isFinite(c.score))).toBe(true);
    expect(new Set(added.map((c) => c.calibration.runId))).toEqual(new Set(sweep.map((r) => r.id)));
    await panel.scrollIntoViewIfNeeded();
    await h.screenshot('flow-r-sweep');
  }, 180_000); // two SDE-VEcs runs, then 4 embedder comparisons

  it('creates a report and lists it with its hash', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Reports' }).click();
    await page.getByRole('button', { name: 'Create report' }).click();
    await page.getByText('Created PDF, HTML, JSON manifest.').waitFor();
    const rows = page.getByTestId('reports-table').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const caseId = h.app.cases.list()[0]!.id;
    const stored = h.app.reports.list(caseId);
    expect(stored.map((r) => r.format).sort()).toEqual(['html', 'manifest', 'pdf']);
    // A whole-case report of runs made with a test model is flagged in each of its rows and above the list.
    const runs = h.app.runs.list(caseId);
    const flags =
      (runs.some(isTestModel) ? 3 : 0) + (runs.some((r) => r.status === 'done' && isTestModel(r)) ? 1 : 0);
    await expect(page.getByTestId('reports-test-model-flag').count()).resolves.toBe(flags);
    // Save a copy of the PDF where the (test-controlled) save dialog says; its bytes match the stored hash.
    const out = tempDir('facet-export-');
    try {
      const saved = join(out.path, 'report.pdf');
      picks.save.push([saved]);
      await rows.filter({ hasText: 'PDF' }).getByRole('button', { name: 'Save a copy…' }).click();
      await page.getByText(/^Saved .*\.pdf/).waitFor();
      const pdf = stored.find((r) => r.format === 'pdf')!;
      expect(sha256(saved)).toBe(pdf.sha256);
      // The sweep section lists the CS to the reference chosen for the sweep, per r.
      const text = execFileSync('pdftotext', [saved, '-']).toString().replace(/\s+/g, ' ');
      expect(text).toContain('Cosine similarity (CS) of each candidate to reference 000002.jpg');
      expect(text).toMatch(/r = 0\.1: CS -?\d\.\d{3}, -?\d\.\d{3} \(mean -?\d\.\d{3}\)/);
      // The PDF's pages as images, to look at beside the screenshots.
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '60',
        saved,
        join(TEST_OUTPUT, 'screenshots', 'flow-report-page'),
      ]);
    } finally {
      out.remove();
    }
    await h.screenshot('flow-reports');
  });

  it('shows the audit log with the chain OK', async () => {
    const { page } = h;
    await page.keyboard.press('Control+6');
    const status = page.getByTestId('chain-status');
    await status.getByText('Chain OK').waitFor();
    const events = await page.getByTestId('audit-table').locator('tbody tr').count();
    expect(events).toBeGreaterThanOrEqual(4); // case, 2 imports, report(s)
    await expectIsoTimes(page, events);
    // Every subject is named for what it is, a report by its format, scope, file name and short hash: no bare id.
    const pdf = h.app.reports.list(h.app.cases.list()[0]!.id).find((r) => r.format === 'pdf')!;
    const subjects = page.getByTestId('audit-subject');
    await subjects
      .getByText(
        `PDF report of whole case: facet-report-${pdf.id.slice(0, 8)}.pdf (${pdf.sha256.slice(0, 12)})`,
      )
      .first()
      .waitFor();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect((await subjects.allTextContents()).filter((t) => uuid.test(t))).toEqual([]);
    // The anchor shown is checked against the chain through audit.checkAnchor; a wrong hash names event 1.
    const anchor = (await status.getByText(/^\d+:[0-9a-f]{64}$/).textContent())!;
    const field = page.getByLabel('Anchor from a report (SEQ:HASH)');
    await field.fill(anchor);
    await page.getByRole('button', { name: 'Check anchor' }).click();
    await page
      .getByRole('status')
      .getByText(/is in today's chain .* nothing up to it changed/)
      .waitFor();
    await field.fill(`1:${'0'.repeat(64)}`);
    await page.getByRole('button', { name: 'Check anchor' }).click();
    await page
      .getByRole('status')
      .getByText(/Anchor fails: first difference at event 1/)
      .waitFor();
    await h.screenshot('flow-audit');
  });

  it('keyboard help and the dark theme', async () => {
    const { page } = h;
    await page.keyboard.press('Shift+?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.waitForTimeout(300); // let the modal finish fading in for the screenshot
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
