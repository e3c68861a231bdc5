/** The default intra-op thread count: the number of physical cores (hyper-threads do not speed up ORT's GEMMs). */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Counts distinct (physical id, core id) pairs in /proc/cpuinfo text; null when it lists none. */
export function countPhysicalCores(cpuinfo: string): number | null {
  const cores = new Set<string>();
  let physical = '0';
  for (const line of cpuinfo.split('\n')) {
    const [key, value] = line.split(':').map((s) => s.trim());
    if (key === 'processor') physical = '0';
    if (key === 'physical id' && value !== undefined) physical = value;
    if (key === 'core id' && value !== undefined) cores.add(`${physical}:${value}`);
  }
  return cores.size > 0 ? cores.size : null;
}

/** Physical cores on Linux; elsewhere the logical count (Node has no portable physical-core query). */
export function physicalCores(): number {
  const logical = availableParallelism();
  if (process.platform === 'linux') {
    try {
      const n = countPhysicalCores(readFileSync('/proc/cpuinfo', 'utf8'));
      if (n !== null) return Math.min(n, logical);
    } catch {
      // fall through to the logical count
    }
  }
  return logical;
}
