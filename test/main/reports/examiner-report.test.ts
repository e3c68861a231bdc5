/**
 * Issue 30's acceptance test: the report of a case with 2 stills, 2 reference photos, 3 runs (one a re-run) and 6
 * comparisons, rendered page by page. Every page has its number and the case footer; the still is shown with its
 * SHA-256; each run's chain is told in words; the body (everything before the appendix) has no raw JSON and no
 * identifier; no word is off the page or over an image. The HTML is built from the same document model.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type App } from '../../../src/main/compose';
import { ReportManifestSchema, type ReportManifest } from '../../../src/main/reports/manifest';
import { renderPdfReport } from '../../../src/main/reports/pdf-report';
import { renderHtmlReport } from '../../../src/main/reports/html-report';
import { evidencePreviews } from '../../../src/main/reports/previews';
import type { Report } from '../../../src/shared/contract';
import { synthImage, writePhoto } from '../../helpers/case-fixture';
import { overlap, readPdfLayout, type PdfPage } from '../../helpers/pdf-layout';
import { tempDir } from '../../helpers/temp-dir';
import { testExecutor } from '../../helpers/test-executor';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const CASE = 'Robbery 2026-0413';

describe('the examiner report (2 stills, 2 references, 3 runs, 6 comparisons)', () => {
  const dir = tempDir();
  let app: App;
  let caseId: string;
  let reports: Report[];
  let manifest: ReportManifest;
  let pdfPath: string;
  let pages: PdfPage[];
  let stillSha: string;

  beforeAll(async () => {
    app = composeApp({
      dataDir: join(dir.path, 'data'),
      executor: testExecutor(),
      actor: 'ann',
      appVersion: '0.1.0-test',
      modelProvenance: (m) => ({ id: m.id, training: { data: 'test set', steps: 0, licence: 'test only' } }),
    });
    app.paths.allowFolder(dir.path);
    caseId = app.cases.create({ name: CASE }).id;
    const imp = async (name: string, role: 'probe' | 'reference', w: number, h: number, phase: number) =>
      (await app.evidence.import({ caseId, path: await writePhoto(dir.path, name, w, h, phase), role }))
        .evidence;
    const stills = [
      await imp('cam3.jpg', 'probe', 320, 240, 0),
      await imp('cam5.png', 'probe', 200, 260, 0.7),
    ];
    const refs = [
      await imp('suspect-a.jpg', 'reference', 180, 220, 1),
      await imp('suspect-b.jpg', 'reference', 160, 200, 2),
    ];
    stillSha = stills[0]!.sha256;
    const faces = [];
    for (const [i, s] of stills.entries()) {
      faces.push(
        await app.faces.storeAligned({
          evidenceId: s.id,
          method: 'manual',
          points: [
            { x: 130 + i, y: 100 },
            { x: 150 + i, y: 101 },
            { x: 140, y: 112 },
            { x: 132, y: 122 },
            { x: 148, y: 123 },
          ],
          transform: [2.0, -0.07, -180, 0.07, 2.0, -150],
          crop: synthImage(128, 128, 0.3 + i),
          lr: synthImage(16, 16, 0.3 + i, true),
        }),
      );
    }
    const settings = (seed: string) => ({
      modelId: 'sde-ve-test',
      preset: 'sde-vecs' as const,
      candidates: 4,
      provider: 'cpu' as const,
      dataConsistency: false,
      seed,
    });
    const r1 = app.runs.enqueue({ caseId, faceId: faces[0]!.id, settings: settings('12345') });
    const r2 = app.runs.enqueue({ caseId, faceId: faces[1]!.id, settings: settings('777') });
    await app.runs.whenIdle();
    const r3 = app.runs.rerun(r1.id);
    await app.runs.whenIdle();
    for (const run of [r1, r2, r3]) {
      const mean = app.runs.get(run.id).outputs.find((o) => o.kind === 'mean')!;
      for (const [j, ref] of refs.entries()) {
        app.faces.recordComparison({
          caseId,
          outputId: mean.id,
          referenceEvidenceId: ref.id,
          embedderId: 'test-embedder',
          embedderSha256: 'a'.repeat(64),
          score: 0.41 - j * 0.2,
          calibrationPercentile: 97.2 - j * 40,
          calibration: {
            set: 'test pairs',
            impostorPairs: 1000,
            lrLog10: j === 0 ? 1.234 : -0.8,
            lrVerbal: j === 0 ? 'moderate support for same person' : 'weak support for different persons',
            lrCondition: 'mean of 4 SR candidates from a 16x16 face vs photo',
            lrCllr: 0.71,
            lrCalibratedFor: 'mean of 4 SR candidates from a 16x16 face vs photo (candidates of test-model)',
          },
        });
      }
    }
    const t0 = performance.now();
    reports = await app.reports.create({ caseId, formats: ['pdf', 'html', 'manifest'] });
    const createMs = performance.now() - t0;
    manifest = ReportManifestSchema.parse(
      JSON.parse(app.reports.bytes(reports.find((r) => r.format === 'manifest')!.id).bytes.toString('utf8')),
    );
    // The build time of the report's pages alone, from the verified manifest (previews read from the store).
    const t1 = performance.now();
    const previews = await evidencePreviews(manifest, (sha) => app.store.read(caseId, sha));
    const t2 = performance.now();
    await renderPdfReport(manifest, 'f'.repeat(64), { previews });
    const t3 = performance.now();
    renderHtmlReport(manifest, 'f'.repeat(64), { previews });
    const t4 = performance.now();
    console.log(
      `report build time (2 stills, 2 refs, 3 runs, 6 comparisons): reports.create (manifest + HTML + PDF, stored and audited) ${createMs.toFixed(0)} ms; previews ${(t2 - t1).toFixed(0)} ms, PDF ${(t3 - t2).toFixed(0)} ms, HTML ${(t4 - t3).toFixed(0)} ms`,
    );
    pdfPath = join(dir.path, 'report.pdf');
    writeFileSync(pdfPath, app.reports.bytes(reports.find((r) => r.format === 'pdf')!.id).bytes);
    // FACET_REPORT_OUT=dir keeps the PDF and the manifest to look at (and for bench/report.bench.ts).
    const keep = process.env.FACET_REPORT_OUT;
    if (keep) {
      for (const r of reports)
        writeFileSync(
          join(keep, `acceptance.${r.format === 'manifest' ? 'manifest.json' : r.format}`),
          app.reports.bytes(r.id).bytes,
        );
    }
    pages = readPdfLayout(pdfPath);
  }, 120_000);
  afterAll(() => {
    app.close();
    dir.remove();
  });

  it('is built from a case of 2 stills, 2 references, 3 runs and 6 comparisons', () => {
    expect(manifest.evidence.map((e) => e.role)).toEqual(['probe', 'probe', 'reference', 'reference']);
    expect(manifest.runs).toHaveLength(3);
    expect(manifest.runs.filter((r) => r.rerunOf)).toHaveLength(1);
    expect(manifest.comparisons).toHaveLength(6);
  });

  it('renders every page to PNG, none blank', async () => {
    const out = join(dir.path, 'pages');
    mkdirSync(out, { recursive: true });
    execFileSync('pdftoppm', ['-r', '50', '-png', pdfPath, join(out, 'p')]);
    const pngs = readdirSync(out)
      .filter((f) => f.endsWith('.png'))
      .sort();
    expect(pngs).toHaveLength(pages.length);
    expect(pages.length).toBeGreaterThanOrEqual(8);
    for (const p of pngs) {
      const stats = await sharp(join(out, p)).stats();
      expect(stats.channels[0]!.stdev, p).toBeGreaterThan(5);
    }
  });

  it('numbers every page and prints the case footer on it', () => {
    for (const p of pages) {
      expect(p.text, `page ${p.number}`).toContain(`Page ${p.number} of ${pages.length}`);
      expect(p.text, `page ${p.number}`).toContain(`Case ${CASE} · examiner ann ·`);
    }
  });

  it('shows the still with its file name and full SHA-256, and images on the evidence page', () => {
    const page = pages.find((p) => p.text.includes('Still 1: cam3.jpg') && p.text.includes(stillSha))!;
    expect(page).toBeDefined();
    expect(page.text).toContain('Still to enhance');
    expect(page.images.length).toBeGreaterThanOrEqual(1);
    // The still's preview keeps its aspect ratio (320 x 240).
    const big = page.images.reduce((a, b) => (b.x1 - b.x0 > a.x1 - a.x0 ? b : a));
    expect((big.x1 - big.x0) / (big.y1 - big.y0)).toBeCloseTo(320 / 240, 1);
  });

  it('tells the processing chain in words: decode, align with named landmarks, C2 16x16, model, sampler, seed', () => {
    const all = pages.map((p) => p.text).join(' ');
    expect(all).toMatch(/Decode: Still 1: cam3\.jpg \(image\/jpeg, 320 × 240 px/);
    expect(all).toMatch(/Align: the landmarks .*image-left eye centre at \(130\.0, 100\.0\).*nose tip/);
    expect(all).toMatch(/similarity transform: scale 2\.001 .*rotation 2\.0° /);
    expect(all).toMatch(
      /Downscale \(C2\): .*16 × 16 px with antialiased bicubic resampling \(Keys kernel, a = −0\.5/,
    );
    expect(all).toMatch(/Model: sde-ve-test, SHA-256 [0-9a-f]{64}/);
    expect(all).toMatch(/predictor–corrector sampler: predictor reverse diffusion, Langevin corrector/);
    expect(all).toContain('Seed 12345');
    expect(all).toContain('Seed 777');
    expect(all).toMatch(/This run repeats Run 1 from its record: identical: 7 of 7 outputs match/);
  });

  it('declares one LR per run and reference, names the propositions and the calibration', () => {
    const all = pages.map((p) => p.text).join(' ');
    expect(all).toContain('Reference photo: suspect-a.jpg');
    expect(all).toContain('Reference photo: suspect-b.jpg');
    expect(all.match(/Likelihood ratio \(declared\): /g)).toHaveLength(6);
    expect(all).toMatch(/Hp: the reference photo shows the same person/);
    expect(all).toMatch(/calibration set “test pairs”/);
    expect(all).toContain('percentile 97.2 of the calibration set');
    expect(all).not.toMatch(/\d(\.\d+)?th percentile/);
  });

  it('lists the audit trail with subjects by name, and ends with a statement and signature block', () => {
    const all = pages.map((p) => p.text).join(' ');
    expect(all).toMatch(/comparison recorded Run 1 candidate mean vs suspect-a\.jpg/);
    expect(all).toMatch(/evidence imported Still 2: cam5\.png/);
    expect(all).toMatch(/face aligned Face 1 of cam3\.jpg/);
    expect(all).toContain('7. Examiner’s statement');
    expect(all).toMatch(/Name OS account ann Date Signature/);
  });

  it('keeps raw JSON and identifiers out of the body (before the appendix)', () => {
    const start = pages.findIndex((p) => p.text.includes('Appendix A: identifiers'));
    expect(start).toBeGreaterThan(0);
    const body = pages
      .slice(0, start)
      .map((p) => p.text)
      .join(' ');
    const appendix = pages
      .slice(start)
      .map((p) => p.text)
      .join(' ');
    expect(body).not.toMatch(/\{\s*"/);
    expect(body).not.toMatch(UUID);
    expect(body).not.toMatch(/\bprobe\b/);
    expect(appendix).toContain(manifest.runs[0]!.id);
    expect(appendix).toMatch(/"sampler":/);
    // Each model's provenance once, not once per run.
    expect(appendix.match(/Model sde-ve-test: provenance/g)).toHaveLength(1);
  });

  it('keeps every word inside the page margins and off every image', () => {
    expect(pages.reduce((n, p) => n + p.images.length, 0)).toBeGreaterThan(30);
    for (const p of pages) {
      for (const w of p.words) {
        const where = `page ${p.number} word "${w.text}" at ${w.x0.toFixed(1)},${w.y0.toFixed(1)}`;
        expect(w.x0 >= 40 && w.x1 <= p.width - 40 && w.y0 >= 20 && w.y1 <= p.height - 20, where).toBe(true);
        for (const img of p.images)
          expect(overlap(w, img), `${where} overlaps an image`).toBeLessThanOrEqual(0.5);
      }
      for (const img of p.images) {
        expect(
          img.x0 >= 40 && img.x1 <= p.width - 40 && img.y0 >= 40 && img.y1 <= p.height - 40,
          `page ${p.number} image`,
        ).toBe(true);
      }
    }
  });

  it('writes the HTML from the same document: appendix last, no identifier or JSON before it', () => {
    const html = app.reports.bytes(reports.find((r) => r.format === 'html')!.id).bytes.toString('utf8');
    const at = html.indexOf('id="appendix-a"');
    expect(at).toBeGreaterThan(0);
    const body = html.slice(0, at).replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, '');
    expect(body).not.toMatch(UUID);
    expect(body).not.toMatch(/\{\s*(&quot;|")/);
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html).toContain('Still 1: cam3.jpg');
    expect(html).toContain(stillSha);
    expect(html).toContain('Downscale (C2)');
    expect(html).toContain('counter(pages)');
    expect(html.slice(at)).toContain(manifest.runs[0]!.id);
  });
});
