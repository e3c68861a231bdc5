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
import { useEffect, useState, type FormEvent } from 'react';
import {
  RunSettingsSchema,
  type ModelInfo,
  type ModelList,
  type PresetName,
  type ProviderName,
  type RunPlanSummary,
  type RunSettings,
} from '../../../../shared/contract';
import { formatEstimate } from '../../lib/format';
import { costFor, estimateMs, presetDescription, PRESETS } from './presets';

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
  /** What main will run for these settings (runs.plan): the model, N, M, r and network evaluations. */
  readonly plan: (settings: RunSettings) => Promise<RunPlanSummary>;
  /** Models, providers and measured per-NFE costs (models.list); null while loading. */
  readonly models: ModelList | null;
  /** Times the model in the engine ("Time it"); the caller refreshes `models` with the new cost. */
  readonly onBenchmark?: (ask: BenchmarkAsk) => Promise<{ providerFallback: string | null }>;
  readonly initial?: RunDraft;
  /** Starts the run; its error message is shown in the dialog. */
  readonly onSubmit: (settings: RunSettings) => Promise<void>;
  /** The face the run enhances, named (file, face number, role), and its resolution warning if any. */
  readonly input?: { readonly name: string; readonly warning: string | null; readonly reference: boolean };
}

type Num = number | '';

/** The planned sampler in words: kind, N, and M and r when there is a corrector. */
function samplerLabel(p: RunPlanSummary): string {
  const s = p.sampler;
  const name = s.kind === 'pc' ? 'predictor-corrector' : s.kind === 'heun' ? 'Heun' : 'DPM-Solver++';
  return `${name}, N = ${s.steps}${s.correctorSteps > 0 ? `, M = ${s.correctorSteps}, r = ${s.snr}` : ''}`;
}

