import { useCallback, useSyncExternalStore } from 'react';

/**
 * Choices the examiner made within a case (the run's input face, confirmed reference inputs), kept in the renderer
 * per case id so that switching tabs (which unmounts them) does not reset them.
 */
const values = new Map<string, string | null>();
const listeners = new Set<() => void>();

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** A case's choice under `key`, and its setter; null until chosen. */
export function useCaseChoice(caseId: string, key: string): [string | null, (v: string | null) => void] {
  const id = `${caseId}\u0000${key}`;
  const value = useSyncExternalStore(subscribe, () => values.get(id) ?? null);
  const set = useCallback(
    (v: string | null) => {
      values.set(id, v);
      for (const l of listeners) l();
    },
    [id],
  );
  return [value, set];
}
