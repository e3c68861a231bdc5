/**
 * The worker protocol is types only and the modules of src/main/inference import one another without a cycle
 * (type imports included): protocol.ts <- jobs, never protocol.ts -> a job.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = resolve(import.meta.dirname, '../../../src/main/inference');

/** Each module's imports of sibling modules (`./x`), type imports included. */
function siblings(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.ts'))) {
    const src = readFileSync(join(DIR, f), 'utf8');
    const deps = [...src.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'\.\/([\w-]+)'/gms)].map(
      (m) => `${m[1]}.ts`,
    );
    graph.set(f, deps);
  }
  return graph;
}

/** The first import cycle found, as a path of files, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const d of graph.get(n) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

describe('src/main/inference imports', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(findCycle(g)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    expect(findCycle(new Map([['a.ts', ['b.ts']]]))).toBeNull();
  });

  it('has no import cycle, and the protocol imports no job module', () => {
    const g = siblings();
    expect(g.get('protocol.ts')).toBeDefined();
    expect(findCycle(g)).toBeNull();
    expect(g.get('protocol.ts')).not.toContain('enhance-job.ts');
    expect(g.get('protocol.ts')).not.toContain('jobs.ts');
    expect(g.get('enhance-job.ts')).toContain('protocol.ts');
  });
});
