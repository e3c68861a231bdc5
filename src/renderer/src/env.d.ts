import type { FacetBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** The API contract, installed by the preload (or by the E2E harness). */
    readonly facet: FacetBridge;
  }
}