/** The run dialog: a preset, optional advanced fields, a seed, and the estimated time before starting. */
export function RunDialog(props: RunDialogProps) {
  const init = props.initial ?? {};
  const [preset, setPreset] = useState<PresetName>(init.preset ?? 'fast');
  const [steps, setSteps] = useState<Num>(init.steps ?? '');
  const [corrector, setCorrector] = useState<Num>(init.correctorSteps ?? '');
  const [snr, setSnr] = useState<Num>(init.snr ?? '');
  const [candidates, setCandidates] = useState<Num>(init.candidates ?? 4);
  // Empty: main draws the seed when the run is queued (and records it).
  const [seed, setSeed] = useState<string>(init.seed ?? '');
  const [provider, setProvider] = useState<ProviderName>(init.provider ?? 'cpu');
  const [modelChoice, setModelChoice] = useState<string>(init.modelId ?? AUTO);
  const [timing, setTiming] = useState(false);
  const [timingNote, setTimingNote] = useState<string | null>(null);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The answer of runs.plan for one set of settings (by key): shown only while the settings are those.
  const [answer, setAnswer] = useState<{
    key: string;
    plan: RunPlanSummary | null;
    error: string | null;
  } | null>(null);

  // Which model "automatic" means for a preset is main's rule (models.list presets).
  const rules = props.models?.presets;
  const autoRef = rules?.find((r) => r.name === preset)?.modelRef;
  const modelRef = modelChoice === AUTO ? autoRef : modelChoice;
  const draft = {
    modelId: modelRef,
    preset,
    steps: steps === '' ? undefined : steps,
    correctorSteps: corrector === '' ? undefined : corrector,
    snr: snr === '' ? undefined : snr,
    candidates: candidates === '' ? undefined : candidates,
    provider,
  };
  const validKey =
    modelRef !== undefined && RunSettingsSchema.safeParse(draft).success ? JSON.stringify(draft) : null;
  // Main resolves the settings as it will run them (runs.plan); the dialog shows that plan, nothing of its own.
  const { plan: askPlan } = props;
  useEffect(() => {
    if (validKey === null) return;
    let current = true;
    askPlan(RunSettingsSchema.parse(JSON.parse(validKey))).then(
      (p) => current && setAnswer({ key: validKey, plan: p, error: null }),
      (err: unknown) => current && setAnswer({ key: validKey, plan: null, error: (err as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [validKey, askPlan]);
  const settled = answer !== null && answer.key === validKey ? answer : null;
  const plan = settled?.plan ?? null;
  const planError = settled?.error ?? null;
  const models = props.models?.models ?? [];
  const model = plan ? (models.find((m) => m.id === plan.model.id) ?? null) : null;
  const effM = plan?.sampler.correctorSteps ?? 0;
  const batch = candidates === '' ? 0 : candidates;
  // All candidates go through the network together, so one NFE of the batch is the unit (no per-image guess).
  const cost = model && batch > 0 ? costFor(props.models?.costs ?? [], model.id, provider, batch) : null;
  const estimate = estimateMs(plan?.nfe ?? null, cost?.msPerNfe ?? null);
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
      ...draft,
      seed: seed.trim() === '' ? undefined : seed.trim(),
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
          {props.input && (
            <Text size="sm" data-testid="run-dialog-input">
              Input: <b>{props.input.name}</b>
            </Text>
          )}
          {props.input?.reference && (
            <Alert color="red" p="xs" data-testid="run-dialog-reference">
              This is a face of a reference photo, not of a still: you confirmed enhancing it, and the run's
              audit event records that.
            </Alert>
          )}
          {props.input?.warning && (
            <Alert color="orange" p="xs" title="Resolution" data-testid="resolution-warning">
              {props.input.warning}
            </Alert>
          )}
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
              {presetDescription(preset, rules)}
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
          <TextInput
            label="Seed"
            description="The same seed and settings give the same images; leave empty for a random seed (recorded with the run)"
            placeholder="Random"
            value={seed}
            onChange={(e) => setSeed(e.currentTarget.value)}
            error={errors.seed}
            ff="monospace"
          />
          <Accordion variant="contained" chevronPosition="left">
            <Accordion.Item value="advanced">
              <Accordion.Control>Advanced settings</Accordion.Control>
              <Accordion.Panel>
                <Group grow align="start">
                  <NumberInput
                    label="Steps N"
                    description="More steps: slower, finer"
                    placeholder={plan && steps === '' ? `preset: ${plan.sampler.steps}` : undefined}
                    min={1}
                    max={10000}
                    value={steps}
                    onChange={(v) => setSteps(typeof v === 'number' ? v : '')}
                    error={errors.steps}
                  />
                  <NumberInput
                    label="Corrector steps M"
                    description="Refinement steps per step"
                    placeholder={
                      plan && corrector === '' ? `preset: ${plan.sampler.correctorSteps}` : undefined
                    }
                    min={0}
                    max={10}
                    value={corrector}
                    onChange={(v) => setCorrector(typeof v === 'number' ? v : '')}
                    error={errors.correctorSteps}
                  />
                  <NumberInput
                    label="Signal-to-noise ratio r"
                    description="Higher: smoother · lower: more detailed"
                    placeholder={
                      plan?.sampler.snr != null && snr === '' ? `preset: ${plan.sampler.snr}` : undefined
                    }
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
          {plan && (
            <Text size="xs" c="dimmed" data-testid="run-plan">
              Runs {plan.model.id} (SDE-{plan.model.sde.toUpperCase()}), {samplerLabel(plan)}, {plan.nfe}{' '}
              network evaluations of the {plan.candidates}-candidate batch
            </Text>
          )}
          {planError && (
            <Alert color="red" data-testid="run-plan-error">
              {planError}
            </Alert>
          )}
          <Group gap="xs" align="center">
            <Text size="sm" data-testid="run-estimate">
              {estimate === null
                ? plan === null
                  ? 'Estimated time: not known until the settings are complete.'
                  : 'Estimated time: not known until the model has been timed on this machine.'
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
