/** Error codes that cross the API boundary. Each names what went wrong, not where. */
export type ErrorCode =
  'invalid-input' | 'unknown-channel' | 'not-found' | 'conflict' | 'io' | 'cancelled' | 'internal';

/** A failure a service reports on purpose; its message is shown to the user as is. */
export class FacetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FacetError';
  }
}

/** The serialisable form of an error, as it crosses IPC. */
export interface ApiError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Every call returns a Result so that errors survive structured cloning with their code intact. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };
