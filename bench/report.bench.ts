/**
 * The report's build time from a verified manifest: the document model, the PDF (pdfmake) and the HTML, cold
 * (first call: fonts parsed, modules warmed) and warm. The manifest is the acceptance case's (2 stills, 2
 * references, 3 runs, 6 comparisons): `FACET_REPORT_OUT=DIR npx vitest run test/main/reports/examiner-report.test.ts`
 * writes DIR/acceptance.manifest.json; point FACET_REPORT_MANIFEST at it (default /tmp/rep/acceptance.manifest.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { buildReportDocument } from '../src/main/reports/document';
import { renderHtmlDocument } from '../src/main/reports/html-report';
import { ReportManifestSchema } from '../src/main/reports/manifest';
import { renderPdfDocument } from '../src/main/reports/pdf-report';

export async function run(): Promise<void> {
  const path = process.env.FACET_REPORT_MANIFEST ?? '/tmp/rep/acceptance.manifest.json';
  if (!existsSync(path)) {
    console.log(`No manifest at ${path}: make one with FACET_REPORT_OUT (see bench/report.bench.ts).`);
    return;
  }
  const m = ReportManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  // CPU time (user + system of this process) beside wall time: on a shared machine the wall time mostly measures
  // the other load.
  console.log('| call | document model ms | PDF wall ms | PDF CPU ms | PDF bytes | HTML ms |');
  console.log('|---|---|---|---|---|---|');
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const doc = buildReportDocument(m, 'f'.repeat(64));
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const pdf = await renderPdfDocument(doc);
    const cpu = process.cpuUsage(cpu0);
    const t2 = performance.now();
    renderHtmlDocument(doc);
    const t3 = performance.now();
    console.log(
      `| ${i === 0 ? 'cold' : `warm ${i}`} | ${(t1 - t0).toFixed(0)} | ${(t2 - t1).toFixed(0)} | ${((cpu.user + cpu.system) / 1000).toFixed(0)} | ${pdf.length} | ${(t3 - t2).toFixed(0)} |`,
    );
  }
}
