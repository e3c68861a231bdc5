/** How the tabs name a case's things: one face numbering, run titles, report and comparison names, test flags. */
import { describe, expect, it } from 'vitest';
import type { Case, Comparison, Evidence, Face, ModelInfo, Report, Run } from '../../src/shared/contract';
import { faceNumbers, faceTitle } from '../../src/shared/labels';
import {
  comparisonSubject,
  detectionLabels,
  detectionLetter,
  faceNames,
  isTestModelRun,
  reportFileName,
  reportName,
  runName,
} from '../../src/renderer/src/features/cases/names';
import { subjectNames } from '../../src/renderer/src/features/audit/AuditTab';

const ev = (id: string, name: string, role: Evidence['role'] = 'probe'): Evidence =>
  ({ id, caseId: 'c', role, originalName: name, sha256: `${id}`.padEnd(64, '0') }) as Evidence;
const face = (id: string, evidenceId: string, createdAt: string, points = [{ x: 1, y: 2 }]): Face =>
  ({ id, caseId: 'c', evidenceId, method: 'auto', points, createdAt }) as Face;
const run = (id: string, queuedAt: string, modelId = 'm-real', outputs: Run['outputs'] = []): Run =>
  ({
    id,
    caseId: 'c',
    faceId: 'f1',
    queuedAt,
    seed: '7',
    status: 'done',
    record: null,
    settings: { preset: 'sde-ve', candidates: 4, modelId },
    outputs,
  }) as unknown as Run;

const still = ev('e1', 'still.jpg');
const photo = ev('e2', 'suspect.jpg', 'reference');
// Aligned in this order: still, photo, still (listed in another order to show the numbering does not depend on it).
const faces = [
  face('f3', 'e1', '2026-12-02T10:03:00Z', [{ x: 5, y: 6 }]),
  face('f1', 'e1', '2026-12-02T10:01:00Z', [{ x: 1, y: 2 }]),
  face('f2', 'e2', '2026-12-02T10:02:00Z'),
];

describe('one numbering of faces', () => {
  it('numbers faces within their file, from 1, in the order they were aligned', () => {
    const n = faceNumbers(faces);
    expect([n.get('f1'), n.get('f2'), n.get('f3')]).toEqual([1, 1, 2]);
    expect(faceTitle(2, 'still.jpg')).toBe('Face 2 of still.jpg');
    const names = faceNames(faces, [still, photo]);
    expect(names.get('f3')).toBe('Face 2 of still.jpg');
    expect(names.get('f2')).toBe('Face 1 of suspect.jpg');
  });

  it('labels an aligned detection with its face number and a detection not aligned yet with a letter', () => {
    const found = [
      { landmarks: [{ x: 9, y: 9 }] },
      { landmarks: [{ x: 5, y: 6 }] },
      { landmarks: [{ x: 1, y: 2 }] },
    ];
    const labels = detectionLabels(found, 'e1', faces);
    expect(labels.map((l) => l.short)).toEqual(['A', 'Face 2', 'Face 1']);
    expect(labels[0]!.name).toBe('Detection A');
    expect(labels[1]!.faceId).toBe('f3');
    // On the photo, the landmarks of detection C are the photo's own face 1; A and B match no face there.
    expect(detectionLabels(found, 'e2', faces).map((l) => l.short)).toEqual(['A', 'B', 'Face 1']);
    expect(detectionLabels(found, 'e3', faces).map((l) => l.short)).toEqual(['A', 'B', 'C']);
    expect([0, 25, 26, 27].map(detectionLetter)).toEqual(['A', 'Z', 'AA', 'AB']);
  });
});

describe('runs, comparisons and reports by name', () => {
  const out = { id: 'o2', kind: 'candidate', index: 1 } as Run['outputs'][number];
  const runs = [run('r2', '2026-12-02T11:00:00Z', 'm-test', [out]), run('r1', '2026-12-02T10:00:00Z')];
  const models = [
    { id: 'm-test', testOnly: true, trainedOnFaces: false },
    { id: 'm-real', testOnly: false, trainedOnFaces: true },
  ] as ModelInfo[];

  it('names a run by its number in queue order and flags a test model', () => {
    expect(runName(runs[0]!, runs)).toBe('Run 2 · SDE-VE · 4 candidates · seed 7');
    expect(isTestModelRun(runs[0]!, models)).toBe(true);
    expect(isTestModelRun(runs[1]!, models)).toBe(false);
    expect(isTestModelRun(runs[0]!, undefined)).toBe(false);
  });

  it('names a comparison and a report by what they are', () => {
    const c = { id: 'cmp', outputId: 'o2', probeEvidenceId: null, referenceEvidenceId: 'e2' } as Comparison;
    expect(comparisonSubject(c, runs, [still, photo])).toBe('Run 2 · candidate 2');
    const report = {
      id: '1a2b3c4d-5e6f',
      caseId: 'c',
      runId: 'r2',
      format: 'pdf',
      sha256: 'abcdef0123456789'.padEnd(64, '0'),
    } as Report;
    expect(reportFileName(report)).toBe('facet-report-1a2b3c4d.pdf');
    expect(reportName(report, runs)).toBe(
      'PDF report of Run 2 · SDE-VE · 4 candidates · seed 7: facet-report-1a2b3c4d.pdf (abcdef012345)',
    );
    expect(reportName({ ...report, runId: null, format: 'manifest' }, runs)).toMatch(
      /^JSON manifest report of whole case: facet-report-1a2b3c4d\.json/,
    );

    // The audit tab resolves every kind of subject; an id it does not know stays as it is.
    const describe_ = subjectNames(
      { id: 'c', name: 'Case A' } as Case,
      [still, photo],
      faces,
      runs,
      [c],
      [report],
    );
    expect(describe_('1a2b3c4d-5e6f')).toBe(reportName(report, runs));
    expect(describe_('cmp')).toBe('comparison of Run 2 · candidate 2 with suspect.jpg');
    expect(describe_('f3')).toBe('Face 2 of still.jpg');
    expect(describe_('r1')).toBe('Run 1 · SDE-VE · 4 candidates · seed 7');
    expect(describe_('c')).toBe('case "Case A"');
    expect(describe_('e1')).toMatch(/^probe still\.jpg \(e1/);
    expect(describe_('unknown-id')).toBe('unknown-id');
  });
});
