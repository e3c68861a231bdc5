/**
 * The renderer's components in Chromium (playwright-core) on a test-only gallery page, with images this test
 * makes from a real face (eval/celebahq32) by the C2-style path: shrink to 16x16, enlarge bicubically.
 */
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp, { type Sharp } from 'sharp';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererConfig } from '../../vite.renderer.config';
import { CHROMIUM, serveStatic, TEST_OUTPUT } from '../e2e/harness';
import type { GalleryFixtures, GalleryWindow } from './gallery/fixtures';

const SHARED = process.env.FACET_SHARED_DIR ?? resolve(import.meta.dirname, '../../../shared');
const SHOTS = join(TEST_OUTPUT, 'screenshots');

async function png(img: Sharp): Promise<string> {
  return `data:image/png;base64,${(await img.png().toBuffer()).toString('base64')}`;
}

/** LR, bicubic, three "candidates" (the HR, the HR with a bright 32x32 patch top-left, the HR) and a photo. */
async function makeFixtures(): Promise<GalleryFixtures> {
  const hrFile = join(SHARED, 'data/eval/celebahq32/00.png');
  const hr = await sharp(hrFile).removeAlpha().resize(128, 128).raw().toBuffer();
  const lr = await sharp(hr, { raw: { width: 128, height: 128, channels: 3 } })
    .resize(16, 16, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const raw = (buf: Buffer, size: number) => sharp(buf, { raw: { width: size, height: size, channels: 3 } });
  const patched = Buffer.from(hr);
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) patched.fill(255, (y * 128 + x) * 3, (y * 128 + x) * 3 + 3);
  return {
    lr: await png(raw(lr, 16)),
    bicubic: await png(raw(lr, 16).resize(128, 128, { kernel: 'cubic' })),
    candidates: [await png(raw(hr, 128)), await png(raw(patched, 128)), await png(raw(hr, 128))],
    reference: await png(sharp(join(SHARED, 'data/eval/celeba/000002.jpg'))),
    still: await (async () => {
      const file = join(SHARED, 'data/demo/lowquality/whole/00.jpg');
      const meta = await sharp(file).metadata();
      return { src: await png(sharp(file)), width: meta.width ?? 0, height: meta.height ?? 0 };
    })(),
  };
}

