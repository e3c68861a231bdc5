/**
 * The forward SDEs of DESIGN.md section 1 (Song et al. 2021, score_sde `sde_lib`): VE, VP and subVP. Every drift
 * here is linear, f(x, t) = fCoef(t) x, so each operation reduces to scalars per time step.
 */
import type { SdeConfig } from '../sampling/api';

/** The SDE kinds of the paper. */
export type SdeKind = SdeConfig['kind'];

/** A forward SDE dx = f(x,t) dt + g(t) dw and its marginals p(x_t | x_0) = N(mean(t) x_0, std(t)^2 I). */
export interface Sde {
  readonly config: SdeConfig;
  /** Drift coefficient: f(x, t) = driftCoef(t) * x. */
  driftCoef(t: number): number;
  /** Diffusion g(t). */
  diffusion(t: number): number;
  /** Marginal mean coefficient m(t): E[x_t | x_0] = m(t) x_0. */
  meanCoef(t: number): number;
  /** Marginal standard deviation std(t) of x_t given x_0. */
  std(t: number): number;
  /** Standard deviation of the prior p_T = N(0, priorStd^2 I). */
  readonly priorStd: number;
  /**
   * Reverse-diffusion discretisation at time t of an N-step grid (score_sde `discretize`): the forward step
   * x_{k+1} = x_k + f x_k + G z, as the pair (f, G).
   */
  discretize(t: number, n: number): { readonly f: number; readonly g: number };
  /** Langevin corrector's alpha at time t of an N-step grid: 1 for VE, 1 - beta_k for VP/subVP. */
  langevinAlpha(t: number, n: number): number;
  /** Noise level of the scaled form x = m(t) x_hat, x_hat = x_0 + sigma(t) z: sigma(t) = std(t) / m(t). */
  sigma(t: number): number;
  /** Inverse of `sigma`: the time t with sigma(t) = s. */
  sigmaInv(s: number): number;
}

/** Paper parameters (DESIGN.md section 1) for an SDE kind. */
export function defaultSde(kind: 've'): Extract<SdeConfig, { kind: 've' }>;
export function defaultSde(kind: 'vp' | 'subvp'): Extract<SdeConfig, { kind: 'vp' | 'subvp' }>;
export function defaultSde(kind: SdeKind): SdeConfig;
export function defaultSde(kind: SdeKind): SdeConfig {
  switch (kind) {
    case 've':
      return { kind, sigmaMin: 0.01, sigmaMax: 348 };
    case 'vp':
    case 'subvp':
      return { kind, betaMin: 0.1, betaMax: 20 };
    default:
      return assertNever(kind);
  }
}

/** The data range of an SDE's state: [0,1] for VE, [-1,1] for VP/subVP (paper). */
export function dataRange(kind: SdeKind): readonly [number, number] {
  return kind === 've' ? [0, 1] : [-1, 1];
}

/** The paper's smallest time epsilon: 1e-5 for VE, 1e-3 for VP/subVP. */
export function defaultEps(kind: SdeKind): number {
  return kind === 've' ? 1e-5 : 1e-3;
}

/** The PC time grid: N times, linspace(1, eps, N) (score_sde `timesteps`). */
export function timeGrid(n: number, eps: number): Float64Array {
  checkSteps(n);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = 1;
    return out;
  }
  const step = (eps - 1) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = i === n - 1 ? eps : 1 + i * step;
  return out;
}

/** Grid index k = floor(t (N - 1)) of time t, as score_sde's `(t * (N - 1) / T).long()`. */
export function gridIndex(t: number, n: number): number {
  return Math.min(Math.max(Math.floor(t * (n - 1)), 0), n - 1);
}

/** Build the SDE of a config. */
export function createSde(config: SdeConfig): Sde {
  switch (config.kind) {
    case 've':
      return veSde(config);
    case 'vp':
    case 'subvp':
      return vpFamilySde(config);
    default:
      return assertNever(config);
  }
}

