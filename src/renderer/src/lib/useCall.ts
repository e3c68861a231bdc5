/** Loads one contract call's result into React state, with reload and error; the screens' data hook. */
import { useCallback, useEffect, useState } from 'react';
import type { CallInput, CallOutput, Channel } from '../../../shared/contract';
import { call } from './api';

/** The state of a load: data once it arrived, the error message if it failed. */
export interface Loaded<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly reload: () => void;
}

/** Calls `channel` with `input` (re-called when `key` changes or on reload). */
export function useCall<C extends Channel>(
  channel: C,
  input: CallInput<C>,
  key: string,
): Loaded<CallOutput<C>> {
  const [state, setState] = useState<{ key: string; data: CallOutput<C> | null; error: string | null }>({
    key: '',
    data: null,
    error: null,
  });
  const [version, setVersion] = useState(0);
  const full = `${key}#${version}`;
  useEffect(() => {
    let live = true;
    call(channel, input).then(
      (data) => live && setState({ key: full, data, error: null }),
      (e: Error) => live && setState({ key: full, data: null, error: e.message }),
    );
    return () => {
      live = false;
    };
    // `input` is described by `key`; re-running on every new object literal would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel, full]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // Keep showing the previous data while a reload is in flight (no flicker in tables).
  return { data: state.data, error: state.error, reload };
}
