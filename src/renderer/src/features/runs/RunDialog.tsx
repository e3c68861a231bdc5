import {
  Accordion,
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  RunSettingsSchema,
  type ModelInfo,
  type ModelList,
  type PresetName,
  type ProviderName,
  type RunSettings,
} from '../../../../shared/contract';
import { formatEstimate } from '../../lib/format';
import { costFor, estimateMs, PRESETS, randomSeed, resolveModelRef } from './presets';

/** Fields the user may pre-fill, e.g. from a past run for "re-run exactly". */
export type RunDraft = Partial<RunSettings>;

/** What "Time it" asks the engine to measure. */
export interface BenchmarkAsk {
  readonly modelId: string;
  readonly provider: ProviderName;
  readonly batch: number;
}

/** The model selector's value for "let the method pick". */
const AUTO = '__auto__';

/** A model as the selector lists it: id, SDE, and what it is not. */
function modelLabel(m: ModelInfo): string {
  const notes = [m.testOnly ? 'test model' : null, m.trainedOnFaces ? null : 'not trained on faces'];
  const extra = notes.filter((n) => n !== null).join(', ');
  return `${m.id} (SDE-${m.sde.toUpperCase()})${extra ? ` · ${extra}` : ''}`;
}

/** Props of the run dialog. */
export interface RunDialogProps {
  readonly opened: boolean;
  readonly onClose: () => void;
  /** The score model a run of this preset uses (an id, or the engine's 've' / 'vp' / 'subvp' / 'best'). */
  readonly modelFor: (preset: PresetName) => string;
  /** Models, providers and measured per-NFE costs (models.list); null while loading. */
  readonly models: ModelList | null;
  /** Times the model in the engine ("Time it"); the caller refreshes `models` with the new cost. */
  readonly onBenchmark?: (ask: BenchmarkAsk) => Promise<{ providerFallback: string | null }>;
  readonly initial?: RunDraft;
  /** Starts the run; its error message is shown in the dialog. */
  readonly onSubmit: (settings: RunSettings) => Promise<void>;
}

type Num = number | '';