function veSde(config: Extract<SdeConfig, { kind: 've' }>): Sde {
  const { sigmaMin, sigmaMax } = config;
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) throw new Error('VE SDE needs 0 < sigmaMin < sigmaMax.');
  const logRatio = Math.log(sigmaMax / sigmaMin);
  // sigma(t) = sigmaMin (sigmaMax / sigmaMin)^t
  const sigma = (t: number): number => sigmaMin * Math.pow(sigmaMax / sigmaMin, t);
  const discreteSigma = (k: number, n: number): number =>
    n === 1
      ? sigmaMin
      : Math.exp(Math.log(sigmaMin) + (k * (Math.log(sigmaMax) - Math.log(sigmaMin))) / (n - 1));
  return {
    config,
    driftCoef: () => 0,
    diffusion: (t) => sigma(t) * Math.sqrt(2 * logRatio),
    meanCoef: () => 1,
    std: sigma,
    priorStd: sigmaMax,
    discretize(t, n) {
      // sigma_k = exp(linspace(log sigmaMin, log sigmaMax, N))[k], sigma_{-1} = 0; G = sqrt(sigma_k^2 - sigma_{k-1}^2).
      const k = gridIndex(t, n);
      const sk = discreteSigma(k, n);
      const sPrev = k === 0 ? 0 : discreteSigma(k - 1, n);
      return { f: 0, g: Math.sqrt(sk * sk - sPrev * sPrev) };
    },
    langevinAlpha: () => 1,
    sigma,
    sigmaInv: (s) => Math.log(s / sigmaMin) / logRatio,
  };
}

function vpFamilySde(config: Extract<SdeConfig, { kind: 'vp' | 'subvp' }>): Sde {
  const { betaMin, betaMax } = config;
  if (!(betaMin > 0 && betaMax > betaMin)) throw new Error('VP/subVP SDE needs 0 < betaMin < betaMax.');
  const sub = config.kind === 'subvp';
  const dBeta = betaMax - betaMin;
  const beta = (t: number): number => betaMin + t * dBeta;
  // log m(t) = -1/4 t^2 (betaMax - betaMin) - 1/2 t betaMin
  const logMean = (t: number): number => -0.25 * t * t * dBeta - 0.5 * t * betaMin;
  const meanCoef = (t: number): number => Math.exp(logMean(t));
  // 1 - m^2 = -expm1(2 log m), accurate for small t.
  const oneMinusM2 = (t: number): number => -Math.expm1(2 * logMean(t));
  const std = sub ? oneMinusM2 : (t: number): number => Math.sqrt(oneMinusM2(t));
  const discreteBeta = (k: number, n: number): number =>
    n === 1 ? betaMin / n : betaMin / n + (k * (betaMax / n - betaMin / n)) / (n - 1);
  /** t from L = -log m(t) >= 0: root of 1/4 dBeta t^2 + 1/2 betaMin t - L = 0. */
  const timeOfLogMean = (l: number): number =>
    (2 * l) / (0.5 * betaMin + Math.sqrt(0.25 * betaMin * betaMin + dBeta * l));
  return {
    config,
    driftCoef: (t) => -0.5 * beta(t),
    diffusion: sub ? (t) => Math.sqrt(beta(t) * -Math.expm1(4 * logMean(t))) : (t) => Math.sqrt(beta(t)),
    meanCoef,
    std,
    priorStd: 1,
    discretize: sub
      ? (t, n) => {
          // score_sde's generic SDE.discretize (Euler-Maruyama): f = f(x,t) dt, G = g(t) sqrt(dt), dt = 1/N.
          const dt = 1 / n;
          return {
            f: -0.5 * beta(t) * dt,
            g: Math.sqrt(beta(t) * -Math.expm1(4 * logMean(t))) * Math.sqrt(dt),
          };
        }
      : (t, n) => {
          // beta_k = linspace(betaMin / N, betaMax / N, N)[k]; x_{k+1} = sqrt(1 - beta_k) x_k + sqrt(beta_k) z.
          const b = discreteBeta(gridIndex(t, n), n);
          return { f: Math.sqrt(1 - b) - 1, g: Math.sqrt(b) };
        },
    langevinAlpha: (t, n) => 1 - discreteBeta(gridIndex(t, n), n),
    sigma: (t) => std(t) / meanCoef(t),
    sigmaInv: sub
      ? (s) => {
          // sigma = (1 - m^2) / m  =>  m = (sqrt(s^2 + 4) - s) / 2 = 2 / (sqrt(s^2 + 4) + s).
          const m = 2 / (Math.sqrt(s * s + 4) + s);
          return timeOfLogMean(-Math.log(m));
        }
      : // sigma^2 = 1/m^2 - 1  =>  -log m = 1/2 log(1 + sigma^2).
        (s) => timeOfLogMean(0.5 * Math.log1p(s * s)),
  };
}

function checkSteps(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`Number of steps must be a positive integer, got ${n}.`);
}

function assertNever(x: never): never {
  throw new Error(`Unknown SDE: ${JSON.stringify(x)}`);
}
