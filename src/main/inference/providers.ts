/**
 * Execution providers: CPU always; CUDA, DirectML and CoreML when this build of onnxruntime-node has them. A
 * session is created with the requested provider alone, and on failure with CPU, so the provider that actually
 * runs is known and recorded (C7).
 */
import * as ort from 'onnxruntime-node';
import type { ProviderName } from '../../shared/contract/run-params';

/** ORT's name for each provider. */
const ORT_NAME: Record<ProviderName, string> = { cpu: 'cpu', cuda: 'cuda', dml: 'dml', coreml: 'coreml' };

/** Platforms each provider exists on at all. */
const PLATFORMS: Record<ProviderName, readonly NodeJS.Platform[] | 'any'> = {
  cpu: 'any',
  cuda: ['linux', 'win32'],
  dml: ['win32'],
  coreml: ['darwin'],
};

/** Why a provider cannot be tried here, or null when it can. */
export function providerUnavailableReason(p: ProviderName, platform = process.platform): string | null {
  const where = PLATFORMS[p];
  if (where !== 'any' && !where.includes(platform)) return `${p} does not exist on ${platform}`;
  const backends = ort.listSupportedBackends?.() ?? [];
  if (p !== 'cpu' && backends.length > 0 && !backends.some((b) => b.name === ORT_NAME[p])) {
    return `this onnxruntime-node build has no ${p} provider`;
  }
  return null;
}

/** Session options for one provider and thread count; sequential execution keeps results reproducible. */
export function sessionOptions(p: ProviderName, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [ORT_NAME[p]],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 4,
  };
}

/** A created session and the provider it runs on; `fallback` says why the requested one was not used. */
export interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly provider: ProviderName;
  readonly fallback: string | null;
}

/** Creates a session on the requested provider, falling back to CPU when it is missing or fails to start. */
export async function openSession(
  bytes: Uint8Array,
  requested: ProviderName,
  threads: number,
): Promise<OpenedSession> {
  ort.env.logLevel = 'fatal';
  let fallback: string | null = null;
  if (requested !== 'cpu') {
    const why = providerUnavailableReason(requested);
    if (why === null) {
      try {
        const session = await ort.InferenceSession.create(bytes, sessionOptions(requested, threads));
        return { session, provider: requested, fallback: null };
      } catch (err) {
        fallback = `${requested} failed to start (${firstLine(err)}); ran on cpu`;
      }
    } else {
      fallback = `${why}; ran on cpu`;
    }
  }
  const session = await ort.InferenceSession.create(bytes, sessionOptions('cpu', threads));
  return { session, provider: 'cpu', fallback };
}

/** The onnxruntime version (C7). */
export function onnxruntimeVersion(): string {
  return ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}

/** The providers a user may pick here (CPU first); a note when ORT lists one but does not bundle it. */
export function availableProviders(
  platform = process.platform,
): { name: ProviderName; note: string | null }[] {
  const backends = ort.listSupportedBackends?.() ?? [];
  return (['cpu', 'cuda', 'dml', 'coreml'] as const)
    .filter((p) => providerUnavailableReason(p, platform) === null)
    .map((name) => {
      const b = backends.find((x) => x.name === ORT_NAME[name]);
      const note =
        b && !b.bundled
          ? `needs onnxruntime-node's ${name} install; without it the run falls back to CPU (recorded)`
          : null;
      return { name, note };
    });
}
