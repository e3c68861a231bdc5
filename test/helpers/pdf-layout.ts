/**
 * What is where on a PDF's pages, read back from the file itself: the words with their boxes (poppler's
 * `pdftotext -bbox-layout`) and the images with their boxes (the page content streams, interpreted for q / Q / cm
 * / Do, which is all that places an image). Boxes are in points, origin at the top left of the page.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}
export interface Word extends Box {
  readonly text: string;
}
export interface PdfPage {
  readonly number: number;
  readonly width: number;
  readonly height: number;
  readonly words: readonly Word[];
  readonly images: readonly Box[];
  /** The page's words in reading order, joined by spaces. */
  readonly text: string;
}

const unescapeXml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The words of every page with their boxes. */
function pdfWords(path: string): Array<{ width: number; height: number; words: Word[] }> {
  const xml = execFileSync('pdftotext', ['-bbox-layout', path, '-'], { maxBuffer: 64 << 20 }).toString(
    'utf8',
  );
  const pages: Array<{ width: number; height: number; words: Word[] }> = [];
  for (const p of xml.split('<page ').slice(1)) {
    const [, w, h] = /width="([\d.]+)" height="([\d.]+)"/.exec(p)!;
    const words: Word[] = [];
    for (const m of p.matchAll(
      /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g,
    )) {
      words.push({ x0: +m[1]!, y0: +m[2]!, x1: +m[3]!, y1: +m[4]!, text: unescapeXml(m[5]!) });
    }
    pages.push({ width: +w!, height: +h!, words });
  }
  return pages;
}

interface PdfObject {
  readonly dict: string;
  readonly stream: Buffer | null;
}

/** The file's objects by number (the last definition wins), streams inflated. */
function pdfObjects(buf: Buffer): Map<number, PdfObject> {
  const src = buf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    const start = m.index + m[0].length;
    const end = src.indexOf('endobj', start);
    const body = src.slice(start, end);
    const s = body.indexOf('stream');
    if (s < 0) {
      objects.set(+m[1]!, { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    let at = start + s + 'stream'.length;
    if (src[at] === '\r') at++;
    if (src[at] === '\n') at++;
    let data = buf.subarray(at, at + length);
    if (/\/FlateDecode/.test(dict) && !/\/Subtype\s*\/Image/.test(dict)) data = inflateSync(data);
    objects.set(+m[1]!, { dict, stream: data });
    re.lastIndex = at + length;
  }
  return objects;
}

type Matrix = [number, number, number, number, number, number];
const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** The boxes of the images a page's content stream paints (PDF user space, origin bottom left). */
function imageBoxes(content: string, isImage: (name: string) => boolean): Array<Omit<Box, never>> {
  // Strings cannot place anything: drop them so their bytes are not read as operators.
  const ops = content
    .replace(/\((?:\\.|[^\\)])*\)/g, ' ')
    .replace(/<[0-9A-Fa-f\s]*>/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  const operands: string[] = [];
  const boxes: Box[] = [];
  for (const t of ops) {
    if (t === 'q') stack.push(ctm);
    else if (t === 'Q') ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (t === 'cm') ctm = mul(operands.slice(-6).map(Number) as Matrix, ctm);
    else if (t === 'Do') {
      const name = operands[operands.length - 1]!.replace(/^\//, '');
      if (isImage(name)) {
        const pts = [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ].map(([u, v]) => [u! * ctm[0] + v! * ctm[2] + ctm[4], u! * ctm[1] + v! * ctm[3] + ctm[5]]);
        const xs = pts.map((p) => p[0]!);
        const ys = pts.map((p) => p[1]!);
        boxes.push({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) });
      }
    }
    if (/^[a-zA-Z'"*]+\*?$/.test(t) && t !== 'true' && t !== 'false') operands.length = 0;
    else operands.push(t);
  }
  return boxes;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** Every page of a PDF with its words and images (boxes from the top left, in points). */
export function readPdfLayout(path: string): PdfPage[] {
  const buf = readFileSync(path);
  const objects = pdfObjects(buf);
  const pagesObj = [...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict))!;
  const kids = [...(/\/Kids\s*\[([^\]]*)\]/.exec(pagesObj.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((k) =>
    Number(k[1]),
  );
  const words = pdfWords(path);
  return kids.map((id, i) => {
    const page = objects.get(id)!.dict;
    const [, , , , h] = /\/MediaBox\s*\[\s*([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s*\]/
      .exec(page)!
      .map(Number);
    const resId = ref(page, 'Resources');
    const resources = resId === null ? page : objects.get(resId)!.dict;
    const xobjects = /\/XObject\s*<<([^>]*)>>/.exec(resources)?.[1] ?? '';
    const isImage = (name: string) => {
      const n = new RegExp(`/${name}\\s+(\\d+) 0 R`).exec(xobjects);
      return !!n && /\/Subtype\s*\/Image/.test(objects.get(Number(n[1]))?.dict ?? '');
    };
    const contentsRefs =
      /\/Contents\s*\[([^\]]*)\]/.exec(page)?.[1] ?? /\/Contents\s+(\d+ 0 R)/.exec(page)?.[1] ?? '';
    const content = [...contentsRefs.matchAll(/(\d+) 0 R/g)]
      .map((c) => objects.get(Number(c[1]))?.stream?.toString('latin1') ?? '')
      .join('\n');
    const images = imageBoxes(content, isImage).map((b) => ({
      x0: b.x0,
      x1: b.x1,
      y0: h! - b.y1,
      y1: h! - b.y0,
    }));
    const w = words[i]!;
    return {
      number: i + 1,
      width: w.width,
      height: w.height,
      words: w.words,
      images,
      text: w.words.map((x) => x.text).join(' '),
    };
  });
}

/** The overlap of two boxes (0 when they are disjoint), as the smaller of its width and height. */
export function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? Math.min(w, h) : 0;
}
