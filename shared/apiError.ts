/** Why a call failed, so clients can react without parsing messages. */
export type ApiErrorCode = 'invalid-request' | 'not-found' | 'conflict' | 'bad-data' | 'unavailable' | 'internal';

/** What went wrong as a key of shared/apiErrorReasons.ts and its parameters, for a client to word in its own language. */
export interface ApiErrorReason {
  key: string;
  params: Record<string, string | number>;
}

/** An error that crosses the API boundary with its code, an English message, and (for those a user meets) its reason. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly reason?: ApiErrorReason,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
