/** Why a call failed, so clients can react without parsing messages. */
export type ApiErrorCode = 'invalid-request' | 'not-found' | 'conflict' | 'bad-data' | 'unavailable' | 'internal';

/** An error that crosses the API boundary with its code and a message meant for the user. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
