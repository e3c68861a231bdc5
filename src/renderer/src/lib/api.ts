/** The renderer's one door to main: typed calls over the contract. Only this module touches window.facet. */
import {
  isChannel,
  type CallInput,
  type CallOutput,
  type Channel,
  type EventName,
  type EventPayload,
} from '../../../shared/contract';
import { FacetError } from '../../../shared/errors';

/** Calls a contract channel; throws FacetError with main's message on failure. */
export async function call<C extends Channel>(channel: C, input: CallInput<C>): Promise<CallOutput<C>> {
  const result = await window.facet.invoke(channel, input);
  if (!result.ok) throw new FacetError(result.error.code, result.error.message);
  return result.value as CallOutput<C>;
}

/**
 * Hands main the files the user dropped so that it may read them; returns their paths for `evidence.import`.
 * Throws (with the bridge's message) when one of them is not a file dropped from disk.
 */
export async function allowDropped(files: readonly File[]): Promise<readonly string[]> {
  const result = await window.facet.importDropped(files);
  if (!result.ok) throw new FacetError(result.error.code, result.error.message);
  return result.value;
}

/** Subscribes to one event; returns the unsubscribe function. */
export function onEvent<E extends EventName>(
  name: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return window.facet.onEvent((n, payload) => {
    if (n === name) listener(payload as EventPayload<E>);
  });
}

/** True when this build's contract has every one of `channels`: screens whose service is missing stay hidden. */
export function hasCalls(...channels: readonly string[]): boolean {
  return channels.every((c) => isChannel(c));
}
