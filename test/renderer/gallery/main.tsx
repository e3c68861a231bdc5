/**
 * A test-only page that renders the renderer's components with images the test made, so they can be checked
 * and screenshotted in Chromium without the services. `?scheme=dark|light` picks the theme.
 */
import '@mantine/core/styles.css';
import '../../../src/renderer/src/styles.css';
import { Button, MantineProvider, Stack, Title } from '@mantine/core';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type {
  FacetBridge,
  ModelInfo,
  ModelList,
  RunPlanSummary,
  RunSettings,
} from '../../../src/shared/contract';
import { nfePerBatch, planRun } from '../../../src/core/sampling/plan';
import { defaultEps, defaultSde } from '../../../src/core/sde';
import { presetRules } from '../../../src/main/services/preset-rules';
import { theme } from '../../../src/renderer/src/theme';
import { Viewer } from '../../../src/renderer/src/features/viewer/Viewer';
import { RunDialog } from '../../../src/renderer/src/features/runs/RunDialog';
import { JobProgress } from '../../../src/renderer/src/features/runs/JobProgress';
import { useJobProgress } from '../../../src/renderer/src/features/runs/useJobProgress';
import { SimilarityBars } from '../../../src/renderer/src/features/charts/SimilarityBars';
import { RSweepChart } from '../../../src/renderer/src/features/charts/RSweepChart';
import { ShortcutHelp } from '../../../src/renderer/src/app/ShortcutHelp';
import { FacePicker, AlignedPreview } from '../../../src/renderer/src/features/faces/FacePicker';
import { ComparisonTable } from '../../../src/renderer/src/features/compare/ComparisonTable';
import { AuditLog } from '../../../src/renderer/src/features/audit/AuditLog';
import type { GalleryWindow } from './fixtures';

/** Two test models and one measured cost: the VE model at 4 candidates on CPU, 48 ms per network evaluation. */
const galleryModel = (id: string, sde: ModelInfo['sde']): ModelInfo => ({
  id,
  sde,
  dataRange: [0, 1],
  params: 0,
  flops: 491520,
  trainedOnFaces: false,
  licence: 'contains no data',
  testOnly: true,
});
const GALLERY_MODELS: ModelList = {
  models: [galleryModel('gallery-ve', 've'), galleryModel('gallery-vp', 'vp')],
  providers: [
    { name: 'cpu', note: null },
    { name: 'cuda', note: 'needs the CUDA install; falls back to CPU' },
  ],
  costs: [{ modelId: 'gallery-ve', provider: 'cpu', batch: 4, msPerNfe: 48, source: 'runs', samples: 3 }],
  // Main's rules, as models.list gives them.
  presets: presetRules(),
};

/**
 * runs.plan as the gallery answers it (no services here): the model by id, or the first gallery model of the SDE
 * ('best': the VE one), planned by the core's planRun like main plans it.
 */
async function galleryPlan(s: RunSettings): Promise<RunPlanSummary> {
  const m =
    GALLERY_MODELS.models.find((x) => x.id === s.modelId) ??
    GALLERY_MODELS.models.find((x) => x.sde === s.modelId || s.modelId === 'best');
  if (!m) throw new Error(`No model "${s.modelId}" is installed.`);
  const p = planRun(
    { ...s, seed: s.seed ?? '0' },
    { id: m.id, sha256: '0'.repeat(64), sde: defaultSde(m.sde), eps: defaultEps(m.sde) },
  );
  const pc = p.sampler.kind === 'pc' && p.sampler.corrector !== 'none' ? p.sampler : null;
  return {
    model: { id: m.id, sha256: '0'.repeat(64), sde: m.sde },
    preset: p.preset,
    sampler: {
      kind: p.sampler.kind,
      steps: p.sampler.steps,
      correctorSteps: pc ? pc.correctorSteps : 0,
      snr: pc ? pc.snr : null,
    },
    candidates: p.candidates,
    nfe: nfePerBatch(p.sampler),
    seed: s.seed ?? null,
  };
}

