/**
 * The report as one self-contained HTML file, rendered from the same document model as the PDF (document.ts):
 * images inline as data URIs, no external resource, print CSS with the case footer and page numbers.
 */
import {
  buildReportDocument,
  type Block,
  type Cell,
  type ReportDocument,
  type ReportExtras,
} from './document';
import type { ReportManifest } from './manifest';

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A CSS string literal (for @page content). */
const cssString = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r]/g, ' ')}"`;

function cell(c: Cell, tag: 'td' | 'th' = 'td'): string {
  if (typeof c === 'string') return `<${tag}>${esc(c)}</${tag}>`;
  const body = c.mono ? `<code>${esc(c.text)}</code>` : esc(c.text);
  return `<${tag}${c.flag ? ' class="flag"' : ''}>${body}</${tag}>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${esc(b.text)}</h${b.level}>`;
    case 'para': {
      const cls = b.tone && b.tone !== 'normal' ? ` class="${b.tone}"` : '';
      const role = b.role ? ` data-role="${esc(b.role)}"` : '';
      const label = b.label ? `<strong>${esc(b.label)}</strong>${b.text ? ' ' : ''}` : '';
      return `<p${cls}${role}>${label}${esc(b.text)}</p>`;
    }
    case 'keyValues':
      return `<table class="kv">${b.rows.map((r) => `<tr><th>${esc(r.key)}</th><td>${r.mono ? `<code>${esc(r.value)}</code>` : esc(r.value)}</td></tr>`).join('')}</table>`;
    case 'table':
      return `<table><thead><tr>${b.header.map((h) => cell(h, 'th')).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c) => cell(c)).join('')}</tr>`).join('')}</tbody></table>`;
    case 'figures':
      return `<div class="row">${b.items
        .map(
          (f) =>
            `<figure${f.ai ? ' class="sr"' : ''} style="max-width:${Math.max(f.width, 110)}px"><img alt="${esc(f.alt)}" src="data:image/png;base64,${f.png}" width="${f.width}" height="${f.height}"${f.pixelated ? ' style="image-rendering:pixelated"' : ''}><figcaption>${f.caption.map(esc).join('<br>')}</figcaption></figure>`,
        )
        .join('')}</div>`;
    case 'steps':
      return `<ol>${b.items.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>`;
    case 'bullets':
      return `<ul>${b.items.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`;
    case 'code':
      return `<h4>${esc(b.title)}</h4><pre>${esc(b.text)}</pre>`;
    case 'keep':
      return `<div class="keep">${b.blocks.map(block).join('\n')}</div>`;
    case 'signature':
      return `<table class="signature">${b.rows.map((r) => `<tr><th>${esc(r.key)}</th><td>${esc(r.value)}</td></tr>`).join('')}</table>`;
  }
}

/** The HTML of a document model. */
export function renderHtmlDocument(doc: ReportDocument): string {
  const sections = doc.sections
    .map(
      (s) =>
        `<section><h2 id="${esc(s.id)}"${s.newPage ? ' class="new-page"' : ''}>${esc(s.title)}</h2>\n${s.blocks.map(block).join('\n')}\n</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${esc(doc.metadata.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#111;padding:0 1em}
code,pre{font-size:12px;word-break:break-all;white-space:pre-wrap}
pre{background:#f6f6f6;padding:.5em;border:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
table.kv th{width:12em}
.caveat{background:#fff3cd;border:2px solid #b00;padding:.5em;font-weight:bold;color:#900}
.flag{color:#b00;font-weight:bold}.small,.muted{font-size:12px}.muted{color:#555}
.row{display:flex;flex-wrap:wrap;gap:10px;margin:.5em 0}figure{margin:0;font-size:11px}
figure img{border:1px solid #999}.sr img{border:2px solid #b00}
.cover h1{font-size:2em;margin-bottom:0}.cover .case{font-size:1.4em;margin-top:.2em}
table.signature td{width:22em;height:2.2em;border:none;border-bottom:1px solid #444}table.signature th{border:none}
footer.print{display:none}
@page{size:A4;margin:18mm 16mm;@bottom-left{content:${cssString(doc.footer)};font-size:8pt}@bottom-right{content:"Page " counter(page) " of " counter(pages);font-size:8pt}}
@media print{body{margin:0;max-width:none}h2.new-page{break-before:page}figure,tr,.row,.keep{break-inside:avoid}}
</style></head><body>
<header class="cover"><h1>${esc(doc.title)}</h1><p class="case">${esc(doc.caseName)}</p>
${doc.cover.map(block).join('\n')}
</header>
${sections}
</body></html>
`;
}

/** A self-contained HTML report: no external resources, images inline as data URIs, the caveat on every image. */
export function renderHtmlReport(
  m: ReportManifest,
  manifestSha256: string,
  extras: ReportExtras = {},
): string {
  return renderHtmlDocument(buildReportDocument(m, manifestSha256, extras));
}
