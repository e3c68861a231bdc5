import type { ReportManifest } from './manifest';
import { inputLrCaption, provenanceCaption } from '../../shared/labels';
import { COMPARISON_NOTES, reportComparisonGroups, reportRunInput } from './comparisons';
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

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const img = (b64: string, alt: string, size = 128): string =>
  `<img alt="${esc(alt)}" src="data:image/png;base64,${b64}" width="${size}" height="${size}">`;

/** A face's crop and crop / LR hash cells; an 'lr16' face has no crop: its 16x16 LR is shown (pixelated) instead. */
function faceCells(f: ReportManifest['faces'][number]): string {
  if (f.method === 'lr16') {
    const lr = img(f.lrPng, '16x16 LR face (no crop)', 64).replace(
      '<img ',
      '<img style="image-rendering:pixelated" ',
    );
    return `<td>${lr}</td><td>no crop / <code>${shortHash(f.lrSha256)}</code></td>`;
  }
  return `<td>${img(f.cropPng, 'aligned crop', 64)}</td><td><code>${shortHash(f.cropSha256)}</code> / <code>${shortHash(f.lrSha256)}</code></td>`;
}

/** A self-contained HTML report: no external resources, images inline as data URIs, the caveat on every image. */
export function renderHtmlReport(m: ReportManifest, manifestSha256: string): string {
  const faces = new Map(m.faces.map((f) => [f.id, f]));
  const runs = m.runs
    .map((r) => {
      const face = faces.get(r.faceId);
      const bicubic = r.outputs.find((o) => o.kind === 'bicubic')?.metrics.consistency;
      const metric = (o: (typeof r.outputs)[number]): string =>
        [
          o.metrics.consistency === undefined
            ? ''
            : `consistency ${o.metrics.consistency.toFixed(1)} MSE — lower is closer to the input${o.kind === 'bicubic' || bicubic === undefined ? '' : `; bicubic ${bicubic.toFixed(1)}`}`,
          o.metrics.meanStd === undefined ? '' : `mean spread ${(o.metrics.meanStd * 255).toFixed(1)} levels`,
        ]
          .filter(Boolean)
          .map((t) => `<br>${esc(t)}`)
          .join('');
      const figures = [
        // The still's own aligned crop beside what the model saw: the larger the face, the more it holds.
        face && face.method !== 'lr16'
          ? `<figure>${img(face.cropPng, 'the still’s aligned face')}<figcaption>${esc(provenanceCaption('still'))}<br><code>${shortHash(face.cropSha256)}</code></figcaption></figure>`
          : '',
        face
          ? `<figure>${img(face.lrPng, 'LR 16x16')}<figcaption>${esc(inputLrCaption(face.method))}<br><code>${shortHash(face.lrSha256)}</code></figcaption></figure>`
          : '',
        ...[...r.outputs]
          .sort((x, y) => outputOrder(x) - outputOrder(y))
          .map((o) => {
            const ai = o.kind === 'candidate' || o.kind === 'mean';
            const short = testModelShort(r);
            return `<figure${ai ? ' class="sr"' : ''}>${img(o.png, outputCaption(r, o))}<figcaption>${short ? `<span class="flag">${esc(short)}</span><br>` : ''}${esc(outputCaption(r, o))}${metric(o)}<br><code>${shortHash(o.sha256)}</code></figcaption></figure>`;
          }),
      ].join('');
      const flag = testModelFlag(r);
      const input = reportRunInput(m, r);
      return `<section><h2>${esc(reportRunTitle(m, r))}</h2>
<p data-role="run-input">${esc(input.line)}</p>
${input.warning ? `<p class="flag" data-role="resolution-warning">${esc(input.warning)}</p>` : ''}
<p>Status: ${esc(r.status)} · device ${esc(r.device)} · queued ${esc(r.queuedAt)} · finished ${esc(r.finishedAt ?? '—')} (UTC)${r.rerunOf ? ` · ${esc(rerunText(m.runs, r))}` : ''} · run id <code>${esc(r.id)}</code></p>
${flag ? `<p class="flag">${esc(flag)}</p>` : ''}
<p class="caveat">${esc(m.caveat)}</p>
<div class="row">${figures}</div>
<h3>Parameters (C7 record)</h3><ul class="params">${runParameterLines(r as never)
        .map((l) => `<li><code>${esc(l)}</code></li>`)
        .join('')}</ul>
<p>Model: <code>${esc(r.model?.id ?? '—')}</code> sha256 <code>${esc(r.model?.sha256 ?? '—')}</code>${r.model?.provenance ? `<br>Provenance: <code>${esc(JSON.stringify(r.model.provenance))}</code>` : ''}</p>
</section>`;
    })
    .join('\n');
  const sweeps = reportSweeps(m)
    .map(
      (sw) => `<section><h2>${esc(sw.title)}</h2>${sw.points
        .filter((p) => testModelFlag(p.run))
        .slice(0, 1)
        .map((p) => `<p class="flag">${esc(testModelFlag(p.run)!)}</p>`)
        .join('')}
<table><tr><th>r</th><th>Consistency (MSE, lower is closer to the input)</th><th>Run</th></tr>${sw.points
        .map(
          (p) =>
            `<tr><td>${p.r}</td><td>${p.output?.metrics.consistency?.toFixed(1) ?? esc(p.run.status)}</td><td>${esc(reportRunTitle(m, p.run))}</td></tr>`,
        )
        .join('')}</table>
${
  sw.similarities.length === 0
    ? '<p>Cosine similarity (CS) to a reference photo: none. It needs a reference photo chosen for the sweep in the app.</p>'
    : sw.similarities
        .map(
          (s) =>
            `<p>Cosine similarity (CS) of each candidate to reference ${esc(s.reference)} by ${esc(s.embedderId)}, of each r (every comparison is in the audit trail):</p><ul>${s.points.map((p) => `<li>${esc(sweepSimilarityLine(p))}</li>`).join('')}</ul>`,
        )
        .join('') + `<p class="caveat">${esc(`${SR_CAVEAT} ${COMPARISON_CAVEAT}`)}</p>`
}
<div class="row">${sw.points
        .filter((p) => p.output)
        .map(
          (p) =>
            `<figure class="sr">${img(p.output!.png, `r = ${p.r}`)}<figcaption>${testModelShort(p.run) ? `<span class="flag">${esc(testModelShort(p.run)!)}</span><br>` : ''}r = ${p.r}<br>${esc(outputCaption(p.run, p.output!))}</figcaption></figure>`,
        )
        .join('')}</div></section>`,
    )
    .join('\n');
  const evidence = m.evidence
    .map(
      (e) =>
        `<tr><td>${esc(e.role)}</td><td>${esc(e.originalName)}</td><td>${e.width}×${e.height}</td><td>${e.sizeBytes}</td><td><code>${esc(e.sha256)}</code></td><td>${esc(e.importedAt)} by ${esc(e.importedBy)}</td></tr>`,
    )
    .join('');
  const facesHtml = m.faces
    .map(
      (f) =>
        `<tr><td>${esc(reportFaceTitle(m, f))}<br><code>${esc(f.id)}</code></td><td>${esc(FACE_METHOD[f.method])}</td><td><code>${esc(f.points.map((p) => `(${p.x.toFixed(1)},${p.y.toFixed(1)})`).join(' '))}</code></td><td><code>${esc(f.transform.map((v) => v.toFixed(4)).join(', '))}</code></td>${faceCells(f)}</tr>`,
    )
    .join('');
  // One declared LR per run and reference photo, grouped by reference; each comparison below for the record.
  const groups = reportComparisonGroups(m)
    .map(
      (g) =>
        `<h3>Reference photo: ${esc(g.reference)}</h3><table><tr><th>Run</th><th>Input</th><th>Likelihood ratio (declared)</th><th>Similarity</th></tr>${g.rows
          .map(
            (r) =>
              `<tr><td>${esc(r.run)}${r.sameSource ? `<br><span class="flag" data-role="same-source">${esc(r.sameSource)}</span>` : ''}</td><td>${esc(r.input)}</td><td>${esc(r.lr)}</td><td>${esc(r.similarity)}</td></tr>`,
          )
          .join('')}</table>`,
    )
    .join('');
  const notes = COMPARISON_NOTES.map((n) => `<p>${esc(n)}</p>`).join('');
  const comps = m.comparisons
    .map(
      (c) =>
        `<tr><td>${esc(reportComparisonSubject(m, c))}</td><td>${esc(m.evidence.find((e) => e.id === c.referenceEvidenceId)?.originalName ?? c.referenceEvidenceId)}</td><td>${esc(c.embedderId)} <code>${shortHash(c.embedderSha256)}</code></td><td>${c.score.toFixed(4)}</td><td>${c.calibrationPercentile === null ? '—' : `${c.calibrationPercentile.toFixed(1)}th percentile`}</td></tr>`,
    )
    .join('');
  const audit = m.audit.excerpt
    .map(
      (e) =>
        `<tr><td>${e.seq}</td><td>${esc(e.time)}</td><td>${esc(whoDid(e))}</td><td>${esc(e.action)}</td><td><code>${shortHash(e.hash)}</code></td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Facet SR report — ${esc(m.case.name)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
code{font-size:12px;word-break:break-all}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.caveat{background:#fff3cd;border:2px solid #b00;padding:.5em;font-weight:bold}
.row{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0;text-align:center;font-size:12px;max-width:160px}
.flag{color:#b00;font-weight:bold}
figure img{image-rendering:pixelated;border:1px solid #999}.sr img{border:2px solid #b00}
</style></head><body>
<h1>Facet SR report: ${esc(m.case.name)}</h1>
<p class="caveat">${esc(m.caveat)}</p>
<p>Case <code>${esc(m.case.id)}</code> (${esc(m.case.status)}, created ${esc(m.case.createdAt)}) · generated ${esc(m.generatedAt)} by ${esc(m.generator.app)} ${esc(m.generator.version)}</p>
<p>Examiner: ${esc(examinerLine(m))}</p>
<p>Manifest SHA-256: <code>${esc(manifestSha256)}</code></p>
<h2>Evidence</h2><table><tr><th>Role</th><th>Name</th><th>Pixels</th><th>Bytes</th><th>SHA-256</th><th>Imported</th></tr>${evidence}</table>
<h2>Face alignment</h2><table><tr><th>Face</th><th>Method</th><th>Landmarks</th><th>Transform</th><th>Crop</th><th>Crop / LR SHA-256</th></tr>${facesHtml}</table>
${runs}
${sweeps}
<h2>Comparisons</h2>${comps ? `${groups}${notes}<h3>Every comparison (the record)</h3><table><tr><th>Image</th><th>Reference</th><th>Embedder</th><th>Score</th><th>Calibration</th></tr>${comps}</table>` : '<p>None.</p>'}
<p class="caveat">${esc(m.caveat)}</p>
<h2>Method</h2><p>${esc(m.citation)}</p>
<h2>Audit trail</h2>${auditLines(m)
    .map((l) => `<p>${esc(l)}</p>`)
    .join('')}
<table><tr><th>Seq</th><th>Time</th><th>Examiner (OS account)</th><th>Action</th><th>Hash</th></tr>${audit}</table>
<h2>How to verify</h2><ol>${m.howToVerify.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>
</body></html>
`;
}
