/**
 * The samplers' time schedules, one small function each: PC's linear time grid, Heun's Karras/EDM sigma schedule
 * and DPM-Solver's grid uniform in log-SNR. Pure functions of N, the end time and the SDE.
 */
import { timeGrid, type Sde } from '../sde';

/** PC (Song et al.): N times linspace(1, eps, N), the last exactly eps. */
export function pcTimeGrid(n: number, eps: number): Float64Array {
  return timeGrid(n, eps);
}

/** EDM's schedule (Karras et al. 2022, Eq. 5) from sigmaMax to sigmaMin in N steps, then sigma_N = 0. */
export function karrasSigmas(n: number, sigmaMin: number, sigmaMax: number, rho: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`Heun steps must be a positive integer, got ${n}.`);
  const out = new Float64Array(n + 1);
  const a = Math.pow(sigmaMax, 1 / rho);
  const b = Math.pow(sigmaMin, 1 / rho);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? sigmaMax : Math.pow(a + (i / (n - 1)) * (b - a), rho);
  out[n] = 0;
  return out;
}

/**
 * DPM-Solver's grid: N times from 1 to eps uniform in lambda = -log sigma_tilde(t) (the half log-SNR), with the
 * lambdas; the first time is exactly 1 and the last exactly eps.
 */
export function logSnrGrid(sde: Sde, n: number, eps: number): { ts: Float64Array; lambdas: Float64Array } {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`DPM-Solver steps must be a positive integer, got ${n}.`);
  const ts = new Float64Array(n);
  const lambdas = new Float64Array(n);
  const l0 = -Math.log(sde.sigma(1));
  const l1 = -Math.log(sde.sigma(eps));
  for (let i = 0; i < n; i++) {
    const l = n === 1 ? l0 : i === n - 1 ? l1 : l0 + (i / (n - 1)) * (l1 - l0);
    lambdas[i] = l;
    ts[i] = i === 0 ? 1 : i === n - 1 ? eps : sde.sigmaInv(Math.exp(-l));
  }
  return { ts, lambdas };
}
