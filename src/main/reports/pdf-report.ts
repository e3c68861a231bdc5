import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import type { ReportManifest } from './manifest';
import { inputLrCaption, provenanceCaption } from '../../shared/labels';
import { COMPARISON_CAVEAT, SR_CAVEAT } from '../../shared/contract';
import {
  FACE_METHOD,
  outputCaption,
  outputOrder,
  reportComparisonSubject,
  reportFaceTitle,
  reportRunTitle,
  reportSweeps,
  sweepSimilarityLine,
  testModelFlag,
  testModelShort,
} from './labels';
import { auditLines, examinerLine, rerunText, runParameterLines, shortHash, whoDid } from './text';
import { COMPARISON_NOTES, reportComparisonGroups, reportRunInput } from './comparisons';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);

/** Replaces characters the standard PDF fonts cannot encode (WinAnsi) with '?'. */
function winAnsi(s: string): string {
  return [...s]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch)) return ch;
      return ch === '×' ? 'x' : '?';
    })
    .join('');
}

/** A simple top-down text cursor over A4 pages. */
class Writer {
  page: PDFPage;
  y: number;
  constructor(
    readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    readonly mono: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  ensure(h: number): void {
    if (this.y - h < MARGIN) {
      this.page = this.doc.addPage(A4);
      this.y = A4[1] - MARGIN;
    }
  }
  text(s: string, opts: { size?: number; font?: PDFFont; color?: [number, number, number] } = {}): void {
    const size = opts.size ?? 9;
    const font = opts.font ?? this.font;
    const width = A4[0] - 2 * MARGIN;
    for (const line of wrap(winAnsi(s), font, size, width)) {
      this.ensure(size + 3);
      this.y -= size + 3;
      this.page.drawText(line, {
        x: MARGIN,
        y: this.y,
        size,
        font,
        color: rgb(...(opts.color ?? [0, 0, 0])),
      });
    }
  }
  gap(h = 6): void {
    this.y -= h;
  }
  caveat(s: string): void {
    // Clear of the descenders of the line above (the box was drawn over the last line of text).
    this.gap(4);
    const lines = wrap(winAnsi(s), this.bold, 10, A4[0] - 2 * MARGIN - 12);
    const h = lines.length * 13 + 8;
    this.ensure(h + 4);
    this.page.drawRectangle({
      x: MARGIN,
      y: this.y - h,
      width: A4[0] - 2 * MARGIN,
      height: h,
      color: rgb(1, 0.95, 0.8),
      borderColor: rgb(0.7, 0, 0),
      borderWidth: 1.5,
    });
    let y = this.y - 4;
    for (const l of lines) {
      y -= 13;
      this.page.drawText(l, { x: MARGIN + 6, y: y + 3, size: 10, font: this.bold, color: rgb(0.6, 0, 0) });
    }
    this.y -= h + 4;
  }
  /** A red line for a model whose outputs mean nothing about a person (test models). */
  flag(s: string): void {
    this.text(s, { font: this.bold, size: 10, color: [0.75, 0, 0] });
  }
  /**
   * Images in rows, each with its caption wrapped in lines under it (never over the pixels). `flag` (a test
   * model's) is written again at the top of every further page the rows run onto, so no page shows such an
   * output without it.
   */
  images(items: PdfImageItem[], size = 96, flag?: string | null): void {
    const perRow = Math.max(1, Math.floor((A4[0] - 2 * MARGIN + 8) / (size + 8)));
    const lines = items.map((it) => it.caption.flatMap((c) => wrap(winAnsi(c), this.font, 7, size)));
    for (let i = 0; i < items.length; i += perRow) {
      const row = items.slice(i, i + perRow);
      const rowLines = lines.slice(i, i + perRow);
      const captionH = 9 * Math.max(...rowLines.map((l) => l.length)) + 8;
      const page = this.page;
      this.ensure(size + captionH);
      if (flag && this.page !== page) {
        this.flag(flag);
        this.gap(4);
      }
      row.forEach((it, j) => {
        const x = MARGIN + j * (size + 8);
        this.page.drawImage(it.image, { x, y: this.y - size, width: size, height: size });
        if (it.red) {
          this.page.drawRectangle({
            x,
            y: this.y - size,
            width: size,
            height: size,
            borderColor: rgb(0.7, 0, 0),
            borderWidth: 1.5,
          });
        }
        rowLines[j]!.forEach((c, k) => {
          this.page.drawText(c, { x, y: this.y - size - 10 - 9 * k, size: 7, font: this.font });
        });
      });
      this.y -= size + captionH;
    }
  }
}

/** One image on a report page with its caption lines (wrapped to the image's width). */
interface PdfImageItem {
  image: PDFImage;
  caption: string[];
  red?: boolean;
}

function wrap(s: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const para of s.split('\n')) {
    let line = '';
    for (const word of para.split(/(\s+)/)) {
      const next = line + word;
      if (font.widthOfTextAtSize(next, size) <= width) {
        line = next;
        continue;
      }
      if (line.trim()) out.push(line.trimEnd());
      line = word.trimStart();
      // A token longer than the line (a hash, a path): break it by characters.
      while (font.widthOfTextAtSize(line, size) > width) {
        let n = line.length;
        while (n > 1 && font.widthOfTextAtSize(line.slice(0, n), size) > width) n--;
        out.push(line.slice(0, n));
        line = line.slice(n);
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

/** Renders the report as PDF from its manifest; `createdAt` fixes the document dates. */
export async function renderPdfReport(m: ReportManifest, manifestSha256: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const at = new Date(m.generatedAt);
  doc.setTitle(winAnsi(`Facet SR report: ${m.case.name}`));
  doc.setSubject(winAnsi(m.caveat));
  doc.setProducer(`${m.generator.app} ${m.generator.version}`);
  doc.setCreator(`${m.generator.app} ${m.generator.version}`);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
    await doc.embedFont(StandardFonts.Courier),
  );
  const embed = (b64: string): Promise<PDFImage> => doc.embedPng(Buffer.from(b64, 'base64'));

  w.text(`Facet SR report: ${m.case.name}`, { size: 16, font: w.bold });
  w.gap();
  w.caveat(m.caveat);
  w.text(`Case ${m.case.id} (${m.case.status}, created ${m.case.createdAt})`);
  w.text(`Generated ${m.generatedAt} by ${m.generator.app} ${m.generator.version}`);
  w.text(`Examiner: ${examinerLine(m)}`);
  w.text(`Manifest SHA-256: ${manifestSha256}`, { font: w.mono, size: 8 });
  w.gap();
  w.text('Evidence', { size: 12, font: w.bold });
  for (const e of m.evidence) {
    w.text(
      `${e.role}: ${e.originalName}, ${e.width}x${e.height}, ${e.sizeBytes} bytes, imported ${e.importedAt} by ${e.importedBy}`,
    );
    w.text(`SHA-256 ${e.sha256}`, { font: w.mono, size: 8 });
  }
  w.gap();
  w.text('Face alignment', { size: 12, font: w.bold });
  for (const f of m.faces) {
    w.text(`${reportFaceTitle(m, f)} (${FACE_METHOD[f.method]})`, { font: w.bold });
    w.text(`face id ${f.id}`, { font: w.mono, size: 7 });
    w.text(`landmarks ${f.points.map((p) => `(${p.x.toFixed(1)}, ${p.y.toFixed(1)})`).join(' ')}`);
    w.text(`transform [${f.transform.map((v) => v.toFixed(4)).join(', ')}]`);
    w.text(
      f.method === 'lr16'
        ? `no crop (the evidence is the 16x16 LR)  LR ${f.lrSha256}`
        : `crop ${f.cropSha256}  LR ${f.lrSha256}`,
      { font: w.mono, size: 7 },
    );
  }
  const faces = new Map(m.faces.map((f) => [f.id, f]));
  for (const r of m.runs) {
    w.gap();
    w.text(reportRunTitle(m, r), { size: 12, font: w.bold });
    w.text(
      `Status ${r.status}, device ${r.device}, queued ${r.queuedAt}, finished ${r.finishedAt ?? '-'} (UTC)${r.rerunOf ? `, ${rerunText(m.runs, r)}` : ''}`,
    );
    w.text(`Run id ${r.id}`, { font: w.mono, size: 7 });
    const face = faces.get(r.faceId);
    const input = reportRunInput(m, r);
    w.text(input.line);
    if (input.warning) w.flag(input.warning);
    const flag = testModelFlag(r);
    if (flag) w.flag(flag);
    w.caveat(m.caveat);
    const bicubic = r.outputs.find((o) => o.kind === 'bicubic')?.metrics.consistency;
    const items: PdfImageItem[] = [];
    if (face && face.method !== 'lr16') {
      // The still's own aligned crop beside what the model saw.
      items.push({
        image: await embed(face.cropPng),
        caption: [provenanceCaption('still'), shortHash(face.cropSha256)],
      });
    }
    if (face) {
      items.push({
        image: await embed(face.lrPng),
        caption: [inputLrCaption(face.method), shortHash(face.lrSha256)],
      });
    }
    for (const o of [...r.outputs].sort((a, b) => outputOrder(a) - outputOrder(b))) {
      const caption = [outputCaption(r, o), shortHash(o.sha256)];
      const short = testModelShort(r);
      if (short) caption.unshift(short);
      if (o.metrics.consistency !== undefined) {
        caption.push(
          `consistency ${o.metrics.consistency.toFixed(1)} MSE, lower = closer to input` +
            (o.kind === 'bicubic' || bicubic === undefined ? '' : `; bicubic ${bicubic.toFixed(1)}`),
        );
      }
      if (o.metrics.meanStd !== undefined)
        caption.push(`mean spread ${(o.metrics.meanStd * 255).toFixed(1)} levels`);
      items.push({ image: await embed(o.png), caption, red: o.kind === 'candidate' || o.kind === 'mean' });
    }
    w.images(items, 96, flag);
    w.text('Parameters (C7 record)', { font: w.bold });
    for (const l of runParameterLines(r as never)) w.text(l, { font: w.mono, size: 7 });
    if (r.model) {
      w.text(`Model ${r.model.id} sha256 ${r.model.sha256}`, { font: w.mono, size: 7 });
      if (r.model.provenance)
        w.text(`Provenance ${JSON.stringify(r.model.provenance)}`, { font: w.mono, size: 7 });
    }
  }
  for (const sweep of reportSweeps(m)) {
    w.gap();
    w.text(sweep.title, { size: 12, font: w.bold });
    const flagged = sweep.points.filter((p) => testModelFlag(p.run));
    const sweepFlag = flagged.length
      ? `${flagged.map((p) => `r = ${p.r}`).join(', ')}: ${testModelFlag(flagged[0]!.run)}`
      : null;
    if (sweepFlag) w.flag(sweepFlag);
    w.text('Consistency (MSE in 8-bit levels, lower is closer to the input) of each r:');
    for (const p of sweep.points) {
      const c = p.output?.metrics.consistency;
      w.text(
        `r = ${p.r}: ${c === undefined ? p.run.status : `consistency ${c.toFixed(1)}`} (${reportRunTitle(m, p.run)})`,
      );
    }
    if (sweep.similarities.length === 0) {
      w.text(
        'Cosine similarity (CS) to a reference photo: none. It needs a reference photo chosen for the sweep in the app.',
      );
    }
    for (const s of sweep.similarities) {
      w.text(
        `Cosine similarity (CS) of each candidate to reference ${s.reference} by ${s.embedderId}, of each r (every comparison is in the audit trail):`,
      );
      for (const p of s.points) w.text(sweepSimilarityLine(p));
    }
    if (sweep.similarities.length > 0) w.text(`${SR_CAVEAT} ${COMPARISON_CAVEAT}`, { size: 8 });
    const items: PdfImageItem[] = [];
    for (const p of sweep.points) {
      if (!p.output) continue;
      items.push({
        image: await embed(p.output.png),
        caption: [
          ...(testModelShort(p.run) ? [testModelShort(p.run)!] : []),
          `r = ${p.r}`,
          outputCaption(p.run, p.output),
        ],
        red: true,
      });
    }
    w.images(items, 80, sweepFlag);
  }
  w.gap();
  w.text('Comparisons', { size: 12, font: w.bold });
  if (m.comparisons.length === 0) w.text('None.');
  // One declared LR per run and reference photo, grouped by reference; each comparison after, for the record.
  for (const g of reportComparisonGroups(m)) {
    w.text(`Reference photo: ${g.reference}`, { font: w.bold });
    for (const r of g.rows) {
      w.text(r.run, { font: w.bold });
      if (r.sameSource) w.flag(r.sameSource);
      w.text(r.input);
      w.text(`Likelihood ratio (declared): ${r.lr}`);
      w.text(r.similarity, { size: 8 });
    }
  }
  if (m.comparisons.length > 0) {
    for (const n of COMPARISON_NOTES) w.text(n, { size: 8 });
    w.text('Every comparison (the record):', { font: w.bold });
  }
  for (const c of m.comparisons) {
    w.text(
      `${reportComparisonSubject(m, c)} vs reference ${m.evidence.find((e) => e.id === c.referenceEvidenceId)?.originalName ?? c.referenceEvidenceId}: score ${c.score.toFixed(4)} by ${c.embedderId} (${shortHash(c.embedderSha256)}), ${c.calibrationPercentile === null ? 'uncalibrated' : `${c.calibrationPercentile.toFixed(1)}th percentile of the calibration set`}`,
      { size: 8 },
    );
  }
  w.caveat(m.caveat);
  w.text('Method', { size: 12, font: w.bold });
  w.text(m.citation);
  w.gap();
  w.text('Audit trail', { size: 12, font: w.bold });
  for (const l of auditLines(m)) w.text(l);
  for (const e of m.audit.excerpt) {
    w.text(`${e.seq}  ${e.time}  ${whoDid(e)}  ${e.action}  ${shortHash(e.hash)}`, { font: w.mono, size: 7 });
  }
  w.gap();
  w.text('How to verify', { size: 12, font: w.bold });
  m.howToVerify.forEach((s, i) => w.text(`${i + 1}. ${s}`));
  return doc.save({ useObjectStreams: false });
}