/** The run dialog: a preset, optional advanced fields, a seed, and the estimated time before starting. */
export function RunDialog(props: RunDialogProps) {
  const init = props.initial ?? {};
  const [preset, setPreset] = useState<PresetName>(init.preset ?? 'fast');
  const [steps, setSteps] = useState<Num>(init.steps ?? '');
  const [corrector, setCorrector] = useState<Num>(init.correctorSteps ?? '');
  const [snr, setSnr] = useState<Num>(init.snr ?? '');
  const [candidates, setCandidates] = useState<Num>(init.candidates ?? 4);
  const [seed, setSeed] = useState<string>(init.seed ?? randomSeed());
  const [provider, setProvider] = useState<ProviderName>(init.provider ?? 'cpu');
  const [modelChoice, setModelChoice] = useState<string>(init.modelId ?? AUTO);
  const [timing, setTiming] = useState(false);
  const [timingNote, setTimingNote] = useState<string | null>(null);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const info = PRESETS[preset];
  const effSteps = steps === '' ? info.steps : steps;
  const effM = corrector === '' ? info.correctorSteps : corrector;
  const modelRef = modelChoice === AUTO ? props.modelFor(preset) : modelChoice;
  const models = props.models?.models ?? [];
  const model = resolveModelRef(modelRef, models);
  const batch = candidates === '' ? 0 : candidates;
  // All candidates go through the network together, so one NFE of the batch is the unit (no per-image guess).
  const cost = model && batch > 0 ? costFor(props.models?.costs ?? [], model.id, provider, batch) : null;
  const estimate = estimateMs(info, effSteps, effM, 1, cost?.msPerNfe ?? null);
  const providers = props.models?.providers ?? [{ name: 'cpu' as const, note: null }];
  const providerNote = providers.find((p) => p.name === provider)?.note ?? null;

  const timeIt = async () => {
    if (!model || !props.onBenchmark || batch < 1) return;
    setTiming(true);
    setTimingNote(null);
    try {
      const out = await props.onBenchmark({ modelId: model.id, provider, batch });
      setTimingNote(out.providerFallback);
    } catch (err) {
      setTimingNote((err as Error).message);
    } finally {
      setTiming(false);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = RunSettingsSchema.safeParse({
      modelId: modelRef,
      preset,
      steps: steps === '' ? undefined : steps,
      correctorSteps: corrector === '' ? undefined : corrector,
      snr: snr === '' ? undefined : snr,
      candidates: candidates === '' ? undefined : candidates,
      seed: seed.trim(),
      provider,
    });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[0] ?? 'form')] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    setSubmitError(null);
    setBusy(true);
    try {
      // Unset fields are left out entirely (not sent as undefined): the run record is canonical JSON.
      const settings = Object.fromEntries(
        Object.entries(parsed.data).filter(([, v]) => v !== undefined),
      ) as RunSettings;
      await props.onSubmit(settings);
      props.onClose();
    } catch (err) {
      setSubmitError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={props.opened} onClose={props.onClose} title="New super-resolution run" size="lg">
      <form onSubmit={onSubmit} aria-label="Run settings">
        <Stack gap="xs">
          <div>
            <Text size="sm" fw={500} mb={2} id="preset-label">
              Method
            </Text>
            <SegmentedControl
              aria-labelledby="preset-label"
              fullWidth
              value={preset}
              onChange={(v) => setPreset(v as PresetName)}
              data={Object.entries(PRESETS).map(([value, p]) => ({ value, label: p.label }))}
            />
            <Text size="xs" c="dimmed" mt={2}>
              {info.description}
            </Text>
          </div>
          <Select
            label="Model"
            description={
              model
                ? `${model.params.toLocaleString()} parameters · data range [${model.dataRange.join(', ')}] · licence: ${model.licence}`
                : 'The score network that generates the candidates'
            }
            data={[
              { value: AUTO, label: `Automatic: best model for the method${model ? ` (${model.id})` : ''}` },
              ...models.map((m) => ({ value: m.id, label: modelLabel(m) })),
            ]}
            value={modelChoice}
            onChange={(v) => v && setModelChoice(v)}
            allowDeselect={false}
            error={errors.modelId}
          />
          {model && !model.trainedOnFaces && (
            <Text size="xs" c="orange" data-testid="model-warning">
              {model.id} is {model.testOnly ? 'a test model, ' : ''}not trained on faces: its candidates are
              not face reconstructions.
            </Text>
          )}
          <Group grow align="start">
            <NumberInput
              label="Candidates"
              description="How many different faces to generate"
              min={1}
              max={16}
              value={candidates}
              onChange={(v) => setCandidates(typeof v === 'number' ? v : '')}
              error={errors.candidates}
            />
            <Select
              label="Run on"
              description="Processor used for the model"
              data={providers.map((p) => ({
                value: p.name,
                label: p.name === 'cpu' ? 'CPU' : p.name.toUpperCase(),
              }))}
              value={provider}
              onChange={(v) => v && setProvider(v as ProviderName)}
              allowDeselect={false}
              error={errors.provider}
            />
          </Group>
          {providerNote && (
            <Text size="xs" c="dimmed">
              {provider.toUpperCase()}: {providerNote}
            </Text>
          )}
          <Group align="end" gap="xs">
            <TextInput
              label="Seed"
              description="The same seed and settings give the same images"
              value={seed}
              onChange={(e) => setSeed(e.currentTarget.value)}
              error={errors.seed}
              style={{ flex: 1 }}
              ff="monospace"
            />
            <Button variant="default" onClick={() => setSeed(randomSeed())}>
              New random seed
            </Button>
          </Group>
          <Accordion variant="contained" chevronPosition="left">
            <Accordion.Item value="advanced">
              <Accordion.Control>Advanced settings</Accordion.Control>
              <Accordion.Panel>
                <Group grow align="start">
                  <NumberInput
                    label="Steps N"
                    description="More steps: slower, finer"
                    placeholder={info.steps === null ? 'engine default' : `preset: ${info.steps}`}
                    min={1}
                    max={10000}
                    value={steps}
                    onChange={(v) => setSteps(typeof v === 'number' ? v : '')}
                    error={errors.steps}
                  />
                  <NumberInput
                    label="Corrector steps M"
                    description="Refinement steps per step"
                    placeholder={`preset: ${info.correctorSteps}`}
                    min={0}
                    max={10}
                    value={corrector}
                    onChange={(v) => setCorrector(typeof v === 'number' ? v : '')}
                    error={errors.correctorSteps}
                  />
                  <NumberInput
                    label="Signal-to-noise ratio r"
                    description="Higher: smoother · lower: more detailed"
                    placeholder={info.snr === null ? 'preset default' : `preset: ${info.snr}`}
                    min={0.001}
                    max={1}
                    step={0.01}
                    decimalScale={3}
                    value={snr}
                    onChange={(v) => setSnr(typeof v === 'number' ? v : '')}
                    error={errors.snr}
                    disabled={effM === 0}
                  />
                </Group>
                {effM === 0 && (
                  <Text size="xs" c="dimmed" mt={4}>
                    r applies only with corrector steps (M ≥ 1).
                  </Text>
                )}
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
          <Group gap="xs" align="center">
            <Text size="sm" data-testid="run-estimate">
              {estimate === null
                ? cost === null
                  ? 'Estimated time: not known until the model has been timed on this machine.'
                  : 'Estimated time: set the number of steps to see an estimate.'
                : `Estimated time: ${formatEstimate(estimate)}`}
            </Text>
            {cost && (
              <Text size="xs" c="dimmed" data-testid="run-estimate-source">
                {cost.msPerNfe.toFixed(1)} ms per network evaluation of {cost.batch}
                {cost.source === 'runs'
                  ? `, median of ${cost.samples} past run${cost.samples === 1 ? '' : 's'}`
                  : `, timed over ${cost.samples} forwards`}
              </Text>
            )}
            {cost === null && model && props.onBenchmark && batch > 0 && (
              <Button size="xs" variant="light" loading={timing} onClick={() => void timeIt()}>
                Time it
              </Button>
            )}
          </Group>
          {timingNote && (
            <Text size="xs" c="orange">
              {timingNote}
            </Text>
          )}
          {errors.form && <Alert color="red">{errors.form}</Alert>}
          {errors.modelId && <Alert color="red">No model selected: {errors.modelId}</Alert>}
          {submitError && (
            <Alert color="red" role="alert">
              {submitError}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Start run
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
