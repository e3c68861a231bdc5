/**
 * The report as PDF, laid out by pdfmake from the document model (document.ts): flowing text, tables that break
 * across pages with their header rows repeated, images in rows kept with their captions, a running header and a
 * footer with the case and "Page N of M" on every page. Nothing is placed by hand, so no text can be clipped by
 * the page or drawn over an image. Fonts are read from the pdfmake package (Roboto, embedded as subsets) and
 * pdfkit's built-in Courier (hashes and JSON); nothing is fetched.
 */
import { createRequire } from 'node:module';
import PdfPrinter from 'pdfmake';
import type { Content, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces';
import sharp from 'sharp';
import {
  buildReportDocument,
  type Block,
  type Cell,
  type Figure,
  type ReportExtras,
  type ReportDocument,
} from './document';
import type { ReportManifest } from './manifest';

const PAGE = { width: 595.28, height: 841.89 };
/** left, top, right, bottom (the header and footer sit in the top and bottom margins). */
const MARGINS: [number, number, number, number] = [50, 56, 50, 56];
const CONTENT_WIDTH = PAGE.width - MARGINS[0] - MARGINS[2];
const RED = '#b00000';

let fonts: TFontDictionary | null = null;

/** Roboto from pdfmake's own font file (vfs_fonts.js, base64 TTFs) and pdfkit's standard Courier. */
function reportFonts(): TFontDictionary {
  if (fonts) return fonts;
  const vfs = createRequire(import.meta.url)('pdfmake/build/vfs_fonts.js') as Record<string, string>;
  const ttf = (name: string): Buffer => Buffer.from(vfs[name]!, 'base64');
  fonts = {
    Roboto: {
      normal: ttf('Roboto-Regular.ttf'),
      bold: ttf('Roboto-Medium.ttf'),
      italics: ttf('Roboto-Italic.ttf'),
      bolditalics: ttf('Roboto-MediumItalic.ttf'),
    },
    Courier: {
      normal: 'Courier',
      bold: 'Courier-Bold',
      italics: 'Courier-Oblique',
      bolditalics: 'Courier-BoldOblique',
    },
  } as unknown as TFontDictionary;
  return fonts;
}

const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);

/** Courier is a standard (WinAnsi) font: other characters become '?'. */
function winAnsi(s: string): string {
  return [...s]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch) || ch === '\n'
        ? ch
        : '?';
    })
    .join('');
}

/** Monospaced text hard-wrapped to `cols` characters, so a long token (a hash, a path) never runs off the page. */
function hardWrap(s: string, cols: number): string {
  return s
    .split('\n')
    .flatMap((line) => {
      if (line.length <= cols) return [line];
      const indent = /^\s*/.exec(line)![0].slice(0, 16);
      const out: string[] = [line.slice(0, cols)];
      for (let i = cols; i < line.length; i += cols - indent.length - 2)
        out.push(`${indent}  ${line.slice(i, i + cols - indent.length - 2)}`);
      return out;
    })
    .join('\n');
}

const mono = (text: string, fontSize = 7.5): Content => ({ text: winAnsi(text), font: 'Courier', fontSize });

/** A 16x16 image enlarged with hard pixel edges (viewers smooth small images otherwise). */
async function pixelated(png: string, side: number): Promise<string> {
  const buf = await sharp(Buffer.from(png, 'base64'))
    .resize(side, side, { kernel: 'nearest' })
    .png()
    .toBuffer();
  return buf.toString('base64');
}

