/**
 * The TypeScript and Python evaluators share the protocol pieces exactly: face selection on the real manifest,
 * method ids and labels, the analytic model's hash and score, the pixel embedder, statistics and the Markdown rows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summariseMethod } from '../../../src/core/eval/aggregate';
import { planMethods, selectFaces } from '../../../src/core/eval/protocol';
import { markdownTable } from '../../../src/core/eval/table';
import { resolvePreset } from '../../../src/core/sampling';
import { analyticGaussianModel } from '../../../src/main/eval/analytic-model';
import { pixelEmbed, pixelEmbedder } from '../../../src/main/eval/embedders';
import { CELEBA_BOX, loadCelebaSet, parseManifest } from '../../../src/main/eval/faces';
import { fakeResults } from '../../core/eval/fixture';

const root = resolve(import.meta.dirname, '../../..');
const shared = process.env.FACET_SHARED_DIR ?? join(root, '../shared');
const manifest = join(shared, 'data/eval/celeba/manifest.csv');

const PY = String.raw`
import json, sys
import numpy as np, torch
from training.evaluation.protocol import parse_manifest, select_faces, plan_methods
from training.evaluation.models import analytic_gaussian_model, pixel_embed, PIXEL_EMBEDDER_INFO
from training.evaluation.aggregate import summarise_method
from training.evaluation.table import markdown_table
from training.evaluation.run import resolve_sampler
from training.frame import BOXES, to_frame
from PIL import Image
import os
inp = json.load(sys.stdin)
probes, gallery = select_faces(parse_manifest(open(inp["manifest"]).read()), 40)
plan = plan_methods(["m"], ["fast", "sde-ve", "sde-vecs"], r_sweep=[0.05, 0.16, 0.6], fast_steps=[4, 9],
                    pc_steps_sweep=[100], pc_steps=100, sweep_steps=50)
score, info = analytic_gaussian_model({"kind": "ve", "sigmaMin": 0.01, "sigmaMax": 348}, 0.1)
x = torch.tensor(inp["x"], dtype=torch.float32).view(2, 3)
y = torch.tensor(inp["y"], dtype=torch.float32).view(2, 3)
s = score(x, y, torch.tensor([0.3, 0.9]))
img = np.array(inp["img"], dtype=np.float32).reshape(128, 128, 3)
methods = inp["methods"]
for m in methods:
    m["summary"] = summarise_method(m["perFace"], inp["hrGradientRatioMean"])
print(json.dumps({
    "probes": [[p.file, p.identity] for p in probes], "gallery": [[g.file, g.identity] for g in gallery],
    "plan": [[m.id, m.label, m.tags] for m in plan], "info": info, "score": s.flatten().tolist(),
    "embed": pixel_embed(img).tolist(), "embedder": PIXEL_EMBEDDER_INFO,
    "summaries": [m["summary"] for m in methods], "table": markdown_table(methods),
    "samplers": [resolve_sampler(p, o, {"sde": s}) for p, o, s in inp["samplers"]],
    "box": list(BOXES["celeba"]),
    "hr": [to_frame(Image.open(os.path.join(os.path.dirname(inp["manifest"]), p.file)), "celeba").ravel().tolist()
           for p in probes[:2]],
}))
`;

describe.skipIf(!existsSync(manifest))('Python evaluator parity (protocol pieces)', () => {
  it('matches the TypeScript implementation', async () => {
    const img = Float32Array.from({ length: 128 * 128 * 3 }, (_, i) => ((i * 2654435761) % 1000) / 999);
    const x = [0.1, 0.5, 0.9, -0.2, 1.3, 0.4];
    const y = [0.2, 0.4, 0.6, 0.0, 1.0, 0.5];
    const fr = fakeResults(5);
    const ve = { kind: 've', sigmaMin: 0.01, sigmaMax: 348 } as const;
    const vp = { kind: 'vp', betaMin: 0.1, betaMax: 20 } as const;
    const samplerCases = [
      ['sde-ve', {}, ve],
      ['sde-vecs', { steps: 100, snr: 0.3 }, ve],
      ['sde-vecs', { correctorSteps: 2 }, ve],
      ['sde-vp', { steps: 50 }, vp],
      ['fast', {}, ve],
      ['fast', { steps: 10 }, vp],
    ] as const;
    const input = {
      samplers: samplerCases,
      manifest,
      x,
      y,
      img: Array.from(img),
      methods: fr.methods.map((m) => ({ ...m, summary: undefined })),
      hrGradientRatioMean: fr.methods[1]!.summary.gradientRatio!.mean,
    };
    const out = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', PY], {
        cwd: root,
        input: JSON.stringify(input),
        env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONPATH: root },
        maxBuffer: 64 << 20,
      }).toString(),
    ) as Record<string, unknown>;

    const sel = selectFaces(parseManifest(readFileSync(manifest, 'utf8')), 40);
    expect(out.probes).toEqual(sel.probes.map((p) => [p.file, p.identity]));
    expect(out.gallery).toEqual(sel.gallery.map((g) => [g.file, g.identity]));

    const plan = planMethods({
      modelIds: ['m'],
      presets: ['fast', 'sde-ve', 'sde-vecs'],
      pcSteps: 100,
      sweepSteps: 50,
      rSweep: [0.05, 0.16, 0.6],
      fastSteps: [4, 9],
      pcStepsSweep: [100],
    });
    expect(out.plan).toEqual(plan.map((m) => [m.id, m.label, m.tags]));

    const model = analyticGaussianModel({ kind: 've', sigmaMin: 0.01, sigmaMax: 348 }, 0.1);
    expect(out.info).toEqual(model.info);
    const s = await model.score(
      { data: Float32Array.from(x), shape: [2, 3] },
      { data: Float32Array.from(y), shape: [2, 3] },
      Float32Array.from([0.3, 0.9]),
    );
    (out.score as number[]).forEach((v, i) => expect(v).toBeCloseTo(s[i]!, 5));

    const e = pixelEmbed({ width: 128, height: 128, data: img });
    (out.embed as number[]).forEach((v, i) => expect(Math.abs(v - e[i]!)).toBeLessThan(1e-6));
    expect(out.embedder).toEqual(pixelEmbedder.info);

    const summaries = out.summaries as ReturnType<typeof summariseMethod>[];
    summaries.forEach((s, i) => {
      const ts = summariseMethod(fr.methods[i]!.perFace, fr.methods[1]!.summary.gradientRatio!.mean!);
      expect(s.rank1).toBe(ts.rank1);
      expect(s.psnr.mean).toBeCloseTo(ts.psnr.mean!, 12);
      expect(s.cs.std).toBeCloseTo(ts.cs.std!, 12);
      expect(s.pearsonCsPsnr ?? NaN).toBeCloseTo(ts.pearsonCsPsnr ?? NaN, 12);
      expect(s.gradientRatio!.std).toBeCloseTo(ts.gradientRatio!.std!, 12);
      expect(s.streak).toBeCloseTo(ts.streak!, 12);
    });
    expect(out.table).toBe(markdownTable(fr.methods));
    // The Python evaluator resolves the paper's PC presets and the fast preset exactly as the app does.
    expect(out.samplers).toEqual(samplerCases.map(([p, o, s]) => resolvePreset(p, s, o)));
    // Both map eval/celeba into C1 with the same calibrated box; PIL (8-bit passes) and the C2-kernel crop here
    // differ by a fraction of a grey level on average (measured: mean 0.17-0.19, max 1-6 levels).
    expect(out.box).toEqual([...CELEBA_BOX]);
    const hr = (await loadCelebaSet(dirname(manifest), 2)).probes;
    (out.hr as number[][]).forEach((py, i) => {
      const diffs = Array.from(hr[i]!.hr.data, (v, j) => Math.abs(Math.round(v * 255) - py[j]!));
      expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(0.5);
      expect(Math.max(...diffs)).toBeLessThanOrEqual(10);
    });
  });
});