const w = window as unknown as GalleryWindow & { facet: FacetBridge };
type Listener = (name: string, payload: unknown) => void;
const listeners = new Set<Listener>();
w.__submitted = [];
w.__cancelled = [];
w.__picked = [];
w.__manual = [];
w.__emit = (name, payload) => listeners.forEach((l) => l(name, payload));
// A stand-in bridge for the gallery only: events come from the test, calls are refused.
w.facet = {
  invoke: async () => ({ ok: false, error: { code: 'internal', message: 'No services in the gallery.' } }),
  onEvent: (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  importDropped: async () => ({
    ok: false,
    error: { code: 'internal', message: 'No drops in the gallery.' },
  }),
};

function Jobs() {
  const jobs = useJobProgress();
  return (
    <Stack gap="xs" w={480} data-testid="gallery-jobs">
      {[...jobs.values()].map((p) => (
        <JobProgress
          key={p.jobId}
          title={`Run ${p.jobId}`}
          progress={p}
          onCancel={async () => {
            w.__cancelled?.push(p.jobId);
          }}
        />
      ))}
    </Stack>
  );
}

function Gallery() {
  const f = w.__galleryFixtures;
  const [dialog, setDialog] = useState(false);
  const [models, setModels] = useState<ModelList>(GALLERY_MODELS);
  const [help, setHelp] = useState(false);
  if (!f) return <p>No fixtures.</p>;
  const section = (id: string, title: string, node: React.ReactNode) => (
    <section data-testid={id} style={{ padding: 8 }}>
      <Title order={3} size="h6" mb={4}>
        {title}
      </Title>
      {node}
    </section>
  );
  return (
    <Stack gap="md" p="sm">
      {section(
        'gallery-viewer',
        'Viewer',
        <Viewer
          size={192}
          lr={{ id: 'lr', title: 'Input 16×16 (real pixels)', src: f.lr, kind: 'lr' }}
          bicubic={{
            id: 'bicubic',
            title: 'Bicubic 128×128',
            src: f.bicubic,
            kind: 'bicubic',
            metrics: [{ label: 'Consistency', value: '0.00', hint: 'Difference from the input when shrunk' }],
          }}
          candidates={f.candidates.map((src, i) => ({
            id: `c${i + 1}`,
            title: `Candidate ${i + 1}`,
            src,
            kind: 'candidate' as const,
            metrics: [
              { label: 'Consistency', value: (0.5 + i).toFixed(2), hint: 'Lower: closer to the input' },
              { label: 'Similarity', value: (0.61 - i * 0.05).toFixed(3) },
            ],
          }))}
          reference={{ id: 'ref', title: 'Reference photo', src: f.reference, kind: 'reference' }}
        />,
      )}
      {section('gallery-jobs-section', 'Jobs', <Jobs />)}
      {section(
        'gallery-faces',
        'Face step',
        <>
          <FacePicker
            src={f.still.src}
            width={f.still.width}
            height={f.still.height}
            maxWidth={600}
            detections={[
              {
                box: { x: f.still.width * 0.4, y: f.still.height * 0.2, width: 60, height: 60 },
                score: 0.93,
                points: [
                  { x: f.still.width * 0.4 + 18, y: f.still.height * 0.2 + 22 },
                  { x: f.still.width * 0.4 + 42, y: f.still.height * 0.2 + 22 },
                ],
              },
            ]}
            onPick={(i) => w.__picked?.push(i)}
            onManual={(pts) => w.__manual?.push(pts)}
          />
          <AlignedPreview cropSrc={f.candidates[0] ?? ''} lrSrc={f.lr} />
        </>,
      )}
      {section(
        'gallery-compare',
        'Comparison',
        <ComparisonTable
          caveat="AI-generated candidate — an investigative aid, not evidence of identity."
          groups={[
            {
              referenceId: 'ref1',
              reference: 'suspect.jpg',
              rows: [
                {
                  id: 'r1|ref1',
                  run: 'Run 1 · Fast · 4 candidates · seed 7',
                  input: 'Face 1 of still.jpg · still',
                  sameSource: null,
                  lr: {
                    lrLog10: 1,
                    lrVerbal: 'weak support for same person',
                    lrCondition: 'mean of 4 SR candidates from a 16x16 face vs photo',
                    lrCllr: 0.67,
                    lrCalibratedFor: 'mean of 4 SR candidates from a 16x16 face vs photo (candidates of m)',
                  },
                  lrWithheld: null,
                  meanScore: 0.42,
                  spread: { n: 4, min: -0.05, median: 0.3, max: 0.5 },
                },
                {
                  id: 'r2|ref1',
                  run: 'Run 2 · Fast · 2 candidates · seed 8',
                  input: 'Face 1 of suspect.jpg · reference photo',
                  sameSource:
                    "SAME SOURCE: the run's input face was aligned from suspect.jpg, the reference photo itself",
                  lr: null,
                  lrWithheld: 'no calibration for a mean of 2 candidates (only for a mean of 4)',
                  meanScore: 0.97,
                  spread: { n: 2, min: 0.95, median: 0.96, max: 0.97 },
                },
              ],
              bars: f.candidates.map((_, i) => ({
                id: `cmp${i}`,
                label: `Run 1 · candidate ${i + 1}`,
                value: i === 0 ? -0.05 : 0.3 + i * 0.1,
              })),
            },
          ]}
        />,
      )}
      {section(
        'gallery-audit',
        'Audit',
        <AuditLog
          status={{
            ok: false,
            events: 3,
            reason: 'The stored hash does not match the event.',
            location: { table: 'audit_events', seq: 2 },
          }}
          events={[1, 2, 3].map((seq) => ({
            seq,
            time: '2026-11-26T16:00:00Z',
            actor: 'examiner',
            action: seq === 1 ? 'case.create' : 'evidence.import',
            subject: `case/${seq}`,
            hash: String(seq).repeat(64),
          }))}
        />,
      )}
      {section(
        'gallery-similarity',
        'Similarity',
        <SimilarityBars
          title="Similarity of each candidate to the suspect photo"
          bars={f.candidates.map((_, i) => ({
            id: `bar${i}`,
            label: `Candidate ${i + 1}`,
            value: 0.61 - i * 0.07,
          }))}
          threshold={{ value: 0.3, label: 'Different-person pairs rarely exceed this' }}
        />,
      )}
      {section(
        'gallery-sweep',
        'r sweep',
        <RSweepChart
          metric="Identity similarity"
          unit="cosine"
          baseline={0}
          top={1}
          digits={3}
          points={[0.04, 0.08, 0.12, 0.16, 0.2, 0.28].map((r) => ({ r, value: 0.9 - (r - 0.16) ** 2 * 8 }))}
        />,
      )}
      <Button w={160} onClick={() => setDialog(true)}>
        Open run dialog
      </Button>
      <Button w={160} variant="default" onClick={() => setHelp(true)}>
        Open shortcuts
      </Button>
      <RunDialog
        opened={dialog}
        onClose={() => setDialog(false)}
        plan={galleryPlan}
        models={models}
        onBenchmark={async (ask) => {
          // The gallery has no engine: a "benchmark" adds a fixed cost so the test sees the estimate appear.
          setModels((m) => ({
            ...m,
            costs: [...m.costs, { ...ask, msPerNfe: 30, source: 'benchmark', samples: 3 }],
          }));
          return { providerFallback: null };
        }}
        onSubmit={async (s) => {
          w.__submitted?.push(s);
        }}
      />
      <ShortcutHelp opened={help} onClose={() => setHelp(false)} />
    </Stack>
  );
}

const scheme = new URLSearchParams(location.search).get('scheme') === 'dark' ? 'dark' : 'light';
const root = document.getElementById('root');
if (!root) throw new Error('no #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} forceColorScheme={scheme}>
      <Gallery />
    </MantineProvider>
  </StrictMode>,
);