/** The doc definition of a document model (images are registered in `images` by key). */
async function definition(doc: ReportDocument): Promise<TDocumentDefinitions> {
  const images: Record<string, string> = {};
  const keys = new Map<string, string>();
  const imageKey = async (f: Figure): Promise<string> => {
    const id = `${f.pixelated ? 'px:' : ''}${f.png}`;
    let key = keys.get(id);
    if (!key) {
      key = `img${keys.size}`;
      keys.set(id, key);
      images[key] = `data:image/png;base64,${f.pixelated ? await pixelated(f.png, 128) : f.png}`;
    }
    return key;
  };

  const cell = (c: Cell, header = false): Content => {
    if (typeof c === 'string') return header ? { text: c, bold: true, fillColor: '#eeeeee' } : { text: c };
    if (c.mono) return { ...(mono(c.text, 7) as object), margin: [0, 1.5, 0, 0] } as Content;
    return { text: c.text, color: c.flag ? RED : undefined, bold: !!c.flag };
  };

  const figures = async (items: readonly Figure[]): Promise<Content> => {
    const gap = 8;
    const rows: Content[] = [];
    let row: Figure[] = [];
    let used = 0;
    const flush = async () => {
      if (!row.length) return;
      const cols: Content[] = [];
      for (const f of row) {
        const img: Content = { image: await imageKey(f), width: f.width, height: f.height };
        const framed: Content = f.ai
          ? {
              table: { widths: [f.width], body: [[img]] },
              layout: {
                hLineColor: () => RED,
                vLineColor: () => RED,
                hLineWidth: () => 1.5,
                vLineWidth: () => 1.5,
                paddingLeft: () => 0,
                paddingRight: () => 0,
                paddingTop: () => 0,
                paddingBottom: () => 0,
              },
            }
          : img;
        cols.push({
          width: f.width + (f.ai ? 3 : 0),
          stack: [
            framed,
            { text: f.caption.join('\n'), fontSize: 6.5, margin: [0, 2, 0, 0], color: '#222222' },
          ],
        } as Content);
      }
      rows.push({ columns: cols, columnGap: gap, margin: [0, 2, 0, 6] });
      row = [];
      used = 0;
    };
    for (const f of items) {
      const w = f.width + (f.ai ? 3 : 0);
      if (row.length && used + gap + w > CONTENT_WIDTH) await flush();
      used += (row.length ? gap : 0) + w;
      row.push(f);
    }
    await flush();
    // Each row stays whole (image with its caption) on one page.
    return { stack: rows.map((r) => ({ stack: [r], unbreakable: true })) };
  };

  const block = async (b: Block): Promise<Content> => {
    switch (b.kind) {
      case 'heading':
        // headlineLevel: kept with what follows it (pageBreakBefore below).
        return { text: b.text, style: b.level === 2 ? 'h2' : 'h3', headlineLevel: 1 } as Content;
      case 'para': {
        const text: Content[] = b.label
          ? [{ text: b.text ? `${b.label} ` : b.label, bold: true }, b.text]
          : [b.text];
        if (b.tone === 'caveat') {
          return {
            table: {
              widths: ['*'],
              body: [[{ text, bold: true, color: RED, fillColor: '#fff3cd', margin: [4, 2, 4, 2] }]],
            },
            layout: {
              hLineColor: () => RED,
              vLineColor: () => RED,
              hLineWidth: () => 1.2,
              vLineWidth: () => 1.2,
            },
            margin: [0, 2, 0, 6],
          };
        }
        if (b.tone === 'flag') return { text, bold: true, color: RED, margin: [0, 0, 0, 4] };
        if (b.tone === 'small') return { text, fontSize: 8, margin: [0, 0, 0, 3] };
        if (b.tone === 'muted') return { text, fontSize: 8, color: '#555555', margin: [0, 0, 0, 3] };
        return { text, margin: [0, 0, 0, 4] };
      }
      case 'keyValues':
        return {
          table: {
            widths: [110, '*'],
            body: b.rows.map((r) => [
              { text: r.key, bold: true },
              r.mono
                ? ({ ...(mono(r.value, 8) as object), margin: [0, 1.5, 0, 0] } as Content)
                : { text: r.value },
            ]),
          },
          layout: 'lightHorizontalLines',
          margin: [0, 0, 0, 8],
        };
      case 'table':
        return {
          table: {
            headerRows: 1,
            widths: [...b.widths],
            body: [b.header.map((h) => cell(h, true)), ...b.rows.map((r) => r.map((c) => cell(c)))],
          },
          layout: 'lightHorizontalLines',
          fontSize: 8,
          margin: [0, 2, 0, 8],
        };
      case 'figures':
        return figures(b.items);
      case 'steps':
        return { ol: [...b.items], margin: [0, 2, 0, 6] };
      case 'bullets':
        return { ul: [...b.items], margin: [0, 2, 0, 6] };
      case 'code':
        return {
          stack: [
            { text: b.title, bold: true, fontSize: 8.5, margin: [0, 6, 0, 2] },
            { ...(mono(hardWrap(b.text, 110), 6.5) as object), preserveLeadingSpaces: true },
          ],
        } as Content;
      case 'keep': {
        const inner: Content[] = [];
        for (const x of b.blocks) inner.push(await block(x));
        return { stack: inner, unbreakable: true };
      }
      case 'signature':
        return {
          unbreakable: true,
          margin: [0, 16, 0, 0],
          table: {
            widths: [90, 260],
            heights: 26,
            body: b.rows.map((r) => [
              { text: r.key, bold: true, margin: [0, 10, 0, 0] },
              { text: r.value, margin: [0, 10, 0, 0] },
            ]),
          },
          layout: {
            hLineWidth: (i: number) => (i === 0 ? 0 : 0.7),
            vLineWidth: () => 0,
            hLineColor: () => '#444444',
          },
        } as Content;
    }
  };

  const content: Content[] = [
    { text: doc.title, style: 'title' },
    { text: doc.caseName, style: 'subtitle' },
  ];
  for (const b of doc.cover) content.push(await block(b));
  for (const s of doc.sections) {
    const blocks: Content[] = [];
    for (const b of s.blocks) blocks.push(await block(b));
    content.push({
      text: s.title,
      style: s.run ? 'h2run' : 'h2',
      pageBreak: s.newPage ? 'before' : undefined,
      headlineLevel: 1,
    } as Content);
    content.push(...blocks);
  }

  return {
    pageSize: 'A4',
    pageMargins: MARGINS,
    info: {
      title: doc.metadata.title,
      author: doc.metadata.author,
      subject: doc.metadata.subject,
      creator: doc.metadata.creator,
      producer: doc.metadata.creator,
      creationDate: doc.metadata.date,
      modDate: doc.metadata.date,
    } as TDocumentDefinitions['info'],
    header: (page: number) =>
      page === 1
        ? null
        : { text: doc.header, fontSize: 7.5, color: '#555555', margin: [MARGINS[0], 28, MARGINS[2], 0] },
    footer: (page: number, pages: number) => ({
      margin: [MARGINS[0], 22, MARGINS[2], 0],
      fontSize: 7.5,
      color: '#333333',
      columns: [
        { text: doc.footer, width: '*' },
        { text: `Page ${page} of ${pages}`, width: 70, alignment: 'right' },
      ],
    }),
    // A heading never ends a page: it moves to the next page with what follows it.
    // A heading never ends a page: it moves to the next page when nothing follows it on its page, or when it
    // starts in the page's last 90 pt (what follows it may be kept whole and have moved on).
    pageBreakBefore: (node, following) => {
      const n = node as { headlineLevel?: number; startPosition?: { top?: number } };
      if (n.headlineLevel !== 1) return false;
      return following.length === 0 || (n.startPosition?.top ?? 0) > PAGE.height - MARGINS[3] - 90;
    },
    images,
    content,
    defaultStyle: { font: 'Roboto', fontSize: 9, lineHeight: 1.15 },
    styles: {
      title: { fontSize: 22, bold: true, margin: [0, 60, 0, 6] },
      subtitle: { fontSize: 15, margin: [0, 0, 0, 24] },
      h2: { fontSize: 14, bold: true, margin: [0, 6, 0, 8] },
      h2run: { fontSize: 12, bold: true, margin: [0, 14, 0, 6] },
      h3: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 4] },
    },
  };
}

/** Renders the PDF of a document model. */
export async function renderPdfDocument(doc: ReportDocument): Promise<Uint8Array> {
  const printer = new PdfPrinter(reportFonts());
  const pdf = printer.createPdfKitDocument(await definition(doc));
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    pdf.on('error', reject);
    pdf.end();
  });
}

/** Renders the report as PDF from its verified manifest (and the evidence previews the report service made). */
export async function renderPdfReport(
  m: ReportManifest,
  manifestSha256: string,
  extras: ReportExtras = {},
): Promise<Uint8Array> {
  return renderPdfDocument(buildReportDocument(m, manifestSha256, extras));
}