describe('renderer components in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let base: string;
  let fixtures: GalleryFixtures;

  beforeAll(async () => {
    const outDir = join(TEST_OUTPUT, `gallery-${process.pid}`);
    await build({
      ...rendererConfig,
      root: resolve(import.meta.dirname, 'gallery'),
      configFile: false,
      logLevel: 'warn',
      build: { ...rendererConfig.build, outDir, emptyOutDir: true },
    });
    server = await serveStatic(outDir);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    fixtures = await makeFixtures();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => server?.close(ok));
  });

  async function open(scheme: 'light' | 'dark'): Promise<{ page: Page; errors: Error[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: Error[] = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.addInitScript((f) => {
      (window as unknown as GalleryWindow).__galleryFixtures = f;
    }, fixtures);
    await page.goto(`${base}?scheme=${scheme}`);
    await page.getByTestId('gallery-viewer').waitFor();
    return { page, errors };
  }

  it('viewer: every image side by side, labels, real pixels, synchronised zoom and pan', async () => {
    const { page, errors } = await open('light');
    const viewer = page.getByTestId('gallery-viewer');
    await viewer.getByTestId('viewer-uncertainty').waitFor();
    // LR + bicubic + 3 candidates + reference + uncertainty.
    await expect(viewer.locator('figure.image-box').count()).resolves.toBe(7);
    // Each image says what it is in a caption strip under it; only the candidates carry the AI label.
    const captions = async (kind: string) =>
      viewer.getByTestId(`viewer-${kind}`).getByTestId('caption-strip').allTextContents();
    await expect(captions('candidate')).resolves.toEqual(
      [1, 2, 3].map((i) => `AI-generated candidate ${i} of 3 — not evidence of identity`),
    );
    await expect(captions('bicubic')).resolves.toEqual(['Bicubic interpolation — no AI']);
    await expect(captions('uncertainty')).resolves.toEqual([
      'Uncertainty: per-pixel spread of the candidates (black 0, white 63.75 or more 8-bit levels of std)',
    ]);
    for (const kind of ['lr', 'bicubic', 'uncertainty', 'reference'])
      await expect(
        viewer
          .getByTestId(`viewer-${kind}`)
          .getByText(/AI-generated/)
          .count(),
      ).resolves.toBe(0);
    // No caption covers a pixel: every strip lies wholly below its image frame.
    const boxes = await viewer.locator('figure.image-box').evaluateAll((figs) =>
      figs.map((f) => {
        const frame = f.querySelector('.image-frame')!.getBoundingClientRect();
        const cap = f.querySelector('.caption-strip')!.getBoundingClientRect();
        return { frameBottom: frame.bottom, capTop: cap.top, capH: cap.height };
      }),
    );
    expect(boxes).toHaveLength(7);
    for (const b of boxes) {
      expect(b.capH).toBeGreaterThan(0);
      expect(b.capTop).toBeGreaterThanOrEqual(b.frameBottom);
    }
    const rendering = await viewer
      .getByTestId('viewer-lr')
      .locator('img')
      .evaluate((img) => getComputedStyle(img).imageRendering);
    expect(rendering).toBe('pixelated');

    // Zoom with the keyboard: every pane gets the same transform.
    await page.keyboard.press('=');
    await page.keyboard.press('=');
    const transforms = async () =>
      viewer
        .locator('.react-transform-component')
        .evaluateAll((els) => els.map((e) => getComputedStyle(e).transform));
    let t = await transforms();
    expect(t).toHaveLength(7);
    expect(new Set(t).size).toBe(1);
    expect(t[0]).not.toBe('none');
    expect(t[0]).not.toBe('matrix(1, 0, 0, 1, 0, 0)');
    // Drag-pan the bicubic pane: all panes follow.
    const box = await viewer.getByTestId('viewer-bicubic').locator('.react-transform-wrapper').boundingBox();
    if (!box) throw new Error('no bicubic pane');
    const before = t[0];
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 30, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(100);
    t = await transforms();
    expect(new Set(t).size).toBe(1);
    expect(t[0]).not.toBe(before);
    await page.screenshot({ path: join(SHOTS, 'viewer-side-by-side-zoomed.png') });
    await page.keyboard.press('0');

    // The uncertainty map is bright only where the candidates differ (the top-left 32x32 patch).
    const px = await viewer
      .getByTestId('viewer-uncertainty')
      .locator('img')
      .evaluate(async (img: HTMLImageElement) => {
        const c = document.createElement('canvas');
        c.width = 128;
        c.height = 128;
        const ctx = c.getContext('2d')!;
        const i = new Image();
        i.src = img.src;
        await i.decode();
        ctx.drawImage(i, 0, 0);
        const at = (x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)];
        return { inside: at(10, 10), outside: at(100, 100) };
      });
    expect(Math.max(...px.inside)).toBeGreaterThan(200);
    expect(px.outside).toEqual([0, 0, 0]);
    await page.screenshot({ path: join(SHOTS, 'viewer-side-by-side.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('viewer: before/after slider and flicker compare', async () => {
    const { page, errors } = await open('dark');
    const viewer = page.getByTestId('gallery-viewer');
    await page.keyboard.press('b');
    const slider = viewer.getByTestId('viewer-slider');
    await slider.waitFor();
    const clip = () => slider.locator('.stack-top').evaluate((e) => (e as HTMLElement).style.clipPath);
    expect(await clip()).toBe('inset(0px 0px 0px 50%)');
    await viewer.getByRole('slider', { name: 'Before / after split' }).focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    expect(await clip()).toBe('inset(0px 0px 0px 55%)');
    await expect(slider.getByTestId('caption-strip').textContent()).resolves.toBe(
      'Left: Bicubic interpolation — no AI  |  Right: AI-generated candidate 1 of 3 — not evidence of identity',
    );
    // The split is written beside the slider; no value bubble appears over the caption.
    await expect(viewer.getByTestId('split-value').textContent()).resolves.toBe('split 55 %');
    await expect(page.locator('.mantine-Slider-label').count()).resolves.toBe(0);
    await page.screenshot({ path: join(SHOTS, 'viewer-slider-dark.png') });

    await page.keyboard.press('f');
    const flicker = viewer.getByTestId('viewer-flicker');
    await flicker.getByText(/^Showing A/).waitFor();
    // Title and caption read together, in one frame: the bicubic baseline in flicker mode says it is bicubic,
    // never AI; the candidate says it is AI-generated.
    const shown = () =>
      flicker.evaluate(
        (f) => `${f.firstElementChild!.textContent} => ${f.querySelector('.caption-strip')!.textContent}`,
      );
    const pairs =
      /^(Showing A: Bicubic 128×128 => Bicubic interpolation — no AI|Showing B: Candidate 1 => AI-generated candidate 1 of 3 — not evidence of identity)$/;
    expect(await shown()).toMatch(pairs);
    await flicker.getByText(/^Showing B/).waitFor({ timeout: 3000 });
    expect(await shown()).toMatch(pairs);
    await flicker.getByText(/^Showing A/).waitFor({ timeout: 3000 });
    expect(await shown()).toMatch(pairs);
    await page.screenshot({ path: join(SHOTS, 'viewer-flicker-dark.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('run dialog: the plan from runs.plan, estimate, validation, seed left to main, submit', async () => {
    const { page, errors } = await open('light');
    await page.getByRole('button', { name: 'Open run dialog' }).click();
    const dialog = page.getByRole('dialog', { name: 'New super-resolution run' });
    await dialog.waitFor();
    // Fast on the best model (gallery-ve): 25 network evaluations of the 4-candidate batch x 48 ms = 1.2 s.
    await dialog
      .getByTestId('run-plan')
      .getByText('Runs gallery-ve (SDE-VE), DPM-Solver++, N = 25, 25 network evaluations', { exact: false })
      .waitFor();
    await expect(dialog.getByTestId('run-estimate').textContent()).resolves.toBe('Estimated time: about 1 s');
    await dialog.getByText('SDE-VE', { exact: true }).click();
    await dialog
      .getByTestId('run-estimate-source')
      .getByText('median of 3 past runs', { exact: false })
      .waitFor();
    await dialog.getByTestId('model-warning').getByText('not trained on faces', { exact: false }).waitFor();
    // 2000 steps x 1 evaluation x 48 ms = 96 s.
    await expect(dialog.getByTestId('run-estimate').textContent()).resolves.toBe(
      'Estimated time: about 2 min',
    );
    await dialog.getByText('Advanced settings').click();
    await dialog.getByText('Higher: smoother · lower: more detailed').waitFor();
    await dialog.getByText('SDE-VEcs', { exact: true }).click();
    // 2000 x (1 + 1) x 48 ms = 192 s.
    await dialog
      .getByTestId('run-plan')
      .getByText('predictor-corrector, N = 2000, M = 1, r = 0.16, 4000 network evaluations', { exact: false })
      .waitFor();
    await expect(dialog.getByTestId('run-estimate').textContent()).resolves.toBe(
      'Estimated time: about 3 min',
    );
    // N = 100 overrides the preset: the plan and the estimate follow (100 x 2 x 48 ms = 9.6 s).
    await dialog.getByLabel('Steps N').fill('100');
    await dialog.getByTestId('run-plan').getByText('N = 100, M = 1', { exact: false }).waitFor();
    await dialog.getByLabel('Steps N').fill('');
    await page.screenshot({ path: join(SHOTS, 'run-dialog.png') });

    const seed = dialog.getByLabel('Seed');
    await seed.fill('12abc');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.getByText('A seed is a whole number').waitFor();
    expect(await page.evaluate(() => (window as unknown as GalleryWindow).__submitted)).toEqual([]);
    // An empty seed is left to main, which draws and records it.
    await seed.fill('');
    await dialog.getByLabel('Candidates').fill('2');
    // Nothing measured at 2 candidates: no number until it is timed; then 2000 x 2 x 30 ms = 120 s.
    await expect(dialog.getByTestId('run-estimate').textContent()).resolves.toMatch(/not known until/);
    await dialog.getByRole('button', { name: 'Time it' }).click();
    await dialog.getByText('Estimated time: about 2 min', { exact: true }).waitFor();
    await dialog.getByText('timed over 3 forwards', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const submitted = await page.evaluate(() => (window as unknown as GalleryWindow).__submitted);
    // Fields left at the preset's values are not sent at all, nor is an empty seed.
    expect(Object.keys((submitted as object[])[0]!)).not.toContain('steps');
    expect(Object.keys((submitted as object[])[0]!)).not.toContain('seed');
    expect(submitted).toEqual([
      expect.objectContaining({
        modelId: 've',
        preset: 'sde-vecs',
        candidates: 2,
        provider: 'cpu',
      }),
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('job progress follows job.progress events and cancels; charts rank and plot', async () => {
    const { page, errors } = await open('dark');
    const emit = (p: unknown) =>
      page.evaluate((payload) => (window as unknown as GalleryWindow).__emit?.('job.progress', payload), p);
    await emit({ jobId: 'r1', step: 0, total: 20, nfe: 0, elapsedMs: 0, etaMs: null });
    const job = page.getByTestId('job-progress');
    await job.getByText('Step 0 of 20').waitFor();
    await job.getByText('estimating time left').waitFor();
    await emit({ jobId: 'r1', step: 5, total: 20, nfe: 10, elapsedMs: 4000, etaMs: 12000 });
    await job.getByText('Step 5 of 20').waitFor();
    await job.getByText('0:04 elapsed · 0:12 left').waitFor();
    await expect(job.getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('25');
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as GalleryWindow).__cancelled))
      .toEqual(['r1']);

    const bars = page.getByTestId('gallery-similarity').getByTestId('similarity-bar');
    await expect(bars.count()).resolves.toBe(3);
    const labels = await bars.locator('text.chart-label').allTextContents();
    expect(labels).toEqual(['Candidate 1', 'Candidate 2', 'Candidate 3']);
    await expect(page.getByTestId('gallery-sweep').getByTestId('sweep-point').count()).resolves.toBe(6);
    await page.getByTestId('gallery-jobs-section').screenshot({ path: join(SHOTS, 'job-progress-dark.png') });
    await page
      .getByTestId('gallery-similarity')
      .screenshot({ path: join(SHOTS, 'similarity-bars-dark.png') });
    await page.getByTestId('gallery-sweep').screenshot({ path: join(SHOTS, 'r-sweep-dark.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('face step: pick a detection, or place five points by hand with a loupe; compare table; audit status', async () => {
    const { page, errors } = await open('light');
    const faces = page.getByTestId('gallery-faces');
    await faces.getByRole('button', { name: /^Detection A, confidence 93%/ }).click();
    expect(await page.evaluate(() => (window as unknown as GalleryWindow).__picked)).toEqual([0]);

    await faces.getByRole('button', { name: 'Place points by hand' }).click();
    const frame = faces.getByTestId('face-frame');
    const box = await frame.boundingBox();
    if (!box) throw new Error('no frame');
    const scale = box.width / fixtures.still.width;
    const clicks = [
      [100, 80],
      [140, 80],
      [120, 100],
      [105, 120],
      [135, 120],
    ] as const;
    await page.mouse.move(box.x + 100 * scale, box.y + 80 * scale);
    await faces.locator('.loupe').waitFor();
    await faces.getByTestId('face-next-point').getByText('Eye centre on the image’s left').waitFor();
    await page.screenshot({ path: join(SHOTS, 'face-step-loupe.png') });
    for (const [x, y] of clicks) await page.mouse.click(box.x + x * scale, box.y + y * scale);
    await expect(faces.getByTestId('face-point').count()).resolves.toBe(5);
    await faces.getByRole('button', { name: 'Align from these points' }).click();
    const manual = (await page.evaluate(() => (window as unknown as GalleryWindow).__manual)) as {
      x: number;
      y: number;
    }[][];
    expect(manual).toHaveLength(1);
    manual[0]?.forEach((p, i) => {
      // Within one still pixel (the mouse lands on whole screen pixels of an enlarged still).
      expect(Math.abs(p.x - clicks[i]![0])).toBeLessThan(1);
      expect(Math.abs(p.y - clicks[i]![1])).toBeLessThan(1);
    });

    // One row per run and reference photo: its one declared LR and the candidates as a spread.
    const rows = page.getByTestId('comparison-table').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    const first = await rows.first().locator('td').allTextContents();
    expect(first[0]).toBe('Run 1 · Fast · 4 candidates · seed 7');
    expect(first[1]).toBe('Face 1 of still.jpg · still');
    expect(first[2]).toContain('LR 10 (log10 +1.00)');
    expect(first[2]).toContain('calibrated for mean of 4 SR candidates from a 16x16 face vs photo');
    expect(first.slice(3)).toEqual(['0.420', '-0.050 / 0.300 / 0.500 (4)']);
    // A same-source row carries the flag and its reason; without an LR the cell says why.
    const last = rows.last();
    await expect(last.getByTestId('same-source-flag').textContent()).resolves.toBe('SAME SOURCE');
    await expect(last.getByTestId('comparison-lr').textContent()).resolves.toBe(
      'no LR: no calibration for a mean of 2 candidates (only for a mean of 4)',
    );
    await page.getByTestId('gallery-compare').getByText(/^Hp: /).waitFor();
    await page
      .getByTestId('gallery-compare')
      .getByText(/^Hd: .*CelebA, 200 identities/)
      .waitFor();
    // Bars in the order given (not re-ranked); a negative score is drawn too.
    const cmpBars = page.getByTestId('gallery-compare').getByTestId('similarity-bar');
    await expect(cmpBars.locator('text.chart-label').allTextContents()).resolves.toEqual([
      'Run 1 · candidate 1',
      'Run 1 · candidate 2',
      'Run 1 · candidate 3',
    ]);
    await expect(cmpBars.first().locator('rect').getAttribute('width')).resolves.not.toBe('0');
    await page.getByTestId('gallery-compare').screenshot({ path: join(SHOTS, 'comparison.png') });

    await page.getByTestId('chain-status').getByText('Chain broken at event 2').waitFor();
    await page.getByTestId('gallery-audit').screenshot({ path: join(SHOTS, 'audit.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
