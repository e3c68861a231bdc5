import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type App } from '../../../src/main/compose';
import { ReportManifestSchema } from '../../../src/main/reports/manifest';
import { verifyManifest } from '../../../src/main/reports/verify-manifest';
import { renderPdfReport } from '../../../src/main/reports/pdf-report';
import { sha256Hex } from '../../../src/main/crypto';
import { SR_CAVEAT, type Report } from '../../../src/shared/contract';
import { tempDir } from '../../helpers/temp-dir';
import { caseWithFace } from '../../helpers/case-fixture';
import { testExecutor } from '../../helpers/test-executor';

// Runs use the deterministic test executor (a test double of the sampling engine).
describe('reports', () => {
  const dir = tempDir();
  let app: App;
  let caseId: string;
  let runId: string;
  let reports: Report[];
  let manifest: unknown;

  beforeAll(async () => {
    app = composeApp({
      dataDir: join(dir.path, 'data'),
      executor: testExecutor(),
      actor: 'ann',
      appVersion: '0.1.0-test',
      modelProvenance: (m) => ({ id: m.id, training: { data: 'test set', licence: 'test only' } }),
    });
    const fx = await caseWithFace(app, dir.path);
    caseId = fx.caseId;
    runId = app.runs.enqueue({
      caseId,
      faceId: fx.face.id,
      settings: {
        modelId: 'sde-ve-test',
        preset: 'sde-vecs',
        candidates: 4,
        provider: 'cpu',
        dataConsistency: false,
        seed: '12345',
      },
    }).id;
    await app.runs.whenIdle();
    // The declared statistic: the candidate mean's comparison carries the run's one LR.
    const out = app.runs.get(runId).outputs.find((o) => o.kind === 'mean')!;
    app.faces.recordComparison({
      caseId,
      outputId: out.id,
      referenceEvidenceId: fx.referenceId,
      embedderId: 'test-embedder',
      embedderSha256: 'a'.repeat(64),
      score: 0.4321,
      calibrationPercentile: 87.5,
      calibration: {
        set: 'test pairs',
        impostorPairs: 1000,
        lrLog10: 1.234,
        lrVerbal: 'moderate support for same person',
        lrCondition: 'mean of 4 SR candidates from a 16x16 face vs photo',
        lrCllr: 0.71,
        lrCalibratedFor: 'mean of 4 SR candidates from a 16x16 face vs photo (candidates of test-model)',
      },
    });
    reports = await app.reports.create({ caseId, runId, formats: ['pdf', 'html', 'manifest'] });
    manifest = JSON.parse(
      app.reports.bytes(reports.find((r) => r.format === 'manifest')!.id).bytes.toString('utf8'),
    );
  });
  afterAll(() => {
    app.close();
    dir.remove();
  });

  it('stores each format by hash with an audit event, and the case still verifies', () => {
    expect(reports.map((r) => r.format).sort()).toEqual(['html', 'manifest', 'pdf']);
    for (const r of reports) expect(sha256Hex(app.reports.bytes(r.id).bytes)).toBe(r.sha256);
    expect(app.audit.list(caseId).filter((e) => e.action === 'report.created')).toHaveLength(3);
    expect(app.audit.verify(caseId, app.store).ok).toBe(true);
  });

  it('writes a manifest with hashes, alignment, every parameter and seed, provenance, scores, caveat and citation', () => {
    const m = ReportManifestSchema.parse(manifest);
    expect(m.caveat).toBe(SR_CAVEAT);
    expect(m.citation).toMatch(/Face Super-Resolution Using Stochastic Differential Equations/);
    expect(m.evidence.map((e) => e.sha256)).toEqual(app.evidence.list(caseId).map((e) => e.sha256));
    expect(m.faces[0]).toMatchObject({ method: 'manual', transform: [1.2, 0.05, -3, -0.05, 1.2, 4] });
    expect(m.faces[0]!.points).toHaveLength(5);
    const run = m.runs[0]!;
    expect(run).toMatchObject({
      seed: '12345',
      settings: { preset: 'sde-vecs', candidates: 4 },
      record: { seed: '12345' },
    });
    expect(run.model?.provenance).toMatchObject({ training: { licence: 'test only' } });
    expect(run.outputs.map((o) => o.kind)).toEqual([
      'candidate',
      'candidate',
      'candidate',
      'candidate',
      'mean',
      'bicubic',
      'uncertainty',
    ]);
    expect(m.comparisons[0]).toMatchObject({
      score: 0.4321,
      calibrationPercentile: 87.5,
      embedderId: 'test-embedder',
    });
    expect(m.audit.verification.ok).toBe(true);
    expect(m.audit.excerpt.length).toBeGreaterThan(3);
    expect(m.howToVerify.join(' ')).toMatch(/facet verify/);
  });

  it('writes self-contained HTML: images inline, no external resource, the caveat shown', () => {
    const html = app.reports.bytes(reports.find((r) => r.format === 'html')!.id).bytes.toString('utf8');
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html).not.toMatch(/https?:\/\//);
    expect((html.match(/src="data:image\/png;base64,/g) ?? []).length).toBeGreaterThanOrEqual(7);
    expect(html).toContain('AI-generated candidate — an investigative aid, not evidence of identity.');
    expect(html).toContain(reports.find((r) => r.format === 'manifest')!.sha256);
  });

  it('writes a PDF that renders with pdftoppm, its cover not blank', async () => {
    const pdf = app.reports.bytes(reports.find((r) => r.format === 'pdf')!.id).bytes;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const out = join(dir.path, 'pages');
    execFileSync('mkdir', ['-p', out]);
    const pdfPath = join(dir.path, 'r.pdf');
    writeFileSync(pdfPath, pdf);
    execFileSync('pdftoppm', ['-r', '40', '-png', pdfPath, join(out, 'p')]);
    const pages = readdirSync(out).filter((f) => f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const first = join(out, pages.sort()[0]!);
    expect(statSync(first).size).toBeGreaterThan(1000);
    // A rendered page is not blank: its pixels vary (text, the caveat box, the images).
    const stats = await sharp(first).stats();
    expect(stats.channels[0]!.stdev).toBeGreaterThan(10);
    const text = execFileSync('pdftotext', [pdfPath, '-']).toString();
    expect(text).toMatch(/AI-generated candidate/);
    expect(text).toMatch(/Seed 12345/);
    // The run's one declared LR, with the verbal scale, the condition it was calibrated for and the propositions.
    expect(text).toMatch(
      /Likelihood ratio \(declared\): LR 17 \(log10 \+1\.23\): moderate support for same person/,
    );
    expect(text).toMatch(/calibrated for mean of 4 SR candidates/);
    expect(text.replace(/\s+/g, ' ')).toMatch(
      /Hd: the reference photo shows a different person, .*CelebA, 200 identities/,
    );
    expect(existsSync(first)).toBe(true);
  });

  it('names the face by its one number and flags a test model on every PDF page that shows its outputs', async () => {
    const m = ReportManifestSchema.parse(manifest);
    expect(m.faces[0]!.number).toBe(1);
    const html = app.reports.bytes(reports.find((r) => r.format === 'html')!.id).bytes.toString('utf8');
    expect(html).toContain('Input: Face 1 of still.png');
    // The same run made with a test model (trained 0 steps), six times: its images run over several pages.
    const run = m.runs[0]!;
    const test = { ...run, model: { ...run.model!, provenance: { training: { steps: 0 } } } };
    const big = {
      ...m,
      runs: Array.from({ length: 6 }, (_, i) => ({ ...test, id: `r${i}`, number: i + 1 })),
    };
    const pdfPath = join(dir.path, 'test-model.pdf');
    writeFileSync(pdfPath, await renderPdfReport(big, 'f'.repeat(64)));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath]).toString())![1]);
    expect(pages).toBeGreaterThan(2);
    let shown = 0;
    for (let p = 1; p <= pages; p++) {
      const text = execFileSync('pdftotext', ['-f', `${p}`, '-l', `${p}`, pdfPath, '-']).toString();
      if (!/AI-generated\s+candidate\s+\d|Mean\s+of\s+the\s+\d/.test(text)) continue;
      shown++;
      expect(text, `page ${p}`).toMatch(/TEST\s+MODEL/);
    }
    expect(shown).toBeGreaterThan(1);
    expect(execFileSync('pdftotext', [pdfPath, '-']).toString()).toMatch(
      /Face 1 of still\.png \(points placed by hand\)/,
    );
  });

  it('re-verifies its manifest: identical hashes on the same provider', async () => {
    const v = await verifyManifest(manifest, testExecutor());
    expect(v.ok).toBe(true);
    expect(v.runs[0]).toMatchObject({ runId, identical: true, sameProvider: true });
    expect(v.runs[0]!.outputs).toHaveLength(7); // 4 candidates, their mean, bicubic, uncertainty
  });

  it('states the measured difference on another provider, and fails on the same one', async () => {
    const other = await verifyManifest(manifest, testExecutor({ provider: 'cuda', perturb: 2 / 255 }));
    expect(other.ok).toBe(true);
    expect(other.runs[0]).toMatchObject({ identical: false, sameProvider: false });
    expect(other.runs[0]!.summary).toMatch(
      /recorded on cpu .* re-run on cuda .* max abs difference \d+ and mean \d/,
    );
    const cand = other.runs[0]!.outputs.find((o) => o.kind === 'candidate')!;
    expect(cand.maxAbsDiff8).toBeGreaterThanOrEqual(1);
    expect(cand.maxAbsDiff8).toBeLessThanOrEqual(3);
    const same = await verifyManifest(manifest, testExecutor({ perturb: 2 / 255 }));
    expect(same.ok).toBe(false);
    expect(same.problems[0]).toMatch(/differ on the same provider/);
  });

  it('catches a manifest whose seed or embedded image was edited', async () => {
    const m = structuredClone(manifest) as { runs: Array<{ seed: string; outputs: Array<{ png: string }> }> };
    m.runs[0]!.seed = '12346';
    const v = await verifyManifest(m, testExecutor());
    expect(v.ok).toBe(false);
    expect(v.problems.join()).toMatch(/its seed \(12346\) differs from its record's \(12345\)/);
    const m2 = structuredClone(manifest) as { faces: Array<{ lrPng: string }> };
    const lr = Buffer.from(m2.faces[0]!.lrPng, 'base64');
    lr[lr.length - 13] = lr[lr.length - 13]! ^ 1;
    m2.faces[0]!.lrPng = lr.toString('base64');
    expect((await verifyManifest(m2, testExecutor())).problems.join()).toMatch(/embedded LR does not match/);
    expect((await verifyManifest({ format: 'x' }, testExecutor())).ok).toBe(false);
    expect(readFileSync).toBeDefined();
  });
});
